//! Command-line arguments of the `infra-deploy` binary.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Deploys CloudFormation templates through change sets.
#[derive(Debug, Parser)]
#[command(name = "infra-deploy", version)]
pub struct Cli {
    /// Print the full chain of causes of an error.
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create change sets, show them, execute them and follow the stack events.
    ///
    /// Exit codes: 0 every stack deployed or unchanged; 1 a stack failed (its dependents
    /// were skipped); 2 could not run (arguments, credentials, region, connection,
    /// timeout) or no one confirmed; 3 a change set that loses data was refused;
    /// 130 interrupted.
    Deploy(DeployArgs),
    /// Print stacks' outputs and check that the expected ones exist.
    Outputs(OutputsArgs),
}

/// Where the AWS API is and who calls it.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectArgs {
    /// AWS region (default: the SDK's region chain, e.g. AWS_REGION or the profile).
    #[arg(long)]
    pub region: Option<String>,
    /// Named profile from the shared AWS config files.
    #[arg(long)]
    pub profile: Option<String>,
    /// Endpoint to call in place of AWS, for example a local emulator.
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Seconds the whole command may take.
    #[arg(long, default_value_t = 3600)]
    pub timeout_secs: u64,
    /// Seconds one AWS call may take, retries included (each attempt gets at most 20 s,
    /// a connection 5 s).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub call_timeout_secs: u64,
}

/// Which stacks: one (`--stack-name`, and for a deploy `--template`), or the stacks of
/// an app at a stage (`--app`, `--stage`).
#[derive(Debug, Clone, Args)]
pub struct Selection {
    /// One synthesized template (JSON); needs --stack-name.
    #[arg(long, requires = "stack_name")]
    pub template: Option<PathBuf>,
    /// The one stack, `{service}-{stage}`.
    #[arg(long, conflicts_with_all = ["app", "stage", "stack"])]
    pub stack_name: Option<String>,
    /// The app manifest the stacks crate's `synth` binary prints; needs --stage.
    #[arg(long, requires = "stage")]
    pub app: Option<PathBuf>,
    /// The stage whose stacks are deployed; must be one the app configures.
    #[arg(long)]
    pub stage: Option<String>,
    /// Only this stack (repeatable; a stack name or a service name), with the stacks
    /// it depends on unless --exclusively.
    #[arg(long)]
    pub stack: Vec<String>,
    /// With --stack: leave out the stacks the named ones depend on.
    #[arg(long, requires = "stack")]
    pub exclusively: bool,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// The execution role CloudFormation assumes (see `cargo xtask cfn-role`).
    #[arg(long)]
    pub role_arn: Option<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// S3 bucket to upload templates larger than 51,200 bytes to.
    #[arg(long)]
    pub template_bucket: Option<String>,
    /// Execute a change set even when it deletes or replaces a resource that holds data.
    #[arg(long)]
    pub allow_data_loss: bool,
    /// Execute without asking for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Stacks deployed at the same time (independent stacks only).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Wait while a stack is busy (an operation in progress, or another deploy's change
    /// set pending) instead of refusing.
    #[arg(long)]
    pub wait_for_lock: bool,
    /// Delete a stack left in ROLLBACK_COMPLETE (a failed first create) and create it again.
    #[arg(long)]
    pub replace_failed_stack: bool,
    /// Where to write the outputs of a single --template stack as JSON
    /// (default: `<outputs-dir>/<stack>.json`).
    #[arg(long, conflicts_with = "app")]
    pub outputs_file: Option<PathBuf>,
    /// Where to write each stack's outputs, `<stack>.json`.
    #[arg(long, default_value = ".infra/outputs")]
    pub outputs_dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct OutputsArgs {
    #[command(flatten)]
    pub selection: Selection,
    /// Output names that must exist (with --template/--stack-name; an app's stacks
    /// expect the outputs the app declares).
    #[arg(long, num_args = 1..)]
    pub expect: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

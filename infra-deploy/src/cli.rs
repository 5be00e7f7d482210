//! Command-line arguments of the `infra-deploy` binary.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Deploys CloudFormation templates through change sets.
#[derive(Debug, Parser)]
#[command(name = "infra-deploy", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a change set, show it, execute it and follow the stack events.
    Deploy(DeployArgs),
    /// Print a stack's outputs and check that the expected ones exist.
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
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The synthesized template (JSON).
    #[arg(long)]
    pub template: PathBuf,
    /// The stack name, `{service}-{stage}`.
    #[arg(long)]
    pub stack_name: String,
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
    /// How long to wait for the change set and the stack operation, in seconds.
    #[arg(long, default_value_t = 1800)]
    pub timeout_secs: u64,
    /// Where to write the stack outputs as JSON (default: `.infra/outputs/<stack>.json`).
    #[arg(long)]
    pub outputs_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OutputsArgs {
    /// The stack name, `{service}-{stage}`.
    #[arg(long)]
    pub stack_name: String,
    /// Output names that must exist.
    #[arg(long, num_args = 1..)]
    pub expect: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

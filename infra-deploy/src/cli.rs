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
    /// Print the template a stack was deployed with (`GetTemplate`), as CloudFormation
    /// returns it (JSON or YAML). Exit codes: 0 printed; 1 no such stack or an AWS error;
    /// 2 could not run.
    Template(TemplateArgs),
}

/// Where the AWS API is and who calls it.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectArgs {
    /// AWS region (default: the SDK's region chain, e.g. AWS_REGION or the profile).
    #[arg(long, value_parser = region)]
    pub region: Option<String>,
    /// Named profile from the shared AWS config files.
    #[arg(long)]
    pub profile: Option<String>,
    /// Endpoint to call in place of AWS, for example a local emulator.
    #[arg(long, value_parser = endpoint_url)]
    pub endpoint_url: Option<String>,
    /// Seconds the whole command may take.
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
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
    #[arg(long, conflicts_with_all = ["app", "stage", "stack"], value_parser = stack_name)]
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
    #[arg(long, value_parser = role_arn)]
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

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The deployed stack.
    #[arg(long, value_parser = stack_name)]
    pub stack_name: String,
    /// The template as submitted (Original) or after its transforms ran (Processed).
    #[arg(long, default_value = "Original", value_parser = ["Original", "Processed"])]
    pub template_stage: String,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

// Checked when the arguments are parsed: the SDK reports a malformed region as
// "no AWS region is configured", a URL without scheme without naming the flag,
// and a malformed role ARN only after a change set was created.

/// `--region`: lowercase letters, digits and hyphens (`eu-west-1`).
fn region(value: &str) -> Result<String, String> {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if !value.is_empty() && value.chars().all(ok) {
        return Ok(value.to_owned());
    }
    Err("expected a region name such as `eu-west-1` (lowercase letters, digits, hyphens)".into())
}

/// `--stack-name`: CloudFormation's rule, a letter then letters, digits and
/// hyphens, at most 128 characters.
fn stack_name(value: &str) -> Result<String, String> {
    let mut chars = value.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if first && value.len() <= 128 && chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Ok(value.to_owned());
    }
    Err(
        "expected a letter, then letters, digits and hyphens (at most 128), e.g. `infra-dev`"
            .into(),
    )
}

/// `--endpoint-url`: an `http://` or `https://` URL.
fn endpoint_url(value: &str) -> Result<String, String> {
    let rest = value
        .strip_prefix("http://")
        .or_else(|| value.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() => Ok(value.to_owned()),
        _ => Err("expected an http:// or https:// URL such as `http://127.0.0.1:5000`".into()),
    }
}

/// `--role-arn`: an IAM role ARN, `arn:<partition>:iam::<account>:role/<name>`.
fn role_arn(value: &str) -> Result<String, String> {
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let ok = match parts[..] {
        ["arn", partition, "iam", "", account, resource] => {
            !partition.is_empty()
                && account.len() == 12
                && account.chars().all(|c| c.is_ascii_digit())
                && resource
                    .strip_prefix("role/")
                    .is_some_and(|r| !r.is_empty())
        }
        _ => false,
    };
    if ok {
        return Ok(value.to_owned());
    }
    Err("expected an IAM role ARN, `arn:aws:iam::123456789012:role/NAME`".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(extra: &[&str]) -> Result<Cli, clap::Error> {
        let base = [
            "infra-deploy",
            "deploy",
            "--stack-name",
            "x-dev",
            "--template",
            "t.json",
        ];
        Cli::try_parse_from(base.iter().chain(extra))
    }

    #[test]
    fn well_formed_connection_arguments_are_accepted() {
        let cli = parse(&[
            "--region",
            "us-gov-west-1",
            "--endpoint-url",
            "http://127.0.0.1:5000",
            "--role-arn",
            "arn:aws-cn:iam::123456789012:role/cfn-exec/infra-dev",
            "--timeout-secs",
            "1",
        ]);
        assert!(cli.is_ok(), "{:?}", cli.err());
    }

    /// Each mistake is refused before any AWS call, naming the flag and what
    /// is allowed (the SDK said "no AWS region is configured" for `us east`).
    #[test]
    fn malformed_connection_arguments_name_the_flag_and_what_is_allowed() {
        for (flag, value, allowed) in [
            ("--region", "us east", "a region name such as `eu-west-1`"),
            ("--region", "", "a region name"),
            ("--endpoint-url", "notaurl", "an http:// or https:// URL"),
            ("--endpoint-url", "http://", "an http:// or https:// URL"),
            ("--role-arn", "cfn-exec-infra-dev", "an IAM role ARN"),
            ("--role-arn", "arn:aws:iam::12:role/x", "an IAM role ARN"),
            (
                "--role-arn",
                "arn:aws:iam::123456789012:user/x",
                "an IAM role ARN",
            ),
            ("--timeout-secs", "0", "0 is not in 1.."),
        ] {
            let err = parse(&[flag, value]).expect_err(value).to_string();
            assert!(err.contains(flag), "{flag} {value}: {err}");
            assert!(err.contains(allowed), "{flag} {value}: {err}");
        }
    }

    /// A name CloudFormation refuses was only found out by the first AWS call.
    #[test]
    fn a_malformed_stack_name_is_refused() {
        for name in ["Bad Name!", "1-dev", "infra_dev", ""] {
            let args = ["infra-deploy", "outputs", "--stack-name", name];
            let err = Cli::try_parse_from(args).expect_err(name).to_string();
            assert!(err.contains("--stack-name"), "{name}: {err}");
            assert!(
                err.contains("a letter, then letters, digits"),
                "{name}: {err}"
            );
        }
        let long = format!("a{}", "-".repeat(128));
        assert!(Cli::try_parse_from(["infra-deploy", "outputs", "--stack-name", &long]).is_err());
        assert!(
            Cli::try_parse_from(["infra-deploy", "outputs", "--stack-name", "infra-dev"]).is_ok()
        );
    }
}

//! `cargo xtask deploy --stage S` and `cargo xtask outputs --stage S`.
//!
//! Both hand the app manifest (what the stacks crate's `synth` binary prints: every stack
//! of every configured stage) to the `infra-deploy` binary, which picks the stage's stacks,
//! refuses a stage the app does not configure, orders the stacks and talks to AWS.
//! `deploy` first runs `cargo xtask synth` (every stage, so the committed templates are
//! what is deployed). xtask never links the AWS SDK: it stays quick to build, and
//! `infra-deploy` is compiled only when someone deploys. On Unix, xtask then becomes
//! `infra-deploy` (exec), so Ctrl-C and SIGTERM reach it directly and its exit code is
//! the command's.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

use crate::manifest;
use crate::workspace;

/// Where the manifest handed to `infra-deploy` is written (git-ignored).
const APP_MANIFEST: &str = ".infra/app-manifest.json";

/// Flags of `cargo xtask deploy`, passed on to `infra-deploy deploy`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The stage to deploy (`dev`, `prod`, ...): one the app configures.
    #[arg(long)]
    stage: String,
    /// Only this stack (repeatable; stack or service name), with its dependencies.
    #[arg(long)]
    stack: Vec<String>,
    /// With --stack: without the stacks it depends on.
    #[arg(long)]
    exclusively: bool,
    /// Stacks deployed at the same time (independent ones only).
    #[arg(long)]
    concurrency: Option<u16>,
    /// The CloudFormation execution role (see `cargo xtask cfn-role`).
    #[arg(long)]
    role_arn: Option<String>,
    /// S3 bucket for templates larger than 51,200 bytes.
    #[arg(long)]
    template_bucket: Option<String>,
    /// Execute change sets that delete or replace resources holding data.
    #[arg(long)]
    allow_data_loss: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    yes: bool,
    /// Wait while a stack is busy instead of refusing.
    #[arg(long)]
    wait_for_lock: bool,
    /// Delete a ROLLBACK_COMPLETE stack and create it again.
    #[arg(long)]
    replace_failed_stack: bool,
    #[command(flatten)]
    connect: Connect,
}

/// Flags of `cargo xtask outputs`.
#[derive(Debug, clap::Args)]
pub struct OutputsArgs {
    /// The stage whose stacks are checked: one the app configures.
    #[arg(long)]
    stage: String,
    #[command(flatten)]
    connect: Connect,
}

/// Where the AWS API is, and how long the command may take.
#[derive(Debug, clap::Args)]
struct Connect {
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    profile: Option<String>,
    #[arg(long)]
    endpoint_url: Option<String>,
    /// Seconds the whole command may take.
    #[arg(long)]
    timeout_secs: Option<u64>,
    /// Seconds one AWS call may take, retries included.
    #[arg(long)]
    call_timeout_secs: Option<u64>,
    /// Print the full chain of causes of an error.
    #[arg(long, short = 'v')]
    verbose: bool,
}

impl Connect {
    fn to_args(&self) -> Vec<String> {
        let mut out = Vec::new();
        push_opt(&mut out, "--region", self.region.as_deref());
        push_opt(&mut out, "--profile", self.profile.as_deref());
        push_opt(&mut out, "--endpoint-url", self.endpoint_url.as_deref());
        let timeout = self.timeout_secs.map(|t| t.to_string());
        push_opt(&mut out, "--timeout-secs", timeout.as_deref());
        let call = self.call_timeout_secs.map(|t| t.to_string());
        push_opt(&mut out, "--call-timeout-secs", call.as_deref());
        push_flag(&mut out, "--verbose", self.verbose);
        out
    }
}

fn push_opt(out: &mut Vec<String>, flag: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.extend([flag.to_owned(), value.to_owned()]);
    }
}

fn push_flag(out: &mut Vec<String>, flag: &str, on: bool) {
    if on {
        out.push(flag.to_owned());
    }
}

/// `cargo xtask deploy`: synth every stage, then `infra-deploy deploy --app`.
pub fn run(args: Args) -> Result<ExitCode> {
    let root = workspace::root()?;
    let synth = Command::new(workspace::cargo())
        .args(["xtask", "synth"])
        .current_dir(&root)
        .status()
        .context("running cargo xtask synth")?;
    anyhow::ensure!(synth.success(), "cargo xtask synth failed: {synth}");
    let manifest = write_app_manifest(&root)?;
    infra_deploy(&root, &deploy_args(&args, &manifest))
}

/// `cargo xtask outputs`: `infra-deploy outputs --app` for the stage.
pub fn outputs(args: OutputsArgs) -> Result<ExitCode> {
    let root = workspace::root()?;
    let manifest = write_app_manifest(&root)?;
    let mut cli = vec!["outputs".to_owned(), "--app".to_owned(), manifest];
    cli.extend(["--stage".to_owned(), args.stage.clone()]);
    cli.extend(args.connect.to_args());
    infra_deploy(&root, &cli)
}

/// The synth binary's manifest of every configured stage, written for `infra-deploy`;
/// returns its path.
fn write_app_manifest(root: &Path) -> Result<String> {
    let text = manifest::synthesize_raw(root, &[])?;
    workspace::write_atomic(&root.join(APP_MANIFEST), &text)?;
    Ok(APP_MANIFEST.to_owned())
}

/// The `infra-deploy deploy` arguments.
fn deploy_args(args: &Args, manifest: &str) -> Vec<String> {
    let mut cli = vec!["deploy".to_owned(), "--app".to_owned(), manifest.to_owned()];
    cli.extend(["--stage".to_owned(), args.stage.clone()]);
    for stack in &args.stack {
        cli.extend(["--stack".to_owned(), stack.clone()]);
    }
    let concurrency = args.concurrency.map(|c| c.to_string());
    push_opt(&mut cli, "--concurrency", concurrency.as_deref());
    push_opt(&mut cli, "--role-arn", args.role_arn.as_deref());
    push_opt(
        &mut cli,
        "--template-bucket",
        args.template_bucket.as_deref(),
    );
    push_flag(&mut cli, "--exclusively", args.exclusively);
    push_flag(&mut cli, "--allow-data-loss", args.allow_data_loss);
    push_flag(&mut cli, "--yes", args.yes);
    push_flag(&mut cli, "--wait-for-lock", args.wait_for_lock);
    push_flag(
        &mut cli,
        "--replace-failed-stack",
        args.replace_failed_stack,
    );
    cli.extend(args.connect.to_args());
    cli
}

/// `cargo run -q -p infra-deploy -- <args>` in `root`: on Unix this process becomes it.
fn infra_deploy(root: &Path, args: &[String]) -> Result<ExitCode> {
    let mut cmd = Command::new(workspace::cargo());
    cmd.args(["run", "-q", "-p", "infra-deploy", "--"])
        .args(args)
        .current_dir(root);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = cmd.exec();
        Err(err).context("running infra-deploy")
    }
    #[cfg(not(unix))]
    {
        let status = cmd.status().context("running infra-deploy")?;
        let code = status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1));
        Ok(ExitCode::from(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn passes_every_flag_on() {
        let cli = Cli::parse_from([
            "deploy",
            "--stage",
            "prod",
            "--stack",
            "infra",
            "--exclusively",
            "--yes",
            "--concurrency",
            "2",
            "--wait-for-lock",
            "--region",
            "eu-west-1",
            "-v",
        ]);
        assert_eq!(
            deploy_args(&cli.args, ".infra/app-manifest.json").join(" "),
            "deploy --app .infra/app-manifest.json --stage prod --stack infra --concurrency 2 \
             --exclusively --yes --wait-for-lock --region eu-west-1 --verbose"
        );
    }
}

//! `cargo xtask deploy --stage S` and `cargo xtask outputs --stage S`.
//!
//! `deploy` runs `cargo xtask synth --stage S`, then the `infra-deploy` binary once per
//! template of that stage (`stacks/templates/<service>-<stage>.json`, stack
//! `<service>-<stage>`). `outputs` checks every deployed stack of the stage for the outputs
//! that `stacks/outputs/outputs.json` declares. xtask itself never links the AWS SDK: it
//! stays quick to build, and `infra-deploy` is compiled only when someone deploys.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};
use serde_json::Value;

use crate::outputs_crate::CATALOGUE as OUTPUTS_MANIFEST;
use crate::synth::TEMPLATES;
use crate::workspace;

/// Flags of `cargo xtask deploy`, passed on to `infra-deploy deploy`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The stage to deploy (`dev`, `prod`, ...).
    #[arg(long)]
    stage: String,
    /// The CloudFormation execution role (see `cargo xtask cfn-role`).
    #[arg(long)]
    role_arn: Option<String>,
    #[command(flatten)]
    connect: Connect,
    /// S3 bucket for templates larger than 51,200 bytes.
    #[arg(long)]
    template_bucket: Option<String>,
    /// Execute change sets that delete or replace resources holding data.
    #[arg(long)]
    allow_data_loss: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    yes: bool,
    /// Seconds to wait for each stack.
    #[arg(long)]
    timeout_secs: Option<u64>,
}

/// Flags of `cargo xtask outputs`.
#[derive(Debug, clap::Args)]
pub struct OutputsArgs {
    /// The stage whose stacks are checked.
    #[arg(long)]
    stage: String,
    #[command(flatten)]
    connect: Connect,
}

/// Where the AWS API is.
#[derive(Debug, clap::Args)]
struct Connect {
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    profile: Option<String>,
    #[arg(long)]
    endpoint_url: Option<String>,
}

impl Connect {
    fn to_args(&self) -> Vec<String> {
        let mut out = Vec::new();
        push_opt(&mut out, "--region", self.region.as_deref());
        push_opt(&mut out, "--profile", self.profile.as_deref());
        push_opt(&mut out, "--endpoint-url", self.endpoint_url.as_deref());
        out
    }
}

fn push_opt(out: &mut Vec<String>, flag: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.extend([flag.to_owned(), value.to_owned()]);
    }
}

/// `cargo xtask deploy`: synth the stage, then deploy each of its stacks in name order.
pub fn run(args: Args) -> Result<ExitCode> {
    let root = workspace::root()?;
    let synth = Command::new(workspace::cargo())
        .args(["xtask", "synth", "--stage", &args.stage])
        .current_dir(&root)
        .status()
        .context("running cargo xtask synth")?;
    if !synth.success() {
        anyhow::bail!("cargo xtask synth --stage {} failed: {synth}", args.stage);
    }
    let stacks = stage_templates(&template_names(&root)?, &args.stage);
    anyhow::ensure!(
        !stacks.is_empty(),
        "no template of stage {} in {TEMPLATES}",
        args.stage
    );
    for (stack, file) in stacks {
        let template = Path::new(TEMPLATES).join(file);
        let code = infra_deploy(&root, &deploy_args(&args, &stack, &template))?;
        if code != 0 {
            return Ok(ExitCode::from(code));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask outputs`: each stack of the stage has the outputs its service declares.
pub fn outputs(args: OutputsArgs) -> Result<ExitCode> {
    let root = workspace::root()?;
    let path = root.join(OUTPUTS_MANIFEST);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (run cargo xtask synth)", path.display()))?;
    let manifest: Value = serde_json::from_str(&text).context("parsing the outputs manifest")?;
    let mut failed = 0;
    for (stack, names) in expected_outputs(&manifest, &args.stage) {
        let mut cli = vec!["outputs".to_owned(), "--stack-name".to_owned(), stack];
        if !names.is_empty() {
            cli.push("--expect".to_owned());
            cli.extend(names);
        }
        cli.extend(args.connect.to_args());
        let code = infra_deploy(&root, &cli)?;
        failed = failed.max(code);
    }
    Ok(ExitCode::from(failed))
}

/// The `infra-deploy deploy` arguments for one stack.
fn deploy_args(args: &Args, stack: &str, template: &Path) -> Vec<String> {
    let mut cli = vec!["deploy".to_owned(), "--template".to_owned()];
    cli.push(template.display().to_string());
    cli.extend(["--stack-name".to_owned(), stack.to_owned()]);
    push_opt(&mut cli, "--role-arn", args.role_arn.as_deref());
    push_opt(
        &mut cli,
        "--template-bucket",
        args.template_bucket.as_deref(),
    );
    let timeout = args.timeout_secs.map(|t| t.to_string());
    push_opt(&mut cli, "--timeout-secs", timeout.as_deref());
    cli.extend(args.connect.to_args());
    if args.allow_data_loss {
        cli.push("--allow-data-loss".to_owned());
    }
    if args.yes {
        cli.push("--yes".to_owned());
    }
    cli
}

/// `cargo run -q -p infra-deploy -- <args>` in `root`; returns its exit code.
fn infra_deploy(root: &Path, args: &[String]) -> Result<u8> {
    let status = Command::new(workspace::cargo())
        .args(["run", "-q", "-p", "infra-deploy", "--"])
        .args(args)
        .current_dir(root)
        .status()
        .context("running infra-deploy")?;
    Ok(status.code().map_or(1, |c| u8::try_from(c).unwrap_or(1)))
}

/// The file names in `stacks/templates`.
fn template_names(root: &Path) -> Result<Vec<String>> {
    let files = workspace::json_files(&root.join(TEMPLATES))?;
    Ok(files
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect())
}

/// `(stack, file)` for every `<service>-<stage>.json` among `names`, sorted.
fn stage_templates(names: &[String], stage: &str) -> Vec<(String, String)> {
    let suffix = format!("-{stage}.json");
    let mut stacks: Vec<(String, String)> = names
        .iter()
        .filter(|n| n.ends_with(&suffix) && n.len() > suffix.len())
        .map(|n| (n.trim_end_matches(".json").to_owned(), n.clone()))
        .collect();
    stacks.sort();
    stacks
}

/// `(stack, output names)` for every service of the manifest that has `stage`.
fn expected_outputs(manifest: &Value, stage: &str) -> Vec<(String, Vec<String>)> {
    let services = manifest["services"].as_array().map(Vec::as_slice);
    services
        .unwrap_or_default()
        .iter()
        .filter(|s| has_stage(s, stage))
        .filter_map(|s| {
            let service = s["service"].as_str()?;
            let outputs = s["outputs"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            let names = outputs.iter().filter_map(|o| o["name"].as_str());
            Some((
                format!("{service}-{stage}"),
                names.map(str::to_owned).collect(),
            ))
        })
        .collect()
}

fn has_stage(service: &Value, stage: &str) -> bool {
    let stages = service["stages"].as_array().map(Vec::as_slice);
    stages.unwrap_or_default().iter().any(|s| s == stage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_templates_of_a_stage() {
        let names = [
            "infra-dev.json",
            "infra-prod.json",
            "media-dev.json",
            "-dev.json",
        ]
        .map(str::to_owned);
        assert_eq!(
            stage_templates(&names, "dev"),
            [
                ("infra-dev".to_owned(), "infra-dev.json".to_owned()),
                ("media-dev".to_owned(), "media-dev.json".to_owned()),
            ]
        );
    }

    #[test]
    fn reads_expected_outputs_per_stage() {
        let manifest = serde_json::json!({"app": "api", "services": [
            {"service": "infra", "stages": ["dev", "prod"],
             "outputs": [{"name": "workspacesTableArn", "description": "d"}]},
            {"service": "media", "stages": ["prod"], "outputs": []}]});
        assert_eq!(
            expected_outputs(&manifest, "dev"),
            [(
                "infra-dev".to_owned(),
                vec!["workspacesTableArn".to_owned()]
            )]
        );
        assert_eq!(expected_outputs(&manifest, "prod").len(), 2);
    }
}

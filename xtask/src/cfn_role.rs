//! `cargo xtask cfn-role [--stage S] [--out DIR] [--check]`: the least-privilege
//! CloudFormation execution role of each stack (`infra-role` builds it).
//!
//! Writes, per stack of the app at each configured stage (or at `--stage`),
//! `<stack>-policy.json` (the policy document, `*` for region and account) and
//! `<stack>-role.json` (a template creating the role `cfn-exec-<stack>`) into
//! `stacks/cfn-role/`. Action names are checked against `infra_model::iam`,
//! the IAM catalogue `cargo xtask codegen` generates from the pinned wheel.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use infra_model::Catalogue;
use infra_role::{RuleSet, StackNames};
use serde_json::Value;

use crate::workspace::{self, Generated};

/// Where the roles go by default.
pub const OUT: &str = "stacks/cfn-role";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the stacks of this stage; every configured stage when absent.
    #[arg(long)]
    stage: Option<String>,
    /// Output folder (default `stacks/cfn-role`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 when the committed role differs (for CI).
    #[arg(long)]
    check: bool,
}

/// `cargo xtask cfn-role`. Exit codes: 0 written (or fresh), 1 stale with
/// `--check`, 2 could not run (unknown stage, missing template...).
pub fn run(args: Args) -> Result<ExitCode> {
    roles(args).or_else(|err| {
        eprintln!("error: {err:#}");
        Ok(ExitCode::from(2))
    })
}

fn roles(args: Args) -> Result<ExitCode> {
    let root = workspace::root()?;
    let out = args.out.unwrap_or_else(|| PathBuf::from(OUT));
    let files = files(&root, args.stage.as_deref(), &out)?;
    let changed = workspace::apply(&root, &files, args.check)?;
    let removed = match args.stage {
        None => leftovers(&root, &out, &files, args.check)?,
        Some(_) => Vec::new(),
    };
    Ok(report(&changed, &removed, args.check))
}

/// Role files in `out` that no stack produces any more (a removed stack or
/// stage): removed, or with `check` reported as stale. Only files named as
/// roles are: `--out` may name a folder holding other JSON (the catalogue).
fn leftovers(root: &Path, out: &Path, files: &[Generated], check: bool) -> Result<Vec<PathBuf>> {
    let dir = root.join(out);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for path in workspace::json_files(&dir)? {
        let Some(name) = path.file_name() else {
            continue;
        };
        let relative = out.join(name);
        let is_role = ["-policy.json", "-role.json"]
            .iter()
            .any(|suffix| name.to_string_lossy().ends_with(suffix));
        if !is_role || files.iter().any(|f| f.path == relative) {
            continue;
        }
        if !check {
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
        found.push(relative);
    }
    Ok(found)
}

/// The stale files of the default role folder, for every configured stage.
#[cfg(test)]
fn stale(root: &Path) -> Result<Vec<PathBuf>> {
    workspace::apply(root, &files(root, None, Path::new(OUT))?, true)
}

/// The role files of every stack of `stage` (of every
/// configured stage when `None`; an unknown stage lists the configured ones).
fn files(root: &Path, stage: Option<&str>, out: &Path) -> Result<Vec<Generated>> {
    let catalogue = Catalogue::load(&root.join(crate::outputs_crate::CATALOGUE))?;
    let stages = match stage {
        Some(stage) => {
            catalogue.check_stage(stage)?;
            vec![stage.to_owned()]
        }
        None => catalogue.stages(),
    };
    let rules = RuleSet::builtin()?;
    let mut files = Vec::new();
    for stage in &stages {
        files.extend(stage_roles(root, &catalogue, stage, &rules, out)?);
    }
    Ok(files)
}

/// The policy and role files of every stack of `stage`.
fn stage_roles(
    root: &Path,
    catalogue: &Catalogue,
    stage: &str,
    rules: &RuleSet,
    out: &Path,
) -> Result<Vec<Generated>> {
    let mut files = Vec::new();
    for (stack, service) in catalogue.stacks_at(stage) {
        let path = root.join(infra_synth::template_path(&stack));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {} (run cargo xtask synth)", path.display()))?;
        let template: Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let names = StackNames {
            app: catalogue.app.clone(),
            service: service.service.clone(),
            stage: stage.to_owned(),
        };
        let role = infra_role::generate(rules, &names, &stack, &template)
            .with_context(|| format!("the role of {}", path.display()))?;
        let types: BTreeSet<&str> = role.grants.iter().map(|g| g.type_name.as_str()).collect();
        let actions: BTreeSet<&str> = role.grants.iter().map(|g| g.action.as_str()).collect();
        eprintln!(
            "{stack}: {} resource types, {} actions",
            types.len(),
            actions.len()
        );
        let pretty = |v: &Value| infra_model::template::to_pretty_json(v);
        files.push(Generated {
            path: out.join(format!("{stack}-policy.json")),
            contents: pretty(&role.policy),
        });
        files.push(Generated {
            path: out.join(format!("{stack}-role.json")),
            contents: pretty(&role.role),
        });
    }
    Ok(files)
}

fn report(changed: &[PathBuf], removed: &[PathBuf], check: bool) -> ExitCode {
    let (verb, gone) = if check {
        ("stale", "stale")
    } else {
        ("updated", "removed")
    };
    for path in changed {
        eprintln!("{verb}: {}", path.display());
    }
    for path in removed {
        eprintln!("{gone}: {}", path.display());
    }
    if check && !(changed.is_empty() && removed.is_empty()) {
        eprintln!(
            "error: the execution role is stale: run `cargo xtask cfn-role` and commit the result"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// What cfn-lint checks of the roles (its IAM rules: action names, policy
/// shape): each committed role template, and each standalone policy wrapped in
/// an `AWS::IAM::ManagedPolicy` template written under `target/cfn-role-lint/`.
pub fn lint_inputs(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = root.join(OUT);
    let wrapped = root.join("target/cfn-role-lint");
    std::fs::create_dir_all(&wrapped).with_context(|| format!("creating {}", wrapped.display()))?;
    let mut inputs = Vec::new();
    for path in workspace::json_files(&dir)? {
        let name = workspace::stack_name(&path);
        let Some(stack) = name.strip_suffix("-policy") else {
            inputs.push(path);
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let policy: Value =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let out = wrapped.join(format!("{stack}-policy.json"));
        workspace::write_atomic(&out, wrap_policy(stack, policy))?;
        inputs.push(out);
    }
    Ok(inputs)
}

/// A template holding `policy` as a managed policy, so cfn-lint lints it.
fn wrap_policy(stack: &str, policy: Value) -> String {
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("cfn-lint wrapper of stacks/cfn-role/{stack}-policy.json"),
        "Resources": { "Policy": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": { "PolicyDocument": policy },
        } },
    });
    infra_model::template::to_pretty_json(&template)
}

#[cfg(test)]
mod tests {
    /// `cfn-role --out stacks/outputs` deleted the outputs catalogue: only
    /// role files that no stack produces any more are leftovers.
    #[test]
    fn leftovers_are_only_role_files() {
        let root = std::env::temp_dir().join(format!("xtask-cfn-role-out-{}", std::process::id()));
        let out = std::path::Path::new("shared");
        std::fs::create_dir_all(root.join(out)).expect("temp dir");
        for name in ["outputs.json", "gone-policy.json", "gone-role.json"] {
            std::fs::write(root.join(out).join(name), "{}").expect("write");
        }
        let mut removed = super::leftovers(&root, out, &[], false).expect("leftovers");
        removed.sort();
        assert_eq!(
            removed,
            [out.join("gone-policy.json"), out.join("gone-role.json")]
        );
        assert!(root.join(out).join("outputs.json").is_file());
        assert!(!root.join(out).join("gone-role.json").exists());
        std::fs::remove_dir_all(&root).expect("clean up");
    }

    /// The committed roles are what the templates and rules give now.
    #[test]
    fn committed_roles_are_fresh() {
        let root = crate::workspace::root().expect("workspace root");
        let stale = super::stale(&root).expect("cfn-role runs");
        assert!(
            stale.is_empty(),
            "stale: {stale:?}; run `cargo xtask cfn-role`"
        );
    }

    /// Each standalone policy is wrapped in a managed-policy template; role
    /// templates are linted as they are.
    #[test]
    fn lint_inputs_wrap_the_policies() {
        let root = crate::workspace::root().expect("workspace root");
        let inputs = super::lint_inputs(&root).expect("inputs");
        let wrapped = inputs
            .iter()
            .find(|p| p.ends_with("target/cfn-role-lint/infra-dev-policy.json"));
        let text = std::fs::read_to_string(wrapped.expect("wrapped dev policy")).expect("read");
        assert!(text.contains("AWS::IAM::ManagedPolicy") && text.contains("dynamodb:CreateTable"));
        assert!(
            inputs
                .iter()
                .any(|p| p.ends_with("stacks/cfn-role/infra-prod-role.json"))
        );
    }
}

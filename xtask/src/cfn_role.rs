//! `cargo xtask cfn-role [--stage S] [--out DIR] [--check]`: the least-privilege
//! CloudFormation execution role of each stack (`infra-role` builds it).
//!
//! Writes, per stack of the app at each configured stage (or at `--stage`),
//! `<stack>-policy.json` (the policy document, `*` for region and account) and
//! `<stack>-role.json` (a template creating the role `cfn-exec-<stack>`) into
//! `stacks/cfn-role/`, and `infra-role/iam-actions.txt`, the IAM actions the
//! rules name, derived from the pinned cfn-lint wheel's `Policies.json`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use infra_model::Catalogue;
use infra_role::{IamCatalogue, RuleSet, StackNames};
use serde_json::Value;

use crate::workspace::{self, Generated};

/// The committed IAM extract, relative to the workspace root.
pub const IAM_ACTIONS: &str = "infra-role/iam-actions.txt";
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

/// `cargo xtask cfn-role`.
pub fn run(args: Args) -> Result<ExitCode> {
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
/// stage): removed, or with `check` reported as stale.
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
        if files.iter().any(|f| f.path == relative) {
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

/// The IAM extract and the role files of every stack of `stage` (of every
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
    let extract = iam_extract(root, &rules)?;
    let iam = IamCatalogue::parse(&extract)?;
    let mut files = vec![Generated {
        path: IAM_ACTIONS.into(),
        contents: extract,
    }];
    for stage in &stages {
        files.extend(stage_roles(root, &catalogue, stage, &rules, &iam, out)?);
    }
    Ok(files)
}

/// `iam-actions.txt` from the pinned wheel's IAM catalogue (downloaded into
/// `.cache/` by the same code as `cargo xtask codegen`).
fn iam_extract(root: &Path, rules: &RuleSet) -> Result<String> {
    let pin = crate::codegen::schemas::read_pin(root)?;
    let schemas = crate::codegen::schemas::fetch(root, &pin)?;
    let path = schemas.join("../AdditionalSpecs/Policies.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let policies: Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    Ok(IamCatalogue::derive(&policies, rules.actions())?)
}

/// The policy and role files of every stack of `stage`.
fn stage_roles(
    root: &Path,
    catalogue: &Catalogue,
    stage: &str,
    rules: &RuleSet,
    iam: &IamCatalogue,
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
        let role = infra_role::generate(rules, iam, &names, &stack, &template)?;
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
    /// The committed roles and IAM extract are what the templates and rules give
    /// now (needs the pinned wheel in `.cache/`, as codegen's freshness test).
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

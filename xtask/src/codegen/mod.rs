//! `cargo xtask codegen [--check]`: regenerates `infra-model/src/aws/` from the
//! CloudFormation registry schemas in the pinned cfn-lint wheel.
//!
//! The wheel is downloaded with a hash check into `.cache/` (git-ignored);
//! only the generated Rust, the feature list and `schemas.lock` are committed.

mod emit;
mod lock;
mod model;
mod registry;
pub(crate) mod schemas;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::workspace::{self, Generated};

#[derive(clap::Args)]
pub struct Args {
    /// Regenerate in memory and fail, naming the stale files, when the committed code differs.
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root()?;
    let stale = lock::apply(&root, &outputs(&root)?, args.check)?;
    report(&stale, args.check)
}

/// Every file codegen writes: the typed model, the registry data, and last
/// the lock that records them all.
fn outputs(root: &Path) -> anyhow::Result<Vec<lock::Output>> {
    let mut outputs: Vec<lock::Output> = generate(root)?.into_iter().map(Into::into).collect();
    outputs.extend(registry::generate(root)?);
    outputs.push(lock::render(&schemas::read_pin(root)?, &outputs));
    Ok(outputs)
}

fn report(stale: &[PathBuf], check: bool) -> anyhow::Result<ExitCode> {
    for path in stale {
        let verb = if check { "stale" } else { "wrote" };
        eprintln!("{verb}: {}", path.display());
    }
    if check && !stale.is_empty() {
        eprintln!(
            "generated resource types are stale: run `cargo xtask codegen` and commit the result"
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Every file codegen owns, with the contents it should have.
pub fn generate(root: &Path) -> anyhow::Result<Vec<Generated>> {
    let config = schemas::read_config(root)?;
    let pin = schemas::read_pin(root)?;
    let dir = schemas::fetch(root, &pin)?;
    let (schema_date, loaded) = schemas::load(&dir, &config)?;
    let types: Vec<model::ResourceType> = config
        .iter()
        .zip(&loaded)
        .map(|(c, s)| model::build(c, s))
        .collect();
    let mut services: BTreeMap<String, Vec<&model::ResourceType>> = BTreeMap::new();
    for t in &types {
        services.entry(t.service.clone()).or_default().push(t);
    }
    let aws = Path::new("infra-model/src/aws");
    let mut files = Vec::new();
    for (service, members) in &services {
        files.push(rust_file(
            aws.join(format!("{service}.rs")),
            &emit::service_module(members),
        )?);
    }
    files.push(rust_file(aws.join("meta.rs"), &emit::meta_module(&types))?);
    files.push(rust_file(aws.join("mod.rs"), &emit::mod_file(&services))?);
    let cargo_toml = std::fs::read_to_string(root.join("infra-model/Cargo.toml"))
        .context("reading infra-model/Cargo.toml")?;
    files.push(Generated {
        path: "infra-model/Cargo.toml".into(),
        contents: emit::features(&cargo_toml, &services),
    });
    files.push(Generated {
        path: schemas::LOCK.into(),
        contents: schemas::render_lock(&pin, &schema_date, &loaded),
    });
    Ok(files)
}

fn rust_file(path: PathBuf, source: &str) -> anyhow::Result<Generated> {
    let contents =
        workspace::rustfmt(source).with_context(|| format!("formatting {}", path.display()))?;
    Ok(Generated { path, contents })
}

#[cfg(test)]
mod tests {
    /// The committed generated files are what the pinned schemas give now.
    /// With the wheel in `.cache/` everything is regenerated and compared;
    /// without it (a fresh clone, no network) the files are checked against
    /// `xtask/codegen.lock`, which a regeneration also rewrites.
    #[test]
    fn generated_code_is_fresh() {
        let root = crate::workspace::root().expect("workspace root");
        if super::lock::offline::wheel_cached(&root) {
            let outputs = super::outputs(&root).expect("codegen runs");
            let stale = super::lock::apply(&root, &outputs, true).expect("comparing files");
            assert!(
                stale.is_empty(),
                "stale generated files: {stale:?}; run `cargo xtask codegen`"
            );
        }
        let problems = super::lock::offline::check_offline(&root).expect("reading the lock");
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

//! `cargo xtask codegen [--check]`: regenerates `infra-model/src/aws/` from the
//! CloudFormation registry schemas in the pinned cfn-lint wheel: every type of
//! the registry, one module and one cargo feature per service; and the IAM
//! action constants of `infra-iam` from the same wheel's `Policies.json`.
//!
//! The wheel is downloaded with a hash check into `.cache/` (git-ignored);
//! only the generated Rust, the feature list and `schemas.lock` are committed.
//! Every failure is collected and reported at the end, not only the first.

mod emit;
mod iam;
mod lock;
mod registry;
pub(crate) mod schemas;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, ensure};
use proc_macro2::TokenStream;

use infra_codegen::{model, share};

use crate::workspace::{self, Generated};

/// The generated module of infra-model: `mod.rs` and `meta.rs`.
const AWS: &str = "infra-model/src/aws";
/// The folder of the generated crates, one per service: everything in it is generated.
const CRATES: &str = "infra-aws";

#[derive(clap::Args)]
pub struct Args {
    /// Regenerate in memory and fail, naming the stale files, when the committed code differs.
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root()?;
    let outputs = outputs(&root)?;
    let mut stale = lock::apply(&root, &outputs, args.check)?;
    stale.extend(leftovers(&root, &outputs, args.check)?);
    report(&stale, args.check)
}

/// Every file codegen writes: the typed model, the registry data, and last
/// the lock that records them all.
fn outputs(root: &Path) -> anyhow::Result<Vec<lock::Output>> {
    let mut outputs: Vec<lock::Output> = generate(root)?.into_iter().map(Into::into).collect();
    outputs.extend(registry::generate(root)?);
    outputs.push(iam::generate(root)?.into());
    outputs.push(lock::render(&schemas::read_pin(root)?, &outputs));
    Ok(outputs)
}

fn report(stale: &[PathBuf], check: bool) -> anyhow::Result<ExitCode> {
    for path in stale {
        let verb = if check { "stale" } else { "updated" };
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

/// Files in the generated folders that codegen no longer writes (a service
/// the registry dropped): stale with `check`, else removed.
fn leftovers(root: &Path, files: &[lock::Output], check: bool) -> anyhow::Result<Vec<PathBuf>> {
    let wanted: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let mut found = files_below(root, Path::new(CRATES))?;
    found.extend(files_below(root, Path::new(AWS))?);
    let mut out = Vec::new();
    for rel in found.into_iter().filter(|p| !wanted.contains(p.as_path())) {
        if !check {
            let path = root.join(&rel);
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
        }
        out.push(rel);
    }
    Ok(out)
}

/// Every file below `dir` (relative to `root`), as paths relative to `root`.
fn files_below(root: &Path, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return Ok(vec![]);
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        let rel = dir.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            out.extend(files_below(root, &rel)?);
        } else {
            out.push(rel);
        }
    }
    out.sort();
    Ok(out)
}

/// Every file codegen owns, with the contents it should have.
pub fn generate(root: &Path) -> anyhow::Result<Vec<Generated>> {
    let pin = schemas::read_pin(root)?;
    let dir = schemas::fetch(root, &pin)?;
    let (schema_date, loaded) = schemas::load(&dir)?;
    // GetAtt attributes and data holding: infra-registry's rules, on this run's wheel.
    let rules = registry::getatt_rules_of(root)?;
    let mut types: Vec<model::ResourceType> = loaded
        .iter()
        .map(|s| {
            let meta = infra_registry::from_registry_schema(&s.json, &rules);
            model::build(&s.type_name, &s.json, &meta)
        })
        .collect();
    let unapplied = model::unapplied(&types);
    ensure!(unapplied.is_empty(), "{}", unapplied.join("\n"));
    let mut files = service_files(&mut types)?;
    let cargo_toml = std::fs::read_to_string(root.join("infra-model/Cargo.toml"))
        .context("reading infra-model/Cargo.toml")?;
    for marker in [
        "# BEGIN GENERATED DEPENDENCIES",
        "# BEGIN GENERATED FEATURES",
    ] {
        ensure!(
            cargo_toml.contains(marker),
            "infra-model/Cargo.toml has no `{marker}` line"
        );
    }
    let services: BTreeSet<String> = types.iter().map(|t| t.service.clone()).collect();
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

/// One crate per service and `aws/mod.rs`, formatted on every core.
fn service_files(types: &mut [model::ResourceType]) -> anyhow::Result<Vec<Generated>> {
    types.sort_by(|a, b| (&a.service, &a.type_name).cmp(&(&b.service, &b.type_name)));
    let mut shared: BTreeMap<String, Vec<model::Item>> = BTreeMap::new();
    for chunk in types.chunk_by_mut(|a, b| a.service == b.service) {
        shared.insert(chunk[0].service.clone(), share::share(chunk));
    }
    let mut by_service: BTreeMap<&str, Vec<&model::ResourceType>> = BTreeMap::new();
    for t in types.iter() {
        by_service.entry(&t.service).or_default().push(t);
    }
    let mut names = emit::Names::default();
    let mut manifests = Vec::new();
    let mut sources: Vec<(PathBuf, TokenStream)> = Vec::new();
    for (service, members) in &by_service {
        let dir = Path::new(CRATES).join(service);
        let segment = members[0]
            .type_name
            .rsplit_once("::")
            .map_or("", |(p, _)| p);
        manifests.push(Generated {
            path: dir.join("Cargo.toml"),
            contents: emit::crate_manifest(service, segment),
        });
        let module = emit::service_module(&mut names, service, members, &shared[*service]);
        sources.push((dir.join("src/generated.rs"), module));
        sources.push((dir.join("src/lib.rs"), emit::crate_root(segment)));
    }
    let services = by_service.keys().map(|s| (*s).to_owned()).collect();
    sources.push((
        Path::new(AWS).join("mod.rs"),
        emit::mod_file(&services, &mut names),
    ));
    let (mut files, mut errors) = format_all(sources);
    errors.extend(names.errors);
    ensure!(
        errors.is_empty(),
        "codegen failed in {} places:\n{}",
        errors.len(),
        errors.join("\n")
    );
    files.extend(manifests);
    Ok(files)
}

/// Formats every source with prettyplease on all cores; the failures, all of them.
fn format_all(sources: Vec<(PathBuf, TokenStream)>) -> (Vec<Generated>, Vec<String>) {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = sources.len().div_ceil(threads).max(1);
    let sources: Vec<(PathBuf, String)> = sources
        .into_iter()
        .map(|(p, t)| (p, t.to_string()))
        .collect();
    let results: Vec<Result<Generated, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = sources
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(format_one).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    (files, errors)
}

fn format_one((path, source): &(PathBuf, String)) -> Result<Generated, String> {
    let file = syn::parse_file(source)
        .map_err(|e| format!("{}: generated code does not parse: {e}", path.display()))?;
    Ok(Generated {
        path: path.clone(),
        contents: prettyplease::unparse(&file),
    })
}

#[cfg(test)]
mod freshness {
    /// The committed generated files are what the pinned schemas give now.
    /// With the wheel in `.cache/` everything is regenerated and compared;
    /// without it (a fresh clone, no network) the files are checked against
    /// `xtask/codegen.lock`, which a regeneration also rewrites.
    #[test]
    fn generated_code_is_fresh() {
        let root = crate::workspace::root().expect("workspace root");
        if super::lock::offline::wheel_cached(&root) {
            let outputs = super::outputs(&root).expect("codegen runs");
            let mut stale = super::lock::apply(&root, &outputs, true).expect("comparing files");
            stale.extend(super::leftovers(&root, &outputs, true).expect("listing files"));
            assert!(
                stale.is_empty(),
                "stale generated files: {stale:?}; run `cargo xtask codegen`"
            );
        }
        let problems = super::lock::offline::check_offline(&root).expect("reading the lock");
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

//! `cargo xtask synth [--stage S]... [--check]`: runs the stacks' synth binary
//! and writes what `infra-synth` makes of it: one template per stack of the
//! requested stages into `stacks/templates/`, and the whole app's `outputs`
//! crate, catalogue and README table (never narrowed to the requested stages), and a Mermaid
//! diagram per stack (`docs/stacks/`, and the README's between its markers).
//! `--check` writes nothing and fails when any of them is stale (for CI).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::diagrams;
use crate::manifest::{self, Manifest};
use crate::workspace::{self, Generated};

pub use infra_synth::TEMPLATES;
const SERVERLESS: &str = "stacks/templates/serverless";

#[derive(clap::Args)]
pub struct Args {
    /// Only this stage (repeatable); all configured stages when absent.
    #[arg(long)]
    stage: Vec<String>,
    /// Write nothing; exit 1 naming each stale file.
    #[arg(long)]
    check: bool,
    /// Also write a Serverless Framework manifest per stack into
    /// `stacks/templates/serverless/` (always done once that folder exists).
    #[arg(long)]
    serverless: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root()?;
    let manifest = manifest::synthesize(&root, &args.stage)?;
    let templates = parse(&manifest)?;
    if !valid(&templates) {
        return Ok(ExitCode::FAILURE);
    }
    let mut files = files(&root, &manifest, args.stage.is_empty())?;
    // Once the manifests are committed, every synth keeps them fresh.
    if args.serverless || root.join(SERVERLESS).is_dir() {
        files.extend(serverless_manifests(&manifest, &templates));
    }
    let mut stale = workspace::apply(&root, &files, args.check)?;
    if args.stage.is_empty() {
        stale.extend(leftovers(&root, &files, args.check)?);
        stale.extend(diagrams::leftovers(&root, &files, args.check)?);
    }
    Ok(report(&manifest, &stale, args.check))
}

/// Each stack's template parsed, by stack name, in manifest order.
fn parse(manifest: &Manifest) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    manifest
        .stacks
        .iter()
        .map(|s| Ok((s.stack_name.clone(), serde_json::from_str(&s.template)?)))
        .collect::<anyhow::Result<Vec<_>>>()
        .context("parsing a synthesized template")
}

/// Validates every synthesized stack (all problems at once, on stderr) before
/// anything is written: an invalid stack leaves no template behind.
fn valid(templates: &[(String, serde_json::Value)]) -> bool {
    let problems = infra_check::validate_app(templates);
    for problem in &problems {
        eprintln!("{problem}");
    }
    if !problems.is_empty() {
        eprintln!("error: {} problem(s); no file was written", problems.len());
    }
    problems.is_empty()
}

/// Every file synth owns, with the contents it should have; `all_stages` when
/// no `--stage` narrowed the manifest.
pub fn files(root: &Path, manifest: &Manifest, all_stages: bool) -> anyhow::Result<Vec<Generated>> {
    let readme = root.join(infra_synth::README);
    let readme = std::fs::read_to_string(&readme)
        .with_context(|| format!("reading {}", readme.display()))?;
    let mut files = infra_synth::files(manifest, &readme)?
        .into_iter()
        .map(|f| {
            let contents = if f.rust {
                workspace::rustfmt(&f.contents)
                    .with_context(|| format!("formatting {}", f.path.display()))?
            } else {
                f.contents
            };
            Ok(Generated {
                path: f.path,
                contents,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    with_diagrams(&mut files, &readme, manifest, all_stages)?;
    Ok(files)
}

/// Adds the diagram pages, and the README's diagram on top of the README that
/// infra-synth wrote (its outputs table), or of the current one.
fn with_diagrams(
    files: &mut Vec<Generated>,
    readme: &str,
    manifest: &Manifest,
    all_stages: bool,
) -> anyhow::Result<()> {
    let is_readme = |f: &Generated| f.path == Path::new(infra_synth::README);
    let base = files
        .iter()
        .find(|f| is_readme(f))
        .map(|f| f.contents.clone());
    let base = base.as_deref().unwrap_or(readme);
    if let Some(contents) = diagrams::readme(base, manifest, all_stages)? {
        files.retain(|f| !is_readme(f));
        files.push(Generated {
            path: infra_synth::README.into(),
            contents,
        });
    }
    files.extend(diagrams::pages(manifest)?);
    Ok(())
}

/// `stacks/templates/serverless/{stack}.yml` for every stack, so a team can
/// keep deploying with `serverless deploy` during the move.
fn serverless_manifests(
    manifest: &Manifest,
    templates: &[(String, serde_json::Value)],
) -> Vec<Generated> {
    manifest
        .stacks
        .iter()
        .zip(templates)
        .map(|(s, (_, template))| Generated {
            path: Path::new(SERVERLESS).join(format!("{}.yml", s.stack_name)),
            contents: infra_serverless::manifest(&s.app, &s.service, &s.stage, template, None),
        })
        .collect()
}

/// Templates on disk that no stack produces any more (a removed stack or
/// stage): removed, or with `check` reported as stale.
fn leftovers(root: &Path, files: &[Generated], check: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let Ok(dir) = std::fs::read_dir(root.join(TEMPLATES)) else {
        return Ok(found);
    };
    for entry in dir {
        let path = Path::new(TEMPLATES).join(entry?.file_name());
        let is_template = path.extension().is_some_and(|e| e == "json");
        if is_template && !files.iter().any(|f| f.path == path) {
            if !check {
                std::fs::remove_file(root.join(&path))
                    .with_context(|| format!("removing {}", path.display()))?;
            }
            found.push(path);
        }
    }
    Ok(found)
}

fn report(manifest: &Manifest, stale: &[PathBuf], check: bool) -> ExitCode {
    let verb = if check { "stale" } else { "updated" };
    for path in stale {
        eprintln!("{verb}: {}", path.display());
    }
    if check && !stale.is_empty() {
        eprintln!(
            "error: {} generated file(s) differ from the stacks: run `cargo xtask synth` and commit the result",
            stale.len()
        );
        return ExitCode::FAILURE;
    }
    let stacks: Vec<&str> = manifest
        .stacks
        .iter()
        .map(|s| s.stack_name.as_str())
        .collect();
    eprintln!(
        "synthesized {} ({} file(s) {verb})",
        stacks.join(", "),
        stale.len()
    );
    ExitCode::SUCCESS
}

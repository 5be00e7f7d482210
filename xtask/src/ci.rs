//! `cargo xtask ci`: everything CI runs, in order, cheapest first. Installs
//! the pinned Python tools (cfn-lint, moto) into `.venv/` on the way, so it
//! works on a fresh machine; the end-to-end tests start and stop their own
//! moto server on 127.0.0.1.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, ensure};

use crate::{cfn_lint, synth, venv, workspace};

#[derive(clap::Args)]
pub struct Args {
    /// Skip `cargo fmt --check` and clippy (for a quick local run).
    #[arg(long)]
    no_lint: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root()?;
    let bin = step("python tools", || venv::ensure(&root))?;
    if !args.no_lint {
        step("format", || {
            cargo(&root, &["fmt", "--all", "--", "--check"])
        })?;
    }
    step("codegen is fresh", || xtask(&root, &["codegen", "--check"]))?;
    step("templates are fresh", || {
        xtask(&root, &["synth", "--check", "--serverless"])
    })?;
    step("validate", || xtask(&root, &["validate"]))?;
    step("cfn-lint", || lint_templates(&root, &bin))?;
    step("refs check", || {
        xtask(&root, &["refs", "check", "consumers"])
    })?;
    if !args.no_lint {
        step("clippy", || {
            cargo(
                &root,
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            )
        })?;
    }
    // `--include-ignored` runs the end-to-end tests that need the venv's moto.
    step("tests", || {
        cargo(&root, &["test", "--workspace", "--", "--include-ignored"])
    })?;
    eprintln!("ci: all steps passed");
    Ok(ExitCode::SUCCESS)
}

/// Runs one named step, printing a header so CI logs show where a failure is.
fn step<T>(name: &str, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    eprintln!("\n==> {name}");
    f().with_context(|| format!("ci step `{name}` failed"))
}

fn lint_templates(root: &Path, bin: &Path) -> anyhow::Result<()> {
    let mut templates: Vec<_> = std::fs::read_dir(root.join(synth::TEMPLATES))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    templates.sort();
    cfn_lint::run_cfn_lint(&bin.join("cfn-lint"), &templates)
}

fn cargo(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    status(
        Command::new(workspace::cargo())
            .current_dir(root)
            .args(args),
    )
}

/// Another xtask subcommand, through the same binary.
fn xtask(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    status(
        Command::new(std::env::current_exe()?)
            .current_dir(root)
            .args(args),
    )
}

fn status(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    ensure!(status.success(), "{cmd:?} exited with {status}");
    Ok(())
}

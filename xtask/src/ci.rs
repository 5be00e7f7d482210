//! `cargo xtask ci`: everything CI runs, in order, cheapest first. Installs
//! the pinned Python tools (cfn-lint, moto) into `.venv/` on the way, so it
//! works on a fresh machine; the end-to-end tests start and stop their own
//! moto server on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, ensure};

use crate::{cfn_lint, cfn_role, synth, venv, workspace};

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
    // Stacks compile only the services they use: this is where every other
    // generated service crate is compiled, once.
    step("every service compiles", || {
        cargo(&root, &["check", "-p", "infra-model", "--features", "full"])
    })?;
    step("templates are fresh", || {
        xtask(&root, &["synth", "--check", "--serverless"])
    })?;
    step("validate", || xtask(&root, &["validate"]))?;
    step("execution role is fresh", || {
        xtask(&root, &["cfn-role", "--check"])
    })?;
    step("cfn-lint", || lint_templates(&root, &bin))?;
    step("cfn-lint execution role", || {
        cfn_lint::run_cfn_lint(&bin.join("cfn-lint"), &cfn_role::lint_inputs(&root)?)
    })?;
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
    let tally = step("tests", || tests(&root))?;
    eprintln!("ci: all steps passed");
    // One closing line for the whole run: cargo's own end with a crate's doc tests.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(ExitCode::SUCCESS)
}

/// Test counts summed over every `test result:` line cargo prints.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let count = count.parse::<u64>().unwrap_or(0);
            match label {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                _ => {}
            }
        }
    }
}

/// `cargo test --workspace -- --include-ignored`, echoing its output and counting.
fn tests(root: &Path) -> anyhow::Result<Tally> {
    let mut child = Command::new(workspace::cargo())
        .current_dir(root)
        .args(["test", "--workspace", "--", "--include-ignored"])
        .stdout(Stdio::piped())
        .spawn()
        .context("starting cargo test")?;
    let mut tally = Tally::default();
    for line in BufReader::new(child.stdout.take().context("cargo test stdout")?).lines() {
        let line = line?;
        println!("{line}");
        tally.add_line(&line);
    }
    let status = child.wait()?;
    ensure!(status.success(), "cargo test exited with {status}");
    Ok(tally)
}

/// Runs one named step, printing a header so CI logs show where a failure is.
fn step<T>(name: &str, f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    eprintln!("\n==> {name}");
    f().with_context(|| format!("ci step `{name}` failed"))
}

/// The app's templates and the test stacks' (`tests/templates/`).
fn lint_templates(root: &Path, bin: &Path) -> anyhow::Result<()> {
    let mut templates = workspace::json_files(&root.join(synth::TEMPLATES))?;
    templates.extend(workspace::json_files(&root.join(TEST_TEMPLATES))?);
    cfn_lint::run_cfn_lint(&bin.join("cfn-lint"), &templates)
}

/// Templates of the test stacks under `tests/`, committed and freshness-tested there.
const TEST_TEMPLATES: &str = "tests/templates";

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

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn sums_the_result_lines_of_cargo_test() {
        let mut tally = Tally::default();
        for line in [
            "test result: ok. 44 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.14s",
            "running 3 tests",
            "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
        ] {
            tally.add_line(line);
        }
        assert_eq!(
            tally,
            Tally {
                passed: 46,
                failed: 1
            }
        );
    }
}

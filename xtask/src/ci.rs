//! `cargo xtask ci`: everything CI runs, cheapest first. Installs the pinned Python tools
//! (cfn-lint, moto) into `.venv/`, and the pinned Serverless Framework and Mermaid library
//! into `tools/{serverless,mermaid}/node_modules` on the way, so it works on a fresh
//! machine; the end-to-end tests start and stop their own moto server on 127.0.0.1.
//!
//! Every step runs even when an earlier one failed, so one run shows every problem. The
//! last line of stdout is the tally, alone: `N passed, M failed`, where each test counts
//! once and each other step (format, freshness, validate, cfn-lint, ...) once. The exit
//! status is non-zero when any step failed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, ensure};

use crate::{cfn_lint, cfn_role, npm, synth, venv, workspace};

#[derive(clap::Args)]
pub struct Args {
    /// Skip `cargo fmt --check` and clippy (for a quick local run).
    #[arg(long)]
    no_lint: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root()?;
    let mut run = Run::default();
    let bin = run.step("python tools", || venv::ensure(&root));
    run.step("node tools (Serverless Framework v3)", || {
        npm::ensure(&root, npm::SERVERLESS)
    });
    // The diagram tests (`infra-check/tests/diagram.rs`) parse with this library.
    run.step("node tools (Mermaid)", || npm::ensure(&root, npm::MERMAID));
    if !args.no_lint {
        run.step("format", || {
            cargo(&root, &["fmt", "--all", "--", "--check"])
        });
    }
    run.step("codegen is fresh", || xtask(&root, &["codegen", "--check"]));
    // Stacks compile only the services they use: this is where every other
    // generated service crate is compiled, once.
    run.step("every service compiles", || {
        cargo(&root, &["check", "-p", "infra-model", "--features", "full"])
    });
    run.step("templates are fresh", || {
        xtask(&root, &["synth", "--check", "--serverless"])
    });
    run.step("validate", || xtask(&root, &["validate"]));
    run.step("validate test templates", || {
        xtask(&root, &["validate", "tests/templates"])
    });
    run.step("execution role is fresh", || {
        xtask(&root, &["cfn-role", "--check"])
    });
    run.step("cfn-lint", || match &bin {
        Some(bin) => lint_templates(&root, bin),
        None => anyhow::bail!("no cfn-lint: the python tools step failed"),
    });
    run.step("validate's corpus snapshot is cfn-lint's", || match &bin {
        Some(bin) => status(
            Command::new("sh")
                .arg(root.join("infra-check/tests/corpus/snapshot.sh"))
                .arg("--check")
                .env("CFN_LINT", bin.join("cfn-lint")),
        ),
        None => anyhow::bail!("no cfn-lint: the python tools step failed"),
    });
    run.step("cfn-lint execution role", || match &bin {
        Some(bin) => cfn_lint::run_cfn_lint(&bin.join("cfn-lint"), &cfn_role::lint_inputs(&root)?),
        None => anyhow::bail!("no cfn-lint: the python tools step failed"),
    });
    run.step("refs check", || {
        xtask(&root, &["refs", "check", "consumers"])
    });
    if !args.no_lint {
        let clippy = [
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ];
        run.step("clippy", || cargo(&root, &clippy));
    }
    // `--include-ignored` runs the tests that need the venv's moto and the Framework.
    eprintln!("\n==> tests");
    let tests = tests(&root);
    Ok(run.finish(tests))
}

/// The outcome of every step so far.
#[derive(Default)]
struct Run {
    passed: Vec<String>,
    failed: Vec<String>,
}

impl Run {
    /// Runs one named step under a header, so CI logs show where a failure is; a failure
    /// is printed and recorded, and the run goes on.
    fn step<T>(&mut self, name: &str, f: impl FnOnce() -> anyhow::Result<T>) -> Option<T> {
        eprintln!("\n==> {name}");
        match f() {
            Ok(value) => {
                self.passed.push(name.to_owned());
                Some(value)
            }
            Err(err) => {
                eprintln!("error: ci step `{name}` failed: {err:#}");
                self.failed.push(name.to_owned());
                None
            }
        }
    }

    /// Prints which steps failed and the tally (the last line); the exit status.
    fn finish(self, tests: TestRun) -> ExitCode {
        let (tally, failed) = self.tally(tests);
        if failed.is_empty() {
            eprintln!("\nci: every step passed");
        } else {
            eprintln!("\nci: failed steps: {}", failed.join(", "));
        }
        println!("{} passed, {} failed", tally.passed, tally.failed);
        if failed.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }

    /// Every step counts once, every test once; the names of the failed steps.
    fn tally(self, tests: TestRun) -> (Tally, Vec<String>) {
        let mut tally = Tally {
            passed: self.passed.len() as u64,
            failed: self.failed.len() as u64,
        };
        let mut failed = self.failed;
        match tests {
            Ok(counted) => tally.add(&counted),
            Err((counted, err)) => {
                eprintln!("error: ci step `tests` failed: {err:#}");
                tally.add(&counted);
                // A build that fails before any test ran still counts as a failure.
                tally.failed += u64::from(counted.failed == 0);
                failed.push("tests".to_owned());
            }
        }
        (tally, failed)
    }
}

/// The tests' counts, and on a failure the error too.
type TestRun = Result<Tally, (Tally, anyhow::Error)>;

/// Test counts summed over every `test result:` line cargo prints.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }

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

/// `cargo test --workspace --no-fail-fast -- --include-ignored` (every test binary runs, so
/// one run shows every failure), echoing its output and counting; on a
/// failure, the counts so far with the error.
fn tests(root: &Path) -> TestRun {
    let mut tally = Tally::default();
    match run_tests(root, &mut tally) {
        Ok(()) => Ok(tally),
        Err(err) => Err((tally, err)),
    }
}

fn run_tests(root: &Path, tally: &mut Tally) -> anyhow::Result<()> {
    let mut child = Command::new(workspace::cargo())
        .current_dir(root)
        .args([
            "test",
            "--workspace",
            "--no-fail-fast",
            "--",
            "--include-ignored",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .context("starting cargo test")?;
    for line in BufReader::new(child.stdout.take().context("cargo test stdout")?).lines() {
        let line = line?;
        println!("{line}");
        tally.add_line(&line);
    }
    let status = child.wait()?;
    ensure!(status.success(), "cargo test exited with {status}");
    Ok(())
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
    use super::{Run, Tally};

    fn run(passed: &[&str], failed: &[&str]) -> Run {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect();
        Run {
            passed: names(passed),
            failed: names(failed),
        }
    }

    #[test]
    fn every_step_and_every_test_counts() {
        let tests = Tally {
            passed: 40,
            failed: 0,
        };
        let (tally, failed) = run(&["format", "validate"], &[]).tally(Ok(tests));
        assert_eq!((tally.passed, tally.failed), (42, 0));
        assert!(failed.is_empty());
        let tests = Tally {
            passed: 40,
            failed: 0,
        };
        let (tally, failed) = run(&["format"], &["cfn-lint"]).tally(Ok(tests));
        assert_eq!((tally.passed, tally.failed), (41, 1));
        assert_eq!(failed, ["cfn-lint"]);
    }

    #[test]
    fn failed_tests_count_and_a_broken_build_counts_once() {
        let counted = Tally {
            passed: 3,
            failed: 2,
        };
        let err = anyhow::anyhow!("cargo test exited with 101");
        let (tally, failed) = run(&["format"], &[]).tally(Err((counted, err)));
        assert_eq!((tally.passed, tally.failed), (4, 2));
        assert_eq!(failed, ["tests"]);
        let err = anyhow::anyhow!("cargo test exited with 101");
        let (tally, _) = run(&[], &[]).tally(Err((Tally::default(), err)));
        assert_eq!((tally.passed, tally.failed), (0, 1));
    }

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

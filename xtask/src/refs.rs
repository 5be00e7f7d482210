//! `cargo xtask refs check PATH...`: the front door of `infra_serverless::refs`, which
//! reports every `${state:}`, `${output:}` and `${cf:}` reference that names no output of
//! our stacks, or that the manifest's `frameworkVersion` cannot resolve.
//! Exit status: 0 clean, 1 problems found, 2 usage or IO error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use infra_serverless::refs::{self, Catalogue, Format};

/// Arguments of `cargo xtask refs`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: RefsCommand,
}

#[derive(clap::Subcommand, Debug)]
enum RefsCommand {
    /// Report `${state:}`, `${output:}` and `${cf:}` references to outputs our stacks lack,
    /// or that the manifest's frameworkVersion cannot resolve.
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// The outputs catalogue [default: stacks/outputs/outputs.json in this workspace].
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Files to check, or directories to search for serverless.yml, .yaml and .json
    /// (honouring .gitignore).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum FormatArg {
    Text,
    Json,
}

/// Runs `refs check`: exit 0 when clean, 1 with problems, 2 when it cannot run.
pub fn run(args: Args) -> Result<ExitCode> {
    let RefsCommand::Check(args) = args.command;
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Json => Format::Json,
    };
    let report = catalogue_path(&args).and_then(|path| {
        let catalogue = Catalogue::load(&path)?;
        Ok(refs::check_paths(&catalogue, &args.paths)?)
    });
    match report {
        Ok(report) => {
            report
                .warnings
                .iter()
                .for_each(|w| eprintln!("warning: {w}"));
            print!("{}", report.render(format));
            eprintln!("{}", report.summary());
            Ok(ExitCode::from(u8::from(!report.findings.is_empty())))
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            Ok(ExitCode::from(2))
        }
    }
}

fn catalogue_path(args: &CheckArgs) -> Result<PathBuf> {
    match &args.catalogue {
        Some(path) => Ok(path.clone()),
        None => Ok(crate::workspace::root()?.join(crate::outputs_crate::CATALOGUE)),
    }
}

#[cfg(test)]
mod tests {
    use std::process::ExitCode;

    use clap::Parser;

    use super::*;

    const FIXTURES: &str = "../infra-serverless/tests/fixtures";

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        refs: Args,
    }

    fn exit_code(args: &[&str]) -> ExitCode {
        let args = args.iter().map(|a| a.replace("FIXTURES", FIXTURES));
        let cli = Cli::try_parse_from(std::iter::once("refs".to_owned()).chain(args));
        run(cli.expect("valid arguments").refs).expect("run reports errors as exit code 2")
    }

    #[test]
    fn exit_codes() {
        let catalogue = ["check", "--catalogue", "FIXTURES/outputs.json"];
        let clean = [&catalogue[..], &["FIXTURES/clean.yml"]].concat();
        assert_eq!(exit_code(&clean), ExitCode::SUCCESS);
        let dirty = [
            &catalogue[..],
            &["--format", "json", "FIXTURES/serverless.yml"],
        ]
        .concat();
        assert_eq!(exit_code(&dirty), ExitCode::from(1));
        let missing = [&catalogue[..], &["FIXTURES/missing.yml"]].concat();
        assert_eq!(exit_code(&missing), ExitCode::from(2));
        let no_catalogue = ["check", "--catalogue", "missing.json", "FIXTURES/clean.yml"];
        assert_eq!(exit_code(&no_catalogue), ExitCode::from(2));
        assert!(
            Cli::try_parse_from(["refs", "check"]).is_err(),
            "a PATH is required"
        );
    }
}

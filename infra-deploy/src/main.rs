//! The `infra-deploy` binary: see the library docs.

use std::process::ExitCode;

use clap::Parser;
use infra_deploy::cli::{Cli, Command};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Deploy(args) => infra_deploy::deploy::run(args).await,
        Command::Outputs(args) => infra_deploy::outputs::run(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

//! `cargo xtask`: the project's commands. Each subcommand lives in its own module;
//! this file only parses arguments and dispatches.

mod codegen;
mod manifest;
mod outputs_crate;
mod synth;
mod workspace;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Typed infrastructure for the api app")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate resource types from the pinned CloudFormation registry schemas.
    Codegen(codegen::Args),
    /// Write the CloudFormation templates and the outputs crate.
    Synth(synth::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(args),
        Command::Synth(args) => synth::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

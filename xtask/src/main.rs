//! `cargo xtask`: the project's commands. Each subcommand lives in its own module;
//! this file only parses arguments and dispatches.

mod cfn_lint;
mod cfn_role;
mod ci;
mod codegen;
mod deploy;
mod diagrams;
mod diff;
mod import;
mod manifest;
mod npm;
mod outputs_crate;
mod refs;
mod synth;
mod validate;
mod venv;
mod workspace;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Typed infrastructure for the api app"
)]
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
    /// Check every template: schema constraints, references, cycles, limits, names.
    Validate(validate::Args),
    /// What a deploy would change, with replacement and data loss marked.
    Diff(diff::Args),
    /// Synthesize a stage, then deploy each of its stacks through a change set.
    Deploy(deploy::Args),
    /// Check that the deployed stacks of a stage have every declared output.
    Outputs(deploy::OutputsArgs),
    /// Write a least-privilege CloudFormation execution role for each stack.
    CfnRole(cfn_role::Args),
    /// An existing template, serverless.yml or deployed stack into a Rust stack, round trip proven.
    Import(import::Args),
    /// Check `${state:}`, `${output:}` and `${cf:}` references to our outputs.
    Refs(refs::Args),
    /// Everything CI runs; installs the pinned Python tools it needs.
    Ci(ci::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(args),
        Command::Synth(args) => synth::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Deploy(args) => deploy::run(args),
        Command::Outputs(args) => deploy::outputs(args),
        Command::CfnRole(args) => cfn_role::run(args),
        Command::Import(args) => import::run(args),
        Command::Refs(args) => refs::run(args),
        Command::Ci(args) => ci::run(args),
    };
    // Findings come back as `Ok(1)`; an error means the command could not run.
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::from(2)
        }
    }
}

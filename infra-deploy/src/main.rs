//! The `infra-deploy` binary: see the library docs.

use std::io::Write;

use clap::Parser;
use infra_deploy::cli::{Cli, Command};
use infra_deploy::run::{self, Signals};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cli = Cli::parse();
    let code = match Signals::install() {
        Ok(mut signals) => dispatch(cli, &mut signals).await,
        Err(err) => {
            eprintln!("error: cannot catch SIGINT/SIGTERM: {err}");
            2
        }
    };
    let _ = std::io::stdout().flush();
    // Exit here: a prompt's blocking read of stdin must not keep the runtime alive.
    std::process::exit(i32::from(code));
}

async fn dispatch(cli: Cli, signals: &mut Signals) -> u8 {
    let result = match cli.command {
        Command::Deploy(args) => run::deploy(args, cli.verbose, signals).await,
        Command::Outputs(args) => tokio::select! {
            result = infra_deploy::outputs::run(&args) => result.map(|()| 0),
            _ = signals.recv() => Err(infra_deploy::Error::Interrupted),
        },
        Command::Template(args) => tokio::select! {
            result = infra_deploy::deployed::run(&args) => result.map(|body| {
                print!("{body}");
                0
            }),
            _ = signals.recv() => Err(infra_deploy::Error::Interrupted),
        },
    };
    result.unwrap_or_else(|err| {
        eprintln!("{}", run::error_text(&err, cli.verbose));
        err.exit_code()
    })
}

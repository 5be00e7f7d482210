//! `import --stack NAME`: the deployed template, through `infra-deploy
//! template` (xtask never links the AWS SDK), and the signal guard of the
//! final write.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};

use crate::workspace;

/// Flags of `import --stack`, passed on to `infra-deploy template`.
#[derive(clap::Args, Debug)]
pub struct StackArgs {
    /// A deployed stack to import instead of files (`GetTemplate`).
    #[arg(long, conflicts_with = "files")]
    pub stack: Option<String>,
    #[arg(long, requires = "stack")]
    region: Option<String>,
    #[arg(long, requires = "stack")]
    profile: Option<String>,
    #[arg(long, requires = "stack")]
    endpoint_url: Option<String>,
    /// The template as submitted (Original) or after its transforms ran (Processed).
    #[arg(long, requires = "stack", value_parser = ["Original", "Processed"])]
    template_stage: Option<String>,
}

/// The template body of the stack, as `infra-deploy template` prints it.
pub fn template(root: &Path, args: &StackArgs) -> Result<String> {
    let Some(name) = &args.stack else {
        bail!("no --stack given");
    };
    let mut cmd = Command::new(workspace::cargo());
    cmd.args([
        "run",
        "-q",
        "-p",
        "infra-deploy",
        "--",
        "template",
        "--stack-name",
        name,
    ])
    .current_dir(root);
    let opts = [
        ("--region", &args.region),
        ("--profile", &args.profile),
        ("--endpoint-url", &args.endpoint_url),
        ("--template-stage", &args.template_stage),
    ];
    for (flag, value) in opts {
        if let Some(value) = value {
            cmd.args([flag, value]);
        }
    }
    let out = cmd.output().context("running infra-deploy template")?;
    if !out.status.success() {
        bail!(
            "reading the template of stack {name}: {}",
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
    }
    String::from_utf8(out.stdout).context("the template is not UTF-8")
}

/// SIGINT and SIGTERM held off while it lives; a signal that came meanwhile
/// ends the process with 130 when it is dropped.
#[derive(Debug)]
pub struct Held(Arc<AtomicBool>);

impl Held {
    pub fn new() -> Result<Held> {
        let flag = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            signal_hook::flag::register(signal, Arc::clone(&flag)).context("holding off SIGINT")?;
        }
        Ok(Held(flag))
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.0.load(Ordering::SeqCst) {
            eprintln!("interrupted after the files were written: the import is complete");
            std::process::exit(130);
        }
    }
}

//! Runs the stacks' `synth` binary, which prints the synth [`Manifest`]
//! (types in `infra_model::app`): every stack of the requested stages, with
//! the catalogue of the whole app.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, ensure};
pub use infra_model::app::Manifest;

use crate::workspace;

/// The stacks package and its synth binary: the package whose
/// `[package.metadata.infra] synth-bin` names it.
pub fn synth_target() -> anyhow::Result<(String, String)> {
    workspace::metadata()?
        .workspace_packages()
        .into_iter()
        .find_map(|p| {
            let bin = p.metadata.get("infra")?.get("synth-bin")?.as_str()?;
            Some((p.name.to_string(), bin.to_owned()))
        })
        .context("no workspace package has [package.metadata.infra] synth-bin")
}

/// Builds and runs the synth binary for `stages` (all configured when empty).
pub fn synthesize(root: &Path, stages: &[String]) -> anyhow::Result<Manifest> {
    let text = synthesize_raw(root, stages)?;
    serde_json::from_str(&text).context("reading the synth binary's manifest")
}

/// The synth binary's manifest as it prints it (for `infra-deploy --app`).
pub fn synthesize_raw(root: &Path, stages: &[String]) -> anyhow::Result<String> {
    let (package, bin) = synth_target()?;
    let mut cmd = Command::new(workspace::cargo());
    cmd.current_dir(root)
        .args(["run", "--quiet", "--package", &package, "--bin", &bin, "--"]);
    for stage in stages {
        cmd.args(["--stage", stage]);
    }
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    ensure!(
        out.status.success(),
        "synthesizing the stacks failed:\n{}",
        String::from_utf8_lossy(&out.stderr).trim_end()
    );
    String::from_utf8(out.stdout).context("the synth binary's manifest is not UTF-8")
}

//! The project's pinned node tools, each an npm project under `tools/` with a
//! committed `package-lock.json` and a git-ignored `node_modules`: the
//! Serverless Framework v3 that the packaging tests run (`tools/serverless`)
//! and the Mermaid library that checks the stack diagrams (`tools/mermaid`).
//!
//! `npm ci` installs exactly the lock file (versions and integrity hashes), with
//! `--ignore-scripts`: nothing from the registry runs at install time (the
//! Framework's postinstall only prints and phones home). A stamp inside
//! `node_modules` holds the sha256 of the lock file that was installed: when it
//! matches, [`ensure`] returns at once.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::venv::sha256_file;

/// The Serverless Framework v3, relative to the workspace root.
pub const SERVERLESS: &str = "tools/serverless";
/// The Mermaid library and jsdom, relative to the workspace root.
pub const MERMAID: &str = "tools/mermaid";
/// Set to `1` to let CI pass on a machine without node (the node tests then skip).
pub const ALLOW_NO_NODE: &str = "INFRA_ALLOW_NO_NODE";
const STAMP: &str = "node_modules/.package-lock.sha256";

/// What [`ensure`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Tools {
    /// Installed: the folder of the tool's `node_modules`.
    Installed(PathBuf),
    /// node is absent and [`ALLOW_NO_NODE`] allows it.
    Skipped,
}

/// Installs the node tools of `folder` (one of [`SERVERLESS`], [`MERMAID`])
/// unless the installed ones match its lock file.
pub fn ensure(root: &Path, folder: &str) -> Result<Tools> {
    let dir = root.join(folder);
    let allowed = std::env::var(ALLOW_NO_NODE).ok();
    if skip_without_node(runs("node") && runs("npm"), allowed.as_deref())? {
        eprintln!(
            "skipped: node or npm is not installed ({ALLOW_NO_NODE}=1); the tests that need {folder} skip too"
        );
        return Ok(Tools::Skipped);
    }
    let digest = sha256_file(&dir.join("package-lock.json"))?;
    let stamp = dir.join(STAMP);
    let installed = std::fs::read_to_string(&stamp).ok();
    if installed.as_deref().map(str::trim) == Some(digest.as_str()) {
        return Ok(Tools::Installed(dir.join("node_modules")));
    }
    eprintln!("installing the node tools of {}", dir.display());
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .status()
        .context("running npm ci (are Node.js 20+ and npm installed?)")?;
    if !status.success() {
        bail!("npm ci in {} failed: {status}", dir.display());
    }
    std::fs::write(&stamp, format!("{digest}\n"))
        .with_context(|| format!("writing {}", stamp.display()))?;
    Ok(Tools::Installed(dir.join("node_modules")))
}

/// `false` when node is there, `true` when it is absent and `allowed` is `1`; an error
/// when it is absent and not allowed: CI does not pass without the node tests unless
/// someone said so.
fn skip_without_node(has_node: bool, allowed: Option<&str>) -> Result<bool> {
    if has_node {
        return Ok(false);
    }
    if allowed == Some("1") {
        return Ok(true);
    }
    bail!(
        "node and npm are needed for the Serverless Framework packaging and Mermaid diagram tests; install them, or set {ALLOW_NO_NODE}=1 to skip those tests"
    )
}

/// Whether `program --version` runs.
fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

#[cfg(test)]
mod tests {
    use super::skip_without_node;

    #[test]
    fn without_node_ci_fails_unless_allowed() {
        assert!(!skip_without_node(true, None).expect("node is there"));
        assert!(!skip_without_node(true, Some("1")).expect("node is there"));
        assert!(skip_without_node(false, Some("1")).expect("allowed"));
        let err = skip_without_node(false, None).expect_err("not allowed");
        assert!(err.to_string().contains("INFRA_ALLOW_NO_NODE=1"), "{err}");
        assert!(
            skip_without_node(false, Some("yes")).is_err(),
            "only 1 allows"
        );
    }
}

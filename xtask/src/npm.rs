//! The pinned Mermaid library in `tools/mermaid/node_modules` (git-ignored),
//! installed with `npm ci` from the committed `package-lock.json`. A stamp in
//! `node_modules` holds the sha256 of the lock file that was installed: when
//! it matches, [`ensure`] returns at once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::venv::sha256_file;

/// The npm project, relative to the workspace root.
pub const MERMAID: &str = "tools/mermaid";
const STAMP: &str = "node_modules/package-lock.sha256";

/// Installs `tools/mermaid` when its lock file changed since the last
/// install; returns the folder.
pub fn ensure(root: &Path) -> Result<PathBuf> {
    let dir = root.join(MERMAID);
    let digest = sha256_file(&dir.join("package-lock.json"))?;
    let stamp = dir.join(STAMP);
    if fs::read_to_string(&stamp).ok().as_deref().map(str::trim) == Some(digest.as_str()) {
        return Ok(dir);
    }
    eprintln!("installing the pinned mermaid library into {MERMAID}/node_modules");
    // `--ignore-scripts`: nothing from the registry runs at install time.
    let status = Command::new("npm")
        .current_dir(&dir)
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .status()
        .context("running npm ci (are Node.js 20+ and npm installed?)")?;
    if !status.success() {
        bail!("npm ci in {MERMAID} failed: {status}");
    }
    fs::write(&stamp, format!("{digest}\n"))
        .with_context(|| format!("writing {}", stamp.display()))?;
    Ok(dir)
}

//! Workspace paths, found through `cargo metadata` so that xtask works from any
//! directory of the repository.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use anyhow::{Context, ensure};
use sha2::{Digest, Sha256};

/// The workspace's `cargo metadata` (without dependencies), read once per
/// process: several commands need the root and the packages.
pub fn metadata() -> anyhow::Result<&'static cargo_metadata::Metadata> {
    static METADATA: OnceLock<cargo_metadata::Metadata> = OnceLock::new();
    if let Some(meta) = METADATA.get() {
        return Ok(meta);
    }
    let meta = cargo_metadata::MetadataCommand::new()
        .no_deps()
        .exec()
        .context("running cargo metadata")?;
    Ok(METADATA.get_or_init(|| meta))
}

/// The workspace root (the folder of the root `Cargo.toml`).
pub fn root() -> anyhow::Result<PathBuf> {
    Ok(metadata()?.workspace_root.clone().into_std_path_buf())
}

/// The cargo binary that runs this xtask, for subprocesses.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Writes `contents` to `path` through a temporary file and a rename, so a
/// reader never sees a half-written file.
pub fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, contents).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))
}

/// A file the generators own: its path relative to the root and its contents.
#[derive(Debug, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub contents: String,
}

/// Writes each file whose contents changed; with `check`, writes nothing and
/// returns the relative paths of the stale files instead.
pub fn apply(root: &Path, files: &[Generated], check: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        stale.push(file.path.clone());
        if !check {
            write_atomic(&path, &file.contents)?;
        }
    }
    Ok(stale)
}

/// Formats generated code with the pinned toolchain's rustfmt, so committed
/// files match what `cargo fmt` would leave.
pub fn rustfmt(source: &str) -> anyhow::Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("starting rustfmt")?;
    child
        .stdin
        .take()
        .context("rustfmt stdin")?
        .write_all(source.as_bytes())?;
    let out = child.wait_with_output()?;
    ensure!(
        out.status.success(),
        "rustfmt failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

/// The `*.json` files of `dir`, sorted by name.
pub fn json_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot list {}", dir.display()))?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    Ok(paths)
}

/// `stacks/templates/infra-dev.json` -> `infra-dev`.
pub fn stack_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every `*.json` template of `dir`, parsed, by stack name.
pub fn read_templates(dir: &Path) -> anyhow::Result<BTreeMap<String, serde_json::Value>> {
    json_files(dir)?
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not JSON", path.display()))?;
            Ok((stack_name(&path), value))
        })
        .collect()
}

/// The lowercase hex sha256 of `bytes` (lock files, install stamps).
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

//! The project's Python tools (cfn-lint, moto) in a git-ignored virtualenv, `<root>/.venv`.
//!
//! They are installed from `tools/requirements.txt`, where every distribution, transitive
//! ones included, is pinned with its sha256, so `pip` runs with `--require-hashes --no-deps`
//! and resolves nothing itself. A stamp file inside the venv holds the sha256 of the
//! requirements file that was installed: when it matches, [`ensure`] returns at once.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The requirements file, relative to the workspace root.
const REQUIREMENTS: &str = "tools/requirements.txt";
/// The stamp file, relative to the venv.
const STAMP: &str = "requirements.sha256";

/// Creates `<root>/.venv` when it is missing, installs `tools/requirements.txt` into it
/// when that file changed since the last install, and returns the venv's `bin` directory.
pub fn ensure(root: &Path) -> Result<PathBuf> {
    let venv = root.join(".venv");
    let bin = venv.join("bin");
    let requirements = root.join(REQUIREMENTS);
    let digest = sha256_file(&requirements)?;
    let stamp = venv.join(STAMP);
    if !bin.join("python").exists() {
        create(&venv)?;
    }
    if !needs_install(fs::read_to_string(&stamp).ok().as_deref(), &digest) {
        return Ok(bin);
    }
    install(&bin, &requirements)?;
    fs::write(&stamp, format!("{digest}\n"))
        .with_context(|| format!("writing {}", stamp.display()))?;
    Ok(bin)
}

/// Whether the installed requirements (the stamp's content) differ from `digest`.
fn needs_install(stamp: Option<&str>, digest: &str) -> bool {
    stamp.map(str::trim) != Some(digest)
}

/// The lowercase hex sha256 of the file at `path`.
pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(crate::workspace::sha256_hex(&bytes))
}

/// `python3 -m venv <venv>`; the interpreter can be overridden with `PYTHON`.
fn create(venv: &Path) -> Result<()> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned());
    eprintln!("creating {} with {python}", venv.display());
    let status = Command::new(&python)
        .args(["-m", "venv"])
        .arg(venv)
        .status()
        .with_context(|| format!("running {python} -m venv (is Python 3.11 installed?)"))?;
    if !status.success() {
        bail!("{python} -m venv {} failed: {status}", venv.display());
    }
    Ok(())
}

/// `pip install --require-hashes --no-deps -r <requirements>` with the venv's own pip.
fn install(bin: &Path, requirements: &Path) -> Result<()> {
    eprintln!(
        "installing the Python tools from {}",
        requirements.display()
    );
    let status = Command::new(bin.join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["--require-hashes", "--no-deps", "--only-binary=:all:", "-r"])
        .arg(requirements)
        .status()
        .context("running pip install")?;
    if !status.success() {
        bail!("pip install -r {} failed: {status}", requirements.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_only_when_the_requirements_changed() {
        assert!(needs_install(None, "abc"));
        assert!(needs_install(Some("abd\n"), "abc"));
        assert!(!needs_install(Some("abc\n"), "abc"));
    }

    #[test]
    fn hex_is_lowercase_and_padded() {
        // sha256("abc") has bytes below 0x10 (`0x01`, `0x0f`...) and above 0x9f.
        assert_eq!(
            crate::workspace::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

//! The proof runs on a staged copy of the workspace, so that nothing in
//! `stacks/` is touched before the new stack compiles and synthesizes back to
//! its input: `target/import/ws/` holds symbolic links to every entry of the
//! workspace root but `stacks/` (staged as `stacks-import/`: a copy of its
//! `src/` and `Cargo.toml` with the import's edits, the rest linked), the root
//! `Cargo.toml` (a copy naming `stacks-import`) and a copy of `Cargo.lock`.
//!
//! It shares the workspace's target directory, and because cargo identifies a
//! path crate by its path relative to the workspace root, every other crate
//! keeps its build: only the stacks crate (and the tiny outputs crate below
//! it) compile (4 s here, against minutes for a scratch crate outside the
//! workspace layout). The stacks crate's own path differs on purpose: under
//! the same relative path, cargo judged the staged crate by the real one's
//! files and called a stale build fresh. Its synth binary is built under
//! another name ([`STAGED_BIN`]) for the same reason turned around: cargo
//! copies each binary it builds to `target/debug/<name>` and does not copy a
//! fresh one again, so a staged `synth` there was what the next
//! `cargo xtask synth` of the real stacks ran (writing the templates of a
//! refused import).
//! A lock file keeps two imports from staging at once.

use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::manifest::Manifest;
use crate::workspace::{self, Generated};

/// Entries of the root that are not linked into the stage.
const NOT_LINKED: &[&str] = &["target", ".git", "stacks", "Cargo.lock", "Cargo.toml"];
/// Where the stacks crate is staged, relative to the stage's root.
const STAGED: &str = "stacks-import";
/// Entries of `stacks/` that are copied (and edited), not linked.
const COPIED: &[&str] = &["src", "Cargo.toml"];
/// The staged crate's name for the synth binary (see the module's doc).
const STAGED_BIN: &str = "import-staged-synth";

/// A staged workspace; holds the lock while it lives.
#[derive(Debug)]
pub struct Stage {
    pub dir: PathBuf,
    target: PathBuf,
    _lock: File,
}

/// How a staged synth ended when it did not give a manifest.
#[derive(Debug)]
pub enum Failed {
    /// The staged stacks crate does not compile: cargo's messages.
    Compile(String),
}

impl Stage {
    /// Stages `root` with `edits` (paths relative to the root, under `stacks/`).
    pub fn new(root: &Path, edits: &[Generated]) -> Result<Stage> {
        let target = workspace::metadata()?
            .target_directory
            .clone()
            .into_std_path_buf();
        let base = target.join("import");
        std::fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
        let lock = File::create(base.join("lock")).context("creating the import lock")?;
        if lock.try_lock().is_err() {
            eprintln!("waiting for another `cargo xtask import` in this workspace to finish");
            lock.lock().context("waiting for the import lock")?;
        }
        let dir = base.join("ws");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("removing the old stage {}", dir.display()))?;
        }
        link_entries(root, &dir, NOT_LINKED)?;
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .context("copying Cargo.lock")?;
        let manifest =
            std::fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
        let manifest = manifest.replace("\"stacks", &format!("\"{STAGED}"));
        std::fs::write(dir.join("Cargo.toml"), manifest)
            .context("writing the staged Cargo.toml")?;
        let staged = dir.join(STAGED);
        link_entries(&root.join("stacks"), &staged, COPIED)?;
        copy_dir(&root.join("stacks/src"), &staged.join("src"))?;
        std::fs::copy(root.join("stacks/Cargo.toml"), staged.join("Cargo.toml"))
            .context("copying stacks/Cargo.toml")?;
        for edit in edits {
            let relative = edit
                .path
                .strip_prefix("stacks")
                .context("an import edit outside stacks/")?;
            let path = staged.join(relative);
            std::fs::write(&path, &edit.contents)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        rename_synth_bin(&staged.join("Cargo.toml"))?;
        Ok(Stage {
            dir,
            target,
            _lock: lock,
        })
    }

    /// Builds the staged stacks crate and runs its synth binary for `stages`.
    pub fn synth(&self, stages: &[String]) -> Result<Result<Manifest, Failed>> {
        let package = crate::manifest::synth_bin()?.package;
        // Captured, so cargo cannot see the terminal itself.
        let color = if std::io::stderr().is_terminal() {
            "always"
        } else {
            "never"
        };
        let build = self
            .cargo()
            .args([
                "build",
                "--offline",
                "--color",
                color,
                "--package",
                &package,
                "--bin",
                STAGED_BIN,
            ])
            .output()
            .context("running cargo build on the staged stacks crate")?;
        if !build.status.success() {
            return Ok(Err(Failed::Compile(
                String::from_utf8_lossy(&build.stderr).into_owned(),
            )));
        }
        let mut run = Command::new(self.target.join("debug").join(STAGED_BIN));
        run.current_dir(&self.dir);
        stages.iter().for_each(|s| {
            run.args(["--stage", s]);
        });
        let out = run.output().context("running the staged synth binary")?;
        if !out.status.success() {
            bail!(
                "the staged synth binary failed:\n{}",
                String::from_utf8_lossy(&out.stderr).trim_end()
            );
        }
        Ok(Ok(
            serde_json::from_slice(&out.stdout).context("reading the staged synth manifest")?
        ))
    }

    fn cargo(&self) -> Command {
        let mut cmd = Command::new(workspace::cargo());
        cmd.current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target);
        cmd
    }
}

/// Adds [`STAGED_BIN`] to the staged `Cargo.toml`: the synth binary's source
/// under another name (cargo warns that the file is in two targets; only the
/// staged name is built).
fn rename_synth_bin(manifest: &Path) -> Result<()> {
    let bin = crate::manifest::synth_bin()?;
    let dir = workspace::root()?.join("stacks");
    let source = bin
        .source
        .strip_prefix(&dir)
        .with_context(|| format!("`{}` is outside {}", bin.source.display(), dir.display()))?;
    let source = source.display();
    let table = format!("\n[[bin]]\nname = \"{STAGED_BIN}\"\npath = \"{source}\"\n");
    let mut text = std::fs::read_to_string(manifest).context("reading the staged Cargo.toml")?;
    text.push_str(&table);
    std::fs::write(manifest, text).context("writing the staged Cargo.toml")
}

/// `to/<entry>` -> `from/<entry>` for every entry of `from` not in `except`.
fn link_entries(from: &Path, to: &Path, except: &[&str]) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let name = entry?.file_name();
        if except.iter().any(|e| name == *e) {
            continue;
        }
        symlink(&from.join(&name), &to.join(&name))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(original: &Path, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(original, link)
        .with_context(|| format!("linking {}", link.display()))
}

#[cfg(not(unix))]
fn symlink(_original: &Path, _link: &Path) -> Result<()> {
    bail!("import stages the workspace with symbolic links, which this platform does not offer")
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).with_context(|| format!("copying {}", src.display()))?;
        }
    }
    Ok(())
}

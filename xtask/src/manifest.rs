//! Builds and runs the stacks' `synth` binary, which prints the synth
//! [`Manifest`] (types in `infra_model::app`): every stack of the requested
//! stages, with the catalogue of the whole app.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, ensure};
pub use infra_model::app::Manifest;

use crate::workspace;

/// The stacks package's synth binary: the package whose
/// `[package.metadata.infra] synth-bin` names it.
#[derive(Debug)]
pub struct SynthBin {
    pub package: String,
    pub name: String,
    /// The binary's source file, absolute.
    pub source: PathBuf,
}

/// Finds the synth binary in the workspace's metadata.
pub fn synth_bin() -> anyhow::Result<SynthBin> {
    let metadata = workspace::metadata()?;
    let (package, name) = metadata
        .workspace_packages()
        .into_iter()
        .find_map(|p| {
            let bin = p.metadata.get("infra")?.get("synth-bin")?.as_str()?;
            Some((p, bin.to_owned()))
        })
        .context("no workspace package has [package.metadata.infra] synth-bin")?;
    let target = package
        .targets
        .iter()
        .find(|t| t.name == name && t.is_bin())
        .with_context(|| format!("{} has no binary `{name}`", package.name))?;
    Ok(SynthBin {
        package: package.name.to_string(),
        name,
        source: target.src_path.clone().into_std_path_buf(),
    })
}

/// Builds and runs the synth binary for `stages` (all configured when empty).
pub fn synthesize(root: &Path, stages: &[String]) -> anyhow::Result<Manifest> {
    let text = synthesize_raw(root, stages)?;
    serde_json::from_str(&text).context("reading the synth binary's manifest")
}

/// The synth binary's manifest as it prints it (for `infra-deploy --app`).
pub fn synthesize_raw(root: &Path, stages: &[String]) -> anyhow::Result<String> {
    let bin = synth_bin()?;
    let exe = build(root, &bin)?;
    let mut cmd = Command::new(&exe);
    cmd.current_dir(root);
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

/// Builds the synth binary and returns its path, making sure it was built from
/// this workspace's sources.
///
/// Why the check: cargo names a path crate's build by its name, version and
/// path relative to the workspace root, so two copies of this workspace that
/// share a target directory (worktrees with one `CARGO_TARGET_DIR`, a test's
/// copy) share the stacks crate's build, and cargo, judging it by the other
/// copy's files, calls it fresh. `cargo run` then ran the other copy's stacks,
/// and synth wrote their templates here. The binary's dependency file names
/// the sources it was built from; when they are not ours, cleaning the stacks
/// package makes cargo build it again from this workspace.
fn build(root: &Path, bin: &SynthBin) -> anyhow::Result<PathBuf> {
    let exe = workspace::metadata()?
        .target_directory
        .join("debug")
        .join(format!("{}{}", bin.name, std::env::consts::EXE_SUFFIX))
        .into_std_path_buf();
    let build = [
        "build",
        "--quiet",
        "--package",
        &bin.package,
        "--bin",
        &bin.name,
    ];
    cargo(root, &build)?;
    if let Some(other) = built_elsewhere(&exe, &bin.source) {
        eprintln!(
            "note: {} was built from another copy of this workspace ({other}); building it from {}",
            exe.display(),
            root.display()
        );
        cargo(root, &["clean", "--quiet", "--package", &bin.package])?;
        cargo(root, &build)?;
    }
    Ok(exe)
}

/// The source file of the binary's build when it is not `source` (from the
/// dependency file cargo writes next to the binary; none when it cannot tell).
fn built_elsewhere(exe: &Path, source: &Path) -> Option<String> {
    let deps = std::fs::read_to_string(exe.with_extension("d")).ok()?;
    let paths = make_words(&deps);
    if paths.iter().any(|p| Path::new(p) == source) {
        return None;
    }
    let file_name = source.file_name()?;
    let theirs = paths
        .into_iter()
        .find(|p| Path::new(p).file_name() == Some(file_name));
    Some(theirs.unwrap_or_else(|| "unknown sources".to_owned()))
}

/// The words of a Makefile rule as cargo writes them: separated by
/// whitespace, a space inside a path escaped as `\ `.
fn make_words(text: &str) -> Vec<String> {
    let (mut words, mut word) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&' ') {
            word.push(' ');
            chars.next();
        } else if c.is_whitespace() {
            words.extend((!word.is_empty()).then(|| std::mem::take(&mut word)));
        } else {
            word.push(c);
        }
    }
    words.extend((!word.is_empty()).then_some(word));
    words
}

fn cargo(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    let mut cmd = Command::new(workspace::cargo());
    cmd.current_dir(root).args(args);
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    ensure!(
        out.status.success(),
        "synthesizing the stacks failed: `cargo {}` failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim_end()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_built_from_other_sources_is_told_apart() {
        let dir = std::env::temp_dir().join(format!("xtask-synth-d-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let exe = dir.join("synth");
        let deps =
            "/t/debug/synth: /ws/a\\ b/stacks/src/bin/synth.rs /ws/a\\ b/stacks/src/lib.rs\n";
        std::fs::write(dir.join("synth.d"), deps).expect("written");
        let ours = Path::new("/ws/a b/stacks/src/bin/synth.rs");
        assert_eq!(built_elsewhere(&exe, ours), None);
        let theirs = Path::new("/other/stacks/src/bin/synth.rs");
        assert_eq!(
            built_elsewhere(&exe, theirs).as_deref(),
            Some("/ws/a b/stacks/src/bin/synth.rs")
        );
        assert_eq!(built_elsewhere(&dir.join("none"), ours), None);
        std::fs::remove_dir_all(&dir).expect("removed");
    }
}

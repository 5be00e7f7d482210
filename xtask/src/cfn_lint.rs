//! Runs cfn-lint on the synthesized templates and fails on any error or
//! warning. Rules suppressed on purpose are listed, each with its reason, in
//! the committed `cfn-lint-ignore.txt` at the workspace root
//! (`RULE_ID  reason`, one per line, `#` comments).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The committed list of suppressed rules, relative to the workspace.
pub const IGNORE_FILE: &str = "cfn-lint-ignore.txt";

/// Lints `templates` with the cfn-lint at `cfn_lint_bin`, suppressing the
/// rules of `cfn-lint-ignore.txt`; an error when cfn-lint reports a warning
/// or an error, or cannot run.
pub fn run_cfn_lint(cfn_lint_bin: &Path, templates: &[PathBuf]) -> Result<()> {
    let ignored = read_ignore_file(&crate::workspace::root()?.join(IGNORE_FILE))?;
    run_with_ignored(cfn_lint_bin, templates, &ignored)
}

/// [`run_cfn_lint`] with the suppressed rule ids given.
pub fn run_with_ignored(
    cfn_lint_bin: &Path,
    templates: &[PathBuf],
    ignored: &[String],
) -> Result<()> {
    if templates.is_empty() {
        bail!("no templates to lint: run `cargo xtask synth` first");
    }
    let mut cmd = Command::new(cfn_lint_bin);
    cmd.args(["--format", "parseable", "--non-zero-exit-code", "warning"]);
    if !ignored.is_empty() {
        cmd.arg("--ignore-checks").args(ignored);
    }
    cmd.arg("--").args(templates);
    let status = cmd
        .status()
        .with_context(|| format!("cannot run {}", cfn_lint_bin.display()))?;
    if !status.success() {
        bail!(
            "cfn-lint found errors or warnings ({status}); fix them or list the rule with a reason in {IGNORE_FILE}"
        );
    }
    Ok(())
}

/// The rule ids of an ignore file; a missing file suppresses nothing.
pub fn read_ignore_file(path: &Path) -> Result<Vec<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_ignore(&text).with_context(|| format!("in {}", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// `RULE_ID  reason` lines; blank lines and `#` comments are skipped. Every
/// suppression needs a reason.
fn parse_ignore(text: &str) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let well_formed = id.len() == 5
            && id.starts_with(['E', 'W', 'I'])
            && id[1..].bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            bail!(
                "line {}: {id:?} is not a cfn-lint rule id like W3005",
                n + 1
            );
        }
        if reason.trim().is_empty() {
            bail!("line {}: {id} needs a reason after the rule id", n + 1);
        }
        ids.push(id.to_owned());
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ignore_lines() {
        let text = "# suppressed rules\n\nW3005  the bucket must depend on the topic policy\nI3011 retain is the default\n";
        assert_eq!(parse_ignore(text).expect("parses"), ["W3005", "I3011"]);
        assert!(parse_ignore("W3005\n").is_err());
        assert!(parse_ignore("X1 reason\n").is_err());
    }
}

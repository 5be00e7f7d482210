//! `cargo xtask diff` as a process, security side: the exit codes of `--fail-on broadening`
//! and `--fail-on data-loss` against an older copy of the committed templates.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A copy of the committed templates, changed by `edit`, in a fresh folder.
fn older_templates(name: &str, edit: impl Fn(&mut Value)) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("xtask-diff-security-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let templates = root().join("stacks/templates");
    for entry in std::fs::read_dir(&templates).expect("templates") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let mut t: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            edit(&mut t);
            let out = dir.join(path.file_name().expect("name"));
            std::fs::write(out, serde_json::to_string_pretty(&t).expect("json")).expect("write");
        }
    }
    dir
}

fn xtask_diff(against: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(root())
        .arg("diff")
        .arg("--against")
        .arg(against)
        .args(args)
        .output()
        .expect("runs xtask");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn a_removed_condition_fails_broadening_but_not_data_loss() {
    // Before: the topic policy also required a source organization; the
    // committed templates dropped that condition, which grants more.
    let old = older_templates("cond", |t| {
        let condition = t
            .pointer_mut("/Resources/NewS3AudioRecordingTopicPolicy/Properties/PolicyDocument/Statement/0/Condition")
            .and_then(Value::as_object_mut)
            .expect("condition");
        condition.insert(
            "StringEquals".to_owned(),
            serde_json::json!({
                "aws:SourceAccount": { "Ref": "AWS::AccountId" },
                "aws:SourceOrgID": "o-example"
            }),
        );
    });
    let (code, stdout, stderr) = xtask_diff(&old, &["--fail-on", "broadening"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("[BROADENING]"), "{stdout}");
    assert!(
        stderr.contains("--fail-on broadening triggered"),
        "{stderr}"
    );
    let (code, _, _) = xtask_diff(&old, &["--fail-on", "data-loss"]);
    assert_eq!(code, 0);
    let (code, stdout, _) = xtask_diff(
        &old,
        &["--fail-on", "data-loss,broadening", "--format", "markdown"],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("**Infra diff: ⚠️ needs a careful review**"),
        "{stdout}"
    );
    assert!(
        stdout.contains("condition removed: StringEquals aws:SourceOrgID: o-example"),
        "{stdout}"
    );
    let (code, stdout, _) = xtask_diff(&old, &["--format", "json", "--fail-on", "broadening"]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json[0]["security"][0]["class"], "broadening", "{json:#}");
}

#[test]
fn a_narrowing_passes_and_bad_values_are_usage_errors() {
    // Before: the policy allowed every SNS action; now only sns:Publish.
    let old = older_templates("narrow", |t| {
        if let Some(action) = t.pointer_mut("/Resources/NewS3AudioRecordingTopicPolicy/Properties/PolicyDocument/Statement/0/Action") {
            *action = Value::from("sns:*");
        }
    });
    let (code, stdout, stderr) = xtask_diff(&old, &["--fail-on", "broadening"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("[narrowing]"), "{stdout}");
    let (code, _, stderr) = xtask_diff(&old, &["--fail-on", "wider"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("broadening"), "{stderr}");
}

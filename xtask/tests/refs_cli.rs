//! `cargo xtask refs check` as a user runs it on a consumer: its exit codes (0 clean,
//! 1 findings, 2 could not run) and findings at `file:line:column`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn refs_check(paths: &[&Path]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.current_dir(workspace())
        .args(["refs", "check"])
        .args(paths);
    cmd.output().expect("xtask runs")
}

/// A copy of the example consumer with its manifest edited by `edit`.
fn consumer(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-refs-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let from = workspace().join("consumers/invites-worker");
    std::fs::create_dir_all(dir.join("src")).expect("temp dir");
    for file in ["Cargo.toml", "src/main.rs"] {
        std::fs::copy(from.join(file), dir.join(file)).expect("copied");
    }
    let manifest = std::fs::read_to_string(from.join("serverless.yml")).expect("manifest");
    std::fs::write(dir.join("serverless.yml"), edit(manifest)).expect("written");
    dir
}

#[test]
fn the_example_consumer_is_clean() {
    let out = refs_check(&[Path::new("consumers")]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_variable_set_from_another_output_and_one_never_set_exit_1() {
    let dir = consumer("wrong", |m| {
        m.replace(
            "INFRA_INVITES_TABLE_ARN: ${cf:infra-${sls:stage}.invitesTableArn}",
            "INFRA_INVITES_TABLE_ARN: ${cf:infra-${sls:stage}.workspacesTableArn}",
        )
        .replace("    INFRA_NEW_INVITE_TOPIC_ARN: ", "    UNRELATED: ")
    });
    let out = refs_check(&[&dir]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let manifest = dir.join("serverless.yml");
    let main = dir.join("src/main.rs");
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with(&format!(
            "{}:18:5: INFRA_INVITES_TABLE_ARN is set from output `workspacesTableArn`",
            manifest.display()
        )),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&format!(
            "{}:23:35: NEW_INVITE_TOPIC_ARN.value_from(..) reads INFRA_NEW_INVITE_TOPIC_ARN",
            main.display()
        )),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_missing_path_exits_2() {
    let out = refs_check(&[Path::new("no/such/consumer")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/consumer"));
}

//! `cargo xtask diff` as a user runs it: exit codes, the errors for sides that
//! cannot be compared, and colour only on a terminal and never with `NO_COLOR`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A directory holding the prod template with the Invites table renamed
/// (`TableName` too): `diff --against` it reports a replacement.
fn against_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-diff-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let prod = workspace().join("stacks/templates/infra-prod.json");
    let text = std::fs::read_to_string(prod).expect("prod template");
    let old = text.replace("infra-prod-invites", "infra-prod-invitations");
    std::fs::write(dir.join("infra-prod.json"), old).expect("write");
    dir
}

fn xtask(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.current_dir(workspace()).args(args);
    for key in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        cmd.env_remove(key);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("xtask runs")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_follows_the_terminal_and_no_color() {
    let dir = against_dir("colour");
    let against = dir.to_string_lossy().into_owned();
    let args = ["diff", "--against", &against];
    let piped = xtask(&args, &[]);
    assert!(text(&piped).contains("InvitesTable"), "{}", text(&piped));
    assert!(!text(&piped).contains('\x1b'), "no colour into a pipe");
    let forced = xtask(&args, &[("CLICOLOR_FORCE", "1")]);
    assert!(text(&forced).contains('\x1b'), "CLICOLOR_FORCE colours");
    let no_color = xtask(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!text(&no_color).contains('\x1b'), "NO_COLOR wins");
    assert_eq!(text(&no_color), text(&piped));
}

/// The same under a real terminal, with util-linux `script` giving the pty.
#[test]
fn colour_on_a_real_terminal_unless_no_color() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux `script` is not installed, no pty to test with");
        return;
    }
    let dir = against_dir("pty");
    let line = format!(
        "{} diff --against {}",
        env!("CARGO_BIN_EXE_xtask"),
        dir.display()
    );
    let run = |no_color: bool| {
        let mut cmd = Command::new("script");
        cmd.current_dir(workspace())
            .args(["-qec", &line, "/dev/null"]);
        cmd.env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("TERM", "xterm");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        text(&cmd.output().expect("script runs"))
    };
    assert!(run(false).contains("\x1b[1m"), "a terminal gets colour");
    let plain = run(true);
    assert!(
        plain.contains("InvitesTable") && !plain.contains('\x1b'),
        "{plain:?}"
    );
}

#[test]
fn fail_on_replace_exits_1_and_bad_sides_exit_2() {
    let dir = against_dir("exit");
    let against = dir.to_string_lossy().into_owned();
    let replace = xtask(
        &["diff", "--against", &against, "--fail-on", "replace"],
        &[],
    );
    assert_eq!(replace.status.code(), Some(1), "{}", text(&replace));
    let empty = std::env::temp_dir().join(format!("xtask-diff-cli-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    let root = Command::new("git")
        .current_dir(workspace())
        .args(["rev-list", "--max-parents=0", "HEAD"])
        .output()
        .expect("git runs");
    // The first commit of the repository predates stacks/templates.
    let first = text(&root).lines().next().unwrap_or_default().to_owned();
    let cases = [
        (empty.to_string_lossy().into_owned(), "holds no template"),
        (first.clone(), "has no stacks/templates folder"),
        (
            "no-such-ref-or-dir".to_owned(),
            "no such directory or git ref: no-such-ref-or-dir",
        ),
    ];
    for (against, message) in cases {
        let out = xtask(
            &["diff", "--against", &against, "--fail-on", "data-loss"],
            &[],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{against}: {stderr}");
        assert!(stderr.contains(message), "{against}: {stderr}");
    }
}

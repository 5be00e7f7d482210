//! `cargo xtask import` as a user runs it, on a copy of the workspace (its
//! `stacks/` copied, everything else linked, the target directory shared so
//! only the stacks crate compiles): the seed's own template imports into a
//! scratch service that synthesizes back to it, a re-import changes nothing, a
//! hand-written module is not replaced, a refusal names its place, and Ctrl-C
//! during the compile leaves `stacks/` as it was. One test, in sequence: the
//! runs share the stage directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A workspace whose `stacks/` is a copy: links to every other root entry.
fn workspace() -> PathBuf {
    let root = repo().canonicalize().expect("repo");
    let ws = root.join("target/tmp/import-cli/ws");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws).expect("ws");
    for entry in std::fs::read_dir(&root).expect("root") {
        let name = entry.expect("entry").file_name();
        if ["target", ".git", "stacks", "Cargo.lock"]
            .iter()
            .any(|n| name == *n)
        {
            continue;
        }
        std::os::unix::fs::symlink(root.join(&name), ws.join(&name)).expect("link");
    }
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).expect("lock");
    let status = Command::new("cp")
        .args(["-r", "--no-dereference"])
        .arg(root.join("stacks"))
        .arg(&ws)
        .status()
        .expect("cp");
    assert!(status.success());
    own_identity(&ws.join("stacks/Cargo.toml"));
    ws
}

/// cargo names a path crate's build by its name, version and path relative to
/// the workspace root: under the real stacks crate's identity, the copy's build
/// (with the imported stack) replaced the real one's in the shared target
/// directory, and cargo, judging it by the copy's files, called it fresh for the
/// real workspace. Another version and binary name keep them apart (the same as
/// `infra-deploy/tests/e2e_import.rs`).
fn own_identity(manifest: &Path) {
    let text = std::fs::read_to_string(manifest).expect("stacks/Cargo.toml");
    let edits = [
        ("version = \"0.1.0\"", "version = \"0.1.0-import-cli\""),
        (
            "[[bin]]\nname = \"synth\"",
            "[[bin]]\nname = \"import-cli-synth\"",
        ),
        ("synth-bin = \"synth\"", "synth-bin = \"import-cli-synth\""),
    ];
    let text = edits.iter().fold(text, |text, (from, to)| {
        assert_eq!(text.matches(from).count(), 1, "one `{from}` in {text}");
        text.replacen(from, to, 1)
    });
    std::fs::write(manifest, text).expect("stacks/Cargo.toml written");
}

fn xtask(ws: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.current_dir(ws)
        .args(["import"])
        .args(args)
        .env("CARGO_TARGET_DIR", repo().join("target"));
    cmd
}

fn run(ws: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out: Output = xtask(ws, args).output().expect("xtask runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(ws: &Path, path: &str) -> String {
    std::fs::read_to_string(ws.join(path)).unwrap_or_default()
}

/// Every file of `stacks/src` and `stacks/Cargo.toml`, for "nothing changed".
fn snapshot(ws: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(ws.join("stacks/src"))
        .expect("src")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect();
    files.push(("Cargo.toml".into(), read(ws, "stacks/Cargo.toml")));
    files.sort();
    files
}

#[test]
fn import_proves_the_round_trip_and_writes_only_then() {
    let ws = workspace();
    let before = snapshot(&ws);

    // The seed's own template, as a scratch service: equal at prod (its name's stage).
    let (code, stderr) = run(
        &ws,
        &["stacks/templates/infra-prod.json", "--service", "scratch"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("equal to its input at prod"), "{stderr}");
    let lib = read(&ws, "stacks/src/lib.rs");
    assert!(lib.contains("pub mod scratch;"), "{lib}");
    assert!(lib.contains(".stack(scratch::Scratch::new)"), "{lib}");
    let module = read(&ws, "stacks/src/scratch.rs");
    assert!(
        module.starts_with("//! Imported by `cargo xtask import`"),
        "{module}"
    );
    let fmt = Command::new("rustfmt")
        .args(["--edition", "2024", "--check"])
        .arg(ws.join("stacks/src/scratch.rs"))
        .status()
        .expect("rustfmt");
    assert!(fmt.success(), "the module is not rustfmt-clean");

    // Again: replaced, never duplicated.
    let after_first = snapshot(&ws);
    let (code, stderr) = run(
        &ws,
        &["stacks/templates/infra-prod.json", "--service", "scratch"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(snapshot(&ws), after_first);

    // A module a person wrote is refused without --force, with nothing written.
    let (code, stderr) = run(
        &ws,
        &["stacks/templates/infra-prod.json", "--service", "infra"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("stacks/src/infra.rs exists and was not written by import"),
        "{stderr}"
    );
    assert_eq!(snapshot(&ws), after_first);

    refusals_name_their_place(&ws);
    assert_eq!(snapshot(&ws), after_first);
    ctrl_c_during_the_compile_changes_nothing(&ws);
    assert_eq!(snapshot(&ws), after_first);
    assert_ne!(before, after_first);
}

fn refusals_name_their_place(ws: &Path) {
    let dir = ws.join("target-import-inputs");
    std::fs::create_dir_all(&dir).expect("dir");
    let typo = dir.join("typo-prod.yaml");
    let text = "Resources:\n  T:\n    Type: AWS::SNS::Topik\n";
    std::fs::write(&typo, text).expect("write");
    let shown = typo.display().to_string();
    let (code, stderr) = run(ws, &[&shown]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{shown}:3:5: Resources.T.Type: ")),
        "{stderr}"
    );

    let manifest = dir.join("serverless.yml");
    let text = "service: billing\nprovider:\n  name: aws\nresources:\n  Resources:\n    T:\n      Type: AWS::SNS::Topic\n      Properties:\n        TopicName: t-${opt:stage}\n";
    std::fs::write(&manifest, text).expect("write");
    let shown = manifest.display().to_string();
    let (code, stderr) = run(ws, &[&shown]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{shown}:9:9: resources.Resources.T.Properties.TopicName: ${{opt:stage}} is a Serverless Framework variable")),
        "{stderr}"
    );

    let (code, stderr) = run(ws, &[&shown, &shown, "--service", "x"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--service names one stack"), "{stderr}");
}

/// SIGINT to the whole process group (what Ctrl-C does) once the stage exists
/// and cargo compiles in it.
fn ctrl_c_during_the_compile_changes_nothing(ws: &Path) {
    use std::os::unix::process::CommandExt;
    let stage = repo().join("target/import/ws/stacks-import/src/again.rs");
    let _ = std::fs::remove_file(&stage);
    let mut child = xtask(
        ws,
        &["stacks/templates/infra-prod.json", "--service", "again"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .process_group(0)
    .spawn()
    .expect("spawns");
    let start = Instant::now();
    while !stage.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the stage never appeared"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "import ended before staging"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let group = format!("-{}", child.id());
    let killed = Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("waits");
    assert!(!status.success(), "{status:?}");
    assert!(!ws.join("stacks/src/again.rs").exists());
    let leftovers: Vec<_> = std::fs::read_dir(ws.join("stacks/src"))
        .expect("src")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with('~'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

//! `cargo xtask synth` as a user runs it: a run that cannot happen exits 2
//! (not 1, which means invalid stacks or stale files) and names what is
//! allowed.

use std::path::Path;
use std::process::Command;

#[test]
fn an_unknown_stage_exits_2_naming_the_configured_stages() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .args(["synth", "--check", "--stage", "nope"])
        .output()
        .expect("xtask runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown stage `nope`"), "{stderr}");
    assert!(stderr.contains("`dev`, `prod`"), "{stderr}");
}

//! `cargo xtask deploy` and `outputs` when they cannot even start: exit 2
//! ("could not run", as `infra-deploy`'s own), never 1 ("a stack failed").

use std::path::Path;
use std::process::Command;

#[test]
fn a_deploy_that_cannot_start_exits_2() {
    for args in [
        &["deploy", "--stage", "dev"][..],
        &["outputs", "--stage", "dev"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .args(args)
            .env("CARGO", "/nonexistent/cargo")
            .output()
            .expect("xtask runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}

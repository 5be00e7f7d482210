//! End-to-end migration of a deployed stack (issue 11): a stack created through the SDK
//! from a YAML template (short forms) on moto, then, in a copy of the
//! workspace, `cargo xtask import --stack`, `cargo xtask synth`, the adoption check
//! `cargo xtask diff --against` the deployed template, and `cargo xtask deploy` of the
//! imported stack, which has nothing to change.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Moto, REGION, dummy_credentials, root, sdk_config, stderr, stdout};

/// moto finds "no changes" only when the whole template parses to the same dictionary,
/// without CloudFormation's equivalences: `DelaySeconds: "5"` against the synthesized `5`,
/// `DependsOn: Jobs` against `["Jobs"]`, `!GetAtt Jobs.Arn` against `[Jobs, Arn]` or a
/// missing `AWSTemplateFormatVersion` is a change there (`cargo xtask diff` and
/// `infra_check::equivalent` call them equal; the unit tests cover those forms), so this
/// template is written in the forms synth writes.
const DEPLOYED: &str = "\
AWSTemplateFormatVersion: \"2010-09-09\"
Description: A stack the Serverless Framework or a console created
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: moved-prod-jobs
      DelaySeconds: 5
  Events:
    Type: AWS::SNS::Topic
    DependsOn: [Jobs]
    Properties:
      TopicName: !Sub \"${AWS::StackName}-events\"
Outputs:
  jobsQueueArn:
    Value: {\"Fn::GetAtt\": [Jobs, Arn]}
";

/// A workspace whose `stacks/`, README and docs are copies (synth writes them), the
/// rest links to this one; the target directory is shared, so the copy is made a
/// crate of its own ([`own_identity`]).
fn workspace(dir: &Path) -> PathBuf {
    let ws = dir.join("ws");
    std::fs::create_dir_all(&ws).expect("ws");
    let copied = ["stacks", "README.md", "docs", "Cargo.lock"];
    for entry in std::fs::read_dir(root()).expect("root") {
        let name = entry.expect("entry").file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        if copied.iter().any(|c| name == *c) {
            let status = Command::new("cp")
                .args(["-r", "--no-dereference"])
                .arg(root().join(&name))
                .arg(&ws)
                .status()
                .expect("cp");
            assert!(status.success());
        } else {
            std::os::unix::fs::symlink(root().join(&name), ws.join(&name)).expect("link");
        }
    }
    own_identity(&ws.join("stacks/Cargo.toml"));
    ws
}

/// cargo names a path crate's build by its name, version and path relative to
/// the workspace root, and copies each binary to `target/debug/<name>` only when
/// it compiles it. Under the real crate's identity, the copy's build (with the
/// imported stack) replaced the real one's in the shared target directory, and
/// the next `cargo xtask synth` of this workspace, finding it fresh, wrote the
/// imported stack's templates here. Another version and binary name keep them apart
/// (the same as `xtask/tests/import_cli.rs`).
fn own_identity(manifest: &Path) {
    let text = std::fs::read_to_string(manifest).expect("stacks/Cargo.toml");
    let edits = [
        ("version = \"0.1.0\"", "version = \"0.1.0-e2e-import\""),
        (
            "[[bin]]\nname = \"synth\"",
            "[[bin]]\nname = \"e2e-import-synth\"",
        ),
        ("synth-bin = \"synth\"", "synth-bin = \"e2e-import-synth\""),
    ];
    let text = edits.iter().fold(text, |text, (from, to)| {
        assert_eq!(text.matches(from).count(), 1, "one `{from}` in {text}");
        text.replacen(from, to, 1)
    });
    std::fs::write(manifest, text).expect("stacks/Cargo.toml written");
}

fn xtask(ws: &Path, args: &[&str]) -> Output {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(ws)
        .args(["run", "-q", "-p", "xtask", "--"])
        .args(args)
        .env("CARGO_TARGET_DIR", root().join("target"))
        .envs(dummy_credentials())
        .output()
        .expect("cargo runs");
    eprintln!("xtask {args:?}: {:?}\n{}", out.status, stderr(&out));
    out
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn an_imported_stack_deploys_with_no_changes() {
    let moto = Moto::start();
    let cfn = aws_sdk_cloudformation::Client::new(&sdk_config(&moto).await);
    cfn.create_stack()
        .stack_name("moved-prod")
        .template_body(DEPLOYED)
        .send()
        .await
        .expect("creates the stack");
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = workspace(dir.path());
    let connect = ["--region", REGION, "--endpoint-url", &moto.url];

    let mut import = vec!["import", "--stack", "moved-prod"];
    import.extend(connect);
    let out = xtask(&ws, &import);
    assert!(out.status.success());
    assert!(stderr(&out).contains("equal to its input at prod"));
    let module = std::fs::read_to_string(ws.join("stacks/src/moved.rs")).expect("module");
    assert!(module.contains("pub struct Moved"), "{module}");

    assert!(xtask(&ws, &["synth"]).status.success());
    let deployed = dir.path().join("moved-prod.yaml");
    std::fs::write(&deployed, DEPLOYED).expect("write");
    let diff = xtask(
        &ws,
        &["diff", "--against", deployed.to_str().expect("utf-8")],
    );
    assert!(diff.status.success());
    assert!(stdout(&diff).contains("no changes"), "{}", stdout(&diff));

    let mut deploy = vec![
        "deploy",
        "--stage",
        "prod",
        "--stack",
        "moved",
        "--exclusively",
    ];
    deploy.extend(["--yes"]);
    deploy.extend(connect);
    let out = xtask(&ws, &deploy);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("no changes"), "{}", stdout(&out));
}

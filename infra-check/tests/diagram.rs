//! Stack diagrams: what the infra stack's picture shows, and every generated
//! diagram (the committed pages, the README's, and hostile names) parsed by
//! the real mermaid library pinned in `tools/mermaid` (installed by
//! `cargo xtask ci`, which runs the ignored tests).

use std::path::{Path, PathBuf};
use std::process::Command;

use infra_check::diagram::{mermaid, page};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn infra() -> Value {
    serde_json::from_str(include_str!("../../stacks/templates/infra-dev.json")).expect("template")
}

#[test]
fn the_infra_picture() {
    let m = mermaid(&infra());
    assert!(m.starts_with("flowchart LR\n"));
    for service in ["DynamoDB", "S3", "SNS"] {
        assert!(
            m.contains(&format!("subgraph svc_{service}[\"{service}\"]")),
            "{m}"
        );
    }
    // Tables and buckets hold data: cylinders with the data class; topics do not. The count
    // comes from the template and the curated data-holding list, so a new resource in the
    // stack changes the expectation, not the test.
    let template = infra();
    let resources = template["Resources"].as_object().expect("resources");
    let holding: Vec<&str> = infra_registry::data_holding().map(|(t, _)| t).collect();
    let data = resources
        .values()
        .filter(|r| holding.contains(&r["Type"].as_str().unwrap_or_default()))
        .count();
    assert!(data >= 4, "the tables and buckets at least");
    assert_eq!(m.matches(":::data").count(), data, "{m}");
    assert!(m.contains(
        "r_InvitesTable[(\"InvitesTable<br/><small>AWS::DynamoDB::Table</small>\")]:::data"
    ));
    assert!(
        m.contains("r_NewInviteTopic[\"NewInviteTopic<br/><small>AWS::SNS::Topic</small>\"]\n")
    );
    assert!(m.contains("r_RecordingsBucket -->|\"Ref\"| r_NewS3AudioRecordingTopic\n"));
    assert!(
        m.contains("r_RecordingsBucket -.->|\"DependsOn\"| r_NewS3AudioRecordingTopicPolicy\n")
    );
    assert!(m.contains("r_InvitesTable ==>|\"GetAtt StreamArn\"| o_invitesTableStreamArn\n"));
    let outputs = template["Outputs"].as_object().expect("outputs").len();
    assert_eq!(m.matches("==>").count(), outputs, "one arrow per output");
}

/// A template written by a hostile hand: names that would end a label, open
/// a shape, start an entity, or are Mermaid keywords.
fn hostile() -> Value {
    let nasty = [
        "Quote\"d",
        "Bracket]x[",
        "Paren)(x",
        "Brace}{x",
        "Hash#35;x",
        "Semi;colon",
        "Back`tick",
        "end",
        "subgraph",
        "<script>alert(1)</script>",
        "Pipe|x",
        "Ünïcødé",
        "click",
        "style",
        "- item",
        "> quote",
        "1. first",
        "# heading",
        "[link](x)",
        "x`code`y",
        "*em*",
    ];
    let mut resources = serde_json::Map::new();
    for (i, name) in nasty.iter().enumerate() {
        let target = nasty[(i + 1) % nasty.len()];
        resources.insert(
            (*name).to_owned(),
            json!({
                "Type": if i % 2 == 0 { "AWS::S3::Bucket".to_owned() } else { format!("Custom::{name}") },
                "DependsOn": [target],
                "Properties": {
                    "A": { "Ref": target },
                    "B": { "Fn::GetAtt": [target, "Arn\"]"] },
                    "C": { "Fn::Sub": format!("${{{target}.Name}}") }
                }
            }),
        );
    }
    resources.insert("Weird".to_owned(), json!({ "Type": "not::a\"type[" }));
    resources.insert("Untyped".to_owned(), json!(42));
    let outputs: serde_json::Map<String, Value> = nasty
        .iter()
        .map(|n| (format!("out{n}"), json!({ "Value": { "Ref": n } })))
        .collect();
    json!({ "Resources": resources, "Outputs": outputs })
}

#[test]
fn hostile_names_stay_inside_their_labels() {
    let m = mermaid(&hostile());
    for line in m.lines().skip(1) {
        let line = line.trim();
        let id = line.split(['[', '(', ' ']).next().unwrap_or_default();
        assert!(
            id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || line.starts_with("end"),
            "unsafe node id in {line:?}"
        );
        // Inside a quoted label, only entity codes stand for `"`, `<`, `>` and `#`;
        // no backtick (a Markdown code span) is left.
        for label in line.split('"').skip(1).step_by(2) {
            let plain = label.replace("<br/><small>", "").replace("</small>", "");
            assert!(!plain.contains(['<', '>', '`']), "{label:?} in {line:?}");
        }
    }
    assert!(m.contains("Quote#quot;d"));
    assert!(m.contains("Hash#35;35;x"));
    assert!(m.contains("\"#8203;- item<br/>"), "{m}");
    assert!(m.contains("\"#8203;1. first<br/>"), "{m}");
    assert!(m.contains("[link]#8203;(x)"));
    assert!(m.contains("x\u{2cb}code\u{2cb}y"));
}

fn check(files: &[PathBuf]) -> (i32, String) {
    let dir = root().join("tools/mermaid");
    let out = Command::new("node")
        .current_dir(&dir)
        .arg("check.mjs")
        .args(files)
        .output()
        .expect("node runs (cargo xtask ci installs tools/mermaid)");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
#[ignore = "needs tools/mermaid/node_modules, which cargo xtask ci installs"]
fn every_generated_diagram_parses_with_the_real_mermaid() {
    let dir = std::env::temp_dir().join(format!("infra-diagrams-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let hostile_page = dir.join("hostile.md");
    std::fs::write(&hostile_page, page("hostile-dev", &hostile())).expect("write");
    let empty_page = dir.join("empty.md");
    std::fs::write(&empty_page, page("empty-dev", &json!({}))).expect("write");
    let mut files = vec![hostile_page, empty_page, root().join("README.md")];
    let pages = std::fs::read_dir(root().join("docs/stacks")).expect("docs/stacks");
    let mut committed: Vec<PathBuf> = pages.map(|e| e.expect("entry").path()).collect();
    committed.sort();
    assert!(!committed.is_empty(), "synth writes docs/stacks/<stack>.md");
    files.extend(committed);
    let (code, text) = check(&files);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!(
            "{} diagram(s) parse and render, 0 failed",
            files.len()
        )),
        "{text}"
    );

    // The check itself fails on a diagram that does not parse, and on one
    // whose label Mermaid refuses to draw.
    let broken = dir.join("broken.md");
    std::fs::write(
        &broken,
        "```mermaid\nflowchart LR\n  a[call f(x)] --> b\n```\n",
    )
    .expect("write");
    let (code, text) = check(&[broken]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("broken.md:2: Parse error"), "{text}");
    let refused = dir.join("refused.md");
    let list = "```mermaid\nflowchart LR\n  a[\"- item\"] --> b\n```\n";
    std::fs::write(&refused, list).expect("write");
    let (code, text) = check(&[refused]);
    assert_eq!(code, 1, "{text}");
    let why = "refused.md:2: a label renders as \"Unsupported markdown: list\"";
    assert!(text.contains(why), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

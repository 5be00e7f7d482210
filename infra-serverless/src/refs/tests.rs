//! The check on the fixtures of `tests/fixtures/` (cargo runs tests in the package root, so
//! paths print as given).

use std::path::{Path, PathBuf};

use super::*;

const FIXTURE_REPORT: &str = "\
tests/fixtures/serverless.yml:13:25: unknown output `standupsTableArn` of service `infra` in ${state:infra.standupsTableArn}; expected one of `workspacesTableArn`, `invitesTableArn`, `invitesTableStreamArn`, `newS3AudioRecordingTopicArn`, `newS3TranscodedAudioRecordingTopicArn`, `newInviteTopicArn`, `deletedInviteTopicArn`, `recordingsBucketArn`, `transcodedRecordingsBucketArn`
tests/fixtures/serverless.yml:14:26: unknown output `invitesTableStreamArm` of service `infra` in ${state:infra.invitesTableStreamArm}; did you mean `invitesTableStreamArn`?
tests/fixtures/serverless.yml:16:31: unknown output `deletedInviteTopicArns` of service `infra` in ${output:api:prod:us-east-1:infra.deletedInviteTopicArns}; did you mean `deletedInviteTopicArn`?
tests/fixtures/serverless.yml:18:28: unknown output `transcodedRecordingBucketArn` of service `infra` in ${output:prod:eu-west-1:infra.transcodedRecordingBucketArn}; did you mean `transcodedRecordingsBucketArn`?
tests/fixtures/serverless.yml:20:15: unknown output `workspaceTableArn` of service `infra` in ${state:infra.workspaceTableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/x'}; did you mean `workspacesTableArn`?
tests/fixtures/serverless.yml:21:19: unknown service `infraa` in ${state:infraa.workspacesTableArn}; did you mean `infra`?
tests/fixtures/serverless.yml:23:38: unknown output `newInviteTopicArm` of service `infra` in ${state:infra.newInviteTopicArm}; did you mean `newInviteTopicArn`?
tests/fixtures/serverless.yml:32:15: unknown output `invitesTableArm` of service `infra` in ${cf(eu-west-1):infra-dev.invitesTableArm}; did you mean `invitesTableArn`?
tests/fixtures/serverless.yml:33:15: unknown output `workspacesTable` of service `infra` in ${cf:infra-${self:provider.stage}.workspacesTable}; did you mean `workspacesTableArn`?
tests/fixtures/serverless.yml:43:7: unknown output `newS3AudioRecordingTopic` of service `infra` in ${state:infra.newS3AudioRecordingTopic}; did you mean `newS3AudioRecordingTopicArn`?
tests/fixtures/serverless.yml:53:28: unknown output `deletedInviteTopic` of service `infra` in ${state:infra.deletedInviteTopic}; did you mean `deletedInviteTopicArn`?
tests/fixtures/serverless.yml:54:49: unknown output `newInviteTopic` of service `infra` in ${cf:infra-prod.newInviteTopic}; did you mean `newInviteTopicArn`?
tests/fixtures/serverless.yml:55:31: unknown output `recordingsBucketArm` of service `infra` in ${state:infra.recordingsBucketArm}; did you mean `recordingsBucketArn`?
tests/fixtures/serverless.yml:56:34: unknown output `transcodedRecordingsBucketArm` of service `infra` in ${state:infra.transcodedRecordingsBucketArm}; did you mean `transcodedRecordingsBucketArn`?
";

const CATALOGUE: &str = "tests/fixtures/outputs.json";

fn catalogue() -> Catalogue {
    Catalogue::load(Path::new(CATALOGUE)).expect("the fixture catalogue loads")
}

fn report(paths: &[&str]) -> Report {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    check_paths(&catalogue(), &paths).expect("the fixtures are readable")
}

fn check(text: &str) -> Checked {
    check_text(&catalogue(), "f.yml", text, true)
}

#[test]
fn fixture_report_is_exact() {
    let report = report(&["tests/fixtures/serverless.yml"]);
    assert_eq!(report.render(Format::Text), FIXTURE_REPORT);
    assert_eq!((report.checked, report.files), (25, 1));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn json_report_is_an_array_of_findings() {
    let report = report(&["tests/fixtures/serverless.yml"]);
    let json: serde_json::Value =
        serde_json::from_str(&report.render(Format::Json)).expect("valid JSON");
    let findings = json.as_array().expect("an array");
    assert_eq!(findings.len(), 14);
    assert_eq!(
        findings[1],
        serde_json::json!({
            "file": "tests/fixtures/serverless.yml",
            "line": 14,
            "column": 26,
            "reference": "${state:infra.invitesTableStreamArm}",
            "problem": "unknown-output",
            "service": "infra",
            "output": "invitesTableStreamArm",
            "suggestion": "invitesTableStreamArn",
            "message": "unknown output `invitesTableStreamArm` of service `infra` in \
                        ${state:infra.invitesTableStreamArm}; did you mean `invitesTableStreamArn`?"
        })
    );
    assert_eq!(findings[5]["problem"], "unknown-service");
    assert_eq!(findings[5].get("output"), None);
}

#[test]
fn directories_are_searched_for_manifests_only() {
    let report = report(&["tests/fixtures/tree"]);
    assert_eq!(
        report.render(Format::Text),
        "tests/fixtures/tree/a/serverless.yml:5:12: unknown output `invitesQueueArn` of service `infra` in ${cf:infra-${sls:stage}.invitesQueueArn}; did you mean `invitesTableArn`?\n\
         tests/fixtures/tree/b/serverless.json:6:40: unknown service `Infra` in ${state:Infra.recordingsBucketArn}; did you mean `infra`?\n"
    );
    assert_eq!((report.checked, report.files), (4, 2));
}

#[test]
fn a_file_named_explicitly_is_scanned_whatever_its_name() {
    let notes = report(&["tests/fixtures/tree/b/notes.md"]);
    assert_eq!(notes.findings.len(), 1);
    assert_eq!((notes.findings[0].line, notes.findings[0].column), (3, 37));
    let ignored = report(&["tests/fixtures/tree/node_modules/dep/serverless.yml"]);
    assert_eq!(
        ignored.findings.len(),
        1,
        "named, a git-ignored file is read"
    );
}

#[test]
fn a_missing_path_is_an_error() {
    let paths = [PathBuf::from("tests/fixtures/missing.yml")];
    let err = check_paths(&catalogue(), &paths).expect_err("no such file");
    assert_eq!(err.to_string(), "reading tests/fixtures/missing.yml");
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert!(source.is_some_and(|s| s.contains("No such file")));
    let err = Catalogue::load(Path::new("missing.json")).expect_err("no catalogue");
    assert!(
        err.to_string().contains("(run `cargo xtask synth`)"),
        "{err}"
    );
}

#[test]
fn suggestions_within_a_third_of_the_length() {
    let names = ["workspacesTableArn", "invitesTableArn"];
    assert_eq!(
        judge::suggest("WorkspacesTableARN", &names),
        Some("workspacesTableArn")
    );
    assert_eq!(judge::suggest("standupsTableArn", &names), None);
    assert_eq!(
        judge::suggest("ab", &["xy"]),
        Some("xy"),
        "two edits are always close enough"
    );
}

fn judge(body: &str) -> Option<Option<Wrong>> {
    judge::judge_ours(&catalogue(), &judge::parse(body)?)
}

#[test]
fn variables_that_are_not_ours_are_ignored() {
    for body in [
        "self:custom.x",
        "opt:stage, 'dev'",
        "state:billing.x",
        "output:billing:prod:us-east-1:infra.x",
        "state:${}.x",
        "state:infra.${}",
        "state:infra",
        "cf:billing-prod.x",
        "cf:infra-dev",
        "output:a:b:c:d:infra.x",
    ] {
        assert!(judge(body).is_none(), "{body}");
    }
    assert!(matches!(
        judge("state:infra.workspacesTableArn.nested"),
        Some(None)
    ));
    assert!(matches!(
        judge(" state : infra.workspacesTableArn "),
        Some(None)
    ));
}

#[test]
fn references_spanning_lines_print_on_one() {
    let checked = check("a: \"${state:infra.\n  nope}\"\n");
    assert_eq!(checked.checked, 1);
    assert_eq!(checked.findings[0].reference, "${state:infra. nope}");
}

#[test]
fn a_hash_inside_a_multi_line_quoted_scalar_is_no_comment() {
    let checked = check("a: \"x\n  # ${state:infra.nopeArn}\"\n# ${state:infra.gone}\n");
    assert_eq!(checked.checked, 1);
    assert_eq!(checked.findings.len(), 1);
    assert_eq!(
        (checked.findings[0].line, checked.findings[0].column),
        (2, 5)
    );
    assert_eq!(checked.findings[0].output.as_deref(), Some("nopeArn"));
}

/// Unclosed `${` used to cost a scan to the end of the text each (200 KB: 55 s). The
/// bound is generous for a debug build on a busy machine; linear work takes milliseconds.
#[test]
fn unclosed_variables_cost_linear_time() {
    let inputs = [
        "${".repeat(100_000),
        "k: \"${state:infra.\n".repeat(10_000),
        format!("a: {}\n", "${state:infra.x} ".repeat(12_000)),
        format!(
            "{}{}",
            "${state:infra.x, ".repeat(12_000),
            "}".repeat(12_000)
        ),
        "# ${\n".repeat(40_000),
    ];
    for text in &inputs {
        assert!(text.len() >= 190_000, "{}", text.len());
        let started = std::time::Instant::now();
        let checked = check(text);
        let elapsed = started.elapsed();
        assert!(
            elapsed.as_secs_f64() < 1.0,
            "{elapsed:?} for {:?}...",
            &text[..40]
        );
        assert!(checked.findings.len() <= 12_000);
    }
}

#[test]
fn what_the_declared_framework_cannot_resolve() {
    let report = report(&["tests/fixtures/v3/serverless.yml"]);
    assert_eq!(report.render(Format::Text), V3_REPORT);
    let json: serde_json::Value =
        serde_json::from_str(&report.render(Format::Json)).expect("valid JSON");
    assert_eq!(json[0]["problem"], "unresolvable-source");
    assert_eq!(
        json[0]["suggestion"],
        "${cf:infra-${sls:stage}.invitesTableArn}"
    );
}

const V3_REPORT: &str = "\
tests/fixtures/v3/serverless.yml:9:12: ${state:infra.invitesTableArn} cannot be resolved with frameworkVersion \"^3.38.0\": Framework v3 has no `${state:}` source; use ${cf:infra-${sls:stage}.invitesTableArn}
tests/fixtures/v3/serverless.yml:10:13: ${output:infra.newInviteTopicArn} cannot be resolved with frameworkVersion \"^3.38.0\": Framework v3 resolves `${output:}` only with `org:` and the Serverless Dashboard; use ${cf:infra-${sls:stage}.newInviteTopicArn}
tests/fixtures/v3/serverless.yml:11:13: ${output:prod:eu-west-1:infra.recordingsBucketArn, 'none'} cannot be resolved with frameworkVersion \"^3.38.0\": Framework v3 resolves `${output:}` only with `org:` and the Serverless Dashboard; use ${cf(eu-west-1):infra-prod.recordingsBucketArn, 'none'}
tests/fixtures/v3/serverless.yml:12:11: unknown output `invitesTableArm` of service `infra` in ${state:infra.invitesTableArm}; did you mean `invitesTableArn`?
tests/fixtures/v3/serverless.yml:12:11: ${state:infra.invitesTableArm} cannot be resolved with frameworkVersion \"^3.38.0\": Framework v3 has no `${state:}` source; use ${cf:infra-${sls:stage}.invitesTableArm}
tests/fixtures/v3/serverless.yml:13:12: ${state:billing.invoicesTableArn} cannot be resolved with frameworkVersion \"^3.38.0\": Framework v3 has no `${state:}` source; use ${cf:billing-${sls:stage}.invoicesTableArn}
";

/// The messages of a check, `line:column: problem` first.
fn lines(checked: &Checked) -> Vec<String> {
    let kebab = |p: Problem| serde_json::to_value(p).expect("a problem serializes");
    checked
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}: {} {}",
                f.line,
                f.column,
                kebab(f.problem),
                f.message
            )
        })
        .collect()
}

#[test]
fn environment_variables_named_for_outputs_are_set_from_them() {
    let text = "\
frameworkVersion: '3'
provider:
  environment:
    INFRA_WORKSPACES_TABLE_ARN: ${cf:infra-${sls:stage}.invitesTableArn}
    INFRA_INVITES_TABLE_ARN: ${cf:infra-${sls:stage}.invitesTableArn}
    INFRA_INVITES_TABLE_STREAM_ARN: 'arn:aws:dynamodb:us-east-1:1:table/t/stream/s'
    INFRA_NEW_INVITE_TOPIC_ARN: ${self:custom.topic}
    INFRA_DELETED_INVITE_TOPIC_ARN: ${self:custom.other}
    INFRA_RECORDINGS_BUCKET_ARN: ${ssm:/infra/recordings}
    INFRA_TRANSCODED_RECORDINGS_BUCKET_ARN: arn:${cf:infra-dev.transcodedRecordingsBucketArn}
    INFRA_NOT_AN_OUTPUT: literal
    OTHER: ${cf:infra-dev.newInviteTopicArn}
functions:
  worker:
    environment:
      INFRA_INVITES_TABLE_STREAM_ARN: ${cf(eu-west-1):infra-prod.invitesTableStreamArn, 'x'}
      INFRA_NEW_S3_AUDIO_RECORDING_TOPIC_ARN: 12
      INFRA_WORKSPACES_TABLE_ARN: ${cf:${self:custom.stack}.workspacesTableArn}
custom:
  topic: ${self:custom.again}
  again: ${cf:infra-dev.newInviteTopicArn}
  other: ${self:custom.nothing}
";
    let checked = check_text(&catalogue(), "f.yml", text, true);
    let fix = |o: &str| format!("set it to ${{cf:infra-${{sls:stage}}.{o}}}");
    let promise = |var: &str, o: &str, k: &str| {
        format!(
            "{var} is set from {o}, but the name promises output `{k}` of service `infra` (what infra_outputs reads as {}); {}",
            infra_model::naming::output_const(k),
            fix(k)
        )
    };
    assert_eq!(
        lines(&checked),
        [
            format!(
                "4:5: \"env-from-other-output\" {}",
                promise(
                    "INFRA_WORKSPACES_TABLE_ARN",
                    "output `invitesTableArn` of service `infra`",
                    "workspacesTableArn"
                )
            ),
            format!(
                "6:5: \"env-not-from-output\" {}",
                promise(
                    "INFRA_INVITES_TABLE_STREAM_ARN",
                    "the literal \"arn:aws:dynamodb:us-east-1:1:table/t/stream/s\"",
                    "invitesTableStreamArn"
                )
            ),
            format!(
                "8:5: \"env-not-from-output\" {}",
                promise(
                    "INFRA_DELETED_INVITE_TOPIC_ARN",
                    "${self:custom.nothing}, which names nothing in this file",
                    "deletedInviteTopicArn"
                )
            ),
            format!(
                "9:5: \"env-not-from-output\" {}",
                promise(
                    "INFRA_RECORDINGS_BUCKET_ARN",
                    "${ssm:/infra/recordings}",
                    "recordingsBucketArn"
                )
            ),
            format!(
                "10:5: \"env-not-from-output\" {}",
                promise(
                    "INFRA_TRANSCODED_RECORDINGS_BUCKET_ARN",
                    "the value \"arn:${cf:infra-dev.transcodedRecordingsBucketArn}\"",
                    "transcodedRecordingsBucketArn"
                )
            ),
            format!(
                "17:7: \"env-not-from-output\" {}",
                promise(
                    "INFRA_NEW_S3_AUDIO_RECORDING_TOPIC_ARN",
                    "the literal 12",
                    "newS3AudioRecordingTopicArn"
                )
            ),
        ]
    );
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
}

#[test]
fn a_self_reference_cycle_and_a_file_that_is_no_yaml_do_not_hang_or_fail() {
    let text = "provider:\n  environment:\n    INFRA_WORKSPACES_TABLE_ARN: ${self:custom.a}\ncustom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n";
    assert!(check(text).findings.is_empty(), "a cycle cannot be judged");
    let broken = check("provider: [\n  environment: {\n");
    assert!(broken.findings.is_empty());
    assert!(
        broken.warnings[0].starts_with("f.yml:"),
        "{:?}",
        broken.warnings
    );
}

/// A consumer crate in a temporary directory: its manifest and `src/` files.
fn consumer(manifest: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(path, text).expect("written");
    };
    write("Cargo.toml", "[package]\nname = \"c\"\n");
    write("serverless.yml", manifest);
    files.iter().for_each(|(name, text)| write(name, text));
    dir
}

const CONSUMER_RS: &str = r#"
use infra_outputs::infra::{INVITES_TABLE_ARN, NEW_INVITE_TOPIC_ARN as TOPIC};
use infra_outputs::infra;
use infra_outputs::{self as outs, MissingOutput};

fn main() -> Result<(), MissingOutput> {
    let _ = INVITES_TABLE_ARN.value()?;
    let _ = TOPIC.value_from(|k| std::env::var(k).ok())?;
    let _ = infra::WORKSPACES_TABLE_ARN.value()?;
    let _ = ::infra_outputs::infra::DELETED_INVITE_TOPIC_ARN.value()?;
    let _ = outs::infra::RECORDINGS_BUCKET_ARN.value()?;
    // infra::INVITES_TABLE_STREAM_ARN.value() in a comment is no read
    let _ = "infra::INVITES_TABLE_STREAM_ARN.value()";
    let _ = infra::NEW_S3_AUDIO_RECORDING_TOPIC_ARN.name;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn t() { let _ = super::infra::TRANSCODED_RECORDINGS_BUCKET_ARN.value(); }
}
"#;

#[test]
fn outputs_the_rust_code_reads_are_set_by_its_manifest() {
    let manifest = "\
provider:
  environment:
    INFRA_INVITES_TABLE_ARN: ${cf:infra-${sls:stage}.invitesTableArn}
functions:
  f:
    environment:
      INFRA_WORKSPACES_TABLE_ARN: ${cf:infra-${sls:stage}.workspacesTableArn}
      INFRA_NEW_INVITE_TOPIC_ARNS: ${cf:infra-${sls:stage}.newInviteTopicArn}
";
    let dir = consumer(
        manifest,
        &[("src/main.rs", CONSUMER_RS), ("src/broken.rs", "fn (")],
    );
    let report = check_paths(&catalogue(), &[dir.path().to_path_buf()]).expect("readable");
    let (root, manifest) = (dir.path().display(), dir.path().join("serverless.yml"));
    let manifest = manifest.display();
    let add = |var: &str, o: &str| {
        format!("add `{var}: ${{cf:infra-${{sls:stage}}.{o}}}` under provider.environment")
    };
    assert_eq!(
        report.render(Format::Text),
        format!(
            "{root}/src/main.rs:8:13: TOPIC.value_from(..) reads INFRA_NEW_INVITE_TOPIC_ARN, which {manifest} never sets (it sets INFRA_NEW_INVITE_TOPIC_ARNS: a typo?); {}\n\
             {root}/src/main.rs:10:15: infra_outputs::infra::DELETED_INVITE_TOPIC_ARN.value() reads INFRA_DELETED_INVITE_TOPIC_ARN, which {manifest} never sets; {}\n\
             {root}/src/main.rs:11:13: outs::infra::RECORDINGS_BUCKET_ARN.value() reads INFRA_RECORDINGS_BUCKET_ARN, which {manifest} never sets; {}\n",
            add("INFRA_NEW_INVITE_TOPIC_ARN", "newInviteTopicArn"),
            add("INFRA_DELETED_INVITE_TOPIC_ARN", "deletedInviteTopicArn"),
            add("INFRA_RECORDINGS_BUCKET_ARN", "recordingsBucketArn"),
        )
    );
    assert_eq!(report.findings[0].problem, Problem::OutputNotSet);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0].contains("/src/broken.rs:1:4: "),
        "the warning names the place: {:?}",
        report.warnings
    );
}

#[test]
fn an_environment_read_from_elsewhere_is_a_warning_not_a_guess() {
    let manifest = "provider:\n  environment: ${file(env.yml)}\n";
    let dir = consumer(manifest, &[("src/main.rs", CONSUMER_RS)]);
    let report = check_paths(&catalogue(), &[dir.path().to_path_buf()]).expect("readable");
    assert!(
        report.findings.is_empty(),
        "{}",
        report.render(Format::Text)
    );
    assert!(
        report.warnings[0].contains("provider.environment is not a mapping"),
        "{:?}",
        report.warnings
    );
}

#[test]
fn a_glob_import_resolves_bare_names() {
    let code = "use infra_outputs::infra::*;\nfn main() { let _ = INVITES_TABLE_ARN.value(); let _ = NOT_AN_OUTPUT.value(); }\n";
    let reads = rust::reads_in(&catalogue(), Path::new("m.rs"), code).expect("parses");
    let found: Vec<(usize, usize, &str)> = reads
        .iter()
        .map(|r| (r.line, r.column, r.output.as_str()))
        .collect();
    assert_eq!(found, [(2, 21, "invitesTableArn")]);
}

/// The example consumer of this repository, against the real catalogue, is clean.
#[test]
fn the_example_consumer_sets_every_output_it_reads() {
    let catalogue =
        Catalogue::load(Path::new("../stacks/outputs/outputs.json")).expect("the catalogue");
    let paths = [PathBuf::from("../consumers/invites-worker")];
    let report = check_paths(&catalogue, &paths).expect("readable");
    assert!(
        report.findings.is_empty(),
        "{}",
        report.render(Format::Text)
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let reads = rust::reads(&catalogue, &paths[0], &mut Vec::new());
    let outputs: Vec<&str> = reads.iter().map(|r| r.output.as_str()).collect();
    assert_eq!(
        outputs,
        [
            "invitesTableArn",
            "invitesTableStreamArn",
            "newInviteTopicArn"
        ]
    );
}

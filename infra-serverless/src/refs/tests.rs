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

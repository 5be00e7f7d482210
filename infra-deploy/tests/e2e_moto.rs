//! End-to-end deploys against a real moto server on 127.0.0.1.
//!
//! Each test starts its own `<root>/.venv/bin/moto_server` on a free loopback port and
//! kills it when done. The venv comes from `cargo xtask ci`, which runs these tests with
//! `--ignored`; plain `cargo test` skips them. What moto does not check is listed in
//! `docs/moto.md`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{
    ACCOUNT, Moto, REGION, infra_deploy, path_str, read_json, root, s3_client, sdk_config, stderr,
    stdout,
};
use serde_json::{Value, json};

const STACK: &str = "infra-dev";

/// A deploy of `template` to [`STACK`], with `extra` flags.
fn deploy(moto: &Moto, template: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["deploy", "--template", path_str(template)];
    args.extend(["--stack-name", STACK, "--timeout-secs", "120"]);
    args.extend(extra);
    infra_deploy(moto, &args)
}

fn fixture() -> Value {
    read_json(&root().join("infra-deploy/tests/fixtures/infra-dev.json"))
}

/// Writes `template` as moto can deploy it (`common::for_moto`, the one place that
/// works around what moto lacks).
fn write_template(dir: &Path, name: &str, template: &Value) -> PathBuf {
    common::write_json(dir, name, &common::for_moto(template.clone()))
}

fn bucket(name: &str) -> String {
    format!("api-infra-dev-{name}-{ACCOUNT}-{REGION}")
}

/// The output names `cargo xtask synth` declares for the infra service.
fn expected_outputs() -> Vec<String> {
    let manifest = read_json(&root().join("stacks/outputs/outputs.json"));
    let services = manifest["services"].as_array().expect("services");
    let infra = services
        .iter()
        .find(|s| s["service"] == "infra")
        .expect("the infra service");
    let outputs = infra["outputs"].as_array().expect("outputs");
    outputs
        .iter()
        .map(|o| o["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn creates_the_infra_stack_with_every_output() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let real = read_json(&root().join("stacks/templates/infra-dev.json"));
    let template = write_template(dir.path(), "infra-dev.json", &real);
    let outputs_file = dir.path().join("outputs.json");
    let out = deploy(
        &moto,
        &template,
        &["--yes", "--outputs-file", path_str(&outputs_file)],
    );
    assert!(out.status.success(), "deploy failed: {}", stderr(&out));
    assert!(stdout(&out).contains("CREATE_COMPLETE"));

    // moto leaves the outputs of a stack made through a change set empty; UpdateStack with
    // the same template makes it compute them (see docs/moto.md). A repeat deploy is then
    // "no changes" and writes the outputs file from what the stack reports.
    let config = sdk_config(&moto).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let body = std::fs::read_to_string(&template).expect("template");
    let update = cfn
        .update_stack()
        .stack_name(STACK)
        .template_body(body)
        .send()
        .await;
    update.expect("moto recomputes the outputs");
    let again = deploy(
        &moto,
        &template,
        &["--yes", "--outputs-file", path_str(&outputs_file)],
    );
    assert!(again.status.success(), "repeat failed: {}", stderr(&again));
    assert!(stdout(&again).contains("no changes"));

    let written = read_json(&outputs_file);
    let expected = expected_outputs();
    let mut declared: Vec<&String> = real["Outputs"]
        .as_object()
        .expect("outputs")
        .keys()
        .collect();
    let mut promised: Vec<&String> = expected.iter().collect();
    declared.sort();
    promised.sort();
    assert_eq!(
        declared, promised,
        "the catalogue promises what the template declares"
    );
    for name in &expected {
        let value = written[name].as_str().unwrap_or_default();
        assert!(!value.is_empty(), "{name} has no value");
        // An ARN attribute reads an ARN of moto's partition; others (a queue URL) a value.
        let attribute = real["Outputs"][name]["Value"]["Fn::GetAtt"][1].as_str();
        if attribute.is_some_and(|a| a.ends_with("Arn")) {
            assert!(value.starts_with("arn:aws:"), "{name} = {value:?}");
        }
    }
    let mut args = vec!["outputs", "--stack-name", STACK, "--expect"];
    args.extend(expected.iter().map(String::as_str));
    assert!(infra_deploy(&moto, &args).status.success());
    let missing = infra_deploy(
        &moto,
        &["outputs", "--stack-name", STACK, "--expect", "nope"],
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("nope"));

    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    let invites = dynamodb
        .describe_table()
        .table_name("infra-dev-invites")
        .send()
        .await;
    let invites = invites.expect("the Invites table exists");
    let table = invites.table().expect("table description");
    assert!(
        table.latest_stream_arn().is_some(),
        "the Invites table has a stream"
    );
    assert_eq!(
        table.latest_stream_arn(),
        written["invitesTableStreamArn"].as_str()
    );
    let workspaces = dynamodb
        .describe_table()
        .table_name("infra-dev-workspaces")
        .send()
        .await;
    workspaces.expect("the Workspaces table exists");

    let sns = aws_sdk_sns::Client::new(&config);
    let topics = sns.list_topics().send().await.expect("topics listed");
    let arns: Vec<&str> = topics
        .topics()
        .iter()
        .filter_map(|t| t.topic_arn())
        .collect();
    let topics_declared = real["Resources"]
        .as_object()
        .expect("resources")
        .values()
        .filter(|r| r["Type"] == "AWS::SNS::Topic")
        .count();
    assert_eq!(arns.len(), topics_declared, "{arns:?}");
    for name in [
        "newInviteTopicArn",
        "deletedInviteTopicArn",
        "newS3AudioRecordingTopicArn",
    ] {
        assert!(arns.contains(&written[name].as_str().unwrap_or_default()));
    }

    let s3 = s3_client(&config);
    for name in ["recordings", "transcoded"] {
        let head = s3.head_bucket().bucket(bucket(name)).send().await;
        head.unwrap_or_else(|e| panic!("bucket {name}: {e:?}"));
    }
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_tag_change_updates_and_a_repeat_deploy_is_a_no_op() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs_file = dir.path().join("outputs.json");
    let flags = ["--yes", "--outputs-file", path_str(&outputs_file)];
    let first = write_template(dir.path(), "v1.json", &fixture());
    assert!(deploy(&moto, &first, &flags).status.success());

    let mut tagged = fixture();
    tagged["Resources"]["RecordingsBucket"]["Properties"]["Tags"] =
        json!([{ "Key": "team", "Value": "voice" }]);
    let second = write_template(dir.path(), "v2.json", &tagged);
    let update = deploy(&moto, &second, &flags);
    assert!(
        update.status.success(),
        "update failed: {}",
        stderr(&update)
    );
    assert!(stdout(&update).contains("Modify"));
    assert!(stdout(&update).contains("UPDATE_COMPLETE"));

    let s3 = s3_client(&sdk_config(&moto).await);
    let tags = s3
        .get_bucket_tagging()
        .bucket(bucket("recordings"))
        .send()
        .await;
    let tags = tags.expect("bucket tags");
    assert!(
        tags.tag_set()
            .iter()
            .any(|t| t.key() == "team" && t.value() == "voice")
    );

    let again = deploy(&moto, &second, &flags);
    assert!(again.status.success(), "repeat failed: {}", stderr(&again));
    assert!(stdout(&again).contains("no changes"));
    assert!(!stdout(&again).contains("UPDATE_COMPLETE"));
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_change_that_loses_data_is_refused() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let outputs_file = dir.path().join("outputs.json");
    let flags = ["--outputs-file", path_str(&outputs_file)];
    let first = write_template(dir.path(), "v1.json", &fixture());
    assert!(
        deploy(&moto, &first, &[&flags[..], &["--yes"]].concat())
            .status
            .success()
    );

    let mut rekeyed = fixture();
    let invites = &mut rekeyed["Resources"]["InvitesTable"];
    let object = invites.as_object_mut().expect("resource object");
    object.remove("DeletionPolicy");
    object.remove("UpdateReplacePolicy");
    invites["Properties"]["AttributeDefinitions"] =
        json!([{ "AttributeName": "inviteId", "AttributeType": "S" }]);
    invites["Properties"]["KeySchema"] =
        json!([{ "AttributeName": "inviteId", "KeyType": "HASH" }]);
    let second = write_template(dir.path(), "v2.json", &rekeyed);

    let refused = deploy(&moto, &second, &[&flags[..], &["--yes"]].concat());
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(stdout(&refused).contains("DATA LOSS"));
    assert!(stderr(&refused).contains("InvitesTable"));
    assert!(stderr(&refused).contains("--allow-data-loss"));

    let config = sdk_config(&moto).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let sets = cfn.list_change_sets().stack_name(STACK).send().await;
    let sets = sets.expect("change sets listed");
    // moto keeps executed change sets listed; the refused one must be gone.
    let pending = sets.summaries().iter().filter(|s| {
        s.execution_status()
            != Some(&aws_sdk_cloudformation::types::ExecutionStatus::ExecuteComplete)
    });
    assert_eq!(pending.count(), 0, "{:?}", sets.summaries());

    // Allowed data loss still needs a confirmation, which no terminal can give.
    let allow = [&flags[..], &["--allow-data-loss"]].concat();
    let unconfirmed = deploy(&moto, &second, &allow);
    assert_eq!(
        unconfirmed.status.code(),
        Some(2),
        "{}",
        stderr(&unconfirmed)
    );
    assert!(stderr(&unconfirmed).contains("--yes"));

    let dynamodb = aws_sdk_dynamodb::Client::new(&config);
    let table = dynamodb
        .describe_table()
        .table_name("infra-dev-invites")
        .send()
        .await;
    let table = table.expect("the Invites table is still there");
    let key = table.table().expect("table").key_schema();
    assert_eq!(key[0].attribute_name(), "id");
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_failing_deploy_exits_non_zero_with_the_reason() {
    let moto = Moto::start();
    let s3 = s3_client(&sdk_config(&moto).await);
    let taken = s3.create_bucket().bucket(bucket("recordings")).send().await;
    taken.expect("the bucket name is taken first");

    let dir = tempfile::tempdir().expect("temp dir");
    let template = write_template(dir.path(), "infra-dev.json", &fixture());
    let out = deploy(&moto, &template, &["--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let stderr = stderr(&out);
    assert!(stderr.contains("BucketAlreadyExists"), "{stderr}");
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_large_template_goes_through_the_template_bucket() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut large = fixture();
    large["Metadata"] = json!({ "Padding": "x".repeat(60_000) });
    let template = write_template(dir.path(), "infra-dev.json", &large);

    let refused = deploy(&moto, &template, &["--yes"]);
    assert_eq!(refused.status.code(), Some(2), "could not run");
    assert!(stderr(&refused).contains("--template-bucket"));

    let s3 = s3_client(&sdk_config(&moto).await);
    let made = s3
        .create_bucket()
        .bucket("api-deploy-templates")
        .send()
        .await;
    made.expect("template bucket");
    let outputs_file = dir.path().join("outputs.json");
    let flags = ["--yes", "--template-bucket", "api-deploy-templates"];
    let out = deploy(
        &moto,
        &template,
        &[&flags[..], &["--outputs-file", path_str(&outputs_file)]].concat(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("s3://api-deploy-templates/infra-deploy/infra-dev/"));
}

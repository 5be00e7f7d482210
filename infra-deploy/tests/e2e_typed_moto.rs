//! The typed-properties test stack (`tests/templates/typed-dev.json`: SQS
//! redrive policies, an SNS subscription with a typed protocol and filter
//! policy, and the `grant` helpers' IAM policies) deployed on a real moto
//! server on 127.0.0.1, then read back through the services' own APIs.
//! `cargo xtask ci` runs it with `--ignored`; plain `cargo test` skips it.

mod common;

use common::{Moto, infra_deploy, path_str, read_json, root, sdk_config, stderr, stdout};
use serde_json::{Value, json};

const STACK: &str = "typed-dev";

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn the_typed_stack_deploys_with_its_typed_properties_and_grants() {
    let moto = Moto::start();
    let template = root().join("tests/templates/typed-dev.json");
    // Through the one rewrite of the GetAtts moto lacks (docs/moto.md).
    let dir = tempfile::tempdir().expect("temp dir");
    let deployed = common::write_json(
        dir.path(),
        "typed-dev.json",
        &common::for_moto(read_json(&template)),
    );
    let args = ["deploy", "--template", path_str(&deployed)];
    let out = infra_deploy(
        &moto,
        &[
            &args[..],
            &["--stack-name", STACK, "--timeout-secs", "120", "--yes"],
        ]
        .concat(),
    );
    assert!(out.status.success(), "deploy failed: {}", stderr(&out));
    assert!(stdout(&out).contains("CREATE_COMPLETE"), "{}", stdout(&out));

    let config = sdk_config(&moto).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let resources = cfn
        .describe_stack_resources()
        .stack_name(STACK)
        .send()
        .await
        .expect("the stack's resources");
    let created: Vec<(&str, &str)> = resources
        .stack_resources()
        .iter()
        .map(|r| {
            let status = r.resource_status().map_or("", |s| s.as_str());
            (r.logical_resource_id().unwrap_or_default(), status)
        })
        .collect();
    let declared = read_json(&template)["Resources"]
        .as_object()
        .expect("resources")
        .len();
    assert_eq!(created.len(), declared, "{created:?}");
    assert!(
        created.iter().all(|(_, s)| *s == "CREATE_COMPLETE"),
        "{created:?}"
    );

    // moto's CloudFormation skips `AWS::SNS::Subscription` (docs/moto.md): the
    // typed protocol and filter policy are checked by cfn-lint and the unit tests.
    let state = moto_state(&moto);
    let queues = state["sqs"]["Queue"].as_array().expect("moto's queues");
    let queue = |name: &str| {
        queues
            .iter()
            .find(|q| q["name"].as_str().is_some_and(|n| n.starts_with(name)))
            .unwrap_or_else(|| panic!("no queue {name}* in {queues:#?}"))
    };
    let (jobs, dead_letters) = (queue("typed-dev-jobs"), queue("typed-dev-JobsDeadLetters"));
    assert_eq!(
        jobs["redrive_policy"],
        json!({"deadLetterTargetArn": dead_letters["queue_arn"], "maxReceiveCount": 5})
    );
    // The source ARN built from the queue's name is the queue's real ARN.
    assert_eq!(
        dead_letters["redrive_allow_policy"],
        json!({"redrivePermission": "byQueue", "sourceQueueArns": [jobs["queue_arn"]]})
    );

    // Each grant's policy is on the worker role and its resources resolve to
    // the deployed resources' own ARNs.
    let resources = |policy: &str| granted_resources(&state, policy);
    let table = &state["dynamodb"]["Table"][0];
    let table_arn = table["table_arn"].as_str().expect("the table's ARN");
    let stream_arn = format!(
        "{table_arn}/stream/{}",
        table["latest_stream_label"].as_str().unwrap_or_default()
    );
    let bucket_arn = state["s3"]["FakeBucket"][0]["arn"]
        .as_str()
        .expect("the bucket's ARN");
    let topic_arn = state["sns"]["Topic"][0]["arn"]
        .as_str()
        .expect("the topic's ARN");
    assert_eq!(
        resources("WorkerConsumePolicy"),
        [jobs["queue_arn"].clone()]
    );
    assert_eq!(
        resources("WorkerSendPolicy"),
        [dead_letters["queue_arn"].clone()]
    );
    assert_eq!(resources("WorkerPublishPolicy"), [json!(topic_arn)]);
    assert_eq!(
        resources("WorkerTablePolicy"),
        [json!(table_arn), json!(format!("{table_arn}/index/*"))]
    );
    assert_eq!(
        resources("WorkerStreamPolicy"),
        [json!(stream_arn), json!("*")]
    );
    assert_eq!(
        resources("WorkerReadPolicy"),
        [json!(format!("{bucket_arn}/*")), json!(bucket_arn)]
    );
    assert_eq!(
        resources("WorkerWritePolicy"),
        [json!(format!("{bucket_arn}/*"))]
    );
    assert_eq!(
        resources("WorkerJoinedPolicy"),
        [
            json!(table_arn),
            json!(format!("{table_arn}/index/*")),
            json!(topic_arn),
            json!(format!("{bucket_arn}/*")),
            json!(bucket_arn),
        ]
    );
}

/// The `Resource` of each statement of the worker role's inline policy `name`,
/// as moto resolved it.
fn granted_resources(state: &Value, name: &str) -> Vec<Value> {
    let roles = state["iam"]["Role"].as_array().expect("moto's roles");
    let role = roles
        .iter()
        .find(|r| r["logical_resource_id"] == "WorkerRole")
        .expect("the worker role");
    let text = role["policies"][name].as_str().unwrap_or_else(|| {
        panic!(
            "no policy {name} on the worker role: {:#}",
            role["policies"]
        )
    });
    let document: Value = serde_json::from_str(text).expect("a policy document");
    let statements = document["Statement"].as_array().expect("statements");
    statements.iter().map(|s| s["Resource"].clone()).collect()
}

/// moto's whole state (`/moto-api/data.json`, its own introspection endpoint).
/// One plain HTTP/1.0 GET to 127.0.0.1: the AWS SDK has no client for it, and
/// an HTTP client crate for one request in one test is not worth its build.
fn moto_state(moto: &Moto) -> Value {
    use std::io::{Read, Write};
    let host = moto.url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("moto listens");
    let request = format!("GET /moto-api/data.json HTTP/1.0\r\nHost: {host}\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("request sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response read");
    let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
    assert!(
        head.starts_with("HTTP/1.") && head.contains(" 200 "),
        "{head}"
    );
    serde_json::from_str(body).expect("moto's state is JSON")
}

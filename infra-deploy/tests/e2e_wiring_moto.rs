//! The stack of every wiring helper (`tests/templates/wiring-dev.json`, from
//! `tests/tests/wiring_stack.rs`) deployed on moto through `infra-deploy`, and
//! then used: an object put into the bucket reaches the subscribed queue
//! through the topic, raw; the ARNs the helpers built from names are the real
//! ones. moto's CloudFormation skips subscriptions, topic and queue policies
//! and bucket notifications; `tests/support/moto_with_wiring.py` creates them
//! through moto's own backends (docs/moto.md). moto enforces no policy: what
//! they allow is checked by the unit tests of `infra_model::wiring` and by
//! cfn-lint, here only that they name the real resources.

mod common;

use std::time::{Duration, Instant};

use common::{
    ACCOUNT, Moto, REGION, infra_deploy, path_str, read_json, root, s3_client, sdk_config, stderr,
    stdout,
};
use serde_json::{Value, json};

const STACK: &str = "wiring-dev";

fn template() -> Value {
    read_json(&root().join("tests/templates/wiring-dev.json"))
}

/// `Fn::Sub` text of the template with moto's partition, region and account.
fn resolve(sub: &Value) -> String {
    let text = sub["Fn::Sub"].as_str().expect("an Fn::Sub string");
    text.replace("${AWS::Partition}", "aws")
        .replace("${AWS::Region}", REGION)
        .replace("${AWS::AccountId}", ACCOUNT)
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn every_helper_deploys_and_the_wiring_carries_messages() {
    let moto = Moto::start_with_wiring();
    // Through the one rewrite of the GetAtts moto lacks (none today: see docs/moto.md).
    let dir = tempfile::tempdir().expect("temp dir");
    let path = common::write_json(dir.path(), "wiring-dev.json", &common::for_moto(template()));
    let args = [
        "deploy",
        "--template",
        path_str(&path),
        "--stack-name",
        STACK,
    ];
    let out = infra_deploy(
        &moto,
        &[&args[..], &["--yes", "--timeout-secs", "120"]].concat(),
    );
    assert!(out.status.success(), "deploy failed: {}", stderr(&out));
    assert!(stdout(&out).contains("CREATE_COMPLETE"));

    let config = sdk_config(&moto).await;
    every_resource_was_created(&aws_sdk_cloudformation::Client::new(&config)).await;
    let sqs = aws_sdk_sqs::Client::new(&config);
    let queue_url = queue_url(&sqs, "wiring-dev-uploads").await;
    the_dead_letter_queue_is_the_real_one(&sqs, &queue_url).await;
    the_policies_name_the_real_resources(&config, &sqs, &queue_url).await;

    let bucket = format!("api-wiring-dev-uploads-{ACCOUNT}-{REGION}");
    let s3 = s3_client(&config);
    let put = s3.put_object().bucket(&bucket).key("talk.ogg");
    put.body(b"audio".to_vec().into())
        .send()
        .await
        .expect("object put");
    let created = |body: &Value| {
        body["Records"][0]["eventName"]
            .as_str()
            .is_some_and(|e| e.starts_with("ObjectCreated"))
    };
    let body = receive(&sqs, &queue_url, "S3 event", created).await;
    // Raw delivery: the body is S3's event itself, not an SNS envelope around it.
    assert_eq!(body["Records"][0]["s3"]["bucket"]["name"], bucket.as_str());
    assert_eq!(body["Records"][0]["s3"]["object"]["key"], "talk.ogg");

    // Fan-in: the second topic reaches the same queue through the one policy.
    let sns = aws_sdk_sns::Client::new(&config);
    let audit = format!("arn:aws:sns:{REGION}:{ACCOUNT}:wiring-dev-audit");
    let publish = sns
        .publish()
        .topic_arn(&audit)
        .message(r#"{"audit":"talk.ogg"}"#);
    publish.send().await.expect("published to the audit topic");
    let audited = |body: &Value| body["audit"] == "talk.ogg";
    receive(&sqs, &queue_url, "audit message", audited).await;
}

/// Every logical ID of the template is a resource of the stack: nothing was skipped.
async fn every_resource_was_created(cfn: &aws_sdk_cloudformation::Client) {
    let listed = cfn
        .describe_stack_resources()
        .stack_name(STACK)
        .send()
        .await;
    let listed = listed.expect("stack resources");
    let mut created: Vec<&str> = listed
        .stack_resources()
        .iter()
        .filter_map(|r| r.logical_resource_id())
        .collect();
    created.sort_unstable();
    let template = template();
    let declared: Vec<&str> = template["Resources"]
        .as_object()
        .expect("resources")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(created, declared);
}

async fn queue_url(sqs: &aws_sdk_sqs::Client, name: &str) -> String {
    let url = sqs.get_queue_url().queue_name(name).send().await;
    let url = url.unwrap_or_else(|e| panic!("queue {name}: {e:?}"));
    url.queue_url().expect("a queue URL").to_owned()
}

async fn attributes(
    sqs: &aws_sdk_sqs::Client,
    url: &str,
) -> std::collections::HashMap<String, String> {
    use aws_sdk_sqs::types::QueueAttributeName;
    let got = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All);
    let got = got.send().await.expect("queue attributes");
    let pairs = got.attributes().expect("attributes").iter();
    pairs
        .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
        .collect()
}

/// The redrive policy points at the real dead-letter queue, and the ARN the
/// dead-letter queue's redrive-allow policy builds from the source queue's
/// name (moto does not store that policy) is the source queue's real ARN.
async fn the_dead_letter_queue_is_the_real_one(sqs: &aws_sdk_sqs::Client, queue_url: &str) {
    let source = attributes(sqs, queue_url).await;
    let dead = attributes(sqs, &queue_url.replace("uploads", "uploads-dead-letters")).await;
    let redrive: Value = serde_json::from_str(&source["RedrivePolicy"]).expect("JSON");
    assert_eq!(redrive["deadLetterTargetArn"], dead["QueueArn"].as_str());
    assert_eq!(redrive["maxReceiveCount"], 5);
    assert_eq!(dead["MessageRetentionPeriod"], "1209600");
    let template = template();
    let allow =
        &template["Resources"]["UploadsDeadLetterQueue"]["Properties"]["RedriveAllowPolicy"];
    assert_eq!(allow["redrivePermission"], "byQueue");
    assert_eq!(resolve(&allow["sourceQueueArns"][0]), source["QueueArn"]);
}

/// The queue policy names the real queue and topic; the topic policy the real
/// bucket, by the ARN it built from the bucket's name.
async fn the_policies_name_the_real_resources(
    config: &aws_config::SdkConfig,
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
) {
    let sns = aws_sdk_sns::Client::new(config);
    let topic_arn = format!("arn:aws:sns:{REGION}:{ACCOUNT}:wiring-dev-uploads");
    let queue = attributes(sqs, queue_url).await;
    let policy: Value = serde_json::from_str(&queue["Policy"]).expect("a queue policy");
    assert_eq!(
        policy["Statement"][0]["Resource"],
        queue["QueueArn"].as_str()
    );
    let audit_arn = format!("arn:aws:sns:{REGION}:{ACCOUNT}:wiring-dev-audit");
    assert_eq!(
        policy["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"],
        json!([topic_arn, audit_arn])
    );

    let topic = sns
        .get_topic_attributes()
        .topic_arn(&topic_arn)
        .send()
        .await;
    let topic = topic.expect("topic attributes");
    let policy = &topic.attributes().expect("attributes")["Policy"];
    let policy: Value = serde_json::from_str(policy).expect("a topic policy");
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Principal"]["Service"], "s3.amazonaws.com");
    let bucket_arn = format!("arn:aws:s3:::api-wiring-dev-uploads-{ACCOUNT}-{REGION}");
    assert_eq!(
        statement["Condition"]["ArnLike"]["aws:SourceArn"],
        bucket_arn.as_str()
    );
    assert_eq!(
        statement["Condition"]["StringEquals"]["aws:SourceAccount"],
        ACCOUNT
    );

    let subscriptions = sns
        .list_subscriptions_by_topic()
        .topic_arn(&topic_arn)
        .send()
        .await;
    let subscriptions = subscriptions.expect("subscriptions");
    let endpoints: Vec<_> = subscriptions
        .subscriptions()
        .iter()
        .map(|s| (s.protocol(), s.endpoint()))
        .collect();
    assert_eq!(endpoints, [(Some("sqs"), Some(queue["QueueArn"].as_str()))]);
}

/// The body of the first message on the queue that `wanted` accepts (S3 also
/// sends an `s3:TestEvent` when the notification is configured).
async fn receive(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    what: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let got = sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10);
        let got = got.send().await.expect("receive");
        for message in got.messages() {
            let body: Value =
                serde_json::from_str(message.body().unwrap_or_default()).expect("JSON body");
            if wanted(&body) {
                return body;
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no {what} reached the queue in 20 s");
}

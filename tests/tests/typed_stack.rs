//! The typed forms of JSON-typed properties (SQS redrive policies, the SNS
//! subscription's protocol and filter policy) and the `grant` helpers
//! (`infra_model::wiring::grant`) in a stack. Its template is
//! committed in `tests/templates/typed-dev.json`: this test fails when it is
//! stale (`UPDATE_TEMPLATES=1` rewrites it, for review), and `cargo xtask ci`
//! validates it and lints it with cfn-lint; `infra-deploy/tests/e2e_typed_moto.rs`
//! deploys it on moto.

use std::path::PathBuf;

use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::sns::{self, FilterPolicy, FilterPolicyScope, Match, Numeric, subscription};
use infra_model::aws::sqs::{self, MaxReceiveCount, RedriveAllowPolicy, RedrivePolicy};
use infra_model::aws::{iam, s3};
use infra_model::iam::{PolicyDocument, Principal, Statement, actions};
use infra_model::wiring::grant::{BucketGrant, QueueGrant, TableAccess, TableGrant, TopicGrant};
use infra_model::{Stack, StackContext, Value, intrinsic};
use serde_json::json;

#[derive(Debug, Stack)]
#[stack(app = "api", service = "typed", description = "Typed JSON properties")]
pub struct Typed {
    pub topic: sns::Topic,
    #[output(Arn = "jobsQueueArn")]
    pub jobs: sqs::Queue,
    pub jobs_dead_letters: sqs::Queue,
    pub jobs_subscription: sns::Subscription,
    pub events_table: dynamodb::Table,
    pub uploads_bucket: s3::Bucket,
    pub worker_role: iam::Role,
    pub worker_table_policy: iam::Policy,
    pub worker_stream_policy: iam::Policy,
    pub worker_publish_policy: iam::Policy,
    pub worker_consume_policy: iam::Policy,
    pub worker_send_policy: iam::Policy,
    pub worker_read_policy: iam::Policy,
    pub worker_write_policy: iam::Policy,
    /// Several grants joined into one policy (`Grant::and`).
    pub worker_joined_policy: iam::Policy,
}

impl Typed {
    pub fn new(ctx: &StackContext) -> Self {
        let jobs_name = format!("{}-jobs", ctx.stack_name());
        // `GetAtt Jobs.Arn` here would be a cycle (Jobs names its dead-letter
        // queue's ARN): the source queue's ARN is built from its name.
        let jobs_arn = intrinsic::sub(format!(
            "arn:${{AWS::Partition}}:sqs:${{AWS::Region}}:${{AWS::AccountId}}:{jobs_name}"
        ));
        let filter = FilterPolicy::new()
            .attribute("event", [Match::exact("created"), Match::prefix("invite-")])
            .nested(
                "detail",
                FilterPolicy::new().attribute("size", [Match::numeric(Numeric::gt(0).and_le(150))]),
            );
        Typed {
            topic: sns::Topic::default(),
            jobs: sqs::Queue::default()
                .queue_name(jobs_name)
                .message_retention_period(FOUR_DAYS)
                .redrive_policy(RedrivePolicy::new(
                    Self::JOBS_DEAD_LETTERS.arn(),
                    MaxReceiveCount::<5>,
                )),
            jobs_dead_letters: sqs::Queue::default()
                .message_retention_period(FOURTEEN_DAYS)
                .redrive_allow_policy(RedriveAllowPolicy::by_queue([jobs_arn])),
            jobs_subscription: sns::Subscription::new(
                subscription::Protocol::Sqs,
                Self::TOPIC.r#ref(),
            )
            .endpoint(Self::JOBS.arn())
            .filter_policy_scope(FilterPolicyScope::MessageBody)
            .filter_policy(filter),
            events_table: events_table(),
            uploads_bucket: s3::Bucket::default(),
            worker_role: iam::Role::new(lambda_trust()),
            worker_table_policy: Self::EVENTS_TABLE
                .grant(Self::WORKER_ROLE, TableAccess::ReadWrite)
                .policy(Self::WORKER_TABLE_POLICY),
            worker_stream_policy: Self::EVENTS_TABLE
                .grant(Self::WORKER_ROLE, TableAccess::Stream)
                .policy(Self::WORKER_STREAM_POLICY),
            worker_publish_policy: Self::TOPIC
                .grant_publish(Self::WORKER_ROLE)
                .policy(Self::WORKER_PUBLISH_POLICY),
            worker_consume_policy: Self::JOBS
                .grant_consume(Self::WORKER_ROLE)
                .policy(Self::WORKER_CONSUME_POLICY),
            worker_send_policy: Self::JOBS_DEAD_LETTERS
                .grant_send(Self::WORKER_ROLE)
                .policy(Self::WORKER_SEND_POLICY),
            worker_read_policy: Self::UPLOADS_BUCKET
                .grant_read(Self::WORKER_ROLE)
                .policy(Self::WORKER_READ_POLICY),
            worker_write_policy: Self::UPLOADS_BUCKET
                .grant_write(Self::WORKER_ROLE)
                .policy(Self::WORKER_WRITE_POLICY),
            worker_joined_policy: Self::EVENTS_TABLE
                .grant(Self::WORKER_ROLE, TableAccess::Read)
                .and(|role| Self::TOPIC.grant_publish(role))
                .and(|role| Self::UPLOADS_BUCKET.grant_read(role))
                .policy(Self::WORKER_JOINED_POLICY),
        }
    }
}

// Written out: cfn-lint asks for explicit retention periods. A dead-letter
// queue keeps messages longer than its source (their age counts from the source).
const FOUR_DAYS: i32 = 345_600;
const FOURTEEN_DAYS: i32 = 1_209_600;

fn events_table() -> dynamodb::Table {
    dynamodb::Table::new(vec![table::KeySchema::new("id", "HASH")])
        .billing_mode(table::BillingMode::PayPerRequest)
        .attribute_definitions(vec![table::AttributeDefinition::new(
            "id",
            table::AttributeType::S,
        )])
        .stream_specification(table::StreamSpecification::new(
            table::StreamViewType::NewImage,
        ))
}

fn lambda_trust() -> PolicyDocument {
    PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("lambda.amazonaws.com"))
            .action(actions::sts::ASSUME_ROLE),
    )
}

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates/typed-dev.json")
}

fn template() -> serde_json::Value {
    let ctx = StackContext::new("api", "typed", "dev");
    serde_json::from_str(&Typed::new(&ctx).to_template(&ctx).to_json()).expect("JSON")
}

#[test]
fn the_committed_template_is_fresh() {
    let ctx = StackContext::new("api", "typed", "dev");
    let synthesized = Typed::new(&ctx).to_template(&ctx).to_json();
    let path = committed();
    if std::env::var_os("UPDATE_TEMPLATES").is_some() {
        std::fs::write(&path, &synthesized).expect("writing the template");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == synthesized,
        "{} is stale: run `UPDATE_TEMPLATES=1 cargo test -p infra-tests --test typed_stack` and review the diff",
        path.display()
    );
}

#[test]
fn typed_properties_serialize_as_the_services_document_them() {
    let resources = &template()["Resources"];
    assert_eq!(
        resources["Jobs"]["Properties"]["RedrivePolicy"],
        json!({"deadLetterTargetArn": {"Fn::GetAtt": ["JobsDeadLetters", "Arn"]}, "maxReceiveCount": 5})
    );
    assert_eq!(
        resources["JobsDeadLetters"]["Properties"]["RedriveAllowPolicy"],
        json!({"redrivePermission": "byQueue", "sourceQueueArns": [
            {"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:typed-dev-jobs"}
        ]})
    );
    let subscription = &resources["JobsSubscription"]["Properties"];
    assert_eq!(subscription["Protocol"], json!("sqs"));
    assert_eq!(subscription["FilterPolicyScope"], json!("MessageBody"));
    assert_eq!(
        subscription["FilterPolicy"],
        json!({
            "detail": {"size": [{"numeric": [">", 0, "<=", 150]}]},
            "event": ["created", {"prefix": "invite-"}],
        })
    );
}

/// Every grant is its own policy on the worker role, naming exactly its resource.
#[test]
fn grants_attach_to_the_role_with_exact_resources() {
    let resources = template()["Resources"].clone();
    let policy = |id: &str| {
        let properties = &resources[id]["Properties"];
        assert_eq!(properties["PolicyName"], json!(id));
        assert_eq!(properties["Roles"], json!([{"Ref": "WorkerRole"}]));
        properties["PolicyDocument"]["Statement"].clone()
    };
    assert_eq!(
        policy("WorkerPublishPolicy"),
        json!([{"Sid": "Publish", "Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "Topic"}}])
    );
    assert_eq!(
        policy("WorkerConsumePolicy")[0]["Resource"],
        json!({"Fn::GetAtt": ["Jobs", "Arn"]})
    );
    assert_eq!(
        policy("WorkerSendPolicy")[0]["Resource"],
        json!({"Fn::GetAtt": ["JobsDeadLetters", "Arn"]})
    );
    assert_eq!(
        policy("WorkerTablePolicy")[1]["Resource"],
        json!({"Fn::Sub": "${EventsTable.Arn}/index/*"})
    );
    assert_eq!(
        policy("WorkerStreamPolicy")[0]["Resource"],
        json!({"Fn::GetAtt": ["EventsTable", "StreamArn"]})
    );
    assert_eq!(
        policy("WorkerReadPolicy")[0]["Resource"],
        json!({"Fn::Sub": "${UploadsBucket.Arn}/*"})
    );
    assert_eq!(
        policy("WorkerWritePolicy")[0]["Resource"],
        json!({"Fn::Sub": "${UploadsBucket.Arn}/*"})
    );
}

/// Import must round-trip any template: raw JSON and intrinsics still go in.
#[test]
fn raw_json_and_intrinsics_remain_possible() {
    let raw = json!({"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:dlq", "maxReceiveCount": "5"});
    let queue = sqs::Queue::default().redrive_policy(RedrivePolicy::json(raw.clone()));
    let protocol: Value<subscription::Protocol> = intrinsic::r#ref("Protocol");
    let sub = sns::Subscription::new(protocol, "arn:aws:sns:eu-west-1:123456789012:t")
        .filter_policy(FilterPolicy::json(
            json!({"$or": [{"a": ["x"]}, {"b": ["y"]}]}),
        ));
    let queue = serde_json::to_value(queue).expect("JSON");
    let sub = serde_json::to_value(sub).expect("JSON");
    assert_eq!(queue["RedrivePolicy"], raw);
    assert_eq!(sub["Protocol"], json!({"Ref": "Protocol"}));
    assert_eq!(
        sub["FilterPolicy"],
        json!({"$or": [{"a": ["x"]}, {"b": ["y"]}]})
    );
}

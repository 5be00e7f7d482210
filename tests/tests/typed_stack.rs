//! The typed forms of JSON-typed properties (SQS redrive policies, the SNS
//! subscription's protocol and filter policy) in a stack. Its template is
//! committed in `tests/templates/typed-dev.json`: this test fails when it is
//! stale (`UPDATE_TEMPLATES=1` rewrites it, for review), and `cargo xtask ci`
//! validates it and lints it with cfn-lint.

use std::path::PathBuf;

use infra_model::aws::sns::{self, FilterPolicy, FilterPolicyScope, Match, Numeric, subscription};
use infra_model::aws::sqs::{self, MaxReceiveCount, RedriveAllowPolicy, RedrivePolicy};
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
                .redrive_policy(RedrivePolicy::new(
                    Self::JOBS_DEAD_LETTERS.arn(),
                    MaxReceiveCount::<5>,
                )),
            jobs_dead_letters: sqs::Queue::default()
                .redrive_allow_policy(RedriveAllowPolicy::by_queue([jobs_arn])),
            jobs_subscription: sns::Subscription::new(
                subscription::Protocol::Sqs,
                Self::TOPIC.r#ref(),
            )
            .endpoint(Self::JOBS.arn())
            .filter_policy_scope(FilterPolicyScope::MessageBody)
            .filter_policy(filter),
        }
    }
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

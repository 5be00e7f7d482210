//! The README's worked example, "Adding a queue", compiled and checked: the code between
//! the `README BEGIN`/`README END` lines below is the README's, verbatim (a test compares
//! them), so the example a new user copies always builds.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic is a failed test

use serde_json::{Value, json};

// README BEGIN
use infra_model::aws::{sns, sqs};
use infra_model::wiring::sns::topic_to_queue;
use infra_model::wiring::sqs::dead_letter_queue;
use infra_model::{Stack, StackContext};

#[derive(Debug, Stack)]
#[stack(app = "api", service = "invites")]
pub struct Invites {
    #[output(TopicArn = "newInviteTopicArn")]
    pub new_invite_topic: sns::Topic,

    /// The worker's queue. `Ref` of a queue is its URL: the `Ref` output form.
    #[output(
        Ref = "newInviteQueueUrl",
        description = "URL of the new-invite queue."
    )]
    #[output(
        Arn = "newInviteQueueArn",
        description = "ARN of the new-invite queue."
    )]
    pub new_invite_queue: sqs::Queue,
    pub new_invite_queue_policy: sqs::QueuePolicy,
    pub new_invite_subscription: sns::Subscription,

    /// Queues are retained like tables and buckets; this one may go with the stack.
    #[resource(deletion_policy = "Delete", update_replace_policy = "Delete")]
    pub new_invite_dead_letters: sqs::Queue,
}

impl Invites {
    pub fn new(ctx: &StackContext) -> Self {
        // The subscription (endpoint: the queue's ARN) and the queue policy that lets
        // exactly this topic send to exactly this queue.
        let subscribed = topic_to_queue(
            Self::NEW_INVITE_TOPIC,
            Self::NEW_INVITE_QUEUE,
            Self::NEW_INVITE_QUEUE_POLICY,
        )
        .raw_message_delivery();
        // The queue's redrive policy (5 receives: 0 or 1001 does not compile) and the
        // dead-letter queue's redrive-allow policy naming the queue.
        let redrive = dead_letter_queue(
            sqs::Queue::default(),
            ctx.name("new-invite"),
            sqs::Queue::default().queue_name(ctx.name("new-invite-dead-letters")),
            Self::NEW_INVITE_DEAD_LETTERS,
            sqs::MaxReceiveCount::<5>,
        );
        Invites {
            new_invite_topic: sns::Topic::default().topic_name(ctx.name("new-invite")),
            new_invite_queue: redrive.queue,
            new_invite_queue_policy: subscribed.queue_policy,
            new_invite_subscription: subscribed.subscription,
            new_invite_dead_letters: redrive.dead_letter_queue,
        }
    }
}
// README END

fn template() -> Value {
    let ctx = StackContext::new("api", "invites", "dev");
    serde_json::from_str(&Invites::new(&ctx).to_template(&ctx).to_json()).expect("JSON")
}

#[test]
fn the_readme_shows_this_code() {
    let this = include_str!("readme_queue.rs");
    let code = this
        .split_once("// README BEGIN\n")
        .and_then(|(_, rest)| rest.split_once("// README END"))
        .expect("markers")
        .0;
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&format!("```rust\n{code}```")),
        "README.md's \"Adding a queue\" block differs from tests/tests/readme_queue.rs"
    );
}

#[test]
fn the_example_wires_the_queue_it_subscribes() {
    let t = template();
    let r = &t["Resources"];
    let sub = &r["NewInviteSubscription"]["Properties"];
    assert_eq!(sub["Protocol"], "sqs");
    assert_eq!(sub["TopicArn"], json!({"Ref": "NewInviteTopic"}));
    assert_eq!(
        sub["Endpoint"],
        json!({"Fn::GetAtt": ["NewInviteQueue", "Arn"]})
    );
    assert_eq!(sub["RawMessageDelivery"], true);
    let policy = &r["NewInviteQueuePolicy"]["Properties"];
    assert_eq!(policy["Queues"], json!([{"Ref": "NewInviteQueue"}]));
    let redrive = &r["NewInviteQueue"]["Properties"]["RedrivePolicy"];
    assert_eq!(redrive["maxReceiveCount"], 5);
    assert_eq!(r["NewInviteQueue"]["DeletionPolicy"], "Retain");
    assert_eq!(r["NewInviteDeadLetters"]["DeletionPolicy"], "Delete");
    assert_eq!(
        t["Outputs"]["newInviteQueueUrl"]["Value"],
        json!({"Ref": "NewInviteQueue"})
    );
    let problems = infra_check::validate("invites-dev", &t);
    assert!(problems.is_empty(), "{problems:?}");
}

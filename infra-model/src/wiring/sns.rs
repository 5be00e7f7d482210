//! SNS topics as event sources.

use serde_json::json;

use crate::aws::sns::{FilterPolicy, FilterPolicyScope, Protocol};
use crate::aws::{sns, sqs};
use crate::resource::Handle;

/// A queue subscribed to a topic, and the queue policy that lets the topic send.
#[must_use = "place the subscription and the queue policy in their stack fields"]
#[derive(Debug)]
pub struct TopicToQueue {
    /// `sqs` protocol, the queue's ARN as endpoint; depends on the queue policy.
    pub subscription: sns::Subscription,
    /// Lets exactly this topic send to exactly this queue.
    pub queue_policy: sqs::QueuePolicy,
}

/// Subscribes `queue` to `topic`; `queue_policy` is the stack field of the
/// queue policy this returns.
///
/// The endpoint is the queue's ARN (not its URL, which SNS rejects); the
/// policy allows `sns.amazonaws.com` to `sqs:SendMessage` to this queue only
/// when `aws:SourceArn` is this topic. The subscription depends on the policy,
/// so no message is sent before the queue accepts it. A queue has one policy:
/// subscribe a queue to one topic per policy.
pub fn topic_to_queue(
    topic: Handle<sns::Topic>,
    queue: Handle<sqs::Queue>,
    queue_policy: Handle<sqs::QueuePolicy>,
) -> TopicToQueue {
    let subscription = sns::Subscription::new(Protocol::Sqs, topic.r#ref())
        .endpoint(queue.arn().after(queue_policy));
    TopicToQueue {
        subscription,
        queue_policy: sns_send_policy(topic, queue),
    }
}

impl TopicToQueue {
    /// Delivers the message body as published, without the SNS envelope.
    pub fn raw_message_delivery(mut self) -> Self {
        self.subscription = self.subscription.raw_message_delivery(true);
        self
    }

    /// Delivers only the messages `policy` matches, on their attributes
    /// ([`FilterPolicyScope::MessageAttributes`]) or their JSON body
    /// ([`FilterPolicyScope::MessageBody`]).
    pub fn filter_policy(mut self, policy: FilterPolicy, scope: FilterPolicyScope) -> Self {
        self.subscription = self
            .subscription
            .filter_policy(policy)
            .filter_policy_scope(scope);
        self
    }
}

/// Allows SNS to send to `queue` for `topic` only.
fn sns_send_policy(topic: Handle<sns::Topic>, queue: Handle<sqs::Queue>) -> sqs::QueuePolicy {
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowTopicSendMessage",
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue.arn(),
            "Condition": {"ArnEquals": {"aws:SourceArn": topic.r#ref()}},
        }],
    });
    sqs::QueuePolicy::new(document, vec![queue.r#ref()])
}

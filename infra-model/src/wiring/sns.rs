//! SNS topics as event sources.

use crate::aws::sns::{FilterPolicy, FilterPolicyScope, Protocol};
use crate::aws::{sns, sqs};
use crate::iam::condition_keys::AWS_SOURCE_ARN;
use crate::iam::{Condition, PolicyDocument, Principal, Statement, actions};
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
/// subscribe a queue to several topics with [`topics_to_queue`], whose one
/// policy lets each of them send (two policies for one queue replace each
/// other, which validation reports as `E-shared-policy`).
pub fn topic_to_queue(
    topic: Handle<sns::Topic>,
    queue: Handle<sqs::Queue>,
    queue_policy: Handle<sqs::QueuePolicy>,
) -> TopicToQueue {
    let TopicsToQueue {
        subscriptions: [subscription],
        queue_policy,
    } = topics_to_queue([topic], queue, queue_policy);
    TopicToQueue {
        subscription,
        queue_policy,
    }
}

/// A queue subscribed to several topics, and its one queue policy.
#[must_use = "place the subscriptions and the queue policy in their stack fields"]
#[derive(Debug)]
pub struct TopicsToQueue<const N: usize> {
    /// One per topic, in the order given; each as [`TopicToQueue::subscription`].
    pub subscriptions: [sns::Subscription; N],
    /// Lets exactly these topics send to exactly this queue.
    pub queue_policy: sqs::QueuePolicy,
}

/// Subscribes `queue` to each of `topics` (fan-in), with one queue policy
/// that allows `sqs:SendMessage` when `aws:SourceArn` is any of the topics.
/// A filter policy or raw delivery for one subscription: its typed setters.
pub fn topics_to_queue<const N: usize>(
    topics: [Handle<sns::Topic>; N],
    queue: Handle<sqs::Queue>,
    queue_policy: Handle<sqs::QueuePolicy>,
) -> TopicsToQueue<N> {
    // No topic would leave the policy without its condition: any topic could send.
    const { assert!(N > 0, "topics_to_queue needs at least one topic") };
    TopicsToQueue {
        subscriptions: topics.map(|topic| {
            sns::Subscription::new(Protocol::Sqs, topic.r#ref())
                .endpoint(queue.arn().after(queue_policy))
        }),
        queue_policy: sns_send_policy(&topics, queue),
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

/// Allows SNS to send to `queue` for `topics` only (a condition's values are
/// alternatives).
fn sns_send_policy(topics: &[Handle<sns::Topic>], queue: Handle<sqs::Queue>) -> sqs::QueuePolicy {
    let statement = Statement::allow()
        .sid("AllowTopicSendMessage")
        .principal(Principal::service("sns.amazonaws.com"))
        .action(actions::sqs::SEND_MESSAGE)
        .resource(queue.arn());
    let statement = topics.iter().fold(statement, |statement, topic| {
        statement.condition(Condition::ArnEquals, AWS_SOURCE_ARN, topic.r#ref())
    });
    let document = PolicyDocument::new().statement(statement);
    sqs::QueuePolicy::new(document, vec![queue.r#ref()])
}

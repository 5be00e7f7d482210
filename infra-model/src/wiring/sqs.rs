//! SQS queues: dead-letter queues.

use crate::aws::sqs::{self, MaxReceiveCount, RedriveAllowPolicy, RedrivePolicy};
use crate::resource::Handle;
use crate::value::Value;

/// A queue that moves the messages it failed to deliver a number of times to
/// a dead-letter queue, and that dead-letter queue.
#[must_use = "place the queue and the dead-letter queue in their stack fields"]
#[derive(Debug)]
pub struct DeadLetter {
    /// The source queue, named, with its redrive policy.
    pub queue: sqs::Queue,
    /// The dead-letter queue, accepting redrives from the source queue only.
    pub dead_letter_queue: sqs::Queue,
}

/// `queue`, named `name`, sends a message to `dead_letter_queue` (the stack
/// field `dead_letter`) after `max_receive_count` receives
/// (`MaxReceiveCount::<5>`: a count outside SQS's 1 to 1000 does not compile).
///
/// The dead-letter queue's redrive-allow policy names the source queue only
/// (`byQueue`), by an ARN built from `name`: the source queue's redrive
/// policy already refers to the dead-letter queue, so a `GetAtt` back would
/// be a cycle. The helper sets the source queue's name so the two agree.
///
/// A message's age counts from when it entered the source queue, so a
/// dead-letter queue must keep messages longer than the source does: without
/// a `MessageRetentionPeriod` of its own it gets the longest SQS allows,
/// 14 days.
pub fn dead_letter_queue<const N: u16>(
    queue: sqs::Queue,
    name: impl Into<Value<String>>,
    dead_letter_queue: sqs::Queue,
    dead_letter: Handle<sqs::Queue>,
    max_receive_count: MaxReceiveCount<N>,
) -> DeadLetter {
    let name = name.into();
    let queue_arn = super::arn_from_name(
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:",
        &name,
    );
    let redrive = RedrivePolicy::new(dead_letter.arn(), max_receive_count);
    let allow = RedriveAllowPolicy::by_queue([queue_arn]);
    let mut dead_letter_queue = dead_letter_queue.redrive_allow_policy(allow);
    if dead_letter_queue.message_retention_period.is_none() {
        dead_letter_queue = dead_letter_queue.message_retention_period(MAX_RETENTION_SECONDS);
    }
    DeadLetter {
        queue: queue.queue_name(name).redrive_policy(redrive),
        dead_letter_queue,
    }
}

/// 14 days, the longest `MessageRetentionPeriod` SQS allows.
const MAX_RETENTION_SECONDS: i32 = 1_209_600;

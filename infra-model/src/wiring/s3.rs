//! S3 buckets as event sources.

use crate::aws::s3::{self, bucket};
use crate::aws::sns;
use crate::iam::condition_keys::{AWS_SOURCE_ACCOUNT, AWS_SOURCE_ARN};
use crate::iam::{Condition, PolicyDocument, Principal, Statement, actions};
use crate::pseudo;
use crate::resource::Handle;
use crate::value::Value;

/// A bucket that notifies a topic, and the topic policy that lets it.
#[must_use = "place the bucket and the topic policy in their stack fields"]
#[derive(Debug)]
pub struct BucketToTopic {
    /// The bucket, named, with a topic configuration that depends on the policy.
    pub bucket: s3::Bucket,
    /// Lets S3 publish to the topic for this bucket of this account only.
    pub topic_policy: sns::TopicPolicy,
}

/// `bucket`, named `name`, notifies `topic` of `event` (`s3:ObjectCreated:*`);
/// `topic_policy` is the stack field of the topic policy this returns.
///
/// S3 checks that it may publish when the notification is configured, so the
/// bucket depends on the policy, and the policy names the bucket by an ARN
/// built from `name` (a `GetAtt Bucket.Arn` there would be a cycle). The
/// helper sets the bucket's name itself so the two always agree. The
/// notification is added to the bucket's topic configurations, after any it
/// has. A topic has one policy: let one bucket notify a topic per policy.
pub fn bucket_to_topic(
    bucket: s3::Bucket,
    name: impl Into<Value<String>>,
    event: impl Into<Value<String>>,
    topic: Handle<sns::Topic>,
    topic_policy: Handle<sns::TopicPolicy>,
) -> BucketToTopic {
    let name = name.into();
    let bucket_arn = super::arn_from_name("arn:${AWS::Partition}:s3:::", &name);
    let notify = bucket::TopicConfiguration::new(event, topic.r#ref().after(topic_policy));
    let bucket = with_topic_configuration(bucket.bucket_name(name), notify);
    BucketToTopic {
        bucket,
        topic_policy: s3_publish_policy(topic, bucket_arn),
    }
}

/// Allows S3 to publish to `topic` for the bucket `bucket_arn` of this account
/// only (`aws:SourceArn` + `aws:SourceAccount`, against the confused deputy).
fn s3_publish_policy(topic: Handle<sns::Topic>, bucket_arn: Value<String>) -> sns::TopicPolicy {
    let document = PolicyDocument::new().statement(
        Statement::allow()
            .sid("AllowS3Publish")
            .principal(Principal::service("s3.amazonaws.com"))
            .action(actions::sns::PUBLISH)
            .resource(topic.r#ref())
            .condition(
                Condition::StringEquals,
                AWS_SOURCE_ACCOUNT,
                pseudo::account_id(),
            )
            .condition(Condition::ArnLike, AWS_SOURCE_ARN, bucket_arn),
    );
    sns::TopicPolicy::new(document, vec![topic.r#ref()])
}

/// `bucket` with `notify` after its topic configurations. A notification
/// configuration given as an intrinsic (`Fn::If`) cannot be extended and is
/// replaced.
fn with_topic_configuration(
    mut bucket: s3::Bucket,
    notify: bucket::TopicConfiguration,
) -> s3::Bucket {
    let mut config = match bucket.notification_configuration.take() {
        Some(Value::Lit(config)) => config,
        _ => bucket::NotificationConfiguration::default(),
    };
    let mut topics = match config.topic_configurations.take() {
        Some(Value::Lit(topics)) => topics,
        _ => Vec::new(),
    };
    topics.push(notify);
    config.topic_configurations = Some(topics.into());
    bucket.notification_configuration = Some(config.into());
    bucket
}

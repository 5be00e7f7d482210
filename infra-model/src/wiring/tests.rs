//! The pieces each helper returns, and the `DependsOn` they make a stack emit.
//! Expected JSON follows the AWS documentation of each connection: S3 event
//! notifications to SNS, SNS to SQS fanout, SQS dead-letter queues
//! (`redrivePolicy`, `redriveAllowPolicy`), and Lambda's DynamoDB Streams
//! execution-role permissions.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic is a failed test

use serde_json::{Value as Json, json};

use crate::__private::{ResourceOptions, TemplateBuilder};
use crate::aws::{dynamodb, iam, lambda, s3, sns, sqs};
use crate::resource::{Handle, Resource};
use crate::{Template, intrinsic};

/// The template entry of `resource` as `logical_id`, as `#[derive(Stack)]` builds it.
fn entry<R: Resource>(logical_id: &str, resource: &R) -> Json {
    let mut builder = TemplateBuilder::new(None);
    builder.resource(logical_id, resource, ResourceOptions::default());
    let template: Template = builder.finish();
    serde_json::to_value(&template.resources[logical_id]).unwrap()
}

const TOPIC: Handle<sns::Topic> = Handle::new("Topic");
const TOPIC_POLICY: Handle<sns::TopicPolicy> = Handle::new("TopicPolicy");
const QUEUE: Handle<sqs::Queue> = Handle::new("Queue");
const QUEUE_POLICY: Handle<sqs::QueuePolicy> = Handle::new("QueuePolicy");
const DEAD_LETTERS: Handle<sqs::Queue> = Handle::new("DeadLetters");

#[test]
fn a_bucket_notifies_its_topic_after_the_policy_that_names_it_by_name() {
    let name = intrinsic::sub("uploads-${AWS::AccountId}");
    let wired = super::s3::bucket_to_topic(
        s3::Bucket::default(),
        name,
        "s3:ObjectCreated:*",
        TOPIC,
        TOPIC_POLICY,
    );
    let bucket = entry("Bucket", &wired.bucket);
    assert_eq!(bucket["DependsOn"], json!(["TopicPolicy"]));
    assert_eq!(
        bucket["Properties"],
        json!({
            "BucketName": {"Fn::Sub": "uploads-${AWS::AccountId}"},
            "NotificationConfiguration": {"TopicConfigurations": [
                {"Event": "s3:ObjectCreated:*", "Topic": {"Ref": "Topic"}}
            ]},
        })
    );
    let policy = entry("TopicPolicy", &wired.topic_policy);
    assert_eq!(policy.get("DependsOn"), None);
    assert_eq!(
        policy["Properties"],
        json!({
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Sid": "AllowS3Publish",
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": {"Ref": "Topic"},
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
                    "ArnLike": {"aws:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:s3:::uploads-${AWS::AccountId}"}},
                },
            }]},
            "Topics": [{"Ref": "Topic"}],
        })
    );
}

#[test]
fn a_notification_is_added_after_the_ones_a_bucket_has_and_names_keep_their_variables() {
    let existing = s3::bucket::TopicConfiguration::new("s3:ObjectRemoved:*", "arn:other");
    let bucket = s3::Bucket::default().notification_configuration(
        s3::bucket::NotificationConfiguration::default().topic_configurations(vec![existing]),
    );
    let name = intrinsic::sub_with("${Prefix}-uploads", [("Prefix", "team")]);
    let wired =
        super::s3::bucket_to_topic(bucket, name, "s3:ObjectCreated:Put", TOPIC, TOPIC_POLICY);
    let bucket = entry("Bucket", &wired.bucket);
    let events: Vec<&Json> =
        bucket["Properties"]["NotificationConfiguration"]["TopicConfigurations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["Event"])
            .collect();
    assert_eq!(
        events,
        [&json!("s3:ObjectRemoved:*"), &json!("s3:ObjectCreated:Put")]
    );
    let policy = entry("TopicPolicy", &wired.topic_policy);
    let source = &policy["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]["ArnLike"];
    assert_eq!(
        source["aws:SourceArn"],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:s3:::${Prefix}-uploads", {"Prefix": "team"}]})
    );
}

#[test]
fn a_bucket_named_by_a_parameter_gets_its_arn_through_a_sub_variable() {
    let name = intrinsic::r#ref("BucketNameParameter");
    let wired = super::s3::bucket_to_topic(
        s3::Bucket::default(),
        name,
        "s3:ObjectCreated:*",
        TOPIC,
        TOPIC_POLICY,
    );
    let policy = entry("TopicPolicy", &wired.topic_policy);
    let source = &policy["Properties"]["PolicyDocument"]["Statement"][0]["Condition"]["ArnLike"];
    assert_eq!(
        source["aws:SourceArn"],
        json!({"Fn::Sub": ["arn:${AWS::Partition}:s3:::${Name}", {"Name": {"Ref": "BucketNameParameter"}}]})
    );
}

#[test]
fn the_queue_policy_names_exactly_the_subscribed_queue_and_topic() {
    for (queue, topic) in [(QUEUE, TOPIC), (DEAD_LETTERS, Handle::new("OtherTopic"))] {
        let wired = super::sns::topic_to_queue(topic, queue, QUEUE_POLICY);
        let policy = entry("QueuePolicy", &wired.queue_policy);
        let (q, t) = (queue.logical_id(), topic.logical_id());
        assert_eq!(
            policy["Properties"],
            json!({
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Sid": "AllowTopicSendMessage",
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": {"Fn::GetAtt": [q, "Arn"]},
                    "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": t}}},
                }]},
                "Queues": [{"Ref": q}],
            })
        );
        let subscription = entry("Subscription", &wired.subscription);
        assert_eq!(subscription["DependsOn"], json!(["QueuePolicy"]));
        assert_eq!(
            subscription["Properties"],
            json!({
                "Protocol": "sqs",
                "TopicArn": {"Ref": t},
                "Endpoint": {"Fn::GetAtt": [q, "Arn"]},
            })
        );
    }
}

#[test]
fn a_subscription_may_deliver_raw_messages_and_filter_them() {
    let wired = super::sns::topic_to_queue(TOPIC, QUEUE, QUEUE_POLICY)
        .raw_message_delivery()
        .filter_policy(
            sns::FilterPolicy::new().attribute("kind", ["upload"]),
            sns::FilterPolicyScope::MessageAttributes,
        );
    let subscription = entry("Subscription", &wired.subscription);
    assert_eq!(
        subscription["Properties"]["RawMessageDelivery"],
        json!(true)
    );
    assert_eq!(
        subscription["Properties"]["FilterPolicy"],
        json!({"kind": ["upload"]})
    );
    assert_eq!(
        subscription["Properties"]["FilterPolicyScope"],
        json!("MessageAttributes")
    );
}

#[test]
fn a_queue_redrives_to_a_dead_letter_queue_that_allows_only_it() {
    let wired = super::sqs::dead_letter_queue(
        sqs::Queue::default(),
        "infra-dev-uploads",
        sqs::Queue::default().queue_name("infra-dev-uploads-dead"),
        DEAD_LETTERS,
        sqs::MaxReceiveCount::<5>,
    );
    let queue = entry("Queue", &wired.queue);
    assert_eq!(
        queue["Properties"],
        json!({
            "QueueName": "infra-dev-uploads",
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetters", "Arn"]},
                "maxReceiveCount": 5,
            },
        })
    );
    let dead = entry("DeadLetters", &wired.dead_letter_queue);
    assert_eq!(
        dead["Properties"],
        json!({
            "QueueName": "infra-dev-uploads-dead",
            "MessageRetentionPeriod": 1_209_600,
            "RedriveAllowPolicy": {
                "redrivePermission": "byQueue",
                "sourceQueueArns": [{"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:infra-dev-uploads"}],
            },
        })
    );
}

#[test]
fn a_dead_letter_queue_keeps_the_retention_it_was_given() {
    let wired = super::sqs::dead_letter_queue(
        sqs::Queue::default(),
        "q",
        sqs::Queue::default().message_retention_period(86_400),
        DEAD_LETTERS,
        sqs::MaxReceiveCount::<1000>,
    );
    let dead = entry("DeadLetters", &wired.dead_letter_queue);
    assert_eq!(dead["Properties"]["MessageRetentionPeriod"], json!(86_400));
    let queue = entry("Queue", &wired.queue);
    assert_eq!(
        queue["Properties"]["RedrivePolicy"]["maxReceiveCount"],
        json!(1000)
    );
}

#[test]
fn a_stream_invokes_a_function_after_its_role_may_read_exactly_that_stream() {
    let wired = super::dynamodb::stream_to_function(
        Handle::<dynamodb::Table>::new("Events"),
        Handle::<lambda::Function>::new("Handler"),
        Handle::<iam::Role>::new("HandlerRole"),
        Handle::<iam::Policy>::new("HandlerStreamPolicy"),
        super::dynamodb::StartingPosition::TrimHorizon,
    );
    let mapping = entry("Mapping", &wired.event_source_mapping);
    assert_eq!(mapping["DependsOn"], json!(["HandlerStreamPolicy"]));
    assert_eq!(
        mapping["Properties"],
        json!({
            "EventSourceArn": {"Fn::GetAtt": ["Events", "StreamArn"]},
            "FunctionName": {"Ref": "Handler"},
            "StartingPosition": "TRIM_HORIZON",
        })
    );
    let policy = entry("HandlerStreamPolicy", &wired.policy);
    assert_eq!(
        policy["Properties"],
        json!({
            "PolicyName": "HandlerStreamPolicy",
            "Roles": [{"Ref": "HandlerRole"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {
                    "Sid": "ReadStream",
                    "Effect": "Allow",
                    "Action": ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                    "Resource": {"Fn::GetAtt": ["Events", "StreamArn"]},
                },
                {"Sid": "ListStreams", "Effect": "Allow", "Action": "dynamodb:ListStreams", "Resource": "*"},
            ]},
        })
    );
}

#[test]
fn dependencies_carried_by_values_join_the_declared_ones_once() {
    let topic = TOPIC
        .r#ref()
        .after(TOPIC_POLICY)
        .after(QUEUE_POLICY)
        .after(TOPIC_POLICY);
    let first = s3::bucket::TopicConfiguration::new("a", topic.clone());
    let second = s3::bucket::TopicConfiguration::new("b", topic);
    let bucket = s3::Bucket::default().notification_configuration(
        s3::bucket::NotificationConfiguration::default().topic_configurations(vec![first, second]),
    );
    let mut builder = TemplateBuilder::new(None);
    let opts = ResourceOptions {
        depends_on: &["Queue", "TopicPolicy"],
        ..ResourceOptions::default()
    };
    builder.resource("Bucket", &bucket, opts);
    let template = builder.finish();
    let entry = &template.resources["Bucket"];
    assert_eq!(entry.depends_on, ["Queue", "TopicPolicy", "QueuePolicy"]);
    assert!(!template.to_json().contains("Infra::After"));
}

#[test]
fn a_marker_outside_a_stack_is_loud_not_silently_dropped() {
    let value = TOPIC.r#ref().after(TOPIC_POLICY);
    assert_eq!(
        serde_json::to_value(&value).unwrap(),
        json!({"Infra::After": [["TopicPolicy"], {"Ref": "Topic"}]})
    );
}

#[test]
fn a_queue_subscribed_to_several_topics_has_one_policy_naming_each() {
    let other: Handle<sns::Topic> = Handle::new("OtherTopic");
    let wired = super::sns::topics_to_queue([TOPIC, other], QUEUE, QUEUE_POLICY);
    let policy = entry("QueuePolicy", &wired.queue_policy);
    let statement = &policy["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statement.as_array().map(Vec::len), Some(1), "{statement:#}");
    assert_eq!(
        statement[0]["Condition"],
        json!({"ArnEquals": {"aws:SourceArn": [
            {"Ref": TOPIC.logical_id()},
            {"Ref": "OtherTopic"},
        ]}})
    );
    assert_eq!(
        policy["Properties"]["Queues"],
        json!([{"Ref": QUEUE.logical_id()}])
    );
    for (subscription, topic) in wired.subscriptions.iter().zip([TOPIC, other]) {
        let subscription = entry("Subscription", subscription);
        assert_eq!(subscription["DependsOn"], json!(["QueuePolicy"]));
        assert_eq!(
            subscription["Properties"]["TopicArn"],
            json!({"Ref": topic.logical_id()})
        );
        assert_eq!(
            subscription["Properties"]["Endpoint"],
            json!({"Fn::GetAtt": [QUEUE.logical_id(), "Arn"]})
        );
    }
}

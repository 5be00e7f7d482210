//! The `infra` service: the tables, topics and buckets other services of the
//! `api` app use, and the nine outputs they read (a contract: names are exact).

use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::s3::{self, bucket};
use infra_model::aws::sns;
use infra_model::{Handle, Stack, StackContext, pseudo};
use serde_json::json;

use crate::naming;

#[derive(Debug, Stack)]
#[stack(
    app = "api",
    service = "infra",
    description = "Shared infrastructure of the api app: tables, topics and buckets"
)]
pub struct Infra {
    #[output(
        Arn = "workspacesTableArn",
        description = "The ARN of the \"Workspaces\" DynamoDB Table."
    )]
    pub workspaces_table: dynamodb::Table,

    #[output(
        Arn = "invitesTableArn",
        description = "The ARN of the \"Invites\" DynamoDB Table."
    )]
    #[output(
        StreamArn = "invitesTableStreamArn",
        description = "The ARN of the \"Invites\" DynamoDB Table's stream."
    )]
    pub invites_table: dynamodb::Table,

    #[output(
        TopicArn = "newS3AudioRecordingTopicArn",
        description = "The ARN of the SNS topic S3 notifies on a new audio recording."
    )]
    pub new_s3_audio_recording_topic: sns::Topic,

    #[output(
        TopicArn = "newS3TranscodedAudioRecordingTopicArn",
        description = "The ARN of the SNS topic S3 notifies on a new transcoded audio recording."
    )]
    pub new_s3_transcoded_audio_recording_topic: sns::Topic,

    #[output(
        TopicArn = "newInviteTopicArn",
        description = "The ARN of the \"new-invite\" SNS topic."
    )]
    pub new_invite_topic: sns::Topic,

    #[output(
        TopicArn = "deletedInviteTopicArn",
        description = "The ARN of the \"deleted-invite\" SNS topic."
    )]
    pub deleted_invite_topic: sns::Topic,

    /// Lets the recordings bucket publish to its topic.
    pub new_s3_audio_recording_topic_policy: sns::TopicPolicy,

    /// Lets the transcoded recordings bucket publish to its topic.
    pub new_s3_transcoded_audio_recording_topic_policy: sns::TopicPolicy,

    // S3 checks that it may publish when the notification is configured, so the
    // bucket must wait for the topic policy.
    #[resource(depends_on(new_s3_audio_recording_topic_policy))]
    #[output(
        Arn = "recordingsBucketArn",
        description = "The ARN of the audio recordings S3 bucket."
    )]
    pub recordings_bucket: s3::Bucket,

    #[resource(depends_on(new_s3_transcoded_audio_recording_topic_policy))]
    #[output(
        Arn = "transcodedRecordingsBucketArn",
        description = "The ARN of the transcoded audio recordings S3 bucket."
    )]
    pub transcoded_recordings_bucket: s3::Bucket,
}

/// Bucket name parts (the rest of the name is app, service, stage, account, region).
const RECORDINGS: &str = "recordings";
const TRANSCODED: &str = "transcoded";

impl Infra {
    pub fn new(ctx: &StackContext) -> Self {
        Infra {
            workspaces_table: table_with_key(ctx, "workspaces", "workspaceId", None),
            invites_table: table_with_key(
                ctx,
                "invites",
                "inviteId",
                Some(table::StreamViewType::NewAndOldImages),
            ),
            new_s3_audio_recording_topic: topic(ctx, "new-s3-audio-recording"),
            new_s3_transcoded_audio_recording_topic: topic(
                ctx,
                "new-s3-transcoded-audio-recording",
            ),
            new_invite_topic: topic(ctx, "new-invite"),
            deleted_invite_topic: topic(ctx, "deleted-invite"),
            new_s3_audio_recording_topic_policy: s3_publish_policy(
                ctx,
                Self::NEW_S3_AUDIO_RECORDING_TOPIC,
                RECORDINGS,
            ),
            new_s3_transcoded_audio_recording_topic_policy: s3_publish_policy(
                ctx,
                Self::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC,
                TRANSCODED,
            ),
            recordings_bucket: notifying_bucket(
                ctx,
                RECORDINGS,
                Self::NEW_S3_AUDIO_RECORDING_TOPIC,
            ),
            transcoded_recordings_bucket: notifying_bucket(
                ctx,
                TRANSCODED,
                Self::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC,
            ),
        }
    }
}

/// An on-demand table with a string hash key, point-in-time recovery on, and
/// a stream when `stream` is given.
fn table_with_key(
    ctx: &StackContext,
    name: &str,
    key: &str,
    stream: Option<table::StreamViewType>,
) -> dynamodb::Table {
    let table = dynamodb::Table::new(vec![table::KeySchema::new(key, "HASH")])
        .table_name(naming::regional(ctx, name))
        .billing_mode(table::BillingMode::PayPerRequest)
        .attribute_definitions(vec![table::AttributeDefinition::new(
            key,
            table::AttributeType::S,
        )])
        .point_in_time_recovery_specification(
            table::PointInTimeRecoverySpecification::default().point_in_time_recovery_enabled(true),
        );
    match stream {
        Some(view) => table.stream_specification(table::StreamSpecification::new(view)),
        None => table,
    }
}

fn topic(ctx: &StackContext, name: &str) -> sns::Topic {
    sns::Topic::default().topic_name(naming::regional(ctx, name))
}

/// Allows S3 to publish to `topic`, only for the bucket `bucket_name` of this
/// account (`aws:SourceArn` + `aws:SourceAccount`, against the confused deputy).
fn s3_publish_policy(
    ctx: &StackContext,
    topic: Handle<sns::Topic>,
    bucket_name: &str,
) -> sns::TopicPolicy {
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowS3Publish",
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic.r#ref(),
            "Condition": {
                "StringEquals": {"aws:SourceAccount": pseudo::account_id()},
                "ArnLike": {"aws:SourceArn": naming::bucket_arn(ctx, bucket_name)},
            },
        }],
    });
    sns::TopicPolicy::new(document, vec![topic.r#ref()])
}

/// A private, encrypted bucket that notifies `topic` of every new object.
fn notifying_bucket(ctx: &StackContext, name: &str, topic: Handle<sns::Topic>) -> s3::Bucket {
    let private = bucket::PublicAccessBlockConfiguration::default()
        .block_public_acls(true)
        .block_public_policy(true)
        .ignore_public_acls(true)
        .restrict_public_buckets(true);
    let encrypted = bucket::ServerSideEncryptionRule::default().server_side_encryption_by_default(
        bucket::ServerSideEncryptionByDefault::new(bucket::SseAlgorithm::Aes256),
    );
    let owner_enforced = bucket::OwnershipControlsRule::default()
        .object_ownership(bucket::ObjectOwnership::BucketOwnerEnforced);
    let notify = bucket::TopicConfiguration::new("s3:ObjectCreated:*", topic.r#ref());
    s3::Bucket::default()
        .bucket_name(naming::bucket(ctx, name))
        .public_access_block_configuration(private)
        .bucket_encryption(bucket::BucketEncryption::new(vec![encrypted]))
        .ownership_controls(bucket::OwnershipControls::new(vec![owner_enforced]))
        .notification_configuration(
            bucket::NotificationConfiguration::default().topic_configurations(vec![notify]),
        )
}

//! The `infra` service: the tables, topics and buckets other services of the
//! `api` app use, and the outputs they read (a contract: names are exact).

use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::s3::{self, bucket};
use infra_model::aws::sns;
use infra_model::wiring::s3::bucket_to_topic;
use infra_model::{Stack, StackContext};

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

    /// Lets the recordings bucket publish to its topic (from `bucket_to_topic`).
    pub new_s3_audio_recording_topic_policy: sns::TopicPolicy,

    /// Lets the transcoded recordings bucket publish to its topic (from `bucket_to_topic`).
    pub new_s3_transcoded_audio_recording_topic_policy: sns::TopicPolicy,

    #[output(
        Arn = "recordingsBucketArn",
        description = "The ARN of the audio recordings S3 bucket."
    )]
    pub recordings_bucket: s3::Bucket,

    #[output(
        Arn = "transcodedRecordingsBucketArn",
        description = "The ARN of the transcoded audio recordings S3 bucket."
    )]
    pub transcoded_recordings_bucket: s3::Bucket,
}

impl Infra {
    pub fn new(ctx: &StackContext) -> Self {
        let recordings = bucket_to_topic(
            private_bucket(),
            naming::bucket(ctx, "recordings"),
            NEW_OBJECT,
            Self::NEW_S3_AUDIO_RECORDING_TOPIC,
            Self::NEW_S3_AUDIO_RECORDING_TOPIC_POLICY,
        );
        let transcoded = bucket_to_topic(
            private_bucket(),
            naming::bucket(ctx, "transcoded"),
            NEW_OBJECT,
            Self::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC,
            Self::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC_POLICY,
        );
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
            new_s3_audio_recording_topic_policy: recordings.topic_policy,
            new_s3_transcoded_audio_recording_topic_policy: transcoded.topic_policy,
            recordings_bucket: recordings.bucket,
            transcoded_recordings_bucket: transcoded.bucket,
        }
    }
}

/// The S3 event the buckets notify their topics of.
const NEW_OBJECT: &str = "s3:ObjectCreated:*";

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

/// A private, encrypted bucket, owner-enforced.
fn private_bucket() -> s3::Bucket {
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
    s3::Bucket::default()
        .public_access_block_configuration(private)
        .bucket_encryption(bucket::BucketEncryption::new(vec![encrypted]))
        .ownership_controls(bucket::OwnershipControls::new(vec![owner_enforced]))
}

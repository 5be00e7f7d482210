//! The `scratch` stack, imported from a CloudFormation template by `cargo xtask import`.

use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::s3::{self, bucket};
use infra_model::aws::sns;
use infra_model::{Output, Stack, StackContext, Template, intrinsic, pseudo};
use serde_json::json;

#[derive(Debug, Stack)]
#[stack(
    app = "api",
    service = "scratch",
    description = "Shared infrastructure of the api app: tables, topics and buckets",
    customize = customize
)]
pub struct Scratch {
    pub deleted_invite_topic: sns::Topic,
    #[resource(deletion_policy = "Retain", update_replace_policy = "Retain")]
    pub invites_table: dynamodb::Table,
    pub new_invite_topic: sns::Topic,
    pub new_s3_audio_recording_topic: sns::Topic,
    pub new_s3_audio_recording_topic_policy: sns::TopicPolicy,
    pub new_s3_transcoded_audio_recording_topic: sns::Topic,
    pub new_s3_transcoded_audio_recording_topic_policy: sns::TopicPolicy,
    #[resource(
        depends_on(new_s3_audio_recording_topic_policy),
        deletion_policy = "Retain",
        update_replace_policy = "Retain"
    )]
    pub recordings_bucket: s3::Bucket,
    #[resource(
        depends_on(new_s3_transcoded_audio_recording_topic_policy),
        deletion_policy = "Retain",
        update_replace_policy = "Retain"
    )]
    pub transcoded_recordings_bucket: s3::Bucket,
    #[resource(deletion_policy = "Retain", update_replace_policy = "Retain")]
    pub workspaces_table: dynamodb::Table,
}

impl Scratch {
    /// The stack's resources, every value as the imported template has it.
    pub fn new(_ctx: &StackContext) -> Self {
        Scratch {
            deleted_invite_topic: deleted_invite_topic(),
            invites_table: invites_table(),
            new_invite_topic: new_invite_topic(),
            new_s3_audio_recording_topic: new_s3_audio_recording_topic(),
            new_s3_audio_recording_topic_policy: new_s3_audio_recording_topic_policy(),
            new_s3_transcoded_audio_recording_topic: new_s3_transcoded_audio_recording_topic(),
            new_s3_transcoded_audio_recording_topic_policy: new_s3_transcoded_audio_recording_topic_policy(),
            recordings_bucket: recordings_bucket(),
            transcoded_recordings_bucket: transcoded_recordings_bucket(),
            workspaces_table: workspaces_table(),
        }
    }
}

/// `DeletedInviteTopic` (AWS::SNS::Topic).
fn deleted_invite_topic() -> sns::Topic {
    sns::Topic::default().topic_name("infra-prod-deleted-invite")
}

/// `InvitesTable` (AWS::DynamoDB::Table).
fn invites_table() -> dynamodb::Table {
    dynamodb::Table::new(vec![table::KeySchema::new("inviteId", "HASH")])
        .attribute_definitions(
            vec![table::AttributeDefinition::new("inviteId", table::AttributeType::S)],
        )
        .billing_mode(table::BillingMode::PayPerRequest)
        .point_in_time_recovery_specification(
            table::PointInTimeRecoverySpecification::default()
                .point_in_time_recovery_enabled(true),
        )
        .stream_specification(
            table::StreamSpecification::new(table::StreamViewType::NewAndOldImages),
        )
        .table_name("infra-prod-invites")
}

/// `NewInviteTopic` (AWS::SNS::Topic).
fn new_invite_topic() -> sns::Topic {
    sns::Topic::default().topic_name("infra-prod-new-invite")
}

/// `NewS3AudioRecordingTopic` (AWS::SNS::Topic).
fn new_s3_audio_recording_topic() -> sns::Topic {
    sns::Topic::default().topic_name("infra-prod-new-s3-audio-recording")
}

/// `NewS3AudioRecordingTopicPolicy` (AWS::SNS::TopicPolicy).
fn new_s3_audio_recording_topic_policy() -> sns::TopicPolicy {
    sns::TopicPolicy::new(
        json!(
            { "Statement" : [{ "Action" : "sns:Publish", "Condition" : { "ArnLike" : {
            "aws:SourceArn" :
            intrinsic::sub("arn:${AWS::Partition}:s3:::api-infra-prod-recordings-${AWS::AccountId}-${AWS::Region}")
            }, "StringEquals" : { "aws:SourceAccount" : pseudo::account_id() } },
            "Effect" : "Allow", "Principal" : { "Service" : "s3.amazonaws.com" },
            "Resource" : Scratch::NEW_S3_AUDIO_RECORDING_TOPIC.r#ref(), "Sid" :
            "AllowS3Publish" }], "Version" : "2012-10-17" }
        ),
        vec![Scratch::NEW_S3_AUDIO_RECORDING_TOPIC.r#ref()],
    )
}

/// `NewS3TranscodedAudioRecordingTopic` (AWS::SNS::Topic).
fn new_s3_transcoded_audio_recording_topic() -> sns::Topic {
    sns::Topic::default().topic_name("infra-prod-new-s3-transcoded-audio-recording")
}

/// `NewS3TranscodedAudioRecordingTopicPolicy` (AWS::SNS::TopicPolicy).
fn new_s3_transcoded_audio_recording_topic_policy() -> sns::TopicPolicy {
    sns::TopicPolicy::new(
        json!(
            { "Statement" : [{ "Action" : "sns:Publish", "Condition" : { "ArnLike" : {
            "aws:SourceArn" :
            intrinsic::sub("arn:${AWS::Partition}:s3:::api-infra-prod-transcoded-${AWS::AccountId}-${AWS::Region}")
            }, "StringEquals" : { "aws:SourceAccount" : pseudo::account_id() } },
            "Effect" : "Allow", "Principal" : { "Service" : "s3.amazonaws.com" },
            "Resource" : Scratch::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC.r#ref(), "Sid"
            : "AllowS3Publish" }], "Version" : "2012-10-17" }
        ),
        vec![Scratch::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC.r#ref()],
    )
}

/// `RecordingsBucket` (AWS::S3::Bucket).
fn recordings_bucket() -> s3::Bucket {
    s3::Bucket::default()
        .bucket_encryption(
            bucket::BucketEncryption::new(
                vec![
                    bucket::ServerSideEncryptionRule::default()
                    .server_side_encryption_by_default(bucket::ServerSideEncryptionByDefault::new(bucket::SseAlgorithm::Aes256))
                ],
            ),
        )
        .bucket_name(
            intrinsic::sub("api-infra-prod-recordings-${AWS::AccountId}-${AWS::Region}"),
        )
        .notification_configuration(
            bucket::NotificationConfiguration::default()
                .topic_configurations(
                    vec![
                        bucket::TopicConfiguration::new("s3:ObjectCreated:*",
                        Scratch::NEW_S3_AUDIO_RECORDING_TOPIC.r#ref())
                    ],
                ),
        )
        .ownership_controls(
            bucket::OwnershipControls::new(
                vec![
                    bucket::OwnershipControlsRule::default()
                    .object_ownership(bucket::ObjectOwnership::BucketOwnerEnforced)
                ],
            ),
        )
        .public_access_block_configuration(
            bucket::PublicAccessBlockConfiguration::default()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true),
        )
}

/// `TranscodedRecordingsBucket` (AWS::S3::Bucket).
fn transcoded_recordings_bucket() -> s3::Bucket {
    s3::Bucket::default()
        .bucket_encryption(
            bucket::BucketEncryption::new(
                vec![
                    bucket::ServerSideEncryptionRule::default()
                    .server_side_encryption_by_default(bucket::ServerSideEncryptionByDefault::new(bucket::SseAlgorithm::Aes256))
                ],
            ),
        )
        .bucket_name(
            intrinsic::sub("api-infra-prod-transcoded-${AWS::AccountId}-${AWS::Region}"),
        )
        .notification_configuration(
            bucket::NotificationConfiguration::default()
                .topic_configurations(
                    vec![
                        bucket::TopicConfiguration::new("s3:ObjectCreated:*",
                        Scratch::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC.r#ref())
                    ],
                ),
        )
        .ownership_controls(
            bucket::OwnershipControls::new(
                vec![
                    bucket::OwnershipControlsRule::default()
                    .object_ownership(bucket::ObjectOwnership::BucketOwnerEnforced)
                ],
            ),
        )
        .public_access_block_configuration(
            bucket::PublicAccessBlockConfiguration::default()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true),
        )
}

/// `WorkspacesTable` (AWS::DynamoDB::Table).
fn workspaces_table() -> dynamodb::Table {
    dynamodb::Table::new(vec![table::KeySchema::new("workspaceId", "HASH")])
        .attribute_definitions(
            vec![table::AttributeDefinition::new("workspaceId", table::AttributeType::S)],
        )
        .billing_mode(table::BillingMode::PayPerRequest)
        .point_in_time_recovery_specification(
            table::PointInTimeRecoverySpecification::default()
                .point_in_time_recovery_enabled(true),
        )
        .table_name("infra-prod-workspaces")
}

/// The template's parameters, rules, mappings, conditions, metadata and
/// outputs, and the resource attributes a field does not carry.
fn customize(_stack: &Scratch, _ctx: &StackContext, template: &mut Template) {
    template
        .outputs
        .insert(
            "deletedInviteTopicArn".into(),
            Output::new(Scratch::DELETED_INVITE_TOPIC.topic_arn())
                .description("The ARN of the \"deleted-invite\" SNS topic.")
                .export(intrinsic::sub("${AWS::StackName}-deletedInviteTopicArn")),
        );
    template
        .outputs
        .insert(
            "invitesTableArn".into(),
            Output::new(Scratch::INVITES_TABLE.arn())
                .description("The ARN of the \"Invites\" DynamoDB Table.")
                .export(intrinsic::sub("${AWS::StackName}-invitesTableArn")),
        );
    template
        .outputs
        .insert(
            "invitesTableStreamArn".into(),
            Output::new(Scratch::INVITES_TABLE.stream_arn())
                .description("The ARN of the \"Invites\" DynamoDB Table's stream.")
                .export(intrinsic::sub("${AWS::StackName}-invitesTableStreamArn")),
        );
    template
        .outputs
        .insert(
            "newInviteTopicArn".into(),
            Output::new(Scratch::NEW_INVITE_TOPIC.topic_arn())
                .description("The ARN of the \"new-invite\" SNS topic.")
                .export(intrinsic::sub("${AWS::StackName}-newInviteTopicArn")),
        );
    template
        .outputs
        .insert(
            "newS3AudioRecordingTopicArn".into(),
            Output::new(Scratch::NEW_S3_AUDIO_RECORDING_TOPIC.topic_arn())
                .description(
                    "The ARN of the SNS topic S3 notifies on a new audio recording.",
                )
                .export(intrinsic::sub("${AWS::StackName}-newS3AudioRecordingTopicArn")),
        );
    template
        .outputs
        .insert(
            "newS3TranscodedAudioRecordingTopicArn".into(),
            Output::new(Scratch::NEW_S3_TRANSCODED_AUDIO_RECORDING_TOPIC.topic_arn())
                .description(
                    "The ARN of the SNS topic S3 notifies on a new transcoded audio recording.",
                )
                .export(
                    intrinsic::sub(
                        "${AWS::StackName}-newS3TranscodedAudioRecordingTopicArn",
                    ),
                ),
        );
    template
        .outputs
        .insert(
            "recordingsBucketArn".into(),
            Output::new(Scratch::RECORDINGS_BUCKET.arn())
                .description("The ARN of the audio recordings S3 bucket.")
                .export(intrinsic::sub("${AWS::StackName}-recordingsBucketArn")),
        );
    template
        .outputs
        .insert(
            "transcodedRecordingsBucketArn".into(),
            Output::new(Scratch::TRANSCODED_RECORDINGS_BUCKET.arn())
                .description("The ARN of the transcoded audio recordings S3 bucket.")
                .export(
                    intrinsic::sub("${AWS::StackName}-transcodedRecordingsBucketArn"),
                ),
        );
    template
        .outputs
        .insert(
            "workspacesTableArn".into(),
            Output::new(Scratch::WORKSPACES_TABLE.arn())
                .description("The ARN of the \"Workspaces\" DynamoDB Table.")
                .export(intrinsic::sub("${AWS::StackName}-workspacesTableArn")),
        );
}

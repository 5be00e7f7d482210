//! Every attribute of the DSL, and the typed handles used from `impl` blocks.
use infra_model::aws::{dynamodb, s3, sns};
use infra_model::{Stack, StackContext, Template, Value};

#[derive(Stack)]
#[stack(
    app = "api",
    service = "infra",
    description = "Shared infrastructure of the api app",
    customize = Self::customize
)]
pub struct Infra {
    #[output(Arn = "workspacesTableArn", description = "The ARN of the \"Workspaces\" DynamoDB Table.")]
    pub workspaces_table: dynamodb::Table,
    #[output(Arn = "invitesTableArn", StreamArn = "invitesTableStreamArn")]
    pub invites_table: dynamodb::Table,
    #[output(Ref = "newInviteTopicArn")]
    #[output(TopicArn = "newInviteTopicArnAgain")]
    pub new_invite_topic: sns::Topic,
    #[resource(
        depends_on(recordings_topic_policy),
        deletion_policy = "Delete",
        update_replace_policy = "Snapshot",
        condition = "IsProd&Us_East",
        logical_id = "Recordings"
    )]
    pub recordings_bucket: s3::Bucket,
    pub recordings_topic_policy: sns::TopicPolicy,
}

impl Infra {
    fn customize(&self, _ctx: &StackContext, _template: &mut Template) {}

    fn stream_arn() -> Value<String> {
        Self::INVITES_TABLE.stream_arn()
    }
}

fn main() {
    const _: &str = Infra::RECORDINGS_BUCKET.logical_id();
    const _: usize = Infra::OUTPUTS.len();
    let _ = Infra::stream_arn();
    let _ = Infra::WORKSPACES_TABLE.get_att(dynamodb::TableAttributes::Arn);
    let _ = Infra::NEW_INVITE_TOPIC.r#ref();
}

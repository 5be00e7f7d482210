//! `#[derive(Stack)]` on a small stack of generated resource types: the exact
//! template it builds and the outputs it declares.

use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::{s3, sns};
use infra_model::{OutputSpec, Stack, StackContext, Template};
use serde_json::json;

#[derive(Stack)]
#[stack(
    app = "api",
    service = "infra",
    description = "Shared infrastructure of the api app",
    customize = Self::customize
)]
struct Infra {
    #[output(
        Arn = "workspacesTableArn",
        description = "The ARN of the \"Workspaces\" DynamoDB Table."
    )]
    workspaces_table: dynamodb::Table,
    #[output(Ref = "newInviteTopicArn")]
    #[output(TopicArn = "newInviteTopicTopicArn")]
    new_invite_topic: sns::Topic,
    #[resource(
        depends_on(recordings_topic_policy),
        deletion_policy = "Delete",
        condition = "IsProd",
        logical_id = "Recordings"
    )]
    recordings_bucket: s3::Bucket,
    #[resource(update_replace_policy = "Delete")]
    archive_bucket: s3::Bucket,
    recordings_topic_policy: sns::TopicPolicy,
}

impl Infra {
    fn new(ctx: &StackContext) -> Self {
        let key = table::KeySchema::new("id", "HASH");
        let id = table::AttributeDefinition::new("id", table::AttributeType::S);
        let policy = json!({"Statement": [{"Effect": "Allow", "Action": "sns:Publish"}]});
        Infra {
            workspaces_table: dynamodb::Table {
                attribute_definitions: Some(vec![id].into()),
                ..dynamodb::Table::new(vec![key])
            },
            new_invite_topic: sns::Topic {
                topic_name: Some(ctx.name("new-invite").into()),
                ..sns::Topic::default()
            },
            recordings_bucket: s3::Bucket::default(),
            archive_bucket: s3::Bucket::default(),
            recordings_topic_policy: sns::TopicPolicy::new(
                policy,
                vec![Self::NEW_INVITE_TOPIC.r#ref()],
            ),
        }
    }

    fn customize(&self, ctx: &StackContext, template: &mut Template) {
        let is_prod = json!({"Fn::Equals": [ctx.stage, "prod"]});
        template.conditions.insert("IsProd".to_owned(), is_prod);
    }
}

#[test]
fn builds_the_template() {
    let ctx = StackContext::new("api", "infra", "dev");
    let template = Infra::new(&ctx).to_template(&ctx);
    let actual: serde_json::Value = serde_json::from_str(&template.to_json()).expect("valid JSON");
    assert_eq!(actual, expected_template());
}

/// Written from the CloudFormation template reference: tables and buckets
/// hold data, so they keep `Retain` unless a field says otherwise, and
/// `UpdateReplacePolicy` follows `DeletionPolicy` when only that is given.
fn expected_template() -> serde_json::Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Shared infrastructure of the api app",
        "Conditions": {"IsProd": {"Fn::Equals": ["dev", "prod"]}},
        "Resources": {
            "WorkspacesTable": {
                "Type": "AWS::DynamoDB::Table",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]
                }
            },
            "NewInviteTopic": {
                "Type": "AWS::SNS::Topic",
                "Properties": {"TopicName": "infra-dev-new-invite"}
            },
            "Recordings": {
                "Type": "AWS::S3::Bucket",
                "Condition": "IsProd",
                "DependsOn": ["RecordingsTopicPolicy"],
                "DeletionPolicy": "Delete",
                "UpdateReplacePolicy": "Delete"
            },
            "ArchiveBucket": {
                "Type": "AWS::S3::Bucket",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Delete"
            },
            "RecordingsTopicPolicy": {
                "Type": "AWS::SNS::TopicPolicy",
                "Properties": {
                    "PolicyDocument": {
                        "Statement": [{"Effect": "Allow", "Action": "sns:Publish"}]
                    },
                    "Topics": [{"Ref": "NewInviteTopic"}]
                }
            }
        },
        "Outputs": {
            "workspacesTableArn": {
                "Description": "The ARN of the \"Workspaces\" DynamoDB Table.",
                "Value": {"Fn::GetAtt": ["WorkspacesTable", "Arn"]},
                "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-workspacesTableArn"}}
            },
            "newInviteTopicArn": {
                "Value": {"Ref": "NewInviteTopic"},
                "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-newInviteTopicArn"}}
            },
            "newInviteTopicTopicArn": {
                "Value": {"Fn::GetAtt": ["NewInviteTopic", "TopicArn"]},
                "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-newInviteTopicTopicArn"}}
            }
        }
    })
}

#[test]
fn declares_app_service_and_outputs() {
    assert_eq!((Infra::APP, Infra::SERVICE), ("api", "infra"));
    let spec = |name, description, logical_id, attribute| OutputSpec {
        name,
        description,
        logical_id,
        attribute,
    };
    let expected = [
        spec(
            "workspacesTableArn",
            "The ARN of the \"Workspaces\" DynamoDB Table.",
            "WorkspacesTable",
            "Arn",
        ),
        spec("newInviteTopicArn", "", "NewInviteTopic", "Ref"),
        spec("newInviteTopicTopicArn", "", "NewInviteTopic", "TopicArn"),
    ];
    assert_eq!(Infra::OUTPUTS, expected);
}

#[test]
fn handles_carry_logical_ids() {
    assert_eq!(Infra::RECORDINGS_BUCKET.logical_id(), "Recordings");
    assert_eq!(Infra::ARCHIVE_BUCKET.logical_id(), "ArchiveBucket");
    let arn = Infra::WORKSPACES_TABLE.get_att(dynamodb::TableAttributes::Arn);
    assert_eq!(arn, Infra::WORKSPACES_TABLE.arn());
}

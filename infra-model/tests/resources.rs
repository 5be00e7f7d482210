//! Generated resource types serialize to the JSON CloudFormation expects, and
//! templates render deterministically. Expected JSON follows the resource
//! reference pages of AWS::DynamoDB::Table, AWS::S3::Bucket and AWS::SNS::TopicPolicy.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers of tests may panic: that is a failed test

use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::s3::{self, bucket};
use infra_model::aws::sns;
use infra_model::{
    DeletionPolicy, Handle, PolicyValue, Resource, ResourceEntry, Template, UpdateReplacePolicy,
    pseudo,
};
use serde_json::json;

fn props<R: Resource>(r: &R) -> serde_json::Value {
    serde_json::to_value(r).unwrap()
}

fn table_with_stream() -> dynamodb::Table {
    dynamodb::Table {
        table_name: Some("invites".into()),
        billing_mode: Some(table::BillingMode::PayPerRequest.into()),
        attribute_definitions: Some(
            vec![table::AttributeDefinition::new(
                "id",
                table::AttributeType::S,
            )]
            .into(),
        ),
        stream_specification: Some(
            table::StreamSpecification::new(table::StreamViewType::NewImage).into(),
        ),
        ..dynamodb::Table::new(vec![table::KeySchema::new("id", "HASH")])
    }
}

#[test]
fn dynamodb_table_with_a_stream() {
    assert_eq!(
        props(&table_with_stream()),
        json!({
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "StreamSpecification": {"StreamViewType": "NEW_IMAGE"},
            "TableName": "invites"
        })
    );
    const TABLE: Handle<dynamodb::Table> = Handle::new("Invites");
    assert_eq!(
        serde_json::to_value(TABLE.stream_arn()).unwrap(),
        json!({"Fn::GetAtt": ["Invites", "StreamArn"]})
    );
    assert_eq!(dynamodb::Table::TYPE_NAME, "AWS::DynamoDB::Table");
}

#[test]
fn s3_bucket_with_a_notification_configuration() {
    const TOPIC: Handle<sns::Topic> = Handle::new("Uploads");
    let b = s3::Bucket {
        bucket_name: Some("my-bucket".into()),
        notification_configuration: Some(
            bucket::NotificationConfiguration {
                topic_configurations: Some(
                    vec![bucket::TopicConfiguration::new(
                        "s3:ObjectCreated:*",
                        TOPIC.r#ref(),
                    )]
                    .into(),
                ),
                ..Default::default()
            }
            .into(),
        ),
        ..Default::default()
    };
    assert_eq!(
        props(&b),
        json!({
            "BucketName": "my-bucket",
            "NotificationConfiguration": {
                "TopicConfigurations": [{"Event": "s3:ObjectCreated:*", "Topic": {"Ref": "Uploads"}}]
            }
        })
    );
}

#[test]
fn sns_topic_policy() {
    let document = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": {"Ref": "Uploads"},
            "Condition": {"StringEquals": {"aws:SourceAccount": pseudo::account_id()}}
        }]
    });
    let policy = sns::TopicPolicy::new(
        document.clone(),
        vec![infra_model::intrinsic::r#ref("Uploads")],
    );
    let mut expected_doc = document;
    expected_doc["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"] =
        json!({"Ref": "AWS::AccountId"});
    assert_eq!(
        props(&policy),
        json!({"PolicyDocument": expected_doc, "Topics": [{"Ref": "Uploads"}]})
    );
}

fn template() -> Template {
    let mut t = Template {
        description: Some("d".into()),
        ..Template::default()
    };
    let mut entry = ResourceEntry::new(dynamodb::Table::TYPE_NAME, props(&table_with_stream()));
    entry.deletion_policy = Some(DeletionPolicy::Retain.into());
    t.resources.insert("Invites".into(), entry);
    t.resources.insert(
        "Alpha".into(),
        ResourceEntry::new(sns::Topic::TYPE_NAME, props(&sns::Topic::default())),
    );
    t
}

#[test]
fn templates_render_deterministically_in_cloudformation_order() {
    let text = template().to_json();
    assert_eq!(text, template().to_json());
    assert!(text.ends_with("}\n"));
    assert!(text.starts_with("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Description\": \"d\",\n  \"Resources\": {\n    \"Alpha\": {\n      \"Type\": \"AWS::SNS::Topic\"\n    },"));
    let invites = text.find("\"Invites\"").unwrap();
    let order = ["\"Type\"", "\"DeletionPolicy\"", "\"Properties\""]
        .map(|k| text[invites..].find(k).unwrap());
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn metadata_comes_from_the_schema() {
    assert_eq!(
        dynamodb::Table::ATTRIBUTES,
        [("Arn", "Arn"), ("StreamArn", "StreamArn")]
    );
    const { assert!(dynamodb::Table::HOLDS_DATA) };
    const { assert!(!sns::Topic::HOLDS_DATA) };
    // `TopicName` is not read-only, but CloudFormation returns it from GetAtt.
    assert!(sns::Topic::ATTRIBUTES.contains(&("TopicName", "TopicName")));
}

/// Struct- and map-valued properties take an intrinsic like leaves do.
#[test]
fn struct_properties_take_intrinsics() {
    let stream = infra_model::Intrinsic::If(
        "HasStream".into(),
        Box::new(json!({"StreamViewType": "NEW_IMAGE"})),
        Box::new(json!({"Ref": "AWS::NoValue"})),
    );
    let t = dynamodb::Table::new(vec![table::KeySchema::new("id", "HASH")])
        .stream_specification(stream);
    assert_eq!(
        props(&t)["StreamSpecification"],
        json!({"Fn::If": ["HasStream", {"StreamViewType": "NEW_IMAGE"}, {"Ref": "AWS::NoValue"}]})
    );
}

/// An enum of integers serializes its values as numbers.
#[test]
fn integer_enums_serialize_as_numbers() {
    use infra_model::aws::logs::{self, log_group};
    let group = logs::LogGroup::default().retention_in_days(log_group::RetentionInDays::V14);
    assert_eq!(props(&group), json!({"RetentionInDays": 14}));
}

/// `AWS::ApiGateway::Resource` is named like the trait, and works as a resource.
#[test]
fn a_resource_named_resource() {
    use infra_model::aws::apigateway;
    const API: Handle<apigateway::RestApi> = Handle::new("Api");
    let r = apigateway::Resource::new(API.root_resource_id(), "users", API.r#ref());
    assert_eq!(
        <apigateway::Resource as Resource>::TYPE_NAME,
        "AWS::ApiGateway::Resource"
    );
    assert_eq!(props(&r)["PathPart"], "users");
}

/// Setters and struct update syntax are two spellings of the same value.
#[test]
fn setters_set_the_optional_properties() {
    let keys = || vec![table::KeySchema::new("id", "HASH")];
    let chained = dynamodb::Table::new(keys())
        .table_name("t")
        .billing_mode(table::BillingMode::Provisioned);
    let literal = dynamodb::Table {
        table_name: Some("t".into()),
        billing_mode: Some(table::BillingMode::Provisioned.into()),
        ..dynamodb::Table::new(keys())
    };
    assert_eq!(chained, literal);
    assert_eq!(props(&chained)["BillingMode"], "PROVISIONED");
}

/// Integer literals fit integer properties without annotations.
#[test]
fn integer_literals_need_no_annotation() {
    let throughput = table::ProvisionedThroughput::new(5, 10);
    assert_eq!(
        serde_json::to_value(throughput).unwrap(),
        json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 10})
    );
}

/// CloudFormation resolves `DeletionPolicy: !Ref Policy` at deploy time; the
/// entry writes the intrinsic as given next to a literal policy.
#[test]
fn a_resource_policy_can_be_an_intrinsic() {
    let mut entry = ResourceEntry::new(sns::Topic::TYPE_NAME, json!({}));
    let policy = infra_model::intrinsic::r#ref::<String>("Policy");
    entry.deletion_policy = Some(PolicyValue::Deferred(policy.into()));
    entry.update_replace_policy = Some(UpdateReplacePolicy::Retain.into());
    assert_eq!(
        serde_json::to_value(&entry).unwrap(),
        json!({"Type": "AWS::SNS::Topic", "DeletionPolicy": {"Ref": "Policy"}, "UpdateReplacePolicy": "Retain"})
    );
    assert_eq!(entry.deletion_policy.and_then(|p| p.value()), None);
}

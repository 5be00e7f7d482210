//! The `showcase` stack, imported from a CloudFormation template by `cargo xtask import`.

use std::collections::BTreeMap;
use infra_model::aws::cloudformation;
use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::s3::{self, bucket};
use infra_model::aws::sns;
use infra_model::aws::sqs;
use infra_model::{
    Json, Output, Parameter, Stack, StackContext, Template, Untyped, intrinsic, pseudo,
};
use serde_json::json;

#[derive(Debug, Stack)]
#[stack(
    app = "api",
    service = "showcase",
    description = "Every section and attribute import keeps",
    customize = customize
)]
pub struct Showcase {
    pub custom: Untyped,
    #[resource(deletion_policy = "absent", update_replace_policy = "absent")]
    pub dead_letters: sqs::Queue,
    #[resource(
        logical_id = "MyVPCBucket",
        depends_on(table),
        condition = "IsProd",
        deletion_policy = "absent",
        update_replace_policy = "absent"
    )]
    pub my_vpc_bucket: s3::Bucket,
    #[resource(deletion_policy = "absent", update_replace_policy = "absent")]
    pub queue: sqs::Queue,
    pub subscription: sns::Subscription,
    #[resource(deletion_policy = "Snapshot", update_replace_policy = "Delete")]
    pub table: dynamodb::Table,
    pub tagged_topic: Untyped,
    pub topic: sns::Topic,
    pub wait: cloudformation::WaitCondition,
}

impl Showcase {
    /// The stack's resources, every value as the imported template has it.
    pub fn new(_ctx: &StackContext) -> Self {
        Showcase {
            custom: custom(),
            dead_letters: dead_letters(),
            my_vpc_bucket: my_vpc_bucket(),
            queue: queue(),
            subscription: subscription(),
            table: table(),
            tagged_topic: tagged_topic(),
            topic: topic(),
            wait: wait(),
        }
    }
}

/// `Custom` (Custom::Thing).
fn custom() -> Untyped {
    Untyped::new("Custom::Thing")
        .property(
            "Names",
            json!([Showcase::TOPIC.r#ref(), Showcase::TABLE.stream_arn()]),
        )
        .property(
            "ServiceToken",
            intrinsic::sub(
                "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:thing",
            ),
        )
        .property("Size", 3)
}

/// `DeadLetters` (AWS::SQS::Queue).
fn dead_letters() -> sqs::Queue {
    sqs::Queue::default()
}

/// `MyVPCBucket` (AWS::S3::Bucket).
fn my_vpc_bucket() -> s3::Bucket {
    s3::Bucket::default()
        .bucket_name(
            intrinsic::join(
                "-",
                [
                    json!(intrinsic::r#ref:: < Json > ("Stage")),
                    json!(
                        intrinsic::select:: < Json > (0, intrinsic::split("-",
                        pseudo::stack_name()))
                    ),
                    json!("bucket"),
                ],
            ),
        )
        .tags(vec![bucket::Tag::new("stage", intrinsic::r#ref("Stage"))])
}

/// `Queue` (AWS::SQS::Queue).
fn queue() -> sqs::Queue {
    sqs::Queue::default()
        .redrive_policy(
            sqs::RedrivePolicy::json(
                json!(
                    { "deadLetterTargetArn" : Showcase::DEAD_LETTERS.arn(),
                    "maxReceiveCount" : 5 }
                ),
            ),
        )
}

/// `Subscription` (AWS::SNS::Subscription).
fn subscription() -> sns::Subscription {
    sns::Subscription::new(sns::Protocol::Sqs, Showcase::TOPIC.r#ref())
        .endpoint(Showcase::QUEUE.arn())
        .filter_policy(sns::FilterPolicy::json(json!({ "kind" : ["created"] })))
        .filter_policy_scope(sns::FilterPolicyScope::MessageBody)
}

/// `Table` (AWS::DynamoDB::Table).
fn table() -> dynamodb::Table {
    dynamodb::Table::new(vec![table::KeySchema::new("id", "HASH")])
        .attribute_definitions(
            vec![table::AttributeDefinition::new("id", table::AttributeType::S)],
        )
        .billing_mode(table::BillingMode::Provisioned)
        .provisioned_throughput(
            table::ProvisionedThroughput::new(
                intrinsic::find_in_map(
                    "Sizes",
                    intrinsic::r#ref::<Json>("Stage"),
                    "Capacity",
                ),
                1,
            ),
        )
        .stream_specification(
            intrinsic::r#if(
                "IsProd",
                json!({ "StreamViewType" : "NEW_IMAGE" }),
                pseudo::no_value::<Json>(),
            ),
        )
        .table_name(intrinsic::sub("${AWS::StackName}-table"))
}

/// `TaggedTopic` (AWS::SNS::Topic).
fn tagged_topic() -> Untyped {
    Untyped::new("AWS::SNS::Topic")
        .property(
            "Tags",
            json!(
                [intrinsic::r#if:: < Json > ("IsProd", json!({ "Key" : "a", "Value" : "b"
                }), pseudo::no_value:: < Json > ())]
            ),
        )
}

/// `Topic` (AWS::SNS::Topic).
fn topic() -> sns::Topic {
    sns::Topic::default()
        .display_name(Showcase::TABLE.arn())
        .topic_name(intrinsic::import_value("shared-topic-name"))
}

/// `Wait` (AWS::CloudFormation::WaitCondition).
fn wait() -> cloudformation::WaitCondition {
    cloudformation::WaitCondition::default()
}

/// The template's parameters, rules, mappings, conditions, metadata and
/// outputs, and the resource attributes a field does not carry.
fn customize(_stack: &Showcase, _ctx: &StackContext, template: &mut Template) {
    template.metadata.insert("Owner".into(), json!("platform"));
    template
        .parameters
        .insert(
            "RetentionDays".into(),
            Parameter::new("Number").default(14).min_value(1).max_value(365),
        );
    template
        .parameters
        .insert(
            "Secret".into(),
            Parameter::new("String")
                .allowed_pattern("[a-z]+")
                .no_echo(true)
                .min_length(8)
                .constraint_description("lowercase letters"),
        );
    template
        .parameters
        .insert(
            "Stage".into(),
            Parameter::new("String")
                .description("The stage")
                .default("dev")
                .allowed_values([json!("dev"), json!("prod")]),
        );
    template
        .rules
        .insert(
            "ProdOnly".into(),
            json!(
                { "Assertions" : [{ "Assert" : intrinsic::contains(json!(["dev",
                "prod"]), intrinsic::r#ref:: < Json > ("Stage")), "AssertDescription" :
                "a known stage" }], "RuleCondition" :
                intrinsic::equals(intrinsic::r#ref:: < Json > ("Stage"), "prod") }
            ),
        );
    template
        .mappings
        .insert(
            "Sizes".into(),
            BTreeMap::from([
                ("dev".into(), BTreeMap::from([("Capacity".into(), json!(1))])),
                ("prod".into(), BTreeMap::from([("Capacity".into(), json!(5))])),
            ]),
        );
    template
        .conditions
        .insert(
            "IsProd".into(),
            json!(intrinsic::equals(intrinsic::r#ref:: < Json > ("Stage"), "prod")),
        );
    template
        .conditions
        .insert("NotProd".into(), json!(intrinsic::not(intrinsic::condition("IsProd"))));
    if let Some(entry) = template.resource_mut("Topic") {
        entry.metadata = Some(json!({ "Note" : "kept" }));
    }
    if let Some(entry) = template.resource_mut("Wait") {
        entry.creation_policy = Some(
            json!({ "ResourceSignal" : { "Count" : 1, "Timeout" : "PT5M" } }),
        );
    }
    template
        .outputs
        .insert(
            "Blocks".into(),
            Output::new(intrinsic::join_list(",", intrinsic::cidr("10.0.0.0/16", 2, 8))),
        );
    template
        .outputs
        .insert(
            "BucketName".into(),
            Output::new(Showcase::MY_VPC_BUCKET.r#ref()).condition("IsProd"),
        );
    template
        .outputs
        .insert(
            "CustomValue".into(),
            Output::new(intrinsic::get_att::<Json>("Custom", "Out")),
        );
    template.outputs.insert("Encoded".into(), Output::new(intrinsic::base64("hello")));
    template
        .outputs
        .insert(
            "Retention".into(),
            Output::new(
                intrinsic::sub_with(
                    "${Days} days",
                    [("Days", json!(intrinsic::r#ref:: < Json > ("RetentionDays")))],
                ),
            ),
        );
    template
        .outputs
        .insert(
            "TableArn".into(),
            Output::new(Showcase::TABLE.arn())
                .description("the table")
                .export(intrinsic::sub("${AWS::StackName}-TableArn")),
        );
    template
        .outputs
        .insert(
            "Zones".into(),
            Output::new(intrinsic::join_list(",", intrinsic::get_azs(""))),
        );
}

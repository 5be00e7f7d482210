//! Stacks that compile but that CloudFormation would reject: synth-time
//! validation reports each with its stack, resource, property path and rule.

use infra_model::aws::dynamodb::{self, table};
use infra_model::aws::{s3, sns};
use infra_model::{Stack, StackContext, intrinsic};

fn problems<S: Stack>(stack: &S, ctx: &StackContext) -> Vec<String> {
    let template = serde_json::from_str(&stack.to_template(ctx).to_json()).expect("JSON");
    infra_check::validate(&ctx.stack_name(), &template)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn ctx() -> StackContext {
    StackContext::new("api", "bad", "dev")
}

#[derive(Stack)]
#[stack(app = "api", service = "bad")]
struct BadNames {
    bucket: s3::Bucket,
    table: dynamodb::Table,
    topic: sns::Topic,
}

fn key() -> Vec<table::KeySchema> {
    vec![table::KeySchema::new("id", "HASH")]
}

#[test]
fn names_the_services_reject() {
    let stack = BadNames {
        bucket: s3::Bucket {
            bucket_name: Some("Recordings_Bucket".into()),
            ..Default::default()
        },
        table: dynamodb::Table {
            table_name: Some("ab".into()),
            ..dynamodb::Table::new(key())
        },
        topic: sns::Topic {
            topic_name: Some("new invite".into()),
            ..Default::default()
        },
    };
    assert_eq!(
        problems(&stack, &ctx()),
        [
            // The registry schema's pattern and the S3 naming rule both reject it.
            "bad-dev: Resources.Bucket.Properties.BucketName: \"Recordings_Bucket\" does not match pattern ^([a-z0-9][a-z0-9.-]*[a-z0-9])?$",
            "bad-dev: Resources.Bucket.Properties.BucketName: \"Recordings_Bucket\" is not a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens, not 'B', 'R', '_'",
            "bad-dev: Resources.Table.Properties.TableName: \"ab\" is not a valid DynamoDB table name: it is 2 characters long, not 3 to 255",
            "bad-dev: Resources.Topic.Properties.TopicName: \"new invite\" is not a valid SNS topic name: it may contain only letters, digits, underscores and hyphens, not ' '",
        ]
    );
}

#[derive(Stack)]
#[stack(app = "api", service = "bad")]
struct DanglingRef {
    topic: sns::Topic,
    policy: sns::TopicPolicy,
}

#[test]
fn a_reference_to_a_resource_that_is_not_in_the_stack() {
    let stack = DanglingRef {
        topic: sns::Topic::default(),
        policy: sns::TopicPolicy::new(serde_json::json!({}), vec![intrinsic::r#ref("Topics")]),
    };
    assert_eq!(
        problems(&stack, &ctx()),
        [
            "bad-dev: Resources.Policy.Properties.Topics[0].Ref: \"Topics\" is not a resource or parameter of this stack"
        ]
    );
}

#[derive(Stack)]
#[stack(app = "api", service = "bad")]
struct BadUntyped {
    typo_type: infra_model::Untyped,
    typo_property: infra_model::Untyped,
    empty_type: infra_model::Untyped,
    custom: infra_model::Untyped,
}

/// Nothing about an `Untyped` is checked at compile time: synth-time
/// validation catches a type the registry lacks and a property its schema
/// lacks, and leaves custom resources to their provider.
#[test]
fn untyped_resources_are_checked_when_synthesized() {
    use infra_model::Untyped;
    let stack = BadUntyped {
        typo_type: Untyped::new("AWS::S3::Buckett"),
        typo_property: Untyped::new("AWS::SNS::Topic").property("TopicNmae", "x"),
        empty_type: Untyped::new(""),
        custom: Untyped::new("Custom::Anything")
            .property("ServiceToken", "arn:aws:sns:eu-west-1:123456789012:t"),
    };
    assert_eq!(
        problems(&stack, &ctx()),
        [
            "bad-dev: Resources.EmptyType.Type: \"\" is not a resource type of the registry",
            "bad-dev: Resources.TypoProperty.Properties.TopicNmae: \"TopicNmae\" is not a property here; did you mean TopicName?",
            "bad-dev: Resources.TypoType.Type: \"AWS::S3::Buckett\" is not a resource type of the registry; did you mean AWS::S3::Bucket?",
        ]
    );
}

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

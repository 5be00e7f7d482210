//! Policy documents serialize as IAM and this project's templates spell them.

use infra_core::intrinsic::Intrinsic;
use infra_core::{Json, Value, pseudo};
use infra_iam::{Action, Condition, Operator, PolicyDocument, Principal, Statement, actions};
use serde_json::json;

/// The seed's hand-written topic policy (stacks/src/infra.rs before issue 15),
/// built with the types: the same JSON, key for key.
#[test]
fn the_seed_topic_policy_is_the_same_json() {
    let topic: Value<String> = Intrinsic::Ref("Topic".into()).into();
    let bucket_arn = json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::bucket"});
    let hand_written = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowS3Publish",
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic.clone(),
            "Condition": {
                "StringEquals": {"aws:SourceAccount": pseudo::account_id()},
                "ArnLike": {"aws:SourceArn": bucket_arn.clone()},
            },
        }],
    });
    let typed = PolicyDocument::new().statement(
        Statement::allow()
            .sid("AllowS3Publish")
            .principal(Principal::service("s3.amazonaws.com"))
            .action(actions::sns::PUBLISH)
            .resource(topic)
            .condition(
                Condition::StringEquals,
                "aws:SourceAccount",
                pseudo::account_id(),
            )
            .condition(Condition::ArnLike, "aws:SourceArn", bucket_arn),
    );
    assert_eq!(Json::from(typed.clone()), hand_written);
    assert_eq!(Value::<Json>::from(typed), Value::Lit(hand_written));
}

#[test]
fn several_items_are_lists_and_one_is_a_scalar() {
    let doc = PolicyDocument::new().statement(
        Statement::deny()
            .actions([actions::sqs::SEND_MESSAGE, actions::sqs::RECEIVE_MESSAGE])
            .resources(["arn:a", "arn:b"])
            .principal(Principal::aws("arn:aws:iam::1:role/a"))
            .principal(Principal::account("2"))
            .principal(Principal::service("sns.amazonaws.com"))
            .condition(Condition::StringLike.for_any_value(), "aws:TagKeys", "a*")
            .condition(Condition::StringLike.for_any_value(), "aws:TagKeys", "b*")
            .condition(Condition::Bool, "aws:SecureTransport", "false"),
    );
    let statement = &Json::from(doc)["Statement"][0];
    assert_eq!(
        *statement,
        json!({
            "Effect": "Deny",
            "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"],
            "Resource": ["arn:a", "arn:b"],
            "Principal": {"AWS": ["arn:aws:iam::1:role/a", "2"], "Service": "sns.amazonaws.com"},
            "Condition": {
                "ForAnyValue:StringLike": {"aws:TagKeys": ["a*", "b*"]},
                "Bool": {"aws:SecureTransport": "false"},
            },
        })
    );
}

#[test]
fn principal_any_is_a_star_and_absorbs_others() {
    let any = Principal::service("s3.amazonaws.com").and(Principal::any());
    assert_eq!(serde_json::to_value(any).expect("json"), json!("*"));
    let doc = PolicyDocument::new().id("x").statement(
        Statement::allow()
            .not_action(Action::any())
            .not_resource("arn:c"),
    );
    assert_eq!(
        Json::from(doc),
        json!({"Id": "x", "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "NotAction": "*", "NotResource": "arn:c"}
        ]})
    );
}

#[test]
fn operators_print_and_parse_with_their_qualifiers() {
    let op = Condition::StringLike
        .if_exists()
        .qualified(infra_iam::SetQualifier::ForAllValues);
    assert_eq!(op.to_string(), "ForAllValues:StringLikeIfExists");
    assert_eq!(
        "ForAllValues:StringLikeIfExists".parse::<Operator>(),
        Ok(op)
    );
    assert_eq!("ArnLike".parse::<Operator>(), Ok(Condition::ArnLike.into()));
    for bad in [
        "StringEqual",
        "NullIfExists",
        "ForSomeValues:StringLike",
        "stringequals",
        "",
    ] {
        let err = bad.parse::<Operator>().expect_err(bad);
        assert!(
            err.to_string().contains("StringEquals, StringNotEquals"),
            "{err}"
        );
    }
}

#[test]
fn actions_parse_against_the_catalogue() {
    assert_eq!(
        Action::parse("sqs:SendMessage"),
        Ok(actions::sqs::SEND_MESSAGE)
    );
    // IAM compares actions case-insensitively; the spelling is kept.
    assert_eq!(
        Action::parse("SQS:sendmessage").map(|a| a.to_string()),
        Ok("SQS:sendmessage".into())
    );
    for ok in [
        "*",
        "sqs:Send*",
        "sqs:*",
        "s3:Get*Tagging",
        "sqs:?eceiveMessage",
    ] {
        assert!(Action::parse(ok).is_ok(), "{ok}");
    }
    assert!(infra_iam::is_action("dynamodb:GetItem"));
    assert!(!infra_iam::is_action("dynamodb:Get*"));
    assert_eq!(
        infra_iam::has_resource_level_permissions("sqs:ListQueues"),
        Some(false)
    );
    assert_eq!(
        infra_iam::has_resource_level_permissions("sqs:SendMessage"),
        Some(true)
    );
    assert_eq!(infra_iam::has_resource_level_permissions("sqs:Nope"), None);
}

#[test]
fn unknown_actions_name_the_closest() {
    let err = Action::parse("sqs:SendMessge").expect_err("typo");
    assert_eq!(
        err.to_string(),
        "`sqs:SendMessge` is not an action of `sqs` in the IAM catalogue of the pinned cfn-lint wheel; did you mean `sqs:SendMessage`?"
    );
    let err = Action::parse("sqss:SendMessage").expect_err("service typo");
    assert_eq!(err.suggestion(), Some("sqs"));
    // An S3 API name that is not an IAM action (cfn-lint W3037).
    assert!(Action::parse("s3:DeleteBucketCors").is_err());
    let err = Action::parse("sqs:Frob*").expect_err("matches nothing");
    assert!(
        err.to_string().contains("matches no action of `sqs`"),
        "{err}"
    );
    for bad in [
        "sqs",
        "sqs:",
        ":SendMessage",
        "sqs:Send Message",
        " sqs:SendMessage",
    ] {
        let err = Action::parse(bad).expect_err(bad);
        assert!(
            matches!(err, infra_iam::ActionError::Malformed(_)),
            "{bad}: {err}"
        );
    }
}

/// The generated table is sorted as the lookups' binary search needs, and
/// every constant is in it.
#[test]
fn every_catalogued_action_is_found() {
    for name in [
        "a4b:ApproveSkill",
        "access-analyzer:ApplyArchiveRule",
        "xray:PutTraceSegments",
    ] {
        assert!(infra_iam::is_action(name), "{name}");
    }
    assert!(infra_iam::is_action(
        actions::access_analyzer::APPLY_ARCHIVE_RULE.as_str()
    ));
}

//! The pull-request comment: a snapshot of a diff that touches every section
//! (data loss, replacement, added resources, breaking and added outputs with
//! their consumers, broadening and narrowing security changes, property
//! changes), and the comment-size limit on a huge diff.

use infra_check::{COMMENT_LIMIT, Consumers, StackDiff, diff, render_markdown};
use serde_json::{Value, json};

fn base() -> Value {
    serde_json::from_str(include_str!("../../stacks/templates/infra-dev.json")).expect("template")
}

/// Sets the value at a dotted path of object keys.
fn set(v: &mut Value, path: &str, value: Value) {
    let (parent, key) = path.rsplit_once('.').expect("dotted path");
    let mut at = v;
    for k in parent.split('.') {
        at = at.get_mut(k).unwrap_or_else(|| panic!("no {k} in {path}"));
    }
    at.as_object_mut()
        .expect("object")
        .insert(key.to_owned(), value);
}

fn remove(v: &mut Value, path: &str) {
    let (parent, key) = path.rsplit_once('.').expect("dotted path");
    let mut at = v;
    for k in parent.split('.') {
        at = at.get_mut(k).unwrap_or_else(|| panic!("no {k} in {path}"));
    }
    at.as_object_mut().expect("object").remove(key);
}

fn changed() -> Value {
    let mut t = base();
    // Data loss: a new key attribute replaces the table, no longer retained.
    let table = "Resources.WorkspacesTable";
    remove(&mut t, &format!("{table}.UpdateReplacePolicy"));
    set(
        &mut t,
        &format!("{table}.Properties.KeySchema"),
        json!([{ "AttributeName": "id", "KeyType": "HASH" }]),
    );
    set(
        &mut t,
        &format!("{table}.Properties.AttributeDefinitions"),
        json!([{ "AttributeName": "id", "AttributeType": "S" }]),
    );
    // Replacement: a new topic name.
    set(
        &mut t,
        "Resources.NewInviteTopic.Properties.TopicName",
        json!("infra-dev-invites-new"),
    );
    // Broadening: a wildcard action, a removed condition, an open ingress rule.
    let audio = "Resources.NewS3AudioRecordingTopicPolicy.Properties.PolicyDocument.Statement";
    let mut statements = t
        .pointer(&format!("/{}", audio.replace('.', "/")))
        .expect("statements")
        .clone();
    statements[0]["Action"] = json!(["sns:Publish", "sns:*"]);
    set(&mut t, audio, statements);
    let transcoded = "/Resources/NewS3TranscodedAudioRecordingTopicPolicy/Properties/PolicyDocument/Statement/0/Condition";
    t.pointer_mut(transcoded)
        .and_then(Value::as_object_mut)
        .expect("condition")
        .remove("ArnLike");
    set(
        &mut t,
        "Resources.WebSecurityGroup",
        json!({ "Type": "AWS::EC2::SecurityGroup", "Properties": {
            "GroupDescription": "web | public",
            "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0" }]
        }}),
    );
    // Narrowing: a Deny on insecure transport.
    set(
        &mut t,
        "Resources.RecordingsBucketPolicy",
        json!({ "Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": { "Ref": "RecordingsBucket" },
            "PolicyDocument": { "Statement": [{ "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": [{ "Fn::Sub": "arn:${AWS::Partition}:s3:::${RecordingsBucket}/*" }],
                "Condition": { "Bool": { "aws:SecureTransport": "false" } } }] }
        }}),
    );
    // Outputs: one removed, one renamed, one added, one re-described.
    remove(&mut t, "Outputs.deletedInviteTopicArn");
    let renamed = t["Outputs"]["newInviteTopicArn"].clone();
    remove(&mut t, "Outputs.newInviteTopicArn");
    set(&mut t, "Outputs.inviteTopicArn", renamed);
    set(
        &mut t,
        "Outputs.webSecurityGroupId",
        json!({ "Value": { "Fn::GetAtt": ["WebSecurityGroup", "GroupId"] } }),
    );
    set(
        &mut t,
        "Outputs.workspacesTableArn.Description",
        json!("The `Workspaces` table | new key"),
    );
    t
}

fn consumers() -> Consumers {
    let mut c = Consumers::new();
    let worker = vec!["consumers/invites-worker/serverless.yml".to_owned()];
    c.insert(
        ("infra-dev".to_owned(), "newInviteTopicArn".to_owned()),
        worker,
    );
    c
}

fn sample() -> Vec<StackDiff> {
    let (old, new) = (base(), changed());
    vec![
        diff("infra-dev", Some(&old), Some(&new)),
        diff("infra-prod", Some(&old), Some(&old)),
    ]
}

#[test]
fn a_diff_touching_every_section() {
    let diffs = sample();
    let text = render_markdown(&diffs, &consumers());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/diff.md");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, &text).expect("write snapshot");
    }
    let expected = std::fs::read_to_string(path).expect("snapshot (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(text, expected, "review, then UPDATE_SNAPSHOTS=1 to accept");
    assert!(!text.contains('\x1b'));
    assert_eq!(render_markdown(&diffs, &consumers()), text, "deterministic");
}

#[test]
fn a_huge_diff_is_summarised_under_the_comment_limit() {
    let resources: serde_json::Map<String, Value> = (0..5000)
        .map(|i| {
            let id = format!("Queue{i:05}WithAFairlyLongLogicalIdToFillTheTable");
            (id, json!({ "Type": "AWS::SQS::Queue", "Properties": { "QueueName": format!("q{i}") } }))
        })
        .collect();
    let new = json!({ "Resources": resources });
    let mut old = new.clone();
    old["Resources"]["Queue00007WithAFairlyLongLogicalIdToFillTheTable"]["Properties"]["QueueName"] =
        json!("renamed");
    let mut diffs = vec![diff("big-dev", None, Some(&new))];
    diffs.push(diff("small-dev", Some(&old), Some(&new)));
    let text = render_markdown(&diffs, &Consumers::new());
    assert!(text.chars().count() < COMMENT_LIMIT, "{}", text.len());
    assert!(text.starts_with("**Infra diff: ⛔ data loss** · 2 of 2 stacks change · 5001 resources (1 losing data, 1 replaced)"), "{}", &text[..200]);
    assert!(text.contains("Shortened to fit a comment"));
    // The replaced queue, the one row with an impact, is still listed.
    assert!(text.contains("| `Queue00007WithAFairlyLongLogicalIdToFillTheTable` | `AWS::SQS::Queue` | modified | **DATA LOSS**, **REPLACE** |"));
    assert!(text.contains("_and 5000 more resource changes without an impact_"));
}

use serde_json::json;

use super::*;
use crate::reader::{Format, parse};

fn yaml(text: &str) -> Value {
    parse(text, Format::Yaml).expect("test YAML parses").value
}

fn paths(a: &Value, b: &Value) -> Vec<String> {
    equivalent(a, b).into_iter().map(|d| d.path).collect()
}

/// The forms a person writes in YAML against the forms synth writes in JSON.
#[test]
fn yaml_short_forms_equal_synthesized_json() {
    let written = yaml(
        r#"
Resources:
  Queue:
    Type: AWS::SQS::Queue
    DependsOn: Topic
    Properties:
      DelaySeconds: "5"
      FifoQueue: "true"
      QueueName: !Sub "${AWS::StackName}-jobs"
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  QueueArn:
    Value: !GetAtt Queue.Arn
"#,
    );
    let synthesized = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Outputs": {"QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}}},
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
            "Queue": {
                "Properties": {
                    "QueueName": {"Fn::Sub": ["${AWS::StackName}-jobs", {}]},
                    "FifoQueue": true,
                    "DelaySeconds": 5
                },
                "DependsOn": ["Topic"],
                "Type": "AWS::SQS::Queue"
            }
        }
    });
    assert_eq!(equivalent(&written, &synthesized), vec![]);
    assert_eq!(equivalent(&synthesized, &written), vec![]);
}

#[test]
fn string_building_forms_are_one_value() {
    let sub = json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}"});
    let join =
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Ref": "Bucket"}]]});
    let bound = json!({"Fn::Sub": ["arn:${P}:s3:::${Bucket}", {"P": {"Ref": "AWS::Partition"}}]});
    let t = |v: &Value| json!({"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Path": v}}}});
    assert_eq!(paths(&t(&sub), &t(&join)), Vec::<String>::new());
    assert_eq!(paths(&t(&sub), &t(&bound)), Vec::<String>::new());
    let other = json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::${Other}"});
    assert_eq!(
        paths(&t(&sub), &t(&other)),
        ["Resources.P.Properties.Path.Fn::Sub"]
    );
    // `${!x}` is the literal text `${x}`, not a variable.
    let escaped = json!({"Fn::Sub": "${!Bucket}"});
    let var = json!({"Fn::Sub": "${Bucket}"});
    assert_eq!(
        paths(&t(&escaped), &t(&json!("${Bucket}"))),
        Vec::<String>::new()
    );
    assert_eq!(
        paths(&t(&escaped), &t(&var)),
        ["Resources.P.Properties.Path"]
    );
}

#[test]
fn coercions_are_only_the_ones_cloudformation_makes() {
    let t =
        |v: Value| json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"X": v}}}});
    assert!(equivalent(&t(json!("5")), &t(json!(5))).is_empty());
    assert!(equivalent(&t(json!(5.0)), &t(json!(5))).is_empty());
    assert!(equivalent(&t(json!("false")), &t(json!(false))).is_empty());
    assert!(!equivalent(&t(json!("5")), &t(json!(6))).is_empty());
    assert!(!equivalent(&t(json!("yes")), &t(json!(true))).is_empty());
    assert!(!equivalent(&t(json!("1")), &t(json!(true))).is_empty());
    assert!(!equivalent(&t(json!("")), &t(json!(null))).is_empty());
    assert!(!equivalent(&t(json!(["5"])), &t(json!("5"))).is_empty());
}

#[test]
fn depends_on_is_a_set_unless_malformed() {
    let t = |d: Value| json!({"Resources": {"A": {"Type": "AWS::SNS::Topic", "DependsOn": d}}});
    assert!(equivalent(&t(json!(["B", "C"])), &t(json!(["C", "B", "C"]))).is_empty());
    assert!(equivalent(&t(json!("B")), &t(json!(["B"]))).is_empty());
    assert!(
        equivalent(
            &t(json!([])),
            &json!({"Resources": {"A": {"Type": "AWS::SNS::Topic"}}})
        )
        .is_empty()
    );
    assert_eq!(
        paths(&t(json!("B")), &t(json!(["C"]))),
        ["Resources.A.DependsOn[0]"]
    );
    assert_eq!(
        paths(&t(json!({"B": 1})), &t(json!(["B"]))),
        ["Resources.A.DependsOn"]
    );
}

#[test]
fn format_version_and_empty_sections() {
    let bare = json!({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}});
    let full = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {}, "Conditions": {}, "Outputs": {},
        "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {}}}
    });
    assert!(equivalent(&bare, &full).is_empty());
    let mut other = full.clone();
    other["AWSTemplateFormatVersion"] = json!("2010-09-10");
    assert_eq!(paths(&bare, &other), ["AWSTemplateFormatVersion"]);
}

#[test]
fn differences_are_sorted_with_both_sides() {
    let a = json!({
        "Description": "d",
        "Resources": {"B": {"Type": "AWS::SNS::Topic"}, "A": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 1}}},
        "Outputs": {"O": {"Value": {"Ref": "A"}}}
    });
    let b = json!({
        "Resources": {"A": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 2}}},
        "Outputs": {"O": {"Value": {"Ref": "A"}, "Export": {"Name": "x"}}}
    });
    let diffs = equivalent(&a, &b);
    let shown: Vec<String> = diffs.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            r#"Description: expected "d", got nothing"#,
            "Outputs.O.Export: expected nothing, got {\"Name\":\"x\"}",
            "Resources.A.Properties.DelaySeconds: expected 1, got 2",
            "Resources.B: expected {\"Type\":\"AWS::SNS::Topic\"}, got nothing",
        ]
    );
}

#[test]
fn array_order_matters_and_lengths_are_compared_whole() {
    let t = |v: Value| json!({"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"Subscription": v}}}});
    assert_eq!(paths(&t(json!(["a", "b"])), &t(json!(["b", "a"]))).len(), 2);
    assert_eq!(
        paths(&t(json!(["a"])), &t(json!(["a", "b"]))),
        ["Resources.T.Properties.Subscription"]
    );
}

/// The repository's own template, read by the template reader as YAML (JSON
/// is YAML), is equivalent to itself as serde reads it; one changed output is
/// found at its place.
#[test]
fn the_seed_template_is_equivalent_to_itself() {
    let text = include_str!("../../../stacks/templates/infra-prod.json");
    let original: Value = serde_json::from_str(text).expect("committed template parses");
    assert!(equivalent(&original, &yaml(text)).is_empty());
    let mut changed = original.clone();
    changed["Outputs"]["invitesTableArn"]["Value"] = json!({"Fn::GetAtt": "WorkspacesTable.Arn"});
    assert_eq!(
        paths(&original, &changed),
        ["Outputs.invitesTableArn.Value.Fn::GetAtt[0]"]
    );
}

/// Templates `equivalent` calls equal are no change to the diff either, so
/// that `cargo xtask diff --against` an imported file is quiet.
#[test]
fn equivalent_templates_are_no_change_to_the_diff() {
    let written = yaml(
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    DependsOn: T\n    Properties:\n      DelaySeconds: \"5\"\n      FifoQueue: \"true\"\n      QueueName: !Sub \"${AWS::StackName}-q\"\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {}\nOutputs:\n  A:\n    Value: !GetAtt Q.Arn\n",
    );
    let synthesized = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Q": {"Type": "AWS::SQS::Queue", "DependsOn": ["T"], "Properties": {
                "DelaySeconds": 5, "FifoQueue": true,
                "QueueName": {"Fn::Join": ["", [{"Ref": "AWS::StackName"}, "-q"]]}}},
            "T": {"Type": "AWS::SNS::Topic"}
        },
        "Outputs": {"A": {"Value": {"Fn::GetAtt": ["Q", "Arn"]}}}
    });
    assert!(equivalent(&written, &synthesized).is_empty());
    let diff = crate::diff("s", Some(&written), Some(&synthesized));
    assert!(diff.is_empty(), "{diff:#?}");
}

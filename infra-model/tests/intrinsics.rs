//! Every intrinsic serializes to CloudFormation's exact JSON form. Expected
//! values are written from the CloudFormation intrinsic function reference.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers of tests may panic: that is a failed test

use infra_model::intrinsic::{self, pseudo};
use infra_model::{Json, Value};
use serde_json::json;

fn js<T: serde::Serialize>(v: Value<T>) -> Json {
    serde_json::to_value(&v).unwrap()
}

#[test]
fn ref_and_get_att() {
    assert_eq!(
        js(intrinsic::r#ref::<String>("MyTable")),
        json!({"Ref": "MyTable"})
    );
    assert_eq!(
        js(intrinsic::get_att::<String>("MyTable", "StreamArn")),
        json!({"Fn::GetAtt": ["MyTable", "StreamArn"]})
    );
}

#[test]
fn sub_in_both_forms() {
    assert_eq!(
        js(intrinsic::sub("arn:${AWS::Partition}:s3:::${Name}")),
        json!({"Fn::Sub": "arn:${AWS::Partition}:s3:::${Name}"})
    );
    let with_vars = intrinsic::sub_with(
        "${Domain}/x",
        [("Domain", intrinsic::r#ref::<String>("RootDomain"))],
    );
    assert_eq!(
        js(with_vars),
        json!({"Fn::Sub": ["${Domain}/x", {"Domain": {"Ref": "RootDomain"}}]})
    );
}

#[test]
fn join_select_split() {
    let joined = intrinsic::join(":", [Json::from("a"), pseudo::region().into()]);
    assert_eq!(
        js(joined),
        json!({"Fn::Join": [":", ["a", {"Ref": "AWS::Region"}]]})
    );
    let azs = intrinsic::get_azs("");
    assert_eq!(
        js(intrinsic::select::<String>(0, azs.clone())),
        json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]})
    );
    assert_eq!(
        js(intrinsic::split(",", "a,b")),
        json!({"Fn::Split": [",", "a,b"]})
    );
    assert_eq!(js(azs), json!({"Fn::GetAZs": ""}));
}

#[test]
fn import_value_base64_find_in_map() {
    assert_eq!(
        js(intrinsic::import_value::<String>(
            "infra-prod-workspacesTableArn"
        )),
        json!({"Fn::ImportValue": "infra-prod-workspacesTableArn"})
    );
    assert_eq!(
        js(intrinsic::base64("#!/bin/sh")),
        json!({"Fn::Base64": "#!/bin/sh"})
    );
    let found = intrinsic::find_in_map::<String>("RegionMap", pseudo::region(), "AMI");
    assert_eq!(
        js(found),
        json!({"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "AMI"]})
    );
}

#[test]
fn conditions() {
    let is_prod = intrinsic::equals(intrinsic::r#ref::<String>("Stage"), "prod");
    assert_eq!(
        Json::from(is_prod.clone()),
        json!({"Fn::Equals": [{"Ref": "Stage"}, "prod"]})
    );
    assert_eq!(
        Json::from(intrinsic::not(is_prod.clone())),
        json!({"Fn::Not": [{"Fn::Equals": [{"Ref": "Stage"}, "prod"]}]})
    );
    let both = intrinsic::and([intrinsic::condition("IsProd"), intrinsic::condition("IsEu")]);
    assert_eq!(
        Json::from(both),
        json!({"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsEu"}]})
    );
    let either = intrinsic::or([intrinsic::condition("IsProd"), is_prod]);
    assert_eq!(
        Json::from(either),
        json!({"Fn::Or": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}]})
    );
    let chosen = intrinsic::r#if::<String>("IsProd", "big", pseudo::no_value::<String>());
    assert_eq!(
        js(chosen),
        json!({"Fn::If": ["IsProd", "big", {"Ref": "AWS::NoValue"}]})
    );
}

#[test]
fn pseudo_parameters() {
    let cases = [
        (pseudo::account_id(), "AWS::AccountId"),
        (pseudo::region(), "AWS::Region"),
        (pseudo::partition(), "AWS::Partition"),
        (pseudo::stack_name(), "AWS::StackName"),
        (pseudo::stack_id(), "AWS::StackId"),
        (pseudo::url_suffix(), "AWS::URLSuffix"),
        (pseudo::no_value(), "AWS::NoValue"),
    ];
    for (value, name) in cases {
        assert_eq!(js(value), json!({"Ref": name}));
    }
    assert_eq!(
        js(pseudo::notification_arns()),
        json!({"Ref": "AWS::NotificationARNs"})
    );
}

#[test]
fn literals_serialize_as_themselves() {
    assert_eq!(js(Value::from("x")), json!("x"));
    assert_eq!(js(Value::<i64>::from(5)), json!(5));
    assert_eq!(js(Value::from(true)), json!(true));
    assert_eq!(
        js(Value::from(vec![Value::from("a"), pseudo::region()])),
        json!(["a", {"Ref": "AWS::Region"}])
    );
}

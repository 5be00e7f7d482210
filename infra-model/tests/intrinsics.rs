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

/// Forms a template may hold that the typed helpers must write back as given:
/// `cargo xtask import` proves its round trip byte for byte on them.
#[test]
fn forms_are_kept_as_written() {
    let no_vars: [(&str, Json); 0] = [];
    assert_eq!(
        js(intrinsic::sub_with("${AWS::StackName}-x", no_vars)),
        json!({"Fn::Sub": ["${AWS::StackName}-x", {}]})
    );
    assert_eq!(
        js(intrinsic::select::<String>("1", intrinsic::get_azs(""))),
        json!({"Fn::Select": ["1", {"Fn::GetAZs": ""}]})
    );
    assert_eq!(
        js(intrinsic::join_list(
            ",",
            intrinsic::r#ref::<String>("SubnetIds")
        )),
        json!({"Fn::Join": [",", {"Ref": "SubnetIds"}]})
    );
    assert_eq!(
        js(intrinsic::get_att_of::<String>(
            "Db",
            intrinsic::r#ref::<String>("AttrName")
        )),
        json!({"Fn::GetAtt": ["Db", {"Ref": "AttrName"}]})
    );
    let nested = intrinsic::find_in_map::<String>(
        intrinsic::r#ref::<String>("MapName"),
        intrinsic::find_in_map::<String>("Stages", pseudo::region(), "Stage"),
        "Size",
    );
    assert_eq!(
        js(nested),
        json!({"Fn::FindInMap": [
            {"Ref": "MapName"},
            {"Fn::FindInMap": ["Stages", {"Ref": "AWS::Region"}, "Stage"]},
            "Size"
        ]})
    );
}

#[test]
fn cidr_get_stack_output_and_transform() {
    let vpc_cidr = intrinsic::get_att::<String>("Vpc", "CidrBlock");
    assert_eq!(
        js(intrinsic::select::<String>(
            0,
            intrinsic::cidr(vpc_cidr, 6, "8")
        )),
        json!({"Fn::Select": [0, {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 6, "8"]}]})
    );
    let output = infra_model::StackOutput::new("network-prod", "vpcId");
    assert_eq!(
        js(intrinsic::get_stack_output::<String>(output.clone())),
        json!({"Fn::GetStackOutput": {"StackName": "network-prod", "OutputName": "vpcId"}})
    );
    let remote = output
        .region("eu-west-1")
        .role_arn("arn:aws:iam::123456789012:role/reader");
    assert_eq!(
        js(intrinsic::get_stack_output::<String>(remote)),
        json!({"Fn::GetStackOutput": {
            "StackName": "network-prod",
            "OutputName": "vpcId",
            "Region": "eu-west-1",
            "RoleArn": "arn:aws:iam::123456789012:role/reader"
        }})
    );
    let include = intrinsic::transform::<Json, _, _>(
        "AWS::Include",
        [("Location", "s3://bucket/snippet.yaml")],
    );
    assert_eq!(
        js(include),
        json!({"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://bucket/snippet.yaml"}}})
    );
}

/// The rule functions of the `Rules` section, in the forms of the
/// CloudFormation rule function reference.
#[test]
fn rule_functions() {
    let instance_type = intrinsic::r#ref::<String>("InstanceType");
    assert_eq!(
        Json::from(intrinsic::contains(
            json!(["t3.large", "t3.small"]),
            instance_type
        )),
        json!({"Fn::Contains": [["t3.large", "t3.small"], {"Ref": "InstanceType"}]})
    );
    let departments = intrinsic::value_of_all("AWS::EC2::Subnet::Id", "Tags.Department");
    assert_eq!(
        Json::from(intrinsic::each_member_equals(departments, "IT")),
        json!({"Fn::EachMemberEquals": [{"Fn::ValueOfAll": ["AWS::EC2::Subnet::Id", "Tags.Department"]}, "IT"]})
    );
    let vpcs = intrinsic::value_of::<String>("ElbSubnet", "VpcId");
    assert_eq!(
        Json::from(intrinsic::each_member_in(
            intrinsic::ref_all("AWS::EC2::VPC::Id"),
            json!([vpcs])
        )),
        json!({"Fn::EachMemberIn": [{"Fn::RefAll": "AWS::EC2::VPC::Id"}, [{"Fn::ValueOf": ["ElbSubnet", "VpcId"]}]]})
    );
}

#[test]
fn every_intrinsic_names_its_key() {
    let cases = [
        (intrinsic::cidr("10.0.0.0/16", 2, 8), "Fn::Cidr"),
        (intrinsic::ref_all("AWS::EC2::VPC::Id"), "Fn::RefAll"),
        (
            intrinsic::value_of_all("AWS::EC2::VPC::Id", "Tags.Name"),
            "Fn::ValueOfAll",
        ),
    ];
    for (value, name) in cases {
        let Value::Fn(function) = value else {
            panic!("{name} is not a function");
        };
        assert_eq!(function.name(), name);
        assert!(js(Value::<Json>::Fn(function)).get(name).is_some());
    }
}

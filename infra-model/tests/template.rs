//! The template sections and builders that an imported stack writes through
//! its `customize` hook: every `Parameter` field, `Rules`, `Transform`,
//! `CreationPolicy`/`UpdatePolicy`, the `Output` builder and [`Untyped`].
//! Expected JSON follows CloudFormation's template anatomy and the
//! Parameters, Rules, Outputs and resource attribute reference pages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers of tests may panic: that is a failed test

use infra_model::{
    Handle, Json, Output, Parameter, Resource, ResourceEntry, Template, Untyped, intrinsic,
};
use serde_json::json;

fn to_json(template: &Template) -> Json {
    serde_json::from_str(&template.to_json()).unwrap()
}

#[test]
fn a_parameter_with_every_field() {
    let p = Parameter::new("String")
        .description("The database user")
        .default("admin")
        .allowed_values(["admin", "root"])
        .allowed_pattern("[a-zA-Z][a-zA-Z0-9]*")
        .constraint_description("letters and digits, starting with a letter")
        .min_length(1)
        .max_length("16")
        .no_echo("true");
    let n = Parameter::new("Number").min_value(1).max_value(10.5);
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({
            "Type": "String",
            "Description": "The database user",
            "Default": "admin",
            "AllowedValues": ["admin", "root"],
            "AllowedPattern": "[a-zA-Z][a-zA-Z0-9]*",
            "NoEcho": "true",
            "MinLength": 1,
            "MaxLength": "16",
            "ConstraintDescription": "letters and digits, starting with a letter"
        })
    );
    assert_eq!(
        serde_json::to_value(&n).unwrap(),
        json!({"Type": "Number", "MinValue": 1, "MaxValue": 10.5})
    );
}

#[test]
fn an_output_built_step_by_step() {
    let output = Output::new(intrinsic::get_att::<String>("Db", "Endpoint.Address"))
        .description("Where the database listens")
        .condition("IsProd")
        .export(intrinsic::sub("${AWS::StackName}-DbAddress"));
    assert_eq!(
        serde_json::to_value(&output).unwrap(),
        json!({
            "Description": "Where the database listens",
            "Condition": "IsProd",
            "Value": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
            "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-DbAddress"}}
        })
    );
    assert_eq!(
        serde_json::to_value(Output::new("plain")).unwrap(),
        json!({"Value": "plain"})
    );
}

/// Sections come out in CloudFormation's anatomy order, whatever order
/// they were filled in, and `Rules` sits between `Parameters` and `Mappings`.
#[test]
fn sections_in_template_anatomy_order() {
    let mut t = Template {
        description: Some("d".into()),
        ..Template::default()
    };
    t.outputs.insert("o".into(), Output::new("v"));
    t.resources.insert(
        "Waiter".into(),
        ResourceEntry::new("AWS::CloudFormation::WaitConditionHandle", json!({})),
    );
    t.transform = Some(json!(["AWS::Serverless-2016-10-31"]));
    t.conditions
        .insert("IsProd".into(), intrinsic::equals("a", "b").into());
    t.mappings.insert(
        "Sizes".into(),
        [("prod".to_owned(), [("Size".to_owned(), json!(2))].into())].into(),
    );
    let rule = json!({"Assertions": [{"Assert": intrinsic::contains(json!(["a"]), "a")}]});
    t.rules.insert("OnlyA".into(), rule);
    t.parameters
        .insert("Stage".into(), Parameter::new("String"));
    t.metadata.insert("Author".into(), json!("me"));
    let keys: Vec<String> = match to_json(&t) {
        Json::Object(map) => map.keys().cloned().collect(),
        other => panic!("not an object: {other}"),
    };
    // The order of a parsed object's keys depends on serde_json's features: read the text.
    let text = t.to_json();
    let order: Vec<usize> = [
        "AWSTemplateFormatVersion",
        "Description",
        "\"Metadata\"",
        "Parameters",
        "Rules",
        "Mappings",
        "Conditions",
        "Transform",
        "Resources",
        "Outputs",
    ]
    .iter()
    .map(|k| text.find(k).unwrap_or_else(|| panic!("{k} missing")))
    .collect();
    assert!(order.is_sorted(), "sections out of order:\n{text}");
    assert_eq!(keys.len(), 10);
}

#[test]
fn creation_and_update_policies_after_metadata() {
    let mut t = Template::default();
    let mut group = ResourceEntry::new(
        "AWS::AutoScaling::AutoScalingGroup",
        json!({"MinSize": "1"}),
    );
    group.metadata = Some(json!({"Note": "x"}));
    t.resources.insert("Group".into(), group);
    let entry = t.resource_mut("Group").expect("the entry");
    entry.creation_policy = Some(json!({"ResourceSignal": {"Count": 1, "Timeout": "PT15M"}}));
    entry.update_policy = Some(json!({"AutoScalingRollingUpdate": {"MinInstancesInService": 1}}));
    assert!(t.resource_mut("Nope").is_none());
    let text = t.to_json();
    let at = |k: &str| text.find(k).unwrap_or_else(|| panic!("{k} missing"));
    assert!(at("\"Metadata\"") < at("CreationPolicy"));
    assert!(at("CreationPolicy") < at("UpdatePolicy"));
    assert!(at("UpdatePolicy") < at("Properties"));
    assert_eq!(
        to_json(&t)["Resources"]["Group"]["CreationPolicy"],
        json!({"ResourceSignal": {"Count": 1, "Timeout": "PT15M"}})
    );
}

#[test]
fn untyped_carries_its_type_and_properties() {
    let seeder = Untyped::new("Custom::Seeder")
        .property("ServiceToken", intrinsic::get_att::<String>("Fn", "Arn"))
        .property("Rows", 3)
        .property("Rows", 4)
        .property("Spec", json!({"A": [1, 2]}));
    assert_eq!(seeder.type_name(), "Custom::Seeder");
    assert_eq!(
        serde_json::to_value(&seeder).unwrap(),
        json!({
            "Rows": 4,
            "ServiceToken": {"Fn::GetAtt": ["Fn", "Arn"]},
            "Spec": {"A": [1, 2]}
        })
    );
    const { assert!(!Untyped::HOLDS_DATA) };
    const SEEDER: Handle<Untyped> = Handle::new("Seeder");
    assert_eq!(
        serde_json::to_value(SEEDER.attr::<String>("Result.Id")).unwrap(),
        json!({"Fn::GetAtt": ["Seeder", "Result.Id"]})
    );
    assert_eq!(
        serde_json::to_value(SEEDER.r#ref()).unwrap(),
        json!({"Ref": "Seeder"})
    );
}

/// A typed resource still reports its registry name through the new method.
#[test]
fn typed_resources_keep_their_type_name() {
    let topic = infra_model::aws::sns::Topic::default();
    assert_eq!(topic.type_name(), "AWS::SNS::Topic");
}

//! Codegen on small schemas written here, modelled on real registry
//! quirks: names that are Rust keywords, hostile descriptions, nested
//! read-only properties, `allOf`, enums of numbers, several patterns.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use serde_json::json;

use infra_codegen::{model, share};

use super::{emit, format_all};

/// The model of `schema` as `type_name`, with the registry's GetAtt rule.
fn build(type_name: &str, schema: &serde_json::Value) -> model::ResourceType {
    let mut schema = schema.clone();
    schema["typeName"] = json!(type_name);
    let meta = infra_registry::from_registry_schema(&schema, &Default::default());
    model::build(type_name, &schema, &meta)
}

fn render(type_name: &str, schema: &serde_json::Value) -> String {
    let mut types = vec![build(type_name, schema)];
    let shared = share::share(&mut types);
    let mut names = emit::Names::default();
    let refs: Vec<&model::ResourceType> = types.iter().collect();
    let tokens = emit::service_module(&mut names, "x", &refs, &shared);
    assert!(names.errors.is_empty(), "{:?}", names.errors);
    format_one(tokens)
}

fn format_one(tokens: TokenStream) -> String {
    let (mut files, errors) = format_all(vec![(PathBuf::from("x.rs"), tokens)]);
    assert!(errors.is_empty(), "{errors:?}");
    files.remove(0).contents
}

#[test]
fn keywords_and_reserved_names_are_escaped() {
    let schema = json!({
        "properties": {
            "Type": {"type": "string", "enum": ["SELF", "OTHER", "1a"]},
            "Self": {"type": "string"},
            "New": {"type": "string"}
        },
        "readOnlyProperties": ["/properties/Id"],
    });
    let code = render("AWS::Cassandra::Type", &schema);
    assert!(code.contains("pub mod r#type {"), "{code}");
    assert!(
        code.contains("pub r#type: Option<Value<r#type::Type>>"),
        "{code}"
    );
    assert!(code.contains("Self_,"), "{code}");
    assert!(code.contains("V1a,"), "{code}");
    assert!(code.contains("pub self_: Option<Value<String>>"), "{code}");
    // `new` is the constructor's name; the setter of `New` is `new_`.
    assert!(code.contains("pub fn new_(mut self"), "{code}");
    // The trait is named in full, so a resource named `Resource` is fine.
    let code = render("AWS::ApiGateway::Resource", &json!({"properties": {}}));
    assert!(
        code.contains("impl infra_core::Resource for Resource {"),
        "{code}"
    );
}

#[test]
fn descriptions_cannot_break_the_code() {
    let hostile = "Ends a comment */ and opens one /* and\n```rust\nfn main() {}\n```\n    indented `code` \"quoted\"";
    let schema = json!({
        "description": hostile,
        "properties": {"Name": {"type": "string", "description": hostile}},
    });
    let code = render("AWS::X::Thing", &schema);
    assert!(
        code.contains("/// Ends a comment */ and opens one /* and"),
        "{code}"
    );
    assert!(code.contains("/// '''rust"), "{code}");
    assert!(code.contains("/// indented `code` \"quoted\""), "{code}");
    assert!(!code.contains("```"), "{code}");
}

#[test]
fn nested_read_only_properties_are_not_settable() {
    let schema = json!({
        "definitions": {
            "Endpoint": {"type": "object", "properties": {
                "Address": {"type": "string"}, "Port": {"type": "integer"}
            }}
        },
        "properties": {
            "Endpoint": {"$ref": "#/definitions/Endpoint"},
            "Name": {"type": "string"},
            "Arn": {"type": "string"}
        },
        "readOnlyProperties": ["/properties/Arn", "/properties/Endpoint/Address"],
    });
    let t = build("AWS::X::Db", &schema);
    let fields: Vec<&str> = t.root.fields.iter().map(|f| f.json.as_str()).collect();
    assert_eq!(fields, ["Endpoint", "Name"]);
    let model::Item::Struct(endpoint) = &t.items[0] else {
        panic!("a struct")
    };
    let fields: Vec<&str> = endpoint.fields.iter().map(|f| f.json.as_str()).collect();
    assert_eq!(fields, ["Port"]);
    let attrs: Vec<(&str, &str)> = t
        .attrs
        .iter()
        .map(|a| (a.name.as_str(), a.const_name.as_str()))
        .collect();
    assert_eq!(
        attrs,
        [("Arn", "Arn"), ("Endpoint.Address", "EndpointAddress")]
    );
}

#[test]
fn attributes_are_unique_and_arrays_are_lists() {
    let schema = json!({
        "properties": {
            "Arn": {"type": "string"},
            "Cidrs": {"type": "array", "items": {"type": "string"}},
            "Treatments": {"type": "array", "items": {"type": "object", "properties": {"Key": {"type": "string"}}}}
        },
        "readOnlyProperties": ["/properties/Arn", "/properties/Arn", "/properties/Cidrs", "/properties/Treatments/*/Key"],
    });
    let t = build("AWS::X::Thing", &schema);
    let attrs: Vec<(&str, &model::Ty)> = t.attrs.iter().map(|a| (a.name.as_str(), &a.ty)).collect();
    let list = model::Ty::List(Box::new(model::Ty::Leaf(model::Leaf::String)));
    assert_eq!(
        attrs,
        [
            ("Arn", &model::Ty::Leaf(model::Leaf::String)),
            ("Cidrs", &list),
            ("Treatments.Key", &list)
        ]
    );
}

#[test]
fn all_of_number_enums_and_several_patterns() {
    let schema = json!({
        "definitions": {"Behavior": {"type": "string", "enum": ["a", "b"]}},
        "properties": {
            "Behavior": {"allOf": [{"$ref": "#/definitions/Behavior"}, {"default": "a"}]},
            "Retention": {"type": "integer", "enum": [1, 3, 5]},
            "Same": {"type": "object", "patternProperties": {"^a": {"type": "string"}, "^b": {"type": "string"}}},
            "Mixed": {"type": "object", "patternProperties": {"^a": {"type": "string"}, "^b": {"type": "integer"}}}
        },
    });
    let t = build("AWS::X::Thing", &schema);
    let ty = |name: &str| {
        &t.root
            .fields
            .iter()
            .find(|f| f.json == name)
            .expect(name)
            .ty
    };
    assert_eq!(ty("Behavior"), &model::Ty::Enum("Behavior".into()));
    assert_eq!(ty("Retention"), &model::Ty::Enum("Retention".into()));
    let map = |l| model::Ty::Map(Box::new(model::Ty::Leaf(l)));
    assert_eq!(ty("Same"), &map(model::Leaf::String));
    assert_eq!(ty("Mixed"), &map(model::Leaf::Json));
    let code = render("AWS::X::Thing", &schema);
    assert!(code.contains("Self::V3 => s.serialize_i64(3)"), "{code}");
}

#[test]
fn definitions_two_types_share_are_generated_once() {
    let tag =
        json!({"type": "object", "properties": {"Key": {"type": "string"}}, "required": ["Key"]});
    let with_tag = |extra: &str| {
        json!({
            "definitions": {"Tag": tag, "Own": {"type": "object", "properties": {extra: {"type": "string"}}}},
            "properties": {"Tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}}, "Own": {"$ref": "#/definitions/Own"}}
        })
    };
    let mut types = vec![
        build("AWS::X::A", &with_tag("One")),
        build("AWS::X::B", &with_tag("Two")),
    ];
    let shared = share::share(&mut types);
    assert_eq!(shared.len(), 1);
    assert_eq!(types[0].shared, ["Tag"]);
    assert_eq!(
        types[0].items.len(),
        1,
        "`Own` differs, so each type keeps its own"
    );
}

#[test]
fn every_naming_failure_is_reported() {
    let mut names = emit::Names::default();
    names.ident("ok", "here");
    names.ident("no good", "AWS::X::A");
    names.ident("1st", "AWS::X::B");
    assert_eq!(
        names.errors,
        [
            "AWS::X::A: `no good` is not a Rust identifier",
            "AWS::X::B: `1st` is not a Rust identifier"
        ]
    );
}

#[test]
fn type_overrides_take_the_hand_written_types() {
    let schema = json!({
        "properties": {
            "RedrivePolicy": {"type": ["object", "string"]},
            "RedriveAllowPolicy": {"type": "object"},
            "QueueName": {"type": "string"}
        },
    });
    let code = render("AWS::SQS::Queue", &schema);
    assert!(
        code.contains("pub use infra_core::typed::sqs::*;"),
        "{code}"
    );
    assert!(
        code.contains("pub use infra_core::typed::sqs::RedrivePolicy;"),
        "{code}"
    );
    assert!(
        code.contains("pub redrive_policy: Option<Value<infra_core::typed::sqs::RedrivePolicy>>"),
        "{code}"
    );
    assert!(
        code.contains("pub queue_name: Option<Value<String>>"),
        "{code}"
    );
    // Other services are untouched.
    let code = render("AWS::SNS::Topic", &schema);
    assert!(!code.contains("infra_core::typed"), "{code}");
}

/// A row whose property the schema no longer has, or has as a struct, is
/// reported rather than silently dropped.
#[test]
fn a_stale_override_row_is_reported() {
    let schema = json!({
        "definitions": {"Redrive": {"type": "object", "properties": {"A": {"type": "string"}}}},
        "properties": {"RedrivePolicy": {"$ref": "#/definitions/Redrive"}},
    });
    let types = vec![build("AWS::SQS::Queue", &schema)];
    let stale = model::unapplied(&types);
    assert!(
        stale
            .iter()
            .any(|s| s.starts_with("type override AWS::SQS::Queue/RedrivePolicy:")),
        "{stale:?}"
    );
}

/// Import writes code against `infra_codegen::binding`, built from the
/// registry data (descriptions stripped, read-only pointers kept apart): for
/// every type of the pinned wheel it names exactly what codegen generates
/// from the wheel's schema.
#[test]
fn bindings_from_registry_data_name_what_codegen_generates() {
    let root = crate::workspace::root().expect("workspace root");
    let pin = super::schemas::read_pin(&root).expect("the pin");
    if !super::schemas::cached(&root, &pin) {
        eprintln!("wheel not in .cache/: skipped (`cargo xtask codegen` fetches it)");
        return;
    }
    let dir = super::schemas::fetch(&root, &pin).expect("the cached wheel");
    let (_, loaded) = super::schemas::load(&dir).expect("the schemas");
    let rules = super::registry::getatt_rules_of(&root).expect("GetAtt rules");
    let mut differ = Vec::new();
    for s in &loaded {
        let meta = infra_registry::from_registry_schema(&s.json, &rules);
        let wheel = infra_codegen::binding::signature(&model::build(&s.type_name, &s.json, &meta));
        let Some(binding) = infra_codegen::binding(&s.type_name) else {
            differ.push(format!("{}: not in the registry data", s.type_name));
            continue;
        };
        if infra_codegen::binding::signature(binding.model()) != wheel {
            differ.push(s.type_name.clone());
        }
    }
    assert_eq!(loaded.len(), 1854, "the pinned registry's type count");
    assert!(
        differ.is_empty(),
        "bindings differ from codegen: {differ:#?}"
    );
}

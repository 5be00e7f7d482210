//! The GetAtt attributes of a resource type as Rust: constants, accessors
//! and value types.
//!
//! Which attributes CloudFormation accepts is infra-registry's rule (cfn-lint's,
//! read from the pinned wheel): `readOnlyProperties`, the properties
//! CloudFormation documents as return values (`TopicName` on
//! `AWS::SNS::Topic`), and for some types every scalar property. A path
//! through an array (`Treatments.*.Key`) is the attribute `Treatments.Key`,
//! whose value is a list.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value as Json;

use infra_registry::TypeMeta;

use crate::model::{self, Attr, Leaf, Ty};

/// Methods `Handle<R>` has for every `R`: an attribute method must not shadow them.
const HANDLE_METHODS: &[&str] = &["new", "logical_id", "r#ref", "get_att", "clone"];

/// The GetAtt attributes of a type, from its registry metadata (the one home
/// of the rule), typed from its schema; wildcard attributes (`Outputs.*` of a
/// nested stack, anything of a custom resource) have no fixed name and no accessor.
pub fn attributes(meta: &TypeMeta, schema: &Json) -> Vec<Attr> {
    let mut pointers = Vec::new();
    let mut arrays = Vec::new();
    for a in &meta.attributes {
        let segments: Vec<String> = a.name.split('.').map(str::to_owned).collect();
        if segments.last().is_some_and(|s| s == "*") {
            continue;
        }
        arrays.push(a.is_array);
        pointers.push(segments);
    }
    build(schema, &pointers)
        .into_iter()
        .map(|(i, mut attr)| {
            if arrays[i] && !matches!(attr.ty, Ty::List(_)) {
                attr.ty = Ty::List(Box::new(attr.ty.clone()));
            }
            attr
        })
        .collect()
}

/// One attribute per pointer (segments, `*` through an array) with unique
/// constant and method names, each with the index of its pointer.
fn build(schema: &Json, pointers: &[Vec<String>]) -> Vec<(usize, Attr)> {
    let mut names = BTreeSet::new();
    let mut consts = BTreeSet::new();
    let mut methods: BTreeSet<String> = HANDLE_METHODS.iter().map(|s| (*s).to_owned()).collect();
    let mut attrs = Vec::new();
    for (i, segments) in pointers.iter().enumerate() {
        let named: Vec<&str> = segments
            .iter()
            .map(String::as_str)
            .filter(|s| *s != "*")
            .collect();
        let name = named.join(".");
        if named.is_empty() || !names.insert(name.clone()) {
            continue;
        }
        let const_name = model::unique(&mut consts, &named.concat().to_upper_camel_case(), "A");
        let method = model::field_name(&named.join("_").to_snake_case());
        attrs.push((
            i,
            Attr {
                method: model::unique(&mut methods, &method, "a_"),
                ty: attribute_type(schema, segments),
                name,
                const_name,
            },
        ));
    }
    attrs
}

/// The value type of the attribute at `segments`: a leaf, or a list of leaves
/// when the path or the property is an array.
fn attribute_type(schema: &Json, segments: &[String]) -> Ty {
    let mut node = schema["properties"].clone();
    let mut through_array = false;
    for (i, seg) in segments.iter().enumerate() {
        let next = if seg == "*" {
            through_array = true;
            node["items"].clone()
        } else {
            node[seg.as_str()].clone()
        };
        node = resolve(schema, &next);
        if i + 1 < segments.len() && segments[i + 1] != "*" {
            node = node["properties"].clone();
        }
    }
    let leaf = |n: &Json| match model::type_of(n) {
        Some("string") => Some(Leaf::String),
        Some("integer") => Some(Leaf::Integer),
        Some("number") => Some(Leaf::Number),
        Some("boolean") => Some(Leaf::Boolean),
        None if model::only_formats(n) || n["enum"].is_array() => Some(Leaf::String),
        _ => None,
    };
    let ty = match model::type_of(&node) {
        Some("array") => Ty::List(Box::new(Ty::Leaf(
            leaf(&resolve(schema, &node["items"])).unwrap_or(Leaf::String),
        ))),
        _ => Ty::Leaf(leaf(&node).unwrap_or(Leaf::Json)),
    };
    match ty {
        Ty::Leaf(l) if through_array => Ty::List(Box::new(Ty::Leaf(l))),
        ty => ty,
    }
}

fn resolve(schema: &Json, node: &Json) -> Json {
    let node = model::merge_all_of(node);
    match model::def_ref(&node) {
        Some(def) => model::merge_all_of(&schema["definitions"][def]),
        None => node,
    }
}

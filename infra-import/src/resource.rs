//! The resources of a template: checked and planned (field, type, resource
//! attributes), then each written as a typed builder, or as `Untyped` when
//! the typed builders cannot express it (a custom or SAM type, or a value the
//! model has no room for).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use infra_codegen::Binding;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value as Json};

use crate::expr::{Scope, Typed, Unfit};
use crate::{Refusal, names, refusal};

/// The resource attributes the stack field carries or `customize` sets.
const ATTRIBUTES: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Metadata",
    "CreationPolicy",
    "UpdatePolicy",
];
const DELETION_POLICIES: &[&str] = &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot"];

/// One resource, planned.
#[derive(Debug)]
pub struct Planned {
    pub logical_id: String,
    pub field: String,
    /// Whether the derive gives `logical_id` back from `field`.
    pub round_trips: bool,
    pub type_name: String,
    /// The typed model; None for `Untyped` (a custom or SAM type, or a fallback).
    pub binding: Option<Arc<Binding>>,
    pub depends_on: Vec<String>,
    pub condition: Option<String>,
    pub deletion_policy: Option<String>,
    pub update_replace_policy: Option<String>,
    pub properties: Map<String, Json>,
    /// `Metadata`, `CreationPolicy`, `UpdatePolicy`: set in `customize`.
    pub extras: Vec<(&'static str, Json)>,
}

/// Plans every resource of `template`; what cannot be imported goes to `refusals`.
pub fn plan(template: &Json, refusals: &mut Vec<Refusal>) -> Vec<Planned> {
    let Some(resources) = template.get("Resources") else {
        refusals.push(refusal("", "the template has no `Resources`"));
        return vec![];
    };
    let Some(resources) = resources.as_object() else {
        refusals.push(refusal(
            "Resources",
            "`Resources` is a mapping of logical IDs",
        ));
        return vec![];
    };
    let ids: BTreeSet<&str> = resources.keys().map(String::as_str).collect();
    let mut taken = BTreeSet::new();
    let mut out = Vec::new();
    // `Fn::ForEach::*` keys are refused by the scan already.
    for (id, r) in resources
        .iter()
        .filter(|(id, _)| !id.starts_with("Fn::ForEach"))
    {
        let path = format!("Resources.{id}");
        if let Some(p) = plan_one(id, r, &path, &mut taken, refusals) {
            out.push(p);
        }
        let depends_on = r
            .get("DependsOn")
            .map_or(vec![], |d| depends_on(Some(d), &path, &mut vec![]));
        for d in depends_on.iter().filter(|d| !ids.contains(d.as_str())) {
            refusals.push(refusal(
                &format!("{path}.DependsOn"),
                format!("`DependsOn` names `{d}`, which is not a resource of the template"),
            ));
        }
    }
    out
}

fn plan_one(
    id: &str,
    r: &Json,
    path: &str,
    taken: &mut BTreeSet<String>,
    refusals: &mut Vec<Refusal>,
) -> Option<Planned> {
    let before = refusals.len();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        refusals.push(refusal(
            path,
            format!(
                "logical ID `{id}` is not alphanumeric (A-Z, a-z, 0-9), as CloudFormation requires"
            ),
        ));
    }
    let Some(r) = r.as_object() else {
        refusals.push(refusal(path, "a resource is a mapping with `Type`"));
        return None;
    };
    for key in r.keys().filter(|k| !ATTRIBUTES.contains(&k.as_str())) {
        refusals.push(refusal(
            &format!("{path}.{key}"),
            format!(
                "unknown resource attribute `{key}`, expected one of {}",
                ATTRIBUTES.join(", ")
            ),
        ));
    }
    let type_name = type_of(r, path, refusals)?;
    let binding = binding_of(&type_name, path, refusals);
    let properties = match r.get("Properties") {
        None => Map::new(),
        Some(Json::Object(p)) => p.clone(),
        Some(_) => {
            refusals.push(refusal(
                &format!("{path}.Properties"),
                "`Properties` is a mapping",
            ));
            Map::new()
        }
    };
    let (field, round_trips) = names::field(id, taken);
    let planned = Planned {
        logical_id: id.to_owned(),
        field,
        round_trips,
        depends_on: depends_on(r.get("DependsOn"), path, refusals),
        condition: condition(r, path, refusals),
        deletion_policy: string_attr(r, "DeletionPolicy", Some(DELETION_POLICIES), path, refusals),
        update_replace_policy: string_attr(
            r,
            "UpdateReplacePolicy",
            Some(UPDATE_REPLACE_POLICIES),
            path,
            refusals,
        ),
        extras: ["Metadata", "CreationPolicy", "UpdatePolicy"]
            .into_iter()
            .filter_map(|k| r.get(k).map(|v| (k, v.clone())))
            .collect(),
        type_name,
        binding: binding?,
        properties,
    };
    (refusals.len() == before).then_some(planned)
}

fn type_of(r: &Map<String, Json>, path: &str, refusals: &mut Vec<Refusal>) -> Option<String> {
    match r.get("Type") {
        Some(Json::String(t)) => Some(t.clone()),
        Some(_) => {
            refusals.push(refusal(
                &format!("{path}.Type"),
                "`Type` is a type name string",
            ));
            None
        }
        None => {
            refusals.push(refusal(path, "the resource has no `Type`"));
            None
        }
    }
}

/// Some(binding) for a registry type, Some(None) for a type written `Untyped`
/// (custom resources, SAM); None, refused, for anything else.
fn binding_of(
    type_name: &str,
    path: &str,
    refusals: &mut Vec<Refusal>,
) -> Option<Option<Arc<Binding>>> {
    // The registry has `AWS::CloudFormation::CustomResource` with only
    // `ServiceToken`; its other properties are the custom resource's own.
    let generic = type_name.starts_with("Custom::")
        || type_name == "AWS::CloudFormation::CustomResource"
        || type_name.starts_with("AWS::Serverless::");
    if generic {
        return Some(None);
    }
    if let Some(b) = infra_codegen::binding(type_name) {
        return Some(Some(b));
    }
    let hint = match infra_registry::suggest(type_name) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => String::new(),
    };
    refusals.push(refusal(
        &format!("{path}.Type"),
        format!(
            "`{type_name}` is not a type of the registry, a custom resource (`Custom::*`, \
             `AWS::CloudFormation::CustomResource`) or SAM (`AWS::Serverless::*`){hint}"
        ),
    ));
    None
}

fn depends_on(v: Option<&Json>, path: &str, refusals: &mut Vec<Refusal>) -> Vec<String> {
    let here = format!("{path}.DependsOn");
    match v {
        None => vec![],
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(items)) if items.iter().all(Json::is_string) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        Some(_) => {
            refusals.push(refusal(
                &here,
                "`DependsOn` is a logical ID or a list of them",
            ));
            vec![]
        }
    }
}

/// The resource's `Condition`: the derive takes alphanumeric names only, as
/// CloudFormation documents them.
fn condition(r: &Map<String, Json>, path: &str, refusals: &mut Vec<Refusal>) -> Option<String> {
    let name = string_attr(r, "Condition", None, path, refusals)?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        let msg = format!("condition name `{name}` is not alphanumeric (A-Z, a-z, 0-9)");
        refusals.push(refusal(&format!("{path}.Condition"), msg));
    }
    Some(name)
}

/// A string resource attribute, one of `allowed` when given.
fn string_attr(
    r: &Map<String, Json>,
    key: &str,
    allowed: Option<&[&str]>,
    path: &str,
    refusals: &mut Vec<Refusal>,
) -> Option<String> {
    let v = r.get(key)?;
    let here = format!("{path}.{key}");
    let Json::String(s) = v else {
        let msg = format!("`{key}` other than a plain string cannot be written in Rust: `{v}`");
        refusals.push(refusal(&here, msg));
        return None;
    };
    if let Some(allowed) = allowed.filter(|a| !a.contains(&s.as_str())) {
        let msg = format!(
            "unknown {key} `{s}`, expected one of {}",
            allowed.join(", ")
        );
        refusals.push(refusal(&here, msg));
        return None;
    }
    Some(s.clone())
}

/// A resource as the stack's field initializer; `Err` when a registry type's
/// value does not fit its typed builders (the resource is then `Untyped`).
pub fn render(
    scope: &mut Scope<'_>,
    p: &Planned,
    modules: &BTreeMap<String, TokenStream>,
) -> Result<TokenStream, Unfit> {
    let path = format!("Resources.{}.Properties", p.logical_id);
    let Some(binding) = &p.binding else {
        return Ok(untyped(scope, p, &path));
    };
    let service = names::ident(binding.service());
    let name = names::ident(binding.name());
    let t = Typed {
        binding,
        module: modules[&p.type_name].clone(),
    };
    let props = Json::Object(p.properties.clone());
    scope.structure(&t, binding.root(), &quote!(#service::#name), &props, &path)
}

/// `Untyped::new("Custom::Thing").property("Key", value)...`.
pub fn untyped(scope: &mut Scope<'_>, p: &Planned, path: &str) -> TokenStream {
    scope.uses.insert("Untyped");
    let type_name = &p.type_name;
    let mut tokens = quote!(Untyped::new(#type_name));
    for (k, v) in &p.properties {
        let v = scope.arg(v, &format!("{path}.{k}"));
        tokens = quote!(#tokens.property(#k, #v));
    }
    tokens
}

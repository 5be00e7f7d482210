//! The template sections besides `Resources`, and the resource attributes a
//! field cannot carry, as the statements of the stack's `customize` hook:
//! parameters, rules, mappings, conditions, metadata and outputs exactly as
//! the input has them (names, descriptions, conditions, exports), nothing
//! inlined or evaluated.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value as Json};

use crate::expr::Scope;
use crate::resource::Planned;
use crate::{Refusal, names, refusal};

/// Parameter keys and the builder method of each.
const PARAMETER_KEYS: &[(&str, &str)] = &[
    ("Type", ""),
    ("Description", "description"),
    ("Default", "default"),
    ("AllowedValues", "allowed_values"),
    ("AllowedPattern", "allowed_pattern"),
    ("NoEcho", "no_echo"),
    ("MinLength", "min_length"),
    ("MaxLength", "max_length"),
    ("MinValue", "min_value"),
    ("MaxValue", "max_value"),
    ("ConstraintDescription", "constraint_description"),
];
const OUTPUT_KEYS: &[&str] = &["Value", "Description", "Condition", "Export"];

/// Every shape problem of the sections `customize` writes.
pub fn check(template: &Json, refusals: &mut Vec<Refusal>) {
    if let Some(v) = template
        .get("AWSTemplateFormatVersion")
        .filter(|v| *v != "2010-09-09")
    {
        let msg =
            format!("`AWSTemplateFormatVersion` is `{v}`, the only version is \"2010-09-09\"");
        refusals.push(refusal("AWSTemplateFormatVersion", msg));
    }
    if let Some(v) = template.get("Description").filter(|v| !v.is_string()) {
        refusals.push(refusal(
            "Description",
            format!("`Description` is a string, not `{v}`"),
        ));
    }
    for section in ["Metadata", "Rules", "Conditions"] {
        mapping(template, section, refusals);
    }
    for (name, p) in mapping(template, "Parameters", refusals) {
        parameter(&format!("Parameters.{name}"), p, refusals);
    }
    for (name, m) in mapping(template, "Mappings", refusals) {
        let path = format!("Mappings.{name}");
        let Some(top) = m.as_object() else {
            refusals.push(refusal(&path, "a mapping is a mapping of keys to mappings"));
            continue;
        };
        for (k, second) in top.iter().filter(|(_, v)| !v.is_object()) {
            let msg = format!("`{k}` is a mapping of second-level keys, not `{second}`");
            refusals.push(refusal(&format!("{path}.{k}"), msg));
        }
    }
    for (name, o) in mapping(template, "Outputs", refusals) {
        output(&format!("Outputs.{name}"), o, refusals);
    }
}

/// The entries of section `name`, refusing a section that is not a mapping.
fn mapping<'t>(
    template: &'t Json,
    name: &str,
    refusals: &mut Vec<Refusal>,
) -> Vec<(&'t String, &'t Json)> {
    match template.get(name) {
        None => vec![],
        // `Fn::ForEach::*` entries are refused by the scan already.
        Some(Json::Object(m)) => m
            .iter()
            .filter(|(k, _)| !k.starts_with("Fn::ForEach"))
            .collect(),
        Some(_) => {
            refusals.push(refusal(name, format!("`{name}` is a mapping")));
            vec![]
        }
    }
}

fn parameter(path: &str, p: &Json, refusals: &mut Vec<Refusal>) {
    let Some(p) = p.as_object() else {
        refusals.push(refusal(path, "a parameter is a mapping with `Type`"));
        return;
    };
    if !p.get("Type").is_some_and(Json::is_string) {
        refusals.push(refusal(path, "the parameter has no `Type` string"));
    }
    let allowed: Vec<&str> = PARAMETER_KEYS.iter().map(|(k, _)| *k).collect();
    for key in p.keys().filter(|k| !allowed.contains(&k.as_str())) {
        let msg = format!(
            "unknown parameter key `{key}`, expected one of {}",
            allowed.join(", ")
        );
        refusals.push(refusal(&format!("{path}.{key}"), msg));
    }
    for key in ["Description", "AllowedPattern", "ConstraintDescription"] {
        if p.get(key).is_some_and(|v| !v.is_string()) {
            refusals.push(refusal(
                &format!("{path}.{key}"),
                format!("`{key}` is a string"),
            ));
        }
    }
    if p.get("AllowedValues").is_some_and(|v| !v.is_array()) {
        refusals.push(refusal(
            &format!("{path}.AllowedValues"),
            "`AllowedValues` is a list",
        ));
    }
    if p.get("NoEcho").is_some_and(|v| no_echo(v).is_none()) {
        refusals.push(refusal(
            &format!("{path}.NoEcho"),
            "`NoEcho` is true or false",
        ));
    }
}

fn no_echo(v: &Json) -> Option<bool> {
    match v {
        Json::Bool(b) => Some(*b),
        Json::String(s) if s == "true" || s == "false" => Some(s == "true"),
        _ => None,
    }
}

fn output(path: &str, o: &Json, refusals: &mut Vec<Refusal>) {
    let Some(o) = o.as_object() else {
        refusals.push(refusal(path, "an output is a mapping with `Value`"));
        return;
    };
    if !o.contains_key("Value") {
        refusals.push(refusal(path, "the output has no `Value`"));
    }
    for key in o.keys().filter(|k| !OUTPUT_KEYS.contains(&k.as_str())) {
        let msg = format!(
            "unknown output key `{key}`, expected one of {}",
            OUTPUT_KEYS.join(", ")
        );
        refusals.push(refusal(&format!("{path}.{key}"), msg));
    }
    for key in ["Description", "Condition"] {
        if o.get(key).is_some_and(|v| !v.is_string()) {
            refusals.push(refusal(
                &format!("{path}.{key}"),
                format!("`{key}` is a string"),
            ));
        }
    }
    let export = o.get("Export");
    let name_only = |e: &Map<String, Json>| e.len() == 1 && e.contains_key("Name");
    if export.is_some_and(|e| !e.as_object().is_some_and(name_only)) {
        refusals.push(refusal(
            &format!("{path}.Export"),
            "`Export` is a mapping with only `Name`",
        ));
    }
}

/// The statements of `customize`, in the template's section order.
pub fn statements(scope: &mut Scope<'_>, template: &Json, planned: &[Planned]) -> Vec<TokenStream> {
    let mut out = Vec::new();
    if let Some(t) = template.get("Transform") {
        let t = scope.json_macro(t, "Transform");
        out.push(quote!(template.transform = Some(#t);));
    }
    for (k, v) in entries(template, "Metadata") {
        let v = scope.json_macro(v, &format!("Metadata.{k}"));
        out.push(quote!(template.metadata.insert(#k.into(), #v);));
    }
    for (k, v) in entries(template, "Parameters") {
        let p = parameter_builder(scope, v, &format!("Parameters.{k}"));
        scope.uses.insert("Parameter");
        out.push(quote!(template.parameters.insert(#k.into(), #p);));
    }
    for (k, v) in entries(template, "Rules") {
        let v = scope.json_macro(v, &format!("Rules.{k}"));
        out.push(quote!(template.rules.insert(#k.into(), #v);));
    }
    for (k, v) in entries(template, "Mappings") {
        let m = mapping_value(scope, v, &format!("Mappings.{k}"));
        out.push(quote!(template.mappings.insert(#k.into(), #m);));
    }
    for (k, v) in entries(template, "Conditions") {
        let v = scope.json_macro(v, &format!("Conditions.{k}"));
        out.push(quote!(template.conditions.insert(#k.into(), #v);));
    }
    out.extend(planned.iter().filter_map(|p| resource_extras(scope, p)));
    for (k, v) in entries(template, "Outputs") {
        let o = output_builder(scope, v, &format!("Outputs.{k}"));
        scope.uses.insert("Output");
        out.push(quote!(template.outputs.insert(#k.into(), #o);));
    }
    out
}

fn entries<'t>(template: &'t Json, section: &str) -> impl Iterator<Item = (&'t String, &'t Json)> {
    template
        .get(section)
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
}

/// `Parameter::new("String").description("..")...`, in the builder's field order.
fn parameter_builder(scope: &mut Scope<'_>, p: &Json, path: &str) -> TokenStream {
    let type_name = p["Type"].as_str().unwrap_or_default();
    let mut tokens = quote!(Parameter::new(#type_name));
    for (key, method) in PARAMETER_KEYS.iter().skip(1) {
        let Some(v) = p.get(*key) else { continue };
        let here = format!("{path}.{key}");
        let method = names::ident(method);
        // Strings where the builder takes text, the rest as the input has it
        // (`NoEcho: "true"` stays a string: CloudFormation accepts both).
        let arg = match (*key, v) {
            ("Description" | "AllowedPattern" | "ConstraintDescription", Json::String(s)) => {
                quote!(#s)
            }
            ("AllowedValues", Json::Array(items)) if items.is_empty() => {
                scope.uses.insert("Json");
                quote!(Vec::<Json>::new())
            }
            ("AllowedValues", Json::Array(items)) => {
                let items: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| scope.json_macro(v, &format!("{here}[{i}]")))
                    .collect();
                quote!([#(#items),*])
            }
            (_, v) => scope.arg(v, &here),
        };
        tokens = quote!(#tokens.#method(#arg));
    }
    tokens
}

/// `Output::new(value).description("..").condition("..").export(name)`.
fn output_builder(scope: &mut Scope<'_>, o: &Json, path: &str) -> TokenStream {
    let value = scope.arg(&o["Value"], &format!("{path}.Value"));
    let mut tokens = quote!(Output::new(#value));
    for (key, method) in [("Description", "description"), ("Condition", "condition")] {
        if let Some(s) = o.get(key).and_then(Json::as_str) {
            let method = names::ident(method);
            tokens = quote!(#tokens.#method(#s));
        }
    }
    if let Some(name) = o.get("Export").and_then(|e| e.get("Name")) {
        let name = scope.arg(name, &format!("{path}.Export.Name"));
        tokens = quote!(#tokens.export(#name));
    }
    tokens
}

/// A mapping as nested `BTreeMap`s of JSON values.
fn mapping_value(scope: &mut Scope<'_>, m: &Json, path: &str) -> TokenStream {
    scope.uses.insert("BTreeMap");
    let top = m.as_object().into_iter().flatten().map(|(k1, second)| {
        let inner = second.as_object().into_iter().flatten().map(|(k2, v)| {
            let v = scope.json_macro(v, &format!("{path}.{k1}.{k2}"));
            quote!((#k2.into(), #v))
        });
        let inner: Vec<TokenStream> = inner.collect();
        quote!((#k1.into(), BTreeMap::from([#(#inner),*])))
    });
    let top: Vec<TokenStream> = top.collect();
    quote!(BTreeMap::from([#(#top),*]))
}

/// `Metadata`, `CreationPolicy` and `UpdatePolicy` of a resource, set on its entry.
fn resource_extras(scope: &mut Scope<'_>, p: &Planned) -> Option<TokenStream> {
    if p.extras.is_empty() {
        return None;
    }
    let id = &p.logical_id;
    let sets = p.extras.iter().map(|(key, v)| {
        let field = names::ident(match *key {
            "Metadata" => "metadata",
            "CreationPolicy" => "creation_policy",
            _ => "update_policy",
        });
        let v = scope.json_macro(v, &format!("Resources.{id}.{key}"));
        quote!(entry.#field = Some(#v);)
    });
    let sets: Vec<TokenStream> = sets.collect();
    Some(quote! {
        if let Some(entry) = template.resource_mut(#id) {
            #(#sets)*
        }
    })
}

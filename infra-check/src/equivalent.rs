//! Semantic equality of two templates, for proving a round trip (import, then
//! synth): two templates are equivalent when CloudFormation reads them as the
//! same stack. Key order never matters; intrinsic forms that build the same
//! value are one (`!GetAtt a.b` and `[a, b]`, `Fn::Sub` with or without an
//! empty variable map, a `Fn::Join` of literals and the literal: the diff's
//! [`canonical`] form); a scalar equals its text where CloudFormation coerces
//! (`"5"` and `5`, `"true"` and `true`: [`same_scalar`]); a
//! `DependsOn` is a set ([`depends_on_set`]); an absent
//! `AWSTemplateFormatVersion` is `"2010-09-09"`, the only version there is; an
//! empty section or `Properties: {}` is the same as none.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::diff::resolve::{Scope, canonical};
use crate::json::{depends_on_set, push_index, push_key, same_scalar};

/// The only template format version CloudFormation has.
const FORMAT_VERSION: &str = "2010-09-09";

/// One place where two templates differ. `None`: absent on that side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// Template path, `Resources.Table.Properties.KeySchema[0].AttributeName`.
    pub path: String,
    pub expected: Option<Value>,
    pub actual: Option<Value>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<Value>| match v {
            Some(v) => crate::problem::show(v),
            None => "nothing".to_owned(),
        };
        write!(
            f,
            "{}: expected {}, got {}",
            self.path,
            show(&self.expected),
            show(&self.actual)
        )
    }
}

/// The differences between `expected` and `actual` as CloudFormation reads
/// them, by template path, sorted; empty when the templates are equivalent.
pub fn equivalent(expected: &Value, actual: &Value) -> Vec<Difference> {
    let (expected, actual) = (normal(expected), normal(actual));
    let mut out = Vec::new();
    compare(&expected, &actual, &mut String::new(), &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// `template` in the one form this comparison reads.
fn normal(template: &Value) -> Value {
    let scope = Scope::of(None, Some(template));
    let mut v = canonical(template, scope);
    let Value::Object(map) = &mut v else {
        return v;
    };
    map.entry("AWSTemplateFormatVersion")
        .or_insert_with(|| Value::String(FORMAT_VERSION.to_owned()));
    map.retain(|_, section| !is_empty_object(section));
    if let Some(Value::Object(resources)) = map.get_mut("Resources") {
        resources.values_mut().for_each(normal_resource);
    }
    v
}

/// A resource entry without `Properties: {}`, its `DependsOn` a sorted list.
fn normal_resource(entry: &mut Value) {
    let Value::Object(entry) = entry else { return };
    if entry.get("Properties").is_some_and(is_empty_object) {
        entry.remove("Properties");
    }
    let set = depends_on_set(entry.get("DependsOn"))
        .map(|ids| ids.into_iter().map(Value::from).collect::<Vec<_>>());
    match set {
        Some(ids) if ids.is_empty() => entry.remove("DependsOn"),
        Some(ids) => entry.insert("DependsOn".to_owned(), Value::Array(ids)),
        None => None,
    };
}

fn is_empty_object(v: &Value) -> bool {
    v.as_object().is_some_and(Map::is_empty)
}

/// Walks both values side by side, recording each place they differ at the
/// deepest path where both are still objects, or arrays of one length.
fn compare(a: &Value, b: &Value, path: &mut String, out: &mut Vec<Difference>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => compare_maps(x, y, path, out),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                let len = path.len();
                push_index(path, i);
                compare(p, q, path, out);
                path.truncate(len);
            }
        }
        _ if same_scalar(a, b) => {}
        _ => out.push(Difference {
            path: path.clone(),
            expected: Some(a.clone()),
            actual: Some(b.clone()),
        }),
    }
}

fn compare_maps(
    x: &Map<String, Value>,
    y: &Map<String, Value>,
    path: &mut String,
    out: &mut Vec<Difference>,
) {
    for (key, p) in x {
        let len = path.len();
        push_key(path, key);
        match y.get(key) {
            Some(q) => compare(p, q, path, out),
            None => out.push(Difference {
                path: path.clone(),
                expected: Some(p.clone()),
                actual: None,
            }),
        }
        path.truncate(len);
    }
    for (key, q) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
        let len = path.len();
        push_key(path, key);
        out.push(Difference {
            path: path.clone(),
            expected: None,
            actual: Some(q.clone()),
        });
        path.truncate(len);
    }
}

#[cfg(test)]
mod tests;

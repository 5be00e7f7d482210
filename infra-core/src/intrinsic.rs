//! CloudFormation intrinsic functions, condition functions and pseudo parameters.
//!
//! Arguments are [`Json`] so that intrinsics nest freely (`Fn::Join` of a `Ref`
//! and a literal); each constructor accepts anything that converts into JSON,
//! including [`Value`] and other intrinsics.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::value::{Json, Value};

/// One intrinsic function, serialized in CloudFormation's JSON form
/// (`{"Ref": ..}`, `{"Fn::GetAtt": [..]}`, ...).
#[derive(Clone, Debug, PartialEq)]
pub enum Intrinsic {
    /// `{"Ref": name}`: a resource, a parameter or a pseudo parameter.
    Ref(String),
    /// `{"Fn::GetAtt": [logical_id, attribute]}`.
    GetAtt(String, String),
    /// `{"Fn::Sub": template}` or `{"Fn::Sub": [template, {variables}]}`.
    Sub(String, BTreeMap<String, Json>),
    /// `{"Fn::Join": [delimiter, [values]]}`.
    Join(String, Vec<Json>),
    /// `{"Fn::Select": [index, list]}`.
    Select(Box<Json>, Box<Json>),
    /// `{"Fn::Split": [delimiter, source]}`.
    Split(String, Box<Json>),
    /// `{"Fn::ImportValue": name}`.
    ImportValue(Box<Json>),
    /// `{"Fn::If": [condition, when_true, when_false]}`.
    If(String, Box<Json>, Box<Json>),
    /// `{"Fn::Equals": [a, b]}`.
    Equals(Box<Json>, Box<Json>),
    /// `{"Fn::Not": [condition]}`.
    Not(Box<Json>),
    /// `{"Fn::And": [conditions]}`.
    And(Vec<Json>),
    /// `{"Fn::Or": [conditions]}`.
    Or(Vec<Json>),
    /// `{"Condition": name}`, a named condition inside a condition function.
    Condition(String),
    /// `{"Fn::GetAZs": region}`.
    GetAZs(Box<Json>),
    /// `{"Fn::Base64": value}`.
    Base64(Box<Json>),
    /// `{"Fn::FindInMap": [map, top_level_key, second_level_key]}`.
    FindInMap(String, Box<Json>, Box<Json>),
    /// Not a CloudFormation function: `value`, which needs the resources with
    /// these logical IDs created first (see [`Value::after`]). A stack's
    /// template builder replaces it with `value` and adds the IDs to the
    /// `DependsOn` of the resource that holds it; anywhere else it serializes as
    /// `{"Infra::After": [[ids], value]}`, which CloudFormation rejects loudly.
    After(Vec<String>, Box<Json>),
}

/// The key of the serialized [`Intrinsic::After`] marker.
pub const AFTER_KEY: &str = "Infra::After";

impl Serialize for Intrinsic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        match self {
            Intrinsic::Ref(name) => map.serialize_entry("Ref", name)?,
            Intrinsic::GetAtt(id, attr) => map.serialize_entry("Fn::GetAtt", &[id, attr])?,
            Intrinsic::Sub(text, vars) if vars.is_empty() => {
                map.serialize_entry("Fn::Sub", text)?
            }
            Intrinsic::Sub(text, vars) => {
                map.serialize_entry("Fn::Sub", &(text, vars))?;
            }
            Intrinsic::Join(delim, items) => map.serialize_entry("Fn::Join", &(delim, items))?,
            Intrinsic::Select(index, list) => map.serialize_entry("Fn::Select", &(index, list))?,
            Intrinsic::Split(delim, src) => map.serialize_entry("Fn::Split", &(delim, src))?,
            Intrinsic::ImportValue(name) => map.serialize_entry("Fn::ImportValue", name)?,
            Intrinsic::If(cond, a, b) => map.serialize_entry("Fn::If", &(cond, a, b))?,
            Intrinsic::Equals(a, b) => map.serialize_entry("Fn::Equals", &(a, b))?,
            Intrinsic::Not(c) => map.serialize_entry("Fn::Not", &[c])?,
            Intrinsic::And(cs) => map.serialize_entry("Fn::And", cs)?,
            Intrinsic::Or(cs) => map.serialize_entry("Fn::Or", cs)?,
            Intrinsic::Condition(name) => map.serialize_entry("Condition", name)?,
            Intrinsic::GetAZs(region) => map.serialize_entry("Fn::GetAZs", region)?,
            Intrinsic::Base64(v) => map.serialize_entry("Fn::Base64", v)?,
            Intrinsic::FindInMap(m, k1, k2) => {
                map.serialize_entry("Fn::FindInMap", &(m, k1, k2))?
            }
            Intrinsic::After(ids, value) => map.serialize_entry(AFTER_KEY, &(ids, value))?,
        }
        map.end()
    }
}

impl From<Intrinsic> for Json {
    fn from(i: Intrinsic) -> Self {
        Value::<Json>::Fn(i).into()
    }
}

fn json(v: impl Into<Json>) -> Box<Json> {
    Box::new(v.into())
}

/// `{"Ref": name}` to a parameter or a resource by logical ID. Prefer a typed
/// handle's `r#ref()` for resources of a stack.
pub fn r#ref<T>(name: impl Into<String>) -> Value<T> {
    Intrinsic::Ref(name.into()).into()
}

/// `{"Fn::GetAtt": [logical_id, attribute]}`. Prefer a typed handle's accessors.
pub fn get_att<T>(logical_id: impl Into<String>, attribute: impl Into<String>) -> Value<T> {
    Intrinsic::GetAtt(logical_id.into(), attribute.into()).into()
}

/// `{"Fn::Sub": text}`: `${Name}` placeholders resolve to parameters, resources
/// (`${Bucket.Arn}`) and pseudo parameters (`${AWS::AccountId}`).
pub fn sub(text: impl Into<String>) -> Value<String> {
    Intrinsic::Sub(text.into(), BTreeMap::new()).into()
}

/// `{"Fn::Sub": [text, {variables}]}`.
pub fn sub_with<K: Into<String>, V: Into<Json>>(
    text: impl Into<String>,
    vars: impl IntoIterator<Item = (K, V)>,
) -> Value<String> {
    let vars = vars
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    Intrinsic::Sub(text.into(), vars).into()
}

/// `{"Fn::Join": [delimiter, [values]]}`.
pub fn join<V: Into<Json>>(
    delimiter: impl Into<String>,
    values: impl IntoIterator<Item = V>,
) -> Value<String> {
    Intrinsic::Join(
        delimiter.into(),
        values.into_iter().map(Into::into).collect(),
    )
    .into()
}

/// `{"Fn::Select": [index, list]}`.
pub fn select<T>(index: impl Into<Json>, list: impl Into<Json>) -> Value<T> {
    Intrinsic::Select(json(index), json(list)).into()
}

/// `{"Fn::Split": [delimiter, source]}`.
pub fn split(delimiter: impl Into<String>, source: impl Into<Json>) -> Value<Vec<Value<String>>> {
    Intrinsic::Split(delimiter.into(), json(source)).into()
}

/// `{"Fn::ImportValue": export_name}`.
pub fn import_value<T>(export_name: impl Into<Json>) -> Value<T> {
    Intrinsic::ImportValue(json(export_name)).into()
}

/// `{"Fn::If": [condition, when_true, when_false]}`.
pub fn r#if<T>(
    condition: impl Into<String>,
    when_true: impl Into<Json>,
    when_false: impl Into<Json>,
) -> Value<T> {
    Intrinsic::If(condition.into(), json(when_true), json(when_false)).into()
}

/// `{"Fn::Equals": [a, b]}`, for the template's Conditions.
pub fn equals(a: impl Into<Json>, b: impl Into<Json>) -> Intrinsic {
    Intrinsic::Equals(json(a), json(b))
}

/// `{"Fn::Not": [condition]}`.
pub fn not(condition: impl Into<Json>) -> Intrinsic {
    Intrinsic::Not(json(condition))
}

/// `{"Fn::And": [conditions]}` (2 to 10 conditions).
pub fn and<V: Into<Json>>(conditions: impl IntoIterator<Item = V>) -> Intrinsic {
    Intrinsic::And(conditions.into_iter().map(Into::into).collect())
}

/// `{"Fn::Or": [conditions]}` (2 to 10 conditions).
pub fn or<V: Into<Json>>(conditions: impl IntoIterator<Item = V>) -> Intrinsic {
    Intrinsic::Or(conditions.into_iter().map(Into::into).collect())
}

/// `{"Condition": name}`, to use a named condition inside `and`, `or`, `not`.
pub fn condition(name: impl Into<String>) -> Intrinsic {
    Intrinsic::Condition(name.into())
}

/// `{"Fn::GetAZs": region}`; an empty region means the stack's region.
pub fn get_azs(region: impl Into<Json>) -> Value<Vec<Value<String>>> {
    Intrinsic::GetAZs(json(region)).into()
}

/// `{"Fn::Base64": value}`.
pub fn base64(value: impl Into<Json>) -> Value<String> {
    Intrinsic::Base64(json(value)).into()
}

/// `{"Fn::FindInMap": [map, top_level_key, second_level_key]}`.
pub fn find_in_map<T>(
    map: impl Into<String>,
    top: impl Into<Json>,
    second: impl Into<Json>,
) -> Value<T> {
    Intrinsic::FindInMap(map.into(), json(top), json(second)).into()
}

/// Pseudo parameters: `{"Ref": "AWS::..."}` values that CloudFormation resolves.
pub mod pseudo {
    use super::Intrinsic;
    use crate::value::Value;

    fn pseudo<T>(name: &str) -> Value<T> {
        Intrinsic::Ref(name.to_owned()).into()
    }

    /// `AWS::AccountId`.
    pub fn account_id() -> Value<String> {
        pseudo("AWS::AccountId")
    }
    /// `AWS::Region`.
    pub fn region() -> Value<String> {
        pseudo("AWS::Region")
    }
    /// `AWS::Partition` (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition() -> Value<String> {
        pseudo("AWS::Partition")
    }
    /// `AWS::StackName`.
    pub fn stack_name() -> Value<String> {
        pseudo("AWS::StackName")
    }
    /// `AWS::StackId`.
    pub fn stack_id() -> Value<String> {
        pseudo("AWS::StackId")
    }
    /// `AWS::URLSuffix` (`amazonaws.com` in most partitions).
    pub fn url_suffix() -> Value<String> {
        pseudo("AWS::URLSuffix")
    }
    /// `AWS::NotificationARNs`.
    pub fn notification_arns() -> Value<Vec<Value<String>>> {
        pseudo("AWS::NotificationARNs")
    }
    /// `AWS::NoValue`: removes the property it stands for, usually inside `Fn::If`.
    pub fn no_value<T>() -> Value<T> {
        pseudo("AWS::NoValue")
    }
}

//! The template document and its deterministic JSON form.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::value::Json;

/// A CloudFormation template. Maps are `BTreeMap`s, so logical IDs, outputs and
/// parameters always serialize in sorted order: the same model gives the same bytes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    #[serde(rename = "AWSTemplateFormatVersion")]
    pub format_version: FormatVersion,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Json>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Parameter>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, BTreeMap<String, BTreeMap<String, Json>>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub conditions: BTreeMap<String, Json>,
    pub resources: BTreeMap<String, ResourceEntry>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, Output>,
}

/// Always `2010-09-09`, the only template format version there is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum FormatVersion {
    #[default]
    #[serde(rename = "2010-09-09")]
    V2010_09_09,
}

/// One entry of `Resources`: the type, the properties and the resource attributes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceEntry {
    #[serde(rename = "Type")]
    pub type_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_policy: Option<DeletionPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_replace_policy: Option<UpdateReplacePolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Json>,
    /// The properties as JSON, already serialized from the typed resource.
    #[serde(skip_serializing_if = "is_empty_object")]
    pub properties: Json,
}

impl ResourceEntry {
    /// An entry of `type_name` with `properties` and no attributes.
    pub fn new(type_name: impl Into<String>, properties: Json) -> Self {
        ResourceEntry {
            type_name: type_name.into(),
            condition: None,
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            metadata: None,
            properties,
        }
    }
}

fn is_empty_object(v: &Json) -> bool {
    v.as_object().is_some_and(|m| m.is_empty()) || v.is_null()
}

/// `DeletionPolicy` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DeletionPolicy {
    Delete,
    Retain,
    RetainExceptOnCreate,
    Snapshot,
}

/// `UpdateReplacePolicy` values: CloudFormation rejects `RetainExceptOnCreate`
/// here, so this is a type of its own rather than [`DeletionPolicy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum UpdateReplacePolicy {
    Delete,
    Retain,
    Snapshot,
}

impl From<DeletionPolicy> for UpdateReplacePolicy {
    /// The replacement policy that follows a deletion policy. A replaced
    /// resource was created successfully, so `RetainExceptOnCreate` retains it.
    fn from(policy: DeletionPolicy) -> Self {
        match policy {
            DeletionPolicy::Delete => UpdateReplacePolicy::Delete,
            DeletionPolicy::Retain | DeletionPolicy::RetainExceptOnCreate => {
                UpdateReplacePolicy::Retain
            }
            DeletionPolicy::Snapshot => UpdateReplacePolicy::Snapshot,
        }
    }
}

/// One entry of `Outputs`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    pub value: Json,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export: Option<Export>,
}

/// `Export: {Name: ..}` of an output.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Export {
    pub name: Json,
}

/// One entry of `Parameters`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    #[serde(rename = "Type")]
    pub type_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Json>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_values: Vec<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_echo: Option<bool>,
}

impl Parameter {
    /// A parameter of `type_name` (`String`, `Number`, `AWS::EC2::VPC::Id`, ...).
    pub fn new(type_name: impl Into<String>) -> Self {
        Parameter {
            type_name: type_name.into(),
            description: None,
            default: None,
            allowed_values: Vec::new(),
            allowed_pattern: None,
            no_echo: None,
        }
    }
}

impl Template {
    /// The template as CloudFormation JSON: 2-space indent, sorted maps,
    /// struct fields in declaration order, a final newline.
    pub fn to_json(&self) -> String {
        to_pretty_json(self)
    }
}

/// Pretty JSON with the house conventions. Our types serialize infallibly
/// (string keys only), so a failure is a bug in this crate.
pub fn to_pretty_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value).expect("model types serialize to JSON");
    out.push('\n');
    out
}

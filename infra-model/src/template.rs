//! The template document and its deterministic JSON form.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::value::Json;

/// A CloudFormation template. Maps are `BTreeMap`s, so logical IDs, outputs and
/// parameters always serialize in sorted order: the same model gives the same bytes.
///
/// Sections serialize in the order of CloudFormation's template anatomy:
/// `AWSTemplateFormatVersion`, `Description`, `Metadata`, `Parameters`,
/// `Rules`, `Mappings`, `Conditions`, `Transform`, `Resources`, `Outputs`;
/// empty ones are left out.
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
    /// Rules that check parameter values before any resource changes: each
    /// `{"RuleCondition": .., "Assertions": [{"Assert": .., "AssertDescription": ..}]}`,
    /// built with the rule functions of [`crate::intrinsic`] (`contains`, `each_member_in`, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Json>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, BTreeMap<String, BTreeMap<String, Json>>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub conditions: BTreeMap<String, Json>,
    /// The macros CloudFormation runs on the template, a name or a list of names
    /// (`"AWS::Serverless-2016-10-31"` for SAM types), kept as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transform: Option<Json>,
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
    /// `CreationPolicy` (`{"ResourceSignal": {"Count": 1, "Timeout": "PT15M"}}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_policy: Option<Json>,
    /// `UpdatePolicy` (`{"AutoScalingRollingUpdate": {..}}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_policy: Option<Json>,
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
            creation_policy: None,
            update_policy: None,
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

/// One entry of `Outputs`: `Output::new(value).description("..").export(name)`.
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

impl Output {
    /// An output of `value` (a literal or an intrinsic), without description,
    /// condition or export.
    pub fn new(value: impl Into<Json>) -> Self {
        Output {
            description: None,
            condition: None,
            value: value.into(),
            export: None,
        }
    }

    /// Sets `Description` (a literal: CloudFormation takes no function there).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets `Condition`: the output exists only when the named condition holds.
    pub fn condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// Sets `Export: {Name: name}`; the name is a literal or an intrinsic
    /// (`intrinsic::sub("${AWS::StackName}-x")`).
    pub fn export(mut self, name: impl Into<Json>) -> Self {
        self.export = Some(Export { name: name.into() });
        self
    }
}

/// `Export: {Name: ..}` of an output.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Export {
    pub name: Json,
}

/// One entry of `Parameters`, with every field CloudFormation defines:
/// `Parameter::new("String").description("..").default("x").allowed_values(["x", "y"])`.
///
/// Values are kept as written (`Default: "5"` and `Default: 5` stay apart),
/// so an imported template synthesizes back to the same bytes.
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
    pub no_echo: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint_description: Option<String>,
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
            min_length: None,
            max_length: None,
            min_value: None,
            max_value: None,
            constraint_description: None,
        }
    }

    /// Sets `Description`.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets `Default`, the value used when the stack is given none.
    pub fn default(mut self, default: impl Into<Json>) -> Self {
        self.default = Some(default.into());
        self
    }

    /// Sets `AllowedValues`.
    pub fn allowed_values<V: Into<Json>>(mut self, values: impl IntoIterator<Item = V>) -> Self {
        self.allowed_values = values.into_iter().map(Into::into).collect();
        self
    }

    /// Sets `AllowedPattern`, a Java regular expression the whole value must match.
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Self {
        self.allowed_pattern = Some(pattern.into());
        self
    }

    /// Sets `NoEcho` (`true`, or `"true"` as some templates write it): the
    /// value is masked in the console and API.
    pub fn no_echo(mut self, no_echo: impl Into<Json>) -> Self {
        self.no_echo = Some(no_echo.into());
        self
    }

    /// Sets `MinLength` of a `String` parameter.
    pub fn min_length(mut self, n: impl Into<Json>) -> Self {
        self.min_length = Some(n.into());
        self
    }

    /// Sets `MaxLength` of a `String` parameter.
    pub fn max_length(mut self, n: impl Into<Json>) -> Self {
        self.max_length = Some(n.into());
        self
    }

    /// Sets `MinValue` of a `Number` parameter.
    pub fn min_value(mut self, n: impl Into<Json>) -> Self {
        self.min_value = Some(n.into());
        self
    }

    /// Sets `MaxValue` of a `Number` parameter.
    pub fn max_value(mut self, n: impl Into<Json>) -> Self {
        self.max_value = Some(n.into());
        self
    }

    /// Sets `ConstraintDescription`, shown when a value breaks a constraint.
    pub fn constraint_description(mut self, text: impl Into<String>) -> Self {
        self.constraint_description = Some(text.into());
        self
    }
}

impl Template {
    /// The entry of the resource `logical_id`, to change its attributes or
    /// properties in a stack's `customize` hook (a `CreationPolicy`, a `Metadata`).
    pub fn resource_mut(&mut self, logical_id: &str) -> Option<&mut ResourceEntry> {
        self.resources.get_mut(logical_id)
    }

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

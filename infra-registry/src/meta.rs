//! The metadata of one resource type, as stored and as looked up.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Registry metadata of one resource type. Property paths are JSON pointers
/// as in the schema (`/properties/KeySchema`).
#[derive(Debug, Serialize, Deserialize)]
pub struct TypeMeta {
    /// `AWS::DynamoDB::Table`.
    pub type_name: String,
    /// The cargo feature of the service: the lower-cased service segment (`dynamodb`).
    pub service: String,
    /// GetAtt attributes CloudFormation accepts, sorted by name, unique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// What `Ref` returns: the `primaryIdentifier` when it has one member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_returns: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub primary_identifier: Vec<String>,
    /// A change to one of these replaces the resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub create_only: Vec<String>,
    /// A change to one of these may replace the resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditional_create_only: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_only: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_only: Vec<String>,
    /// IAM actions CloudFormation needs for each handler.
    #[serde(default)]
    pub permissions: Permissions,
    /// Set when the type is on the curated data-holding list
    /// (`data/data-holding.json`): deleting or replacing it destroys data.
    #[serde(skip)]
    pub holds_data: Option<DataHolding>,
    /// Array property paths below `Properties` whose order does not matter
    /// (`insertionOrder: false`); `*` stands for any array item or map value
    /// (`VectorIndexes/*/SearchSchema`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unordered: Vec<String>,
    #[serde(skip)]
    pub(crate) schema: LazySchema,
}

impl TypeMeta {
    /// The property schema: the registry schema without descriptions,
    /// handlers and the metadata above; `definitions` once, `$ref` intact,
    /// combinators as the registry has them. Parsed on first use.
    pub fn schema(&self) -> &serde_json::Value {
        self.schema.get()
    }

    /// Whether `Fn::GetAtt` accepts `name` on this type. An attribute segment
    /// `*` stands for one segment, or when last for the rest (`Outputs.*`
    /// accepts `Outputs.BucketName`; a custom resource's `*` accepts anything).
    pub fn has_attribute(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }

    /// The attribute `name` matches, if any (see [`TypeMeta::has_attribute`]).
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .or_else(|| self.attributes.iter().find(|a| a.matches(name)))
    }

    /// The attribute names, for error messages listing what is allowed.
    pub fn attribute_names(&self) -> impl Iterator<Item = &str> {
        self.attributes.iter().map(|a| a.name.as_str())
    }
}

/// A GetAtt attribute: `Arn`, `Endpoint.Address` (nested read-only
/// properties joined by `.`), `Treatments.*.Key` (through an array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    /// The attribute's value is a list: the property is an array, or the
    /// path goes through one (`*`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_array: bool,
}

impl Attribute {
    /// `*` matches one segment, or as the last segment any rest (cfn-lint's
    /// `Outputs\..*`): `Treatments.*.Key`, `Outputs.*`, `*`.
    fn matches(&self, name: &str) -> bool {
        let mut want = self.name.split('.').peekable();
        let mut got = name.split('.');
        loop {
            match (want.next(), got.next()) {
                (None, None) => return true,
                (Some("*"), Some(g)) if want.peek().is_none() => return !g.is_empty(),
                (Some(w), Some(g)) if (w == "*" && !g.is_empty()) || w == g => {}
                _ => return false,
            }
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// IAM actions per handler, from the schema's `handlers.*.permissions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub create: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub update: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delete: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list: Vec<String>,
}

/// Why deleting or replacing a type destroys customer data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataHolding {
    pub reason: String,
}

/// The property schema, kept as text until someone asks for it: most
/// callers (diff, deploy, the role) never need it.
#[derive(Default)]
pub(crate) struct LazySchema {
    text: String,
    value: OnceLock<serde_json::Value>,
}

impl LazySchema {
    pub(crate) fn from_text(text: String) -> Self {
        LazySchema {
            text,
            value: OnceLock::new(),
        }
    }

    pub(crate) fn from_value(value: serde_json::Value) -> Self {
        LazySchema {
            text: String::new(),
            value: OnceLock::from(value),
        }
    }

    fn get(&self) -> &serde_json::Value {
        self.value.get_or_init(|| {
            // The text was written by codegen from a parsed value and is
            // checked by the crate's tests, so it always parses.
            serde_json::from_str(&self.text).unwrap_or(serde_json::Value::Null)
        })
    }
}

impl fmt::Debug for LazySchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value.get() {
            Some(_) => f.write_str("LazySchema(parsed)"),
            None => write!(f, "LazySchema({} bytes)", self.text.len()),
        }
    }
}

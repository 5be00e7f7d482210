//! [`Untyped`]: a resource whose type name is chosen at run time.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::intrinsic::Intrinsic;
use crate::resource::{Handle, Resource};
use crate::value::{Json, Value};

/// A resource whose type is a name chosen at run time and whose properties
/// are free-form JSON: custom resources (`Custom::*`,
/// `AWS::CloudFormation::CustomResource`), SAM's `AWS::Serverless::*` types,
/// and a registry type whose typed builder cannot express a template's
/// properties (where `cargo xtask import` falls back to it).
///
/// ```
/// use infra_core::{Untyped, intrinsic};
/// let seeder = Untyped::new("Custom::TableSeeder")
///     .property("ServiceToken", intrinsic::get_att::<String>("SeederFunction", "Arn"))
///     .property("Rows", 3);
/// ```
///
/// Nothing is checked at compile time: the type name and the properties are
/// checked by validation (`cargo xtask synth`, `cargo xtask validate`) against
/// the registry schema when the type has one. It never gets the house
/// `Retain` policies ([`Resource::HOLDS_DATA`] is false): say them on the field.
/// Its handle reads any attribute, `Self::SEEDER.attr::<String>("Result.Id")`.
#[derive(Clone, Debug, PartialEq)]
pub struct Untyped {
    type_name: String,
    properties: BTreeMap<String, Json>,
}

impl Untyped {
    /// A resource of `type_name` (`Custom::Thing`, `AWS::Serverless::Function`)
    /// with no properties.
    pub fn new(type_name: impl Into<String>) -> Self {
        Untyped {
            type_name: type_name.into(),
            properties: BTreeMap::new(),
        }
    }

    /// Sets the property `name` to `value` (a literal, an intrinsic, a
    /// `serde_json::json!` object); setting a name again replaces its value.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Json>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// The properties set so far, sorted by name.
    pub fn properties(&self) -> &BTreeMap<String, Json> {
        &self.properties
    }

    /// The properties, to change them in place.
    pub fn properties_mut(&mut self) -> &mut BTreeMap<String, Json> {
        &mut self.properties
    }
}

impl Serialize for Untyped {
    /// The properties object.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.properties.serialize(s)
    }
}

impl Resource for Untyped {
    /// A placeholder: the name is per value, see [`Resource::type_name`].
    const TYPE_NAME: &'static str = "Custom::Untyped";
    const ATTRIBUTES: &'static [(&'static str, &'static str)] = &[];
    const NO_SUCH_ATTRIBUTE: &'static str = "";
    const ANY_ATTRIBUTE: bool = true;
    type Attributes = UntypedAttributes;
    type Accessors = UntypedAccessors;

    fn type_name(&self) -> &str {
        &self.type_name
    }
}

/// [`Untyped`] has no attribute constants: its handle reads any attribute by
/// name with [`UntypedAccessors::attr`].
#[derive(Debug)]
pub struct UntypedAttributes;

/// The accessors of `Handle<Untyped>`, which dereferences to this.
#[derive(Debug, ref_cast::RefCast)]
#[repr(transparent)]
pub struct UntypedAccessors(Handle<Untyped>);

impl UntypedAccessors {
    /// `{"Fn::GetAtt": [logical_id, name]}` for any attribute `name`
    /// (`"Arn"`, `"Outputs.Endpoint"`): custom resources accept whatever their
    /// provider returns, so the name is not checked.
    pub fn attr<T>(&self, name: impl Into<String>) -> Value<T> {
        let id = self.0.logical_id().to_owned();
        Intrinsic::GetAtt(id, Box::new(Json::String(name.into()))).into()
    }
}

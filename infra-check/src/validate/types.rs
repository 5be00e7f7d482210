//! Where validation finds what it knows about a resource type: its property
//! schema and its GetAtt attributes. [`TypeSource`] keeps the checks
//! independent of where that comes from.

use serde_json::Value;

/// The registry knowledge validation needs about resource types.
pub trait TypeSource: Sync {
    /// The registry JSON-Schema of `type_name` (`properties`, `required`,
    /// `definitions`, `$ref`s intact), `None` for a type the registry lacks.
    fn schema(&self, type_name: &str) -> Option<&Value>;
    /// Whether `Fn::GetAtt` accepts `attribute` (`A.B` for nested ones).
    fn has_attribute(&self, type_name: &str, attribute: &str) -> bool;
    /// The GetAtt attributes of `type_name`, for messages.
    fn attributes(&self, type_name: &str) -> Vec<String>;
    /// A registry type close to an unknown `type_name`.
    fn suggest(&self, type_name: &str) -> Option<String>;
}

/// Every type of the pinned registry, from `infra-registry`.
#[derive(Clone, Copy, Debug, Default)]
pub struct RegistryTypes;

impl TypeSource for RegistryTypes {
    fn schema(&self, type_name: &str) -> Option<&Value> {
        infra_registry::lookup(type_name).map(|t| t.schema())
    }

    fn has_attribute(&self, type_name: &str, attribute: &str) -> bool {
        infra_registry::lookup(type_name).is_some_and(|t| t.has_attribute(attribute))
    }

    fn attributes(&self, type_name: &str) -> Vec<String> {
        let Some(t) = infra_registry::lookup(type_name) else {
            return Vec::new();
        };
        t.attribute_names().map(str::to_owned).collect()
    }

    fn suggest(&self, type_name: &str) -> Option<String> {
        infra_registry::suggest(type_name).map(str::to_owned)
    }
}

/// The type source `validate` uses: the whole registry.
pub fn default_types() -> &'static dyn TypeSource {
    &RegistryTypes
}

//! Which templates the round trip may refuse. Decided here from the template
//! alone, independently of the importer, so that a refusal the issue does not
//! allow fails the test instead of being counted as excused.

use std::fmt;

use serde_json::Value;

/// Why a template is outside the promise "registry types only, no macro".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Excuse {
    /// A `Transform` section, `Fn::Transform`, or a `Fn::ForEach` of
    /// `AWS::LanguageExtensions`: the template is a macro's input, not the template.
    Macro(String),
    /// A Rain directive (`Rain::Embed`, `Rain::Module`, ...).
    Rain(String),
    /// A resource type outside the registry, other than the custom resources.
    NonRegistryType(String),
}

impl Excuse {
    /// The class name the report counts by.
    pub fn class(&self) -> &'static str {
        match self {
            Excuse::Macro(_) => "macro/transform",
            Excuse::Rain(_) => "Rain directive",
            Excuse::NonRegistryType(_) => "non-registry type",
        }
    }
}

impl fmt::Display for Excuse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = match self {
            Excuse::Macro(what) | Excuse::Rain(what) | Excuse::NonRegistryType(what) => what,
        };
        write!(f, "{}: {detail}", self.class())
    }
}

/// The first reason (in this order: macro, Rain, type) the template is excused, if any.
pub fn excuse(template: &Value) -> Option<Excuse> {
    if template.get("Transform").is_some() {
        return Some(Excuse::Macro(format!(
            "Transform {}",
            template["Transform"]
        )));
    }
    let mut keys = Vec::new();
    collect_keys(template, &mut keys);
    if let Some(key) = keys
        .iter()
        .find(|k| *k == "Fn::Transform" || k.starts_with("Fn::ForEach"))
    {
        return Some(Excuse::Macro(key.clone()));
    }
    if let Some(key) = keys.iter().find(|k| k.starts_with("Rain::")) {
        return Some(Excuse::Rain(key.clone()));
    }
    let resources = template.get("Resources").and_then(Value::as_object)?;
    resources
        .values()
        .filter_map(|r| r.get("Type").and_then(Value::as_str))
        .find(|t| !representable(t))
        .map(|t| Excuse::NonRegistryType(t.to_string()))
}

/// A registry type, or a custom resource (which the generic resource carries).
fn representable(type_name: &str) -> bool {
    type_name.starts_with("Custom::")
        || type_name == "AWS::CloudFormation::CustomResource"
        || infra_registry::lookup(type_name).is_some()
}

/// Every mapping key in `value`, depth first.
fn collect_keys(value: &Value, keys: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                keys.push(key.clone());
                collect_keys(value, keys);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_keys(v, keys)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn registry_types_and_custom_resources_are_not_excused() {
        let template = json!({"Resources": {
            "Q": {"Type": "AWS::SQS::Queue"},
            "C": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn"}},
            "D": {"Type": "AWS::CloudFormation::CustomResource"}
        }});
        assert_eq!(excuse(&template), None);
    }

    #[test]
    fn macros_rain_and_unknown_types_are() {
        let sam = json!({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}});
        assert_eq!(excuse(&sam).map(|e| e.class()), Some("macro/transform"));
        let include = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue",
            "Properties": {"Fn::Transform": {"Name": "AWS::Include"}}}}});
        assert_eq!(excuse(&include).map(|e| e.class()), Some("macro/transform"));
        let rain = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue",
            "Properties": {"QueueName": {"Rain::Embed": "name.txt"}}}}});
        assert_eq!(excuse(&rain).map(|e| e.class()), Some("Rain directive"));
        let module = json!({"Resources": {"M": {"Type": "My::Org::Thing::MODULE"}}});
        assert_eq!(
            excuse(&module),
            Some(Excuse::NonRegistryType("My::Org::Thing::MODULE".into()))
        );
    }
}

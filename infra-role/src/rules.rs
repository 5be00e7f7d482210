//! `rules.json`: which actions a resource type needs always, and which a
//! property brings only when the template sets it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use crate::RoleError;

/// The whole rule table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub about: String,
    /// Service prefix -> the ARNs its actions are scoped to.
    pub scopes: BTreeMap<String, Scope>,
    pub types: Vec<TypeRules>,
    /// Handler permissions left out on purpose, each with the reason.
    pub excluded: Vec<Exclusion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    pub arns: Vec<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRules {
    #[serde(rename = "type")]
    pub type_name: String,
    pub rules: Vec<Rule>,
}

/// Actions a type needs, always or when `property` (a `/`-separated path into
/// `Properties`, through arrays) is set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default)]
    pub property: Option<String>,
    pub actions: Vec<String>,
    /// An IAM `Condition` block for these actions (`${Region}` allowed).
    #[serde(default)]
    pub condition: Option<Value>,
    /// ARNs for these actions in place of the service's scope, for resources
    /// the template author names outside the stack (an import's source bucket).
    #[serde(default)]
    pub resources: Option<Vec<String>>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub actions: Vec<String>,
    pub why: String,
}

/// One action the role grants, with why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub action: String,
    /// The condition block as JSON text (`None`: unconditional).
    pub condition: Option<String>,
    /// The rule's own ARNs, when it does not use the service's scope.
    pub resources: Option<Vec<String>>,
    /// The resource type, and the property when the rule is property-bound.
    pub type_name: String,
    pub property: Option<String>,
}

impl RuleSet {
    /// The committed `rules.json`.
    pub fn builtin() -> Result<Self, RoleError> {
        serde_json::from_str(include_str!("../rules.json")).map_err(|source| RoleError::Rules {
            file: "infra-role/rules.json",
            source,
        })
    }

    /// Every action any rule names, for the IAM extract.
    pub fn actions(&self) -> BTreeSet<&str> {
        let rules = self.types.iter().flat_map(|t| &t.rules);
        rules
            .flat_map(|r| r.actions.iter().map(String::as_str))
            .collect()
    }

    /// The rules of `type_name`.
    pub fn rules_of(&self, type_name: &str) -> Option<&[Rule]> {
        let found = self.types.iter().find(|t| t.type_name == type_name);
        found.map(|t| t.rules.as_slice())
    }

    /// What `template` (of `stack`) needs; an error names each resource type
    /// without rules.
    pub fn grants(&self, stack: &str, template: &Value) -> Result<BTreeSet<Grant>, RoleError> {
        let resources = template.get("Resources").and_then(Value::as_object);
        let mut grants = BTreeSet::new();
        let mut unknown = BTreeSet::new();
        for (logical_id, resource) in resources.into_iter().flatten() {
            let Some(type_name) = resource.get("Type").and_then(Value::as_str) else {
                let (stack, logical_id) = (stack.to_owned(), logical_id.clone());
                return Err(RoleError::NoType { stack, logical_id });
            };
            let Some(rules) = self.rules_of(type_name) else {
                unknown.insert(type_name);
                continue;
            };
            let properties = resource.get("Properties").unwrap_or(&Value::Null);
            grants.extend(fired(type_name, rules, properties));
        }
        if !unknown.is_empty() {
            let types = unknown.into_iter().collect::<Vec<_>>().join(", ");
            let stack = stack.to_owned();
            return Err(RoleError::UnknownTypes { stack, types });
        }
        Ok(grants)
    }
}

/// The grants of the rules that apply to one resource's `properties`.
fn fired<'a>(
    type_name: &'a str,
    rules: &'a [Rule],
    properties: &'a Value,
) -> impl Iterator<Item = Grant> + 'a {
    rules
        .iter()
        .filter(|r| r.property.as_deref().is_none_or(|p| is_set(properties, p)))
        .flat_map(move |r| {
            r.actions.iter().map(move |action| Grant {
                action: action.clone(),
                condition: r.condition.as_ref().map(Value::to_string),
                resources: r.resources.clone(),
                type_name: type_name.to_owned(),
                property: r.property.clone(),
            })
        })
}

/// Whether the `/`-separated `path` leads to a value in `value`; arrays
/// match when any element does (`GlobalSecondaryIndexes` entries, rules...).
pub fn is_set(value: &Value, path: &str) -> bool {
    let (head, rest) = path.split_once('/').unwrap_or((path, ""));
    match value {
        Value::Array(items) => items.iter().any(|item| is_set(item, path)),
        Value::Object(map) => match map.get(head) {
            Some(Value::Null) | None => false,
            Some(next) if rest.is_empty() => !matches!(next, Value::Null),
            Some(next) => is_set(next, rest),
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_go_through_objects_and_arrays() {
        let props = json!({"SSESpecification": {"KMSMasterKeyId": "k"},
            "GlobalSecondaryIndexes": [{"IndexName": "a"}, {"ContributorInsightsSpecification": {}}]});
        assert!(is_set(&props, "SSESpecification/KMSMasterKeyId"));
        assert!(!is_set(&props, "SSESpecification/SSEEnabled"));
        assert!(is_set(
            &props,
            "GlobalSecondaryIndexes/ContributorInsightsSpecification"
        ));
        assert!(!is_set(&json!({"Tags": null}), "Tags"));
    }

    #[test]
    fn a_type_without_rules_is_named() {
        let rules = RuleSet::builtin().expect("rules");
        let template = json!({"Resources": {"L": {"Type": "AWS::Logs::LogGroup"}}});
        let err = rules.grants("infra-dev", &template).expect_err("no rules");
        assert_eq!(
            err.to_string(),
            "no execution-role rules for AWS::Logs::LogGroup (used by infra-dev): add them to infra-role/rules.json"
        );
    }
}

//! Service rules the registry schemas do not encode, read from
//! `infra-check/data/service-rules.json`: one table, each rule with its source.

use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;

use super::props::{Seg, matches_any, pattern};

/// The rule table, embedded at build time.
#[derive(Debug, Deserialize)]
pub(crate) struct ServiceRules {
    pub replacement: Vec<ReplacementRule>,
    pub handler_decides: Vec<HandlerRule>,
    pub snapshot: Snapshot,
    pub retain: Retain,
}

/// A change that replaces a resource although the schema does not say so.
#[derive(Debug, Deserialize)]
pub(crate) struct ReplacementRule {
    pub id: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub kind: RuleKind,
    /// The registry path the rule is about (`/properties/KeySchema`).
    pub path: String,
    /// For [`RuleKind::KeyAttributeType`]: where the key attribute names are.
    #[serde(default)]
    pub keys: Vec<String>,
    pub why: String,
    /// The page that documents the rule (the file also quotes it as `evidence`).
    pub source: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RuleKind {
    /// Any change at or below `path` replaces.
    Replaces,
    /// A changed `AttributeType` of an attribute named in one of `keys` replaces.
    KeyAttributeType,
}

/// Types whose own code (not the schema) decides what an update or a delete
/// does: every property change and every deletion has unknown impact.
#[derive(Debug, Deserialize)]
pub(crate) struct HandlerRule {
    /// Type names; a trailing `*` matches any suffix (`Custom::*`).
    pub types: Vec<String>,
    pub why: String,
}

/// The handler rule that covers `type_name`.
pub(crate) fn handler_decides(type_name: &str) -> Option<&'static HandlerRule> {
    let matches = |pattern: &String| match pattern.strip_suffix('*') {
        Some(prefix) => type_name.starts_with(prefix),
        None => pattern == type_name,
    };
    rules()
        .handler_decides
        .iter()
        .find(|r| r.types.iter().any(matches))
}

/// The types whose `Snapshot` policy keeps a backup.
#[derive(Debug, Deserialize)]
pub(crate) struct Snapshot {
    pub types: Vec<String>,
}

/// The policy values that keep a resource on deletion and on replacement.
#[derive(Debug, Deserialize)]
pub(crate) struct Retain {
    pub deletion: Vec<String>,
    pub replace: Vec<String>,
}

static RULES: LazyLock<ServiceRules> = LazyLock::new(|| {
    // The file is ours and checked by a unit test, so a parse failure is a build defect.
    serde_json::from_str(include_str!("../../data/service-rules.json"))
        .expect("infra-check/data/service-rules.json is valid")
});

/// The embedded rule table.
pub(crate) fn rules() -> &'static ServiceRules {
    &RULES
}

/// The `replaces` rule of `type_name` that covers the property at `segs`.
pub(crate) fn replacing_rule(type_name: &str, segs: &[Seg]) -> Option<&'static ReplacementRule> {
    rules().replacement.iter().find(|r| {
        r.kind == RuleKind::Replaces
            && r.type_name == type_name
            && matches_any(&[r.path.as_str()], segs)
    })
}

/// The key-attribute-type rules that fire between `old` and `new` properties
/// of `type_name`, each with the key attributes whose type changed.
pub(crate) fn key_type_changes(
    type_name: &str,
    old: &Value,
    new: &Value,
) -> Vec<(&'static ReplacementRule, Vec<String>)> {
    rules()
        .replacement
        .iter()
        .filter(|r| r.kind == RuleKind::KeyAttributeType && r.type_name == type_name)
        .filter_map(|r| {
            let changed = changed_key_types(r, old, new);
            (!changed.is_empty()).then_some((r, changed))
        })
        .collect()
}

fn changed_key_types(rule: &ReplacementRule, old: &Value, new: &Value) -> Vec<String> {
    let defs = pattern(&rule.path);
    let (before, after) = (attribute_types(old, &defs), attribute_types(new, &defs));
    let mut keys = Vec::new();
    for side in [old, new] {
        for key_path in &rule.keys {
            collect_key_names(side, &pattern(key_path), &mut keys);
        }
    }
    keys.sort();
    keys.dedup();
    keys.retain(|k| matches!((before.get(k), after.get(k)), (Some(a), Some(b)) if a != b));
    keys
}

/// `AttributeName -> AttributeType` of the definitions at `path`.
fn attribute_types(props: &Value, path: &[&str]) -> std::collections::BTreeMap<String, Value> {
    let mut items = Vec::new();
    collect_at(props, path, &mut items);
    items
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|d| {
            let name = d.get("AttributeName")?.as_str()?;
            Some((name.to_owned(), d.get("AttributeType")?.clone()))
        })
        .collect()
}

/// The `AttributeName`s of the key schemas at `path` (`*` for every item).
fn collect_key_names(props: &Value, path: &[&str], out: &mut Vec<String>) {
    let mut schemas = Vec::new();
    collect_at(props, path, &mut schemas);
    let names = schemas
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|k| k.get("AttributeName")?.as_str());
    out.extend(names.map(str::to_owned));
}

/// The values at `path`, `*` matching every array item.
fn collect_at<'a>(v: &'a Value, path: &[&str], out: &mut Vec<&'a Value>) {
    match path.split_first() {
        None => out.push(v),
        Some((&"*", rest)) => {
            for item in v.as_array().into_iter().flatten() {
                collect_at(item, rest, out);
            }
        }
        Some((key, rest)) => {
            if let Some(child) = v.get(*key) {
                collect_at(child, rest, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_parses_and_every_rule_has_a_source() {
        let rules = rules();
        assert!(rules.replacement.len() >= 3);
        for r in &rules.replacement {
            assert!(r.source.starts_with("https://"), "{}", r.id);
            assert!(!r.why.is_empty(), "{}", r.id);
        }
        assert!(handler_decides("Custom::Seeder").is_some());
        assert!(handler_decides("AWS::CloudFormation::CustomResource").is_some());
        assert!(handler_decides("AWS::SNS::Topic").is_none());
        assert!(
            rules
                .snapshot
                .types
                .iter()
                .any(|t| t == "AWS::RDS::DBInstance")
        );
    }

    #[test]
    fn a_key_attribute_type_change_fires_and_others_do_not() {
        let old = json!({
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "gsi", "AttributeType": "S"}
            ]
        });
        let mut new = old.clone();
        new["AttributeDefinitions"][1]["AttributeType"] = json!("N");
        assert!(key_type_changes("AWS::DynamoDB::Table", &old, &new).is_empty());
        new["AttributeDefinitions"][0]["AttributeType"] = json!("N");
        let fired = key_type_changes("AWS::DynamoDB::Table", &old, &new);
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].1, ["pk"]);
        assert!(key_type_changes("AWS::S3::Bucket", &old, &new).is_empty());
    }
}

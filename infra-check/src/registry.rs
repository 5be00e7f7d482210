//! Where the checks find the metadata of a resource type.
//!
//! [`Registry::aws`] reads `infra-registry`, which knows every type of the
//! pinned registry. The checks still take metadata in the [`ResourceMeta`]
//! shape, so this module adapts: the first lookup of a type converts its
//! [`infra_registry::TypeMeta`] once (the literal-value constraints derived
//! from its property schema) and keeps it for the life of the process.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use infra_model::{Constraint, Permissions, ResourceMeta, Rule};
use infra_registry::TypeMeta;
use serde_json::Value as Json;

/// A set of resource type metadata. [`Registry::aws`] is every registry type.
#[derive(Clone, Copy, Debug)]
pub struct Registry<'a> {
    /// `None`: the whole registry of `infra-registry`.
    metas: Option<&'a [&'a ResourceMeta]>,
}

impl<'a> Registry<'a> {
    /// A registry of `metas` only (for tests and hand-made types).
    pub const fn new(metas: &'a [&'a ResourceMeta]) -> Self {
        Registry { metas: Some(metas) }
    }

    /// The metadata of `type_name`, when the registry has it.
    pub fn lookup(&self, type_name: &str) -> Option<&'a ResourceMeta> {
        match self.metas {
            Some(metas) => metas.iter().copied().find(|m| m.type_name == type_name),
            None => adapted(type_name),
        }
    }
}

impl Registry<'static> {
    /// Every type of the pinned CloudFormation registry.
    pub fn aws() -> Self {
        Registry { metas: None }
    }
}

/// The adapted metadata of a registry type, converted once per process.
fn adapted(type_name: &str) -> Option<&'static ResourceMeta> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static ResourceMeta>>> = OnceLock::new();
    let meta = infra_registry::lookup(type_name)?;
    let cache = CACHE.get_or_init(Mutex::default);
    // A poisoned lock only means another thread panicked mid-insert of a
    // complete value; the map is still sound.
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    let entry = map
        .entry(meta.type_name.as_str())
        .or_insert_with(|| Box::leak(Box::new(convert(meta))));
    Some(*entry)
}

/// Leaks: bounded by the number of registry types a process looks up.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn leak_all(list: &[String]) -> &'static [&'static str] {
    Box::leak(list.iter().map(|s| leak(s)).collect())
}

fn convert(meta: &'static TypeMeta) -> ResourceMeta {
    let names: Vec<String> = meta.attribute_names().map(str::to_owned).collect();
    let p = &meta.permissions;
    ResourceMeta {
        type_name: &meta.type_name,
        service: &meta.service,
        attributes: leak_all(&names),
        ref_returns: meta.ref_returns.as_deref(),
        primary_identifier: leak_all(&meta.primary_identifier),
        create_only: leak_all(&meta.create_only),
        conditional_create_only: leak_all(&meta.conditional_create_only),
        write_only: leak_all(&meta.write_only),
        permissions: Permissions {
            create: leak_all(&p.create),
            read: leak_all(&p.read),
            update: leak_all(&p.update),
            delete: leak_all(&p.delete),
            list: leak_all(&p.list),
        },
        holds_data: meta.holds_data.is_some(),
        unordered: leak_all(&meta.unordered),
        constraints: Box::leak(constraints(meta.schema()).into_boxed_slice()),
    }
}

/// The literal-value constraints of a property schema, at property paths
/// below `Properties` (`KeySchema/*/KeyType`; `*` for array items and map values).
fn constraints(schema: &Json) -> Vec<Constraint> {
    let mut out = Vec::new();
    let mut visiting = Vec::new();
    for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
        walk(schema, prop, name, &mut visiting, &mut out);
    }
    out
}

/// Collects the constraints below `node` at `path`; `visiting` stops recursion.
fn walk(
    schema: &Json,
    node: &Json,
    path: &str,
    visiting: &mut Vec<String>,
    out: &mut Vec<Constraint>,
) {
    if let Some(def) = node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        if visiting.iter().any(|d| d == def) {
            return;
        }
        visiting.push(def.to_owned());
        walk(schema, &schema["definitions"][def], path, visiting, out);
        visiting.pop();
        return;
    }
    if let Some(branch) = typed_branch(node) {
        walk(schema, branch, path, visiting, out);
    }
    let path_str = leak(path);
    out.extend(rules(node).into_iter().map(|rule| Constraint {
        path: path_str,
        rule,
    }));
    if node["type"] == "array" {
        if let Some(items) = node.get("items") {
            walk(schema, items, &format!("{path}/*"), visiting, out);
        }
        return;
    }
    for (name, prop) in node["properties"].as_object().into_iter().flatten() {
        walk(schema, prop, &format!("{path}/{name}"), visiting, out);
    }
    for values in node["patternProperties"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        walk(schema, values, &format!("{path}/*"), visiting, out);
    }
}

/// The one typed branch of a `oneOf`/`anyOf` whose other branches are the
/// legacy free-form `format: json` form (DynamoDB's `KeySchema`).
fn typed_branch(node: &Json) -> Option<&Json> {
    let branches = node["oneOf"].as_array().or(node["anyOf"].as_array())?;
    let (typed, rest): (Vec<&Json>, Vec<&Json>) =
        branches.iter().partition(|b| b.get("$ref").is_some());
    let all_free_form = rest.iter().all(|b| b["format"] == "json");
    (typed.len() == 1 && all_free_form).then(|| typed[0])
}

/// The constraint keywords of one schema node.
fn rules(node: &Json) -> Vec<Rule> {
    let mut out = Vec::new();
    if let Some(values) = string_enum(node) {
        out.push(Rule::Enum(Box::leak(values.into_boxed_slice())));
    }
    if let Some(p) = node["pattern"].as_str() {
        out.push(Rule::Pattern(leak(p)));
    }
    let count = |key: &str| node[key].as_u64();
    out.extend(count("minLength").map(Rule::MinLength));
    out.extend(count("maxLength").map(Rule::MaxLength));
    out.extend(count("minItems").map(Rule::MinItems));
    out.extend(count("maxItems").map(Rule::MaxItems));
    out.extend(node["minimum"].as_f64().map(Rule::Minimum));
    out.extend(node["maximum"].as_f64().map(Rule::Maximum));
    out
}

fn string_enum(node: &Json) -> Option<Vec<&'static str>> {
    let values = node["enum"].as_array()?;
    let strings: Option<Vec<&'static str>> = values.iter().map(|v| v.as_str().map(leak)).collect();
    strings.filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_type_is_known() {
        let registry = Registry::aws();
        for name in [
            "AWS::Logs::LogGroup",
            "AWS::EC2::VPC",
            "AWS::RDS::DBInstance",
        ] {
            assert_eq!(registry.lookup(name).map(|m| m.type_name), Some(name));
        }
        assert!(registry.lookup("AWS::S3::Buckett").is_none());
        let log_group = registry.lookup("AWS::Logs::LogGroup").expect("known");
        assert!(log_group.holds_data);
        assert!(log_group.create_only.contains(&"/properties/LogGroupName"));
        assert!(std::ptr::eq(
            log_group,
            registry.lookup("AWS::Logs::LogGroup").expect("known")
        ));
    }

    /// resources/8de1012311991c4d.json: the constraints the old generated
    /// metadata held for the table are derived from the schema.
    #[test]
    fn constraints_come_from_the_property_schema() {
        let table = Registry::aws()
            .lookup("AWS::DynamoDB::Table")
            .expect("known");
        let has = |path: &str, rule: &str| {
            table
                .constraints
                .iter()
                .any(|c| c.path == path && format!("{:?}", c.rule) == rule)
        };
        assert!(has(
            "BillingMode",
            r#"Enum(["PAY_PER_REQUEST", "PROVISIONED"])"#
        ));
        assert!(has(
            "AttributeDefinitions/*/AttributeType",
            r#"Enum(["B", "N", "S"])"#
        ));
        assert!(has("KeySchema", "MinItems(1)"));
        assert!(has("TableName", "MaxLength(1024)"));
        assert!(has(
            "PointInTimeRecoverySpecification/RecoveryPeriodInDays",
            "Maximum(35.0)"
        ));
    }
}

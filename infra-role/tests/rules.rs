//! The rule table against the registry and the IAM catalogue: nothing the
//! registry lists is dropped without a reason, and every name is a real action.

use std::collections::BTreeSet;

use infra_model::iam;
use infra_role::RuleSet;

/// Every handler permission (create, read, update, delete, list) of each type
/// in `rules.json` is granted by a rule of that type or excluded with a reason:
/// a new registry permission cannot be dropped silently.
#[test]
fn rules_and_exclusions_cover_every_handler_permission() {
    let rules = RuleSet::builtin().expect("rules.json");
    let excluded: BTreeSet<&str> = rules
        .excluded
        .iter()
        .flat_map(|e| e.actions.iter().map(String::as_str))
        .collect();
    for t in &rules.types {
        let meta = infra_registry::lookup(&t.type_name)
            .unwrap_or_else(|| panic!("{} has no registry metadata", t.type_name));
        let granted: BTreeSet<&str> = t
            .rules
            .iter()
            .flat_map(|r| r.actions.iter().map(String::as_str))
            .collect();
        let p = &meta.permissions;
        for action in [&p.create, &p.read, &p.update, &p.delete, &p.list]
            .into_iter()
            .flatten()
        {
            assert!(
                granted.contains(action.as_str()) || excluded.contains(action.as_str()),
                "{}: handler permission {action} is neither in a rule nor excluded",
                t.type_name
            );
        }
    }
}

/// Every property a rule names exists in the type's registry schema, so a
/// typo cannot leave a feature without its actions.
#[test]
fn every_rule_property_is_in_the_registry_schema() {
    let rules = RuleSet::builtin().expect("rules.json");
    for t in &rules.types {
        let meta = infra_registry::lookup(&t.type_name).expect("registry type");
        let schema = meta.schema();
        for path in t.rules.iter().filter_map(|r| r.property.as_deref()) {
            assert!(
                path_exists(schema, schema, path),
                "{}: no property {path} in the registry schema",
                t.type_name
            );
        }
    }
}

#[test]
fn the_schema_walker_rejects_typos() {
    let table = infra_registry::lookup("AWS::DynamoDB::Table").expect("table");
    let schema = table.schema();
    assert!(path_exists(
        schema,
        schema,
        "SSESpecification/KMSMasterKeyId"
    ));
    assert!(path_exists(
        schema,
        schema,
        "GlobalSecondaryIndexes/ContributorInsightsSpecification"
    ));
    assert!(!path_exists(
        schema,
        schema,
        "SSESpecification/KmsMasterKeyId"
    ));
    assert!(!path_exists(schema, schema, "KinesisStreamSpec"));
}

/// Follows `a/b/c` through `properties`, `items` and local `$ref`s.
fn path_exists(root: &serde_json::Value, node: &serde_json::Value, path: &str) -> bool {
    let node = resolve(root, node);
    if let Some(items) = node.get("items") {
        return path_exists(root, items, path);
    }
    let (head, rest) = path.split_once('/').unwrap_or((path, ""));
    let Some(next) = node.get("properties").and_then(|p| p.get(head)) else {
        return false;
    };
    rest.is_empty() || path_exists(root, next, rest)
}

fn resolve<'a>(root: &'a serde_json::Value, node: &'a serde_json::Value) -> &'a serde_json::Value {
    let target = node
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix("#/"));
    match target {
        Some(pointer) => resolve(root, root.pointer(&format!("/{pointer}")).unwrap_or(node)),
        None => node,
    }
}

/// Every action of every rule is an action of the IAM catalogue of the pinned
/// wheel (`infra_model::iam`, generated from its Policies.json).
#[test]
fn every_rule_action_is_an_iam_action() {
    let rules = RuleSet::builtin().expect("rules.json");
    let unknown: Vec<&str> = rules
        .actions()
        .into_iter()
        .filter(|a| !iam::is_action(a))
        .collect();
    assert!(unknown.is_empty(), "not IAM actions: {unknown:?}");
}

/// Data-plane actions are never granted unconditionally: only an import from
/// S3 (a property) may read objects.
#[test]
fn no_always_on_rule_grants_data_plane_actions() {
    const DATA_PLANE: &[&str] = &[
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:ImportTable",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:UpdateItem",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:PutObject",
        "s3:PutObjectAcl",
    ];
    let rules = RuleSet::builtin().expect("rules.json");
    for t in &rules.types {
        for rule in t.rules.iter().filter(|r| r.property.is_none()) {
            for action in &rule.actions {
                assert!(
                    !DATA_PLANE.contains(&action.as_str()),
                    "{}: {action}",
                    t.type_name
                );
            }
        }
    }
}

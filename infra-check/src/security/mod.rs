//! Security changes: every IAM statement, managed policy attachment and
//! security group rule that a deploy adds, removes or changes, classified as
//! broadening (grants more) or narrowing.

mod carriers;
mod classify;
pub mod render;
mod rule;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::diff::{ChangeKind, ResourceChange};
pub use carriers::{CARRIERS, Carrier, Form, NOT_CARRIERS, carriers_of};
pub use rule::{ActionAt, Direction, Rule, RuleKind, show};

/// Whether a security change grants more or less.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecurityClass {
    /// A new principal, a wider action or resource, a wildcard, a removed
    /// condition, an ingress rule open to the internet, a removed `Deny`.
    Broadening,
    Narrowing,
}

/// One rule added, removed or changed in a policy-bearing property.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecurityChange {
    /// The logical ID of the resource that carries the rule.
    pub resource: String,
    pub type_name: String,
    /// Where below `Properties` (`Policies[reader].PolicyDocument`); `Properties`
    /// when the resource is the rule (`AWS::Lambda::Permission`).
    pub property: String,
    pub kind: ChangeKind,
    pub class: SecurityClass,
    /// The rule as it is after the deploy (the removed rule when removed).
    pub rule: Rule,
    /// The rule it replaces, when modified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Rule>,
    pub reasons: Vec<String>,
}

/// The rules a resource's properties carry, by property.
pub fn rules_of(type_name: &str, properties: &Value) -> BTreeMap<String, Vec<Rule>> {
    let mut out: BTreeMap<String, Vec<Rule>> = BTreeMap::new();
    for carrier in carriers_of(type_name) {
        for (label, _, value) in values_at(properties, carrier.path) {
            out.entry(label)
                .or_default()
                .extend(read(carrier.form, value, properties));
        }
    }
    out
}

fn read(form: Form, value: &Value, properties: &Value) -> Vec<Rule> {
    match form {
        Form::Document => rule::statements(value),
        Form::ManagedArns => rule::managed_policies(value),
        Form::GroupRules(d) => rule::group_rules(value, d),
        Form::GroupRule(d) => {
            let group = ["GroupId", "GroupName"]
                .iter()
                .find_map(|k| properties.get(*k).map(show));
            vec![rule::group_rule(value, d, group)]
        }
        Form::LambdaPermission => vec![rule::lambda_permission(
            value,
            "FunctionName",
            &[
                "SourceArn",
                "SourceAccount",
                "PrincipalOrgID",
                "FunctionUrlAuthType",
                "EventSourceToken",
            ],
        )],
        Form::LayerPermission => vec![rule::lambda_permission(
            value,
            "LayerVersionArn",
            &["OrganizationId"],
        )],
    }
}

/// Every IAM action a resource's properties name, as written (a string; an
/// intrinsic names none we can check): in its policy documents (`Action` and
/// `NotAction` of each statement) and, for the resources that are one
/// statement (`AWS::Lambda::Permission`), its `Action` property.
pub fn actions_of(type_name: &str, properties: &Value) -> Vec<rule::ActionAt> {
    let mut out = Vec::new();
    for carrier in carriers_of(type_name) {
        for (_, path, value) in values_at(properties, carrier.path) {
            match carrier.form {
                Form::Document => out.extend(rule::document_actions(&path, value)),
                Form::LambdaPermission | Form::LayerPermission => {
                    out.extend(rule::action_at("Action", properties.get("Action"), None));
                }
                _ => {}
            }
        }
    }
    out
}

/// The values at a carrier path with their labels and dotted paths (`[i]`
/// for list items); `[]` steps into each item of a list, labelled by its
/// `PolicyName` when it has one.
fn values_at<'a>(properties: &'a Value, path: &str) -> Vec<(String, String, &'a Value)> {
    if path.is_empty() {
        return vec![("Properties".to_owned(), String::new(), properties)];
    }
    let mut found = vec![(String::new(), String::new(), properties)];
    for seg in path.split('.') {
        let (key, each) = match seg.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (seg, false),
        };
        found = found
            .into_iter()
            .filter_map(|(label, at, v)| Some((join(&label, key), join(&at, key), v.get(key)?)))
            .flat_map(|(label, at, v)| match (each, v) {
                (true, Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (item_label(&label, i, item), format!("{at}[{i}]"), item))
                    .collect(),
                _ => vec![(label, at, v)],
            })
            .collect();
    }
    found
}

fn join(label: &str, key: &str) -> String {
    if label.is_empty() {
        key.to_owned()
    } else {
        format!("{label}.{key}")
    }
}

fn item_label(label: &str, i: usize, item: &Value) -> String {
    match item.get("PolicyName").and_then(Value::as_str) {
        Some(name) => format!("{label}[{name}]"),
        None => format!("{label}[{i}]"),
    }
}

/// The security changes behind `resources` (a stack's resource changes), read
/// from the `Resources` sections of the old and new templates.
pub(crate) fn changes(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    resources: &[ResourceChange],
) -> Vec<SecurityChange> {
    let mut out = Vec::new();
    for rc in resources {
        let old_id = rc.renamed_from.as_deref().unwrap_or(&rc.logical_id);
        let before = (rc.kind != ChangeKind::Added)
            .then(|| old.get(old_id))
            .flatten();
        let after = (rc.kind != ChangeKind::Removed)
            .then(|| new.get(&rc.logical_id))
            .flatten();
        let (before, after) = (rules(before), rules(after));
        let labels: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for label in labels {
            let old_rules = before.get(label).cloned().unwrap_or_default();
            let new_rules = after.get(label).cloned().unwrap_or_default();
            out.extend(compare(rc, label, old_rules, new_rules));
        }
    }
    out.sort_by(|a, b| {
        (a.class, &a.resource, &a.property, &a.rule).cmp(&(
            b.class,
            &b.resource,
            &b.property,
            &b.rule,
        ))
    });
    out
}

fn rules(entry: Option<&Value>) -> BTreeMap<String, Vec<Rule>> {
    let Some(entry) = entry else {
        return BTreeMap::new();
    };
    let type_name = entry.get("Type").and_then(Value::as_str).unwrap_or("");
    let empty = Value::Object(Map::new());
    rules_of(type_name, entry.get("Properties").unwrap_or(&empty))
}

fn compare(
    rc: &ResourceChange,
    label: &str,
    old: Vec<Rule>,
    new: Vec<Rule>,
) -> Vec<SecurityChange> {
    let (pairs, removed, added) = classify::pair(old, new);
    let change = |kind, (broadening, reasons): (bool, Vec<String>), rule, old| SecurityChange {
        resource: rc.logical_id.clone(),
        type_name: rc.type_name.clone(),
        property: label.to_owned(),
        kind,
        class: if broadening {
            SecurityClass::Broadening
        } else {
            SecurityClass::Narrowing
        },
        rule,
        old,
        reasons,
    };
    let mut out = Vec::new();
    for (o, n) in pairs {
        if let Some(verdict) = classify::modified(&o, &n) {
            out.push(change(ChangeKind::Modified, verdict, n, Some(o)));
        }
    }
    for r in removed {
        out.push(change(ChangeKind::Removed, classify::removed(&r), r, None));
    }
    for r in added {
        out.push(change(ChangeKind::Added, classify::added(&r), r, None));
    }
    out
}

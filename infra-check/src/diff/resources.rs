//! Resource changes: property changes marked with the replacement they cause
//! (registry create-only paths, then the service rules), renames paired by
//! type and physical identity, and the data each change loses.

use std::collections::{BTreeMap, BTreeSet};

use infra_model::ResourceMeta;
use serde_json::{Map, Value};

use super::props::{Seg, compare, matches_any, normalize, render_path};
use super::resolve::{Scope, canonical};
use super::retention::{Disposal, data_loss};
use super::rules::{ReplacementRule, handler_decides, key_type_changes, replacing_rule};
use super::{Change, ChangeKind, Impact, ResourceChange};
use crate::json::{Refs, depends_on_set};
use crate::registry::Registry;

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

/// A resource entry read for the diff, its properties canonical and normalized.
pub(super) struct Entry<'a> {
    pub id: &'a str,
    pub type_name: &'a str,
    pub meta: Option<&'a ResourceMeta>,
    pub raw: &'a Value,
    pub properties: Value,
}

impl<'a> Entry<'a> {
    pub fn read(registry: Registry<'a>, scope: Scope<'_>, id: &'a str, raw: &'a Value) -> Self {
        let type_name = raw.get("Type").and_then(Value::as_str).unwrap_or("");
        let meta = registry.lookup(type_name);
        let properties = canonical(raw.get("Properties").unwrap_or(&Value::Null), scope);
        let properties = match properties {
            Value::Null => Value::Object(Map::new()),
            other => other,
        };
        let unordered = meta.map_or(&[][..], |m| m.unordered);
        Entry {
            id,
            type_name,
            meta,
            raw,
            properties: normalize(&properties, unordered),
        }
    }

    fn attributes(&self) -> &'a Map<String, Value> {
        self.raw.as_object().unwrap_or(&EMPTY)
    }

    /// Property names that hold the custom physical name (`TableName`), when set.
    fn physical_names(&self) -> Vec<&str> {
        self.meta
            .map(|m| physical_name_properties(m, self.type_name))
            .unwrap_or_default()
            .into_iter()
            .filter(|p| self.properties.get(*p).is_some())
            .collect()
    }
}

/// The create-only top-level properties that name the physical resource: the
/// primary identifier when it is one settable property (`TableName`), else the
/// property named for the type (`TopicName` of `AWS::SNS::Topic`).
fn physical_name_properties(meta: &ResourceMeta, type_name: &str) -> Vec<&'static str> {
    let top = |p: &&'static str| p.strip_prefix("/properties/").filter(|s| !s.contains('/'));
    let ids: Vec<&str> = meta.primary_identifier.iter().filter_map(top).collect();
    let create_only: Vec<&str> = meta.create_only.iter().filter_map(top).collect();
    let named: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|p| create_only.contains(p))
        .collect();
    if !named.is_empty() {
        return named;
    }
    let suffix = type_name.rsplit("::").next().unwrap_or("");
    let by_type = format!("{suffix}Name");
    create_only.into_iter().filter(|p| *p == by_type).collect()
}

/// Where each logical ID is referenced (`Ref`, `Fn::GetAtt`, `Fn::Sub`), by path.
pub(super) type Referrers = BTreeMap<String, BTreeSet<String>>;

/// The [`Referrers`] of a whole template.
pub(super) fn referrers(template: Option<&Value>) -> Referrers {
    let mut refs = Refs::default();
    if let Some(t) = template {
        refs.collect(t, &mut String::new(), false);
    }
    let mut out = Referrers::new();
    for r in refs.refs {
        out.entry(r.target).or_default().insert(r.path);
    }
    out
}

pub(super) fn diff_resources(
    registry: Registry<'_>,
    (old_scope, new_scope): (Scope<'_>, Scope<'_>),
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    referrers: (&Referrers, &Referrers),
) -> Vec<ResourceChange> {
    let mut out = Vec::new();
    let mut removed = Vec::new();
    for (id, v) in old {
        let before = Entry::read(registry, old_scope, id, v);
        match new.get(id) {
            Some(v) => out.extend(modified(
                registry,
                &before,
                &Entry::read(registry, new_scope, id, v),
            )),
            None => removed.push(before),
        }
    }
    let mut added: Vec<Entry<'_>> = new
        .iter()
        .filter(|(id, _)| !old.contains_key(*id))
        .map(|(id, v)| Entry::read(registry, new_scope, id, v))
        .collect();
    for before in removed {
        match best_twin(&before, &added, referrers) {
            Some(i) => out.push(renamed(registry, &before, &added.remove(i))),
            None => out.push(removed_resource(registry, &before)),
        }
    }
    out.extend(added.iter().map(added_resource));
    out.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    out
}

/// The added resource that is `before` under a new logical ID: same type and
/// equal properties, or the same physical name, or equal properties up to a
/// few changed ones (at least half of the top-level properties equal), or the
/// same referrers (every `Ref`/`Fn::GetAtt` of the old ID now names the new one).
fn best_twin(
    before: &Entry<'_>,
    added: &[Entry<'_>],
    (old_refs, new_refs): (&Referrers, &Referrers),
) -> Option<usize> {
    let referred = old_refs.get(before.id).filter(|r| !r.is_empty());
    let score = |after: &Entry<'_>| -> u8 {
        if after.type_name != before.type_name {
            return 0;
        }
        if after.properties == before.properties {
            return 3;
        }
        let names = before.physical_names();
        let same = |p: &&str| before.properties.get(*p) == after.properties.get(*p);
        if !names.is_empty() && names.iter().all(same) {
            return 2;
        }
        let same_referrers = referred.is_some_and(|r| new_refs.get(after.id) == Some(r));
        u8::from(same_referrers || similar(&before.properties, &after.properties))
    };
    let scored = added.iter().enumerate().map(|(i, a)| (score(a), i));
    let best = scored
        .filter(|(s, _)| *s > 0)
        .max_by_key(|(s, i)| (*s, std::cmp::Reverse(*i)));
    best.map(|(_, i)| i)
}

/// At least one top-level property equal, and at least half of them.
fn similar(a: &Value, b: &Value) -> bool {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return false;
    };
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let equal = keys.iter().filter(|k| a.get(**k) == b.get(**k)).count();
    equal > 0 && equal * 2 >= keys.len()
}

fn added_resource(e: &Entry<'_>) -> ResourceChange {
    resource_change(e, ChangeKind::Added, Vec::new(), Vec::new())
}

fn removed_resource(registry: Registry<'_>, e: &Entry<'_>) -> ResourceChange {
    let mut impacts = Vec::new();
    let mut notes = Vec::new();
    let loss = data_loss(registry, e.type_name, Disposal::Remove, Some(e.raw), None);
    impacts.extend(loss);
    match loss {
        Some(Impact::UnknownImpact) => notes.push(match handler_decides(e.type_name) {
            Some(rule) => format!("{}: {}", e.type_name, rule.why),
            None => unknown_type_note(e.type_name, "whether deleting it loses data"),
        }),
        Some(_) => {
            notes.push("deleted with its data: its DeletionPolicy does not retain it".to_owned())
        }
        None if holds_data(registry, e) => {
            notes.push("retained by its DeletionPolicy: delete it by hand if unused".to_owned());
        }
        None => {}
    }
    let mut change = resource_change(e, ChangeKind::Removed, Vec::new(), impacts);
    change.notes = notes;
    change
}

fn holds_data(registry: Registry<'_>, e: &Entry<'_>) -> bool {
    super::retention::holds_data_with(registry, e.type_name) == Some(true)
}

/// Why a property change of `e` has unknown impact: a type the registry does
/// not know, or one whose provider decides (custom resources).
fn unknown_update(e: &Entry<'_>) -> Option<String> {
    if let Some(rule) = handler_decides(e.type_name) {
        return Some(format!("{}: {}", e.type_name, rule.why));
    }
    let what = "whether this change replaces it";
    e.meta
        .is_none()
        .then(|| unknown_type_note(e.type_name, what))
}

fn unknown_type_note(type_name: &str, what: &str) -> String {
    format!("{type_name} is not in the registry metadata: cannot tell {what}")
}

/// A resource under a new logical ID: CloudFormation creates the new one and
/// deletes the old one, whatever else changed.
fn renamed(registry: Registry<'_>, before: &Entry<'_>, after: &Entry<'_>) -> ResourceChange {
    let mut changes = property_changes(before, after);
    changes.extend(attribute_changes(before.attributes(), after.attributes()));
    let mut impacts = vec![Impact::Replace];
    let mut notes = vec![format!(
        "renamed from {}: CloudFormation creates {} and deletes {}",
        before.id, after.id, before.id
    )];
    let loss = data_loss(
        registry,
        before.type_name,
        Disposal::Remove,
        Some(before.raw),
        None,
    );
    impacts.extend(loss);
    if loss.is_none() && holds_data(registry, before) {
        notes.push(format!(
            "{} is retained with its data, but {} starts empty",
            before.id, after.id
        ));
    }
    let kept = kept_names(before, after);
    if !kept.is_empty() {
        notes.push(format!(
            "{} unchanged: CloudFormation will fail to create {} while {} still holds that name",
            kept.join(", "),
            after.id,
            before.id
        ));
    }
    let mut change = resource_change(after, ChangeKind::Renamed, changes, impacts);
    change.renamed_from = Some(before.id.to_owned());
    change.notes = notes;
    change
}

/// Physical names set to the same value before and after.
fn kept_names(before: &Entry<'_>, after: &Entry<'_>) -> Vec<String> {
    let same = |name: &&str| before.properties.get(*name) == after.properties.get(*name);
    let names = after.physical_names();
    names.into_iter().filter(same).map(str::to_owned).collect()
}

fn resource_change(
    e: &Entry<'_>,
    kind: ChangeKind,
    changes: Vec<Change>,
    mut impacts: Vec<Impact>,
) -> ResourceChange {
    impacts.extend(changes.iter().filter_map(|c| c.impact));
    impacts.sort();
    impacts.dedup();
    ResourceChange {
        logical_id: e.id.to_owned(),
        type_name: e.type_name.to_owned(),
        kind,
        renamed_from: None,
        changes,
        impacts,
        notes: Vec::new(),
    }
}

/// The changes to a resource kept under its logical ID, or `None` when equal.
fn modified(
    registry: Registry<'_>,
    before: &Entry<'_>,
    after: &Entry<'_>,
) -> Option<ResourceChange> {
    let mut changes = Vec::new();
    if before.type_name != after.type_name {
        changes.push(Change {
            path: "Type".to_owned(),
            old: Some(Value::from(before.type_name)),
            new: Some(Value::from(after.type_name)),
            impact: Some(Impact::Replace),
            reason: Some("a new type is a new resource".to_owned()),
            source: None,
        });
    }
    changes.extend(property_changes(before, after));
    changes.extend(attribute_changes(before.attributes(), after.attributes()));
    if changes.is_empty() {
        return None;
    }
    let mut change = resource_change(after, ChangeKind::Modified, changes, Vec::new());
    replacement_consequences(registry, before, after, &mut change);
    condition_consequences(registry, before, after, &mut change);
    Some(change)
}

/// A new or changed `Condition` deletes the resource wherever it is false.
fn condition_consequences(
    registry: Registry<'_>,
    before: &Entry<'_>,
    after: &Entry<'_>,
    change: &mut ResourceChange,
) {
    let conditional = after.raw.get("Condition").is_some();
    if !conditional || !change.changes.iter().any(|c| c.path == "Condition") {
        return;
    }
    change.notes.push(
        "its Condition changes: where the condition is false, CloudFormation deletes it".to_owned(),
    );
    let old = Some(before.raw);
    match data_loss(registry, before.type_name, Disposal::Remove, old, None) {
        Some(Impact::DataLoss) => change.impacts.push(Impact::MayLoseData),
        Some(other) => change.impacts.push(other),
        None => {}
    }
    change.impacts.sort();
    change.impacts.dedup();
}

/// Data loss, unknown impact and name clashes that follow from the impacts of `change`.
fn replacement_consequences(
    registry: Registry<'_>,
    before: &Entry<'_>,
    after: &Entry<'_>,
    change: &mut ResourceChange,
) {
    let has = |i: Impact| change.impacts.contains(&i);
    let (replace, may) = (has(Impact::Replace), has(Impact::MayReplace));
    let mut extra = Vec::new();
    let properties_changed = change
        .changes
        .iter()
        .any(|c| c.path.starts_with("Properties"));
    let same_type = before.type_name == after.type_name;
    if let Some(note) = unknown_update(after).filter(|_| same_type && properties_changed) {
        extra.push(Impact::UnknownImpact);
        change.notes.push(note);
    }
    if replace || may {
        // The old resource is replaced, under the new template's policy.
        let disposal = if replace {
            Disposal::Replace
        } else {
            Disposal::MayReplace
        };
        let (old, new) = (Some(before.raw), Some(after.raw));
        extra.extend(data_loss(registry, before.type_name, disposal, old, new));
        let kept = kept_names(before, after);
        if !kept.is_empty() {
            change.notes.push(format!(
                "{} is set and unchanged: CloudFormation cannot replace a custom-named resource, so the update fails unless the name changes too",
                kept.join(", ")
            ));
        }
    }
    change.impacts.extend(extra);
    change.impacts.sort();
    change.impacts.dedup();
}

/// Property changes, each marked with the replacement it causes and why.
fn property_changes(before: &Entry<'_>, after: &Entry<'_>) -> Vec<Change> {
    let same_type = before.type_name == after.type_name;
    let meta = after.meta.filter(|_| same_type);
    let mut raw = Vec::new();
    compare(
        &before.properties,
        &after.properties,
        &mut Vec::new(),
        &mut raw,
    );
    let mut changes: Vec<Change> = raw
        .into_iter()
        .map(|(segs, old, new)| {
            let why = match (same_type, meta) {
                (true, Some(meta)) => replacement_of(meta, after.type_name, &segs),
                _ => Why::default(),
            };
            let mut path = vec![Seg::Key("Properties".to_owned())];
            path.extend(segs);
            Change {
                path: render_path(&path),
                old,
                new,
                impact: why.impact,
                reason: why.reason,
                source: why.source,
            }
        })
        .collect();
    if same_type {
        mark_key_type_changes(after.type_name, before, after, &mut changes);
    }
    changes
}

/// The impact of a property change, why, and the page that says so.
#[derive(Default)]
struct Why {
    impact: Option<Impact>,
    reason: Option<String>,
    source: Option<String>,
}

impl Why {
    fn registry(impact: Impact, reason: &str) -> Self {
        Why {
            impact: Some(impact),
            reason: Some(reason.to_owned()),
            source: None,
        }
    }

    fn rule(rule: &ReplacementRule, reason: String) -> Self {
        Why {
            impact: Some(Impact::Replace),
            reason: Some(reason),
            source: Some(rule.source.clone()),
        }
    }
}

/// Whether a change at `segs` replaces: registry create-only paths, the
/// service rules (which turn a conditional replacement into a certain one),
/// then conditional create-only paths.
fn replacement_of(meta: &ResourceMeta, type_name: &str, segs: &[Seg]) -> Why {
    if matches_any(meta.create_only, segs) {
        return Why::registry(Impact::Replace, "create-only property (registry schema)");
    }
    if let Some(rule) = replacing_rule(type_name, segs) {
        return Why::rule(rule, format!("{}: {}", rule.id, rule.why));
    }
    if matches_any(meta.conditional_create_only, segs) {
        let why = "conditionally create-only property (registry schema)";
        return Why::registry(Impact::MayReplace, why);
    }
    Why::default()
}

/// Marks the changes under a key-attribute-type rule's path as replacing.
fn mark_key_type_changes(
    type_name: &str,
    before: &Entry<'_>,
    after: &Entry<'_>,
    changes: &mut [Change],
) {
    for (rule, names) in key_type_changes(type_name, &before.properties, &after.properties) {
        let prefix = render_path(&[
            Seg::Key("Properties".to_owned()),
            Seg::Key(rule.path.trim_start_matches("/properties/").to_owned()),
        ]);
        let reason = format!(
            "{}: key attribute {} changes type: {}",
            rule.id,
            names.join(", "),
            rule.why,
        );
        for c in changes.iter_mut().filter(|c| c.path.starts_with(&prefix)) {
            let why = Why::rule(rule, reason.clone());
            (c.impact, c.reason, c.source) = (why.impact, why.reason, why.source);
        }
    }
}

/// Changes to `DeletionPolicy`, `DependsOn` (a set) and other attributes.
fn attribute_changes(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Change> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| *k != "Type" && *k != "Properties")
        .filter_map(|k| {
            let (old, new) = (before.get(k), after.get(k));
            let sets = (k == "DependsOn")
                .then(|| depends_on_set(old).zip(depends_on_set(new)))
                .flatten();
            let same = sets.map_or(old == new, |(old, new)| old == new);
            (!same).then(|| Change {
                path: k.clone(),
                old: old.cloned(),
                new: new.cloned(),
                impact: None,
                reason: None,
                source: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(before: Value, after: Value) -> Vec<String> {
        let (Value::Object(before), Value::Object(after)) = (before, after) else {
            panic!("objects");
        };
        attribute_changes(&before, &after)
            .into_iter()
            .map(|c| c.path)
            .collect()
    }

    /// A malformed `DependsOn` read as "nothing", so adding one showed
    /// "no changes"; a reordered list is still no change.
    #[test]
    fn depends_on_is_a_set_only_when_well_formed() {
        let none = json!({});
        assert_eq!(
            paths(none.clone(), json!({"DependsOn": {"a": 1}})),
            ["DependsOn"]
        );
        assert_eq!(
            paths(none.clone(), json!({"DependsOn": [5]})),
            ["DependsOn"]
        );
        assert_eq!(paths(none, json!({"DependsOn": []})), Vec::<String>::new());
        let (ab, ba) = (
            json!({"DependsOn": ["A", "B"]}),
            json!({"DependsOn": ["B", "A", "A"]}),
        );
        assert_eq!(paths(ab, ba), Vec::<String>::new());
        let (a, b) = (json!({"DependsOn": "A"}), json!({"DependsOn": ["A", "B"]}));
        assert_eq!(paths(a, b), ["DependsOn"]);
    }
}

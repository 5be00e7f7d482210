//! What a deploy of `new` over `old` would change, with replacement, data loss
//! and breaking output changes marked.

mod markdown;
mod props;
mod render;

use std::collections::BTreeSet;
use std::str::FromStr;

use infra_model::ResourceMeta;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::registry::Registry;
use props::{Seg, compare, matches_any, normalize, render_path};

pub use markdown::{COMMENT_LIMIT, Consumers, render_markdown};
pub use render::render_text;

/// The changes to one stack.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackDiff {
    pub stack: String,
    pub resources: Vec<ResourceChange>,
    pub outputs: Vec<OutputChange>,
    /// IAM statements and network rules added, removed or changed.
    pub security: Vec<crate::security::SecurityChange>,
}

impl StackDiff {
    /// Whether a deploy would change nothing.
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.outputs.is_empty()
    }

    /// Every impact of every change, each once.
    pub fn impacts(&self) -> BTreeSet<Impact> {
        let resources = self.resources.iter().flat_map(|r| r.impacts.iter());
        let outputs = self.outputs.iter().flat_map(|o| o.impacts.iter());
        resources.chain(outputs).copied().collect()
    }
}

/// How an entry changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    Added,
    Removed,
    Modified,
    /// A remove and an add of equal entries under another name.
    Renamed,
}

/// What a change does beyond the change itself, most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// A resource that holds data is deleted or replaced and not retained.
    DataLoss,
    /// As [`Impact::DataLoss`], when the replacement is conditional.
    MayLoseData,
    /// The resource is replaced: a new physical resource, a new name or ARN.
    Replace,
    /// The resource is replaced in some cases (`conditionalCreateOnlyProperties`).
    MayReplace,
    /// An output that consumers may read is removed, renamed or re-exported.
    Breaking,
}

/// One changed value, at a path relative to the entry (`Properties.TableName`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
}

/// A resource that is added, removed, modified or renamed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceChange {
    pub logical_id: String,
    pub type_name: String,
    pub kind: ChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    pub impacts: Vec<Impact>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// An output that is added, removed, changed or renamed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OutputChange {
    pub name: String,
    pub kind: ChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    pub impacts: Vec<Impact>,
}

/// When `cargo xtask diff` fails: each level includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Any (possible) data loss.
    DataLoss,
    /// Any (possible) replacement, data loss or breaking output change.
    Replace,
    /// Any change at all.
    Any,
    /// Any security change that grants more (independent of the levels above).
    Broadening,
}

/// A `--fail-on` value that is none of `data-loss`, `replace`, `any`.
#[derive(Debug, thiserror::Error)]
#[error("unknown --fail-on value {0:?} (allowed: data-loss, replace, any, broadening)")]
pub struct UnknownFailOn(pub String);

impl FromStr for FailOn {
    type Err = UnknownFailOn;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "data-loss" => Ok(FailOn::DataLoss),
            "replace" => Ok(FailOn::Replace),
            "any" => Ok(FailOn::Any),
            "broadening" => Ok(FailOn::Broadening),
            _ => Err(UnknownFailOn(s.to_owned())),
        }
    }
}

impl FailOn {
    /// Whether `diffs` has a change at this level.
    pub fn should_fail(&self, diffs: &[StackDiff]) -> bool {
        diffs.iter().any(|d| match self {
            FailOn::Any => !d.is_empty(),
            FailOn::Broadening => d
                .security
                .iter()
                .any(|s| s.class == crate::security::SecurityClass::Broadening),
            FailOn::Replace => !d.impacts().is_empty(),
            FailOn::DataLoss => d
                .impacts()
                .iter()
                .any(|i| matches!(i, Impact::DataLoss | Impact::MayLoseData)),
        })
    }
}

/// The diff of one stack against the generated registry; `None` is a stack
/// that does not exist on that side.
pub fn diff(stack: &str, old: Option<&Value>, new: Option<&Value>) -> StackDiff {
    diff_with(Registry::aws(), stack, old, new)
}

/// [`diff`] with the metadata of `registry`.
pub fn diff_with(
    registry: Registry<'_>,
    stack: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> StackDiff {
    let (old_resources, new_resources) = (section(old, "Resources"), section(new, "Resources"));
    let resources = diff_resources(registry, old_resources, new_resources);
    StackDiff {
        stack: stack.to_owned(),
        security: crate::security::changes(old_resources, new_resources, &resources),
        resources,
        outputs: diff_outputs(section(old, "Outputs"), section(new, "Outputs")),
    }
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

fn section<'a>(template: Option<&'a Value>, name: &str) -> &'a Map<String, Value> {
    template
        .and_then(|t| t.get(name))
        .and_then(Value::as_object)
        .unwrap_or(&EMPTY)
}

/// A resource entry read for the diff, its properties normalized.
struct Entry<'a> {
    id: &'a str,
    type_name: &'a str,
    meta: Option<&'a ResourceMeta>,
    raw: &'a Map<String, Value>,
    properties: Value,
}

impl<'a> Entry<'a> {
    fn read(registry: Registry<'a>, id: &'a str, v: &'a Value) -> Self {
        let raw = v.as_object().unwrap_or(&EMPTY);
        let type_name = raw.get("Type").and_then(Value::as_str).unwrap_or("");
        let meta = registry.lookup(type_name);
        let empty = Value::Object(Map::new());
        let properties = raw.get("Properties").unwrap_or(&empty);
        let unordered = meta.map_or(&[][..], |m| m.unordered);
        Entry {
            id,
            type_name,
            meta,
            raw,
            properties: normalize(properties, unordered),
        }
    }

    fn holds_data(&self) -> bool {
        holds_data(self.meta, self.type_name)
    }

    /// Whether `policy` (`DeletionPolicy` or `UpdateReplacePolicy`) keeps the data.
    fn retains(&self, policy: &str) -> bool {
        matches!(
            self.raw.get(policy).and_then(Value::as_str),
            Some("Retain" | "RetainExceptOnCreate" | "Snapshot")
        )
    }
}

/// Whether a resource of `type_name` holds data (the registry's word when it
/// has the type, else [`HOLDS_DATA`]).
pub(crate) fn holds_data(meta: Option<&ResourceMeta>, type_name: &str) -> bool {
    meta.map_or_else(|| HOLDS_DATA.contains(&type_name), |m| m.holds_data)
}

/// Stateful types outside the registry, so that their loss is still marked.
const HOLDS_DATA: &[&str] = &[
    "AWS::DocDB::DBCluster",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Volume",
    "AWS::EFS::FileSystem",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Kinesis::Stream",
    "AWS::Logs::LogGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
];

fn diff_resources(
    registry: Registry<'_>,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Vec<ResourceChange> {
    let mut out = Vec::new();
    let mut removed = Vec::new();
    for (id, v) in old {
        let before = Entry::read(registry, id, v);
        match new.get(id) {
            Some(v) => out.extend(modified(&before, &Entry::read(registry, id, v))),
            None => removed.push(before),
        }
    }
    let mut added: Vec<Entry<'_>> = new
        .iter()
        .filter(|(id, _)| !old.contains_key(*id))
        .map(|(id, v)| Entry::read(registry, id, v))
        .collect();
    for before in removed {
        let twin = added
            .iter()
            .position(|a| a.type_name == before.type_name && a.properties == before.properties);
        match twin {
            Some(i) => out.push(renamed(&before, &added.remove(i))),
            None => out.push(removed_resource(&before)),
        }
    }
    out.extend(added.iter().map(added_resource));
    out.sort_by(|a, b| a.logical_id.cmp(&b.logical_id));
    out
}

fn added_resource(e: &Entry<'_>) -> ResourceChange {
    resource_change(e, ChangeKind::Added, Vec::new(), Vec::new())
}

fn removed_resource(e: &Entry<'_>) -> ResourceChange {
    let mut impacts = Vec::new();
    let mut notes = Vec::new();
    if e.holds_data() {
        if e.retains("DeletionPolicy") {
            notes.push("retained by its DeletionPolicy: delete it by hand if unused".to_owned());
        } else {
            impacts.push(Impact::DataLoss);
            notes.push("deleted with its data: no DeletionPolicy Retain".to_owned());
        }
    }
    let mut change = resource_change(e, ChangeKind::Removed, Vec::new(), impacts);
    change.notes = notes;
    change
}

/// An equal resource under a new logical ID: CloudFormation creates the new
/// one and deletes the old one.
fn renamed(before: &Entry<'_>, after: &Entry<'_>) -> ResourceChange {
    let mut impacts = vec![Impact::Replace];
    let mut notes = vec![format!("renamed from {}: replacement", before.id)];
    if before.holds_data() && !before.retains("DeletionPolicy") {
        impacts.push(Impact::DataLoss);
    }
    let fixed = fixed_names(after);
    if !fixed.is_empty() {
        notes.push(format!(
            "{} is set: creating the new resource fails while the old one exists",
            fixed.join(", ")
        ));
    }
    let mut change = resource_change(after, ChangeKind::Renamed, Vec::new(), impacts);
    change.renamed_from = Some(before.id.to_owned());
    change.notes = notes;
    change
}

/// Primary identifier properties (physical names) that the template sets.
fn fixed_names(e: &Entry<'_>) -> Vec<String> {
    let Some(meta) = e.meta else {
        return Vec::new();
    };
    meta.primary_identifier
        .iter()
        .filter_map(|p| {
            let segs = props::pattern(p);
            let [name] = segs.as_slice() else { return None };
            e.properties.get(*name).map(|_| (*name).to_owned())
        })
        .collect()
}

fn resource_change(
    e: &Entry<'_>,
    kind: ChangeKind,
    changes: Vec<Change>,
    mut impacts: Vec<Impact>,
) -> ResourceChange {
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
fn modified(before: &Entry<'_>, after: &Entry<'_>) -> Option<ResourceChange> {
    let mut changes = Vec::new();
    if before.type_name != after.type_name {
        changes.push(Change {
            path: "Type".to_owned(),
            old: Some(Value::from(before.type_name)),
            new: Some(Value::from(after.type_name)),
            impact: Some(Impact::Replace),
        });
    }
    changes.extend(property_changes(before, after));
    changes.extend(attribute_changes(before.raw, after.raw));
    if changes.is_empty() {
        return None;
    }
    let mut impacts: Vec<Impact> = changes.iter().filter_map(|c| c.impact).collect();
    let lossy = before.holds_data() && !after.retains("UpdateReplacePolicy");
    if lossy && impacts.contains(&Impact::Replace) {
        impacts.push(Impact::DataLoss);
    } else if lossy && impacts.contains(&Impact::MayReplace) {
        impacts.push(Impact::MayLoseData);
    }
    let replaces = impacts
        .iter()
        .any(|i| matches!(i, Impact::Replace | Impact::MayReplace));
    let kept = kept_names(before, after);
    let mut change = resource_change(after, ChangeKind::Modified, changes, impacts);
    if replaces && !kept.is_empty() {
        change.notes.push(format!(
            "{} is set and unchanged: CloudFormation cannot replace a custom-named resource, so the update fails unless the name changes too",
            kept.join(", ")
        ));
    }
    Some(change)
}

/// Physical names the template sets to the same value before and after.
fn kept_names(before: &Entry<'_>, after: &Entry<'_>) -> Vec<String> {
    let same = |name: &String| before.properties.get(name) == after.properties.get(name);
    fixed_names(after).into_iter().filter(same).collect()
}

/// Property changes, each marked with the replacement it causes.
fn property_changes(before: &Entry<'_>, after: &Entry<'_>) -> Vec<Change> {
    let same_type = before.type_name == after.type_name;
    let meta = after.meta.filter(|_| same_type);
    let create_only = meta.map_or(&[][..], |m| m.create_only);
    let conditional = meta.map_or(&[][..], |m| m.conditional_create_only);
    let mut raw = Vec::new();
    compare(
        &before.properties,
        &after.properties,
        &mut Vec::new(),
        &mut raw,
    );
    raw.into_iter()
        .map(|(segs, old, new)| {
            let impact = if matches_any(create_only, &segs) {
                Some(Impact::Replace)
            } else if matches_any(conditional, &segs) {
                Some(Impact::MayReplace)
            } else {
                None
            };
            let mut path = vec![Seg::Key("Properties".to_owned())];
            path.extend(segs);
            Change {
                path: render_path(&path),
                old,
                new,
                impact,
            }
        })
        .collect()
}

/// Changes to `DeletionPolicy`, `DependsOn` (a set) and other attributes.
fn attribute_changes(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Change> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| *k != "Type" && *k != "Properties")
        .filter_map(|k| {
            let (old, new) = (before.get(k), after.get(k));
            let same = if k == "DependsOn" {
                depends_on_set(old) == depends_on_set(new)
            } else {
                old == new
            };
            (!same).then(|| Change {
                path: k.clone(),
                old: old.cloned(),
                new: new.cloned(),
                impact: None,
            })
        })
        .collect()
}

fn depends_on_set(v: Option<&Value>) -> BTreeSet<&str> {
    match v {
        Some(Value::String(s)) => BTreeSet::from([s.as_str()]),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

fn diff_outputs(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<OutputChange> {
    let mut out = Vec::new();
    let mut removed = Vec::new();
    for (name, v) in old {
        match new.get(name) {
            Some(n) => out.extend(modified_output(name, v, n)),
            None => removed.push((name, v)),
        }
    }
    let mut added: Vec<(&String, &Value)> = new
        .iter()
        .filter(|(name, _)| !old.contains_key(*name))
        .collect();
    for (name, v) in removed {
        let twin = added
            .iter()
            .position(|(_, a)| a.get("Value") == v.get("Value"));
        let (kind, shown, from) = match twin {
            Some(i) => (ChangeKind::Renamed, added.remove(i).0, Some(name.clone())),
            None => (ChangeKind::Removed, name, None),
        };
        out.push(output_change(
            shown,
            kind,
            from,
            Vec::new(),
            vec![Impact::Breaking],
        ));
    }
    for (name, _) in added {
        out.push(output_change(
            name,
            ChangeKind::Added,
            None,
            Vec::new(),
            Vec::new(),
        ));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn modified_output(name: &str, old: &Value, new: &Value) -> Option<OutputChange> {
    let mut raw = Vec::new();
    compare(old, new, &mut Vec::new(), &mut raw);
    if raw.is_empty() {
        return None;
    }
    let mut impacts = Vec::new();
    let changes: Vec<Change> = raw
        .into_iter()
        .map(|(segs, old, new)| {
            let path = render_path(&segs);
            let breaking = path.starts_with("Export") || path.starts_with("Condition");
            let impact = breaking.then_some(Impact::Breaking);
            impacts.extend(impact);
            Change {
                path,
                old,
                new,
                impact,
            }
        })
        .collect();
    Some(output_change(
        name,
        ChangeKind::Modified,
        None,
        changes,
        impacts,
    ))
}

fn output_change(
    name: &str,
    kind: ChangeKind,
    renamed_from: Option<String>,
    changes: Vec<Change>,
    mut impacts: Vec<Impact>,
) -> OutputChange {
    impacts.sort();
    impacts.dedup();
    OutputChange {
        name: name.to_owned(),
        kind,
        renamed_from,
        changes,
        impacts,
    }
}

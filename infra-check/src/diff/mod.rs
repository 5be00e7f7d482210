//! What a deploy of `new` over `old` would change, with replacement, data loss,
//! breaking output changes and unknown impact marked.
//!
//! Property changes are judged by the registry metadata of every type
//! (`create_only`, `conditional_create_only`) and by the service rules of
//! `infra-check/data/service-rules.json`; data loss by [`retention`]; names by
//! what they resolve to (`resolve`); renames are paired by type and physical
//! identity (`resources`). [`diff_stacks`] checks that two sets of templates
//! can be compared at all.

mod markdown;
mod outputs;
mod props;
mod render;
pub(crate) mod resolve;
mod resources;
pub mod retention;
mod rules;
mod stacks;

use std::collections::BTreeSet;
use std::str::FromStr;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::registry::Registry;
use resolve::Scope;

pub use markdown::{COMMENT_LIMIT, Consumers, render_markdown};
pub use render::render_text;
pub use stacks::{StacksError, diff_stacks, diff_stacks_with};

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

    /// The change to the resource `logical_id` (under its new ID when renamed).
    pub fn resource(&self, logical_id: &str) -> Option<&ResourceChange> {
        self.resources.iter().find(|r| r.logical_id == logical_id)
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
    /// A remove and an add of the same entry under another name (equal, or
    /// the same physical identity: see `resources::best_twin`).
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
    /// An output that consumers may read is removed, renamed, re-exported, or
    /// keeps its export and changes its value.
    Breaking,
    /// The type is not in the registry metadata: whether the change replaces the
    /// resource or loses data cannot be known.
    UnknownImpact,
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
    /// Why the change has its impact: the registry property kind, or the
    /// service rule with its source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The documentation page of the service rule behind the impact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// When `cargo xtask diff` fails: each level includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Any (possible) data loss.
    DataLoss,
    /// Any (possible) replacement, data loss, breaking output change, or a
    /// change of unknown impact.
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
    // An empty name is a stack whose name the caller does not know.
    let known = Some(stack).filter(|s| !s.is_empty());
    let scopes = (Scope::of(known, old), Scope::of(known, new));
    let (old_resources, new_resources) = (section(old, "Resources"), section(new, "Resources"));
    let resources = resources::diff_resources(
        registry,
        scopes,
        old_resources,
        new_resources,
        (&resources::referrers(old), &resources::referrers(new)),
    );
    StackDiff {
        stack: stack.to_owned(),
        security: crate::security::changes(old_resources, new_resources, &resources),
        resources,
        outputs: outputs::diff_outputs(scopes, section(old, "Outputs"), section(new, "Outputs")),
    }
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

fn section<'a>(template: Option<&'a Value>, name: &str) -> &'a Map<String, Value> {
    template
        .and_then(|t| t.get(name))
        .and_then(Value::as_object)
        .unwrap_or(&EMPTY)
}

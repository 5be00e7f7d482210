//! Output changes: a removed, renamed or re-exported output breaks its
//! consumers, and so does a new value behind an unchanged export.

use serde_json::{Map, Value};

use super::props::{compare, render_path};
use super::resolve::{Scope, canonical};
use super::{Change, ChangeKind, Impact, OutputChange};

pub(super) fn diff_outputs(
    (old_scope, new_scope): (Scope<'_>, Scope<'_>),
    old: &Map<String, Value>,
    new: &Map<String, Value>,
) -> Vec<OutputChange> {
    let mut out = Vec::new();
    let mut removed = Vec::new();
    for (name, v) in old {
        match new.get(name) {
            Some(n) => out.extend(modified_output((old_scope, new_scope), name, v, n)),
            None => removed.push((name, v)),
        }
    }
    let mut added: Vec<(&String, &Value)> = new
        .iter()
        .filter(|(name, _)| !old.contains_key(*name))
        .collect();
    for (name, v) in removed {
        let value = v.get("Value").map(|v| canonical(v, old_scope));
        let twin = added
            .iter()
            .position(|(_, a)| a.get("Value").map(|v| canonical(v, new_scope)) == value);
        let (kind, shown, from) = match twin {
            Some(i) => (ChangeKind::Renamed, added.remove(i).0, Some(name.clone())),
            None => (ChangeKind::Removed, name, None),
        };
        let mut change = output_change(shown, kind, Vec::new(), vec![Impact::Breaking]);
        change.renamed_from = from;
        out.push(change);
    }
    for (name, _) in added {
        out.push(output_change(
            name,
            ChangeKind::Added,
            Vec::new(),
            Vec::new(),
        ));
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn modified_output(
    (old_scope, new_scope): (Scope<'_>, Scope<'_>),
    name: &str,
    old: &Value,
    new: &Value,
) -> Option<OutputChange> {
    let mut raw = Vec::new();
    let (old, new) = (canonical(old, old_scope), canonical(new, new_scope));
    compare(&old, &new, &mut Vec::new(), &mut raw);
    if raw.is_empty() {
        return None;
    }
    let exported = old.get("Export").is_some() && new.get("Export").is_some();
    let mut notes = Vec::new();
    let changes: Vec<Change> = raw
        .into_iter()
        .map(|(segs, old, new)| {
            let path = render_path(&segs);
            let (impact, reason) = output_impact(&path, exported);
            if path.starts_with("Value") && !exported {
                notes.push(
                    "the value changes: not exported, so only readers of the stack outputs see it"
                        .to_owned(),
                );
            }
            Change {
                path,
                old,
                new,
                impact,
                reason,
                source: None,
            }
        })
        .collect();
    notes.dedup();
    let mut change = output_change(name, ChangeKind::Modified, changes, Vec::new());
    change.notes = notes;
    Some(change)
}

/// Whether a change at `path` of an output breaks consumers, and why.
fn output_impact(path: &str, exported: bool) -> (Option<Impact>, Option<String>) {
    let why = if path.starts_with("Export") {
        "the export name changes: importing stacks lose it"
    } else if path.starts_with("Condition") {
        "the output's condition changes: it may disappear"
    } else if path.starts_with("Value") && exported {
        "an exported value changes: consumers that read it (Fn::ImportValue, ${cf:}, the outputs crate) get something else"
    } else {
        return (None, None);
    };
    (Some(Impact::Breaking), Some(why.to_owned()))
}

fn output_change(
    name: &str,
    kind: ChangeKind,
    changes: Vec<Change>,
    mut impacts: Vec<Impact>,
) -> OutputChange {
    impacts.extend(changes.iter().filter_map(|c| c.impact));
    impacts.sort();
    impacts.dedup();
    OutputChange {
        name: name.to_owned(),
        kind,
        renamed_from: None,
        changes,
        impacts,
        notes: Vec::new(),
    }
}

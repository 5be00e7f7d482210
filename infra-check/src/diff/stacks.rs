//! The diff of a whole app: every stack on either side, after checking that
//! both sides are sets of templates worth comparing. Comparing against an
//! empty or unrelated set would report everything as added and pass every
//! `--fail-on`, so those are errors.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{StackDiff, diff_with};
use crate::registry::Registry;

/// Why two sets of templates cannot be compared.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StacksError {
    #[error("{side} holds no template (*.json): nothing to compare with")]
    NoTemplates { side: String },
    #[error(
        "{side} holds no template of this app's stacks (expected one of: {expected}; found: {found})"
    )]
    NoCommonStack {
        side: String,
        expected: String,
        found: String,
    },
    #[error(
        "{side}: the template of stack {stack} is {what}, expected a JSON object with a Resources object"
    )]
    NotATemplate {
        side: String,
        stack: String,
        what: &'static str,
    },
    #[error("{side}: Resources.{logical_id} of stack {stack} is not an object with a string Type")]
    NotAResource {
        side: String,
        stack: String,
        logical_id: String,
    },
}

/// One diff per stack found on either side, by stack name. `old_side` and
/// `new_side` name the two sides in errors (`HEAD:stacks/templates`).
pub fn diff_stacks(
    old_side: &str,
    old: &BTreeMap<String, Value>,
    new_side: &str,
    new: &BTreeMap<String, Value>,
) -> Result<Vec<StackDiff>, StacksError> {
    diff_stacks_with(Registry::aws(), old_side, old, new_side, new)
}

/// [`diff_stacks`] with the metadata of `registry`.
pub fn diff_stacks_with(
    registry: Registry<'_>,
    old_side: &str,
    old: &BTreeMap<String, Value>,
    new_side: &str,
    new: &BTreeMap<String, Value>,
) -> Result<Vec<StackDiff>, StacksError> {
    check_side(new_side, new)?;
    check_side(old_side, old)?;
    if !old.keys().any(|k| new.contains_key(k)) {
        return Err(StacksError::NoCommonStack {
            side: old_side.to_owned(),
            expected: names(new),
            found: names(old),
        });
    }
    let mut stacks: Vec<&String> = old.keys().chain(new.keys()).collect();
    stacks.sort();
    stacks.dedup();
    Ok(stacks
        .into_iter()
        .map(|name| diff_with(registry, name, old.get(name), new.get(name)))
        .collect())
}

fn names(templates: &BTreeMap<String, Value>) -> String {
    let names: Vec<&str> = templates.keys().map(String::as_str).collect();
    names.join(", ")
}

fn check_side(side: &str, templates: &BTreeMap<String, Value>) -> Result<(), StacksError> {
    if templates.is_empty() {
        return Err(StacksError::NoTemplates {
            side: side.to_owned(),
        });
    }
    for (stack, t) in templates {
        let what = match t {
            Value::Object(map) => match map.get("Resources") {
                Some(Value::Object(resources)) => {
                    check_resources(side, stack, resources)?;
                    continue;
                }
                Some(_) => "an object whose Resources is not an object",
                None => "an object without Resources",
            },
            Value::Array(_) => "a JSON array",
            Value::String(_) => "a JSON string",
            Value::Number(_) => "a JSON number",
            Value::Bool(_) => "a JSON boolean",
            Value::Null => "null",
        };
        return Err(StacksError::NotATemplate {
            side: side.to_owned(),
            stack: stack.clone(),
            what,
        });
    }
    Ok(())
}

fn check_resources(
    side: &str,
    stack: &str,
    resources: &serde_json::Map<String, Value>,
) -> Result<(), StacksError> {
    let bad = resources
        .iter()
        .find(|(_, r)| !r.get("Type").is_some_and(Value::is_string));
    match bad {
        Some((id, _)) => Err(StacksError::NotAResource {
            side: side.to_owned(),
            stack: stack.to_owned(),
            logical_id: id.clone(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(entries: &[(&str, Value)]) -> BTreeMap<String, Value> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn unrelated_or_empty_sides_are_errors() {
        let app = set(&[("infra-prod", json!({"Resources": {}}))]);
        let empty = BTreeMap::new();
        let err = diff_stacks("old", &empty, "new", &app).unwrap_err();
        assert_eq!(
            err.to_string(),
            "old holds no template (*.json): nothing to compare with"
        );
        let other = set(&[("media-dev", json!({"Resources": {}}))]);
        let err = diff_stacks("old", &other, "new", &app).unwrap_err();
        assert_eq!(
            err.to_string(),
            "old holds no template of this app's stacks (expected one of: infra-prod; found: media-dev)"
        );
    }

    #[test]
    fn a_template_must_be_an_object_with_resources() {
        let app = set(&[("infra-prod", json!({"Resources": {}}))]);
        for (bad, what) in [
            (json!([]), "a JSON array"),
            (json!({}), "an object without Resources"),
        ] {
            let old = set(&[("infra-prod", bad)]);
            let err = diff_stacks("old", &old, "new", &app).unwrap_err();
            assert!(err.to_string().contains(what), "{err}");
        }
    }

    #[test]
    fn a_new_stack_next_to_a_known_one_is_added() {
        let old = set(&[("infra-prod", json!({"Resources": {}}))]);
        let mut new = old.clone();
        new.insert("media-prod".to_owned(), json!({"Resources": {}}));
        let diffs = diff_stacks("old", &old, "new", &new).expect("comparable");
        assert_eq!(diffs.len(), 2);
    }
}

//! The CloudFormation template a `serverless.yml` declares itself, for import:
//! its `resources:` (Resources, Outputs, Conditions and the other template
//! sections), one object or a list of them as the Framework merges them.
//!
//! What the Framework generates from the rest of the manifest (its deployment
//! bucket and bucket policy, the functions of `functions:` with their roles,
//! log groups and versions, API Gateway, event sources) is not in `resources:`
//! and stays with the Framework; a note says so when the manifest has any.
//! Framework variables (`${opt:stage}`, `${self:...}`, `${file(...)}`) are
//! resolved by the Framework at deploy time, not by CloudFormation, so a
//! template holding one cannot be imported as it stands: each is refused with
//! its position. `${X}` inside `Fn::Sub` is CloudFormation's own and is kept.

use infra_check::TEMPLATE_SECTIONS as SECTIONS;
use infra_check::reader::Parsed;
use serde_json::{Map, Value};

/// Why (part of) a manifest cannot be imported; its path is in the manifest
/// (`resources.Resources.Queue.Properties.QueueName`).
pub use infra_check::reader::Refusal;

/// Whether a document read from a file is a Serverless manifest: it has a
/// `service:` and a `provider:` (a template has neither).
pub fn is_manifest(doc: &Value) -> bool {
    doc.get("service").is_some() && doc.get("provider").is_some()
}

/// The `service:` name of a manifest (`service: x` or v1's `service: {name: x}`).
pub fn service_name(doc: &Value) -> Option<&str> {
    match doc.get("service")? {
        Value::String(s) => Some(s),
        other => other.get("name")?.as_str(),
    }
}

/// The template of `parsed`'s `resources:`, with notes on what is left out.
pub fn template_of(parsed: &Parsed) -> Result<(Value, Vec<String>), Vec<Refusal>> {
    let mut refusals = Vec::new();
    let at = |path: &str, message: String| Refusal {
        path: path.to_owned(),
        pos: parsed.spans.find(path),
        message,
    };
    for dup in &parsed.duplicates {
        refusals.push(Refusal {
            path: dup.path.clone(),
            pos: Some(dup.pos),
            message: format!("a key given twice (first at {})", dup.first),
        });
    }
    let (template, mut notes) = merged(&parsed.value, &at, &mut refusals);
    for (mut path, part) in parts(&parsed.value) {
        variables(part, &mut path, false, &at, &mut refusals);
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    notes.extend(left_out(&parsed.value));
    Ok((template, notes))
}

/// `resources:` as one template: a list of objects is merged in order, the
/// way the Framework does (a later section's keys win).
fn merged(
    doc: &Value,
    at: &dyn Fn(&str, String) -> Refusal,
    refusals: &mut Vec<Refusal>,
) -> (Value, Vec<String>) {
    let mut template = Map::new();
    let mut notes = Vec::new();
    for (path, part) in parts(doc) {
        let Value::Object(part) = part else {
            refusals.push(at(&path, "expected a mapping of template sections".into()));
            continue;
        };
        for (key, value) in part {
            let here = format!("{path}.{key}");
            match key.as_str() {
                "extensions" => notes.push(format!(
                    "{here} changes resources the Framework generates; they stay with the Framework and are left out"
                )),
                k if SECTIONS.contains(&k) => merge_section(&mut template, key, value),
                _ => refusals.push(at(&here, format!(
                    "{key:?} is not a template section (allowed: {}, and the Framework's extensions)",
                    SECTIONS.join(", ")
                ))),
            }
        }
    }
    let overrides = framework_overrides(&mut template);
    notes.extend(overrides.into_iter().map(|id| format!(
        "resources.Resources.{id} has no Type: it changes a resource the Framework generates and is left out"
    )));
    (Value::Object(template), notes)
}

/// The parts of `resources:` with their manifest paths: one object, or a list.
fn parts(doc: &Value) -> Vec<(String, &Value)> {
    match doc.get("resources") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("resources[{i}]"), v))
            .collect(),
        Some(v) => vec![("resources".to_owned(), v)],
    }
}

/// Adds `value` to the section `key`: maps are merged entry by entry.
fn merge_section(template: &mut Map<String, Value>, key: &str, value: &Value) {
    match (template.get_mut(key), value) {
        (Some(Value::Object(into)), Value::Object(from)) => {
            into.extend(from.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        _ => {
            template.insert(key.to_owned(), value.clone());
        }
    }
}

/// Removes the resources without a `Type` (overrides of what the Framework
/// generates, such as `ServerlessDeploymentBucket`) and returns their IDs.
fn framework_overrides(template: &mut Map<String, Value>) -> Vec<String> {
    let Some(Value::Object(resources)) = template.get_mut("Resources") else {
        return Vec::new();
    };
    let ids: Vec<String> = resources
        .iter()
        .filter(|(_, r)| r.is_object() && r.get("Type").is_none())
        .map(|(id, _)| id.clone())
        .collect();
    ids.iter().for_each(|id| {
        resources.remove(id);
    });
    ids
}

/// Refuses every Framework variable below `v`, whose manifest path is
/// `path`; `in_sub`: `v` is the template string of an `Fn::Sub`.
fn variables(
    v: &Value,
    path: &mut String,
    in_sub: bool,
    at: &dyn Fn(&str, String) -> Refusal,
    out: &mut Vec<Refusal>,
) {
    match v {
        Value::String(s) => {
            if let Some(var) = framework_variable(s, in_sub) {
                out.push(at(path, format!(
                    "{var} is a Serverless Framework variable, not CloudFormation: put its value, or a template parameter, in its place"
                )));
            }
        }
        Value::Array(items) => {
            let sub = path.ends_with(".Fn::Sub");
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                variables(item, path, sub && i == 0, at, out);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                variables(item, path, key == "Fn::Sub", at, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// The first `${...}` of `s` that CloudFormation would not resolve: any
/// outside `Fn::Sub`; inside it, one with a Framework source (`opt:`,
/// `self:`, `file(`...) rather than a pseudo parameter, a logical ID,
/// `ID.Attribute` or a `${!literal}`.
fn framework_variable(s: &str, in_sub: bool) -> Option<String> {
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let end = after.find('}').unwrap_or(after.len());
        let name = &after[..end];
        let cloudformation = name.starts_with('!')
            || name.trim().starts_with("AWS::")
            || name
                .trim()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.');
        if !(in_sub && cloudformation) {
            return Some(format!("${{{name}}}"));
        }
        rest = &after[end..];
    }
    None
}

/// Notes on what the manifest declares besides `resources:`.
fn left_out(doc: &Value) -> Vec<String> {
    let mut notes = vec![
        "the Framework's own resources (ServerlessDeploymentBucket and its policy) are not in resources: and are left out".to_owned(),
    ];
    if let Some(Value::Object(functions)) = doc
        .get("functions")
        .filter(|f| f.as_object().is_some_and(|m| !m.is_empty()))
    {
        let names: Vec<&str> = functions.keys().map(String::as_str).collect();
        notes.push(format!(
            "functions: ({}) and what the Framework generates for them (roles, log groups, versions, events) are left out: they stay deployed by the Framework",
            names.join(", ")
        ));
    }
    let provider = doc.get("provider");
    let iam = provider
        .and_then(|p| p.get("iam"))
        .and_then(Value::as_object);
    let role_keys = iam
        .into_iter()
        .flat_map(|m| m.keys())
        .filter(|k| *k != "deploymentRole");
    let legacy = ["iamRoleStatements", "iamManagedPolicies", "role"]
        .iter()
        .filter(|k| provider.and_then(|p| p.get(**k)).is_some());
    let iam: Vec<String> = role_keys
        .cloned()
        .chain(legacy.map(|k| (*k).to_owned()))
        .collect();
    if !iam.is_empty() {
        notes.push(format!(
            "provider IAM settings ({}) shape the functions' role the Framework generates and are left out",
            iam.join(", ")
        ));
    }
    notes
}

#[cfg(test)]
mod tests;

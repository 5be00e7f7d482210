//! CloudFormation's quotas, the form of logical IDs and output names, and
//! export names unique per account and region.

use std::collections::HashMap;

use infra_model::limits::{MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES};
use serde_json::{Map, Value};

use super::{Cx, Doc};
use crate::json::{SubPart, intrinsic, parse_sub, sub_arg};
use crate::problem::{Problem, show_str};

/// The largest template body CloudFormation accepts from S3, in bytes.
pub const S3_BODY_LIMIT: usize = 1_000_000;
/// The largest template body CloudFormation accepts inline (`--template-body`).
pub const INLINE_BODY_LIMIT: usize = 51_200;

/// Whether a body of `bytes` must be uploaded to S3 rather than sent inline.
/// Not a problem: `cargo xtask deploy` uploads such templates.
pub fn inline_limit_exceeded(bytes: usize) -> bool {
    bytes > INLINE_BODY_LIMIT
}

/// The size of the template as `cargo xtask synth` writes it (pretty JSON
/// with a final newline).
pub fn body_size(template: &Value) -> usize {
    serde_json::to_string_pretty(template).map_or(0, |s| s.len() + 1)
}

pub(super) fn check_counts(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    let counts = [
        (
            "Resources",
            doc.resources.len(),
            MAX_RESOURCES,
            "E-limit-resources",
        ),
        (
            "Outputs",
            doc.outputs.map_or(0, Map::len),
            MAX_OUTPUTS,
            "E-limit-outputs",
        ),
        (
            "Parameters",
            doc.parameters.map_or(0, Map::len),
            MAX_PARAMETERS,
            "E-limit-parameters",
        ),
    ];
    for (section, count, max, rule) in counts {
        if count > max {
            let message = format!("has {count} entries, more than the limit of {max}");
            cx.push(cx.problem(rule, None, section, message));
        }
    }
}

pub(super) fn check_size(cx: &mut Cx<'_>, template: &Value) {
    let size = body_size(template);
    if size > S3_BODY_LIMIT {
        let message =
            format!("the template body is {size} bytes, more than the limit of {S3_BODY_LIMIT}");
        cx.push(cx.problem("E-limit-size", None, "", message));
    }
}

/// Logical IDs, parameter and output names: 1 to 255 ASCII letters and digits,
/// and no name used twice across resources and parameters.
pub(super) fn check_names(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    const ALLOWED: &str = "1 to 255 ASCII letters and digits";
    let sections = [
        (
            "Resources",
            doc.resources.iter().map(|r| r.id).collect::<Vec<_>>(),
            "E-logical-id",
        ),
        ("Parameters", keys(doc.parameters), "E-logical-id"),
        ("Outputs", keys(doc.outputs), "E-output-name"),
    ];
    for (section, names, rule) in &sections {
        for name in names.iter().filter(|n| !valid_name(n)) {
            let id = (*section == "Resources").then_some(*name);
            let message = format!(
                "is not a valid {}",
                if *rule == "E-output-name" {
                    "output name"
                } else {
                    "logical ID"
                }
            );
            let problem = cx.problem(rule, id, format!("{section}.{name}"), message);
            cx.push(problem.with_value(show_str(name)).with_allowed(ALLOWED));
        }
    }
    for name in keys(doc.parameters) {
        if doc.resource(name).is_some() {
            let message = "is both a parameter and a resource";
            let problem = cx.problem(
                "E-duplicate-id",
                Some(name),
                format!("Resources.{name}"),
                message,
            );
            cx.push(problem.with_value(show_str(name)));
        }
    }
}

fn keys(map: Option<&Map<String, Value>>) -> Vec<&str> {
    let keys = map.into_iter().flatten().map(|(k, _)| k.as_str());
    keys.filter(|k| !k.starts_with("Fn::ForEach::")).collect()
}

fn valid_name(name: &str) -> bool {
    (1..=255).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Export names are unique within the stack.
pub(super) fn check_exports(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let stack = cx.stack_name.unwrap_or("${AWS::StackName}");
    for (output, name) in export_names(stack, doc.outputs) {
        match seen.get(&name) {
            Some(first) => {
                let problem = duplicate(cx.stack, output, &name, &format!("output {first}"));
                cx.push(problem);
            }
            None => {
                seen.insert(name, output);
            }
        }
    }
}

/// Export names are unique across the stacks of an app.
pub fn check_app_exports(stacks: &[(String, Value)]) -> Vec<Problem> {
    let mut seen: HashMap<String, (&str, &str)> = HashMap::new();
    let mut problems = Vec::new();
    for (stack, template) in stacks {
        let outputs = template.get("Outputs").and_then(Value::as_object);
        let mut own = HashMap::new();
        for (output, name) in export_names(stack, outputs) {
            match seen.get(&name) {
                Some((other, first)) if !own.contains_key(&name) => {
                    let by = format!("output {first} of stack {other}");
                    problems.push(duplicate(stack, output, &name, &by));
                }
                _ => {
                    own.insert(name, output);
                }
            }
        }
        for (name, output) in own {
            seen.entry(name).or_insert((stack, output));
        }
    }
    problems
}

fn duplicate(stack: &str, output: &str, name: &str, by: &str) -> Problem {
    Problem {
        stack: stack.to_owned(),
        logical_id: None,
        path: format!("Outputs.{output}.Export.Name"),
        value: Some(show_str(name)),
        message: format!("is also the export name of {by}"),
        allowed: None,
        rule: "E-export-duplicate",
        pos: None,
    }
}

/// `(output, export name)` for every export whose name is known before deploy.
fn export_names<'t>(
    stack: &str,
    outputs: Option<&'t Map<String, Value>>,
) -> Vec<(&'t str, String)> {
    outputs
        .into_iter()
        .flatten()
        .filter_map(|(output, v)| {
            let name = v.get("Export")?.get("Name")?;
            Some((output.as_str(), resolve_name(stack, name)?))
        })
        .collect()
}

/// A literal, or `Fn::Sub`/`Fn::Join` of literals and `AWS::StackName`.
fn resolve_name(stack: &str, v: &Value) -> Option<String> {
    if let Value::String(s) = v {
        return Some(s.clone());
    }
    match intrinsic(v)? {
        ("Ref", Value::String(p)) if p == "AWS::StackName" => Some(stack.to_owned()),
        ("Fn::Sub", arg) => {
            let (text, vars) = sub_arg(arg)?;
            parse_sub(text)
                .into_iter()
                .map(|part| match part {
                    SubPart::Lit(s) => Some(s),
                    SubPart::Var("AWS::StackName") => Some(stack.to_owned()),
                    SubPart::Var(var) => resolve_name(stack, vars?.get(var)?),
                })
                .collect()
        }
        ("Fn::Join", Value::Array(arg)) => match arg.as_slice() {
            [Value::String(sep), Value::Array(items)] => {
                let parts: Option<Vec<String>> =
                    items.iter().map(|i| resolve_name(stack, i)).collect();
                Some(parts?.join(sep))
            }
            _ => None,
        },
        _ => None,
    }
}

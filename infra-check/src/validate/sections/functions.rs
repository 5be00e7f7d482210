//! The argument shape of every intrinsic function in `Resources` and
//! `Outputs` (`Ref`, `Fn::GetAtt`, `Fn::Sub` and `Fn::If` are read, and
//! reported, by [`crate::json::Refs`]), functions that need a transform, and
//! `Fn::FindInMap` names and keys that the Mappings do not have.

use serde_json::{Map, Value};

use super::bad_arg;
use crate::json::{intrinsic, push_index, push_key};
use crate::validate::{Cx, Doc};

/// Functions `Refs` already reports malformed.
const READ_BY_REFS: &[&str] = &["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If"];

/// Functions of `AWS::LanguageExtensions`.
const LANGUAGE: &[&str] = &["Fn::Length", "Fn::ToJsonString", "Fn::ForEach"];

const FUNCTIONS: &[&str] = &[
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::If",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::FindInMap",
    "Fn::Base64",
    "Fn::GetAZs",
    "Fn::ImportValue",
    "Fn::Cidr",
    "Fn::Transform",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::GetStackOutput",
];

pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>, template: &Value) {
    for section in ["Resources", "Outputs"] {
        let Some(Value::Object(entries)) = template.get(section) else {
            continue;
        };
        for (name, entry) in entries {
            if name.starts_with("Fn::ForEach::") {
                if section == "Outputs" && !doc.transforms.language {
                    let message = "Fn::ForEach needs the AWS::LanguageExtensions transform";
                    cx.push(cx.problem("E-transform", None, format!("Outputs.{name}"), message));
                }
                continue;
            }
            let Value::Object(entry) = entry else {
                continue;
            };
            for (key, v) in entry.iter().filter(|(k, _)| k.as_str() != "Metadata") {
                let mut path = format!("{section}.{name}.{key}");
                walk(cx, doc, v, &mut path);
            }
        }
    }
}

fn walk(cx: &mut Cx<'_>, doc: &Doc<'_>, v: &Value, path: &mut String) {
    if let Some((name, arg)) = intrinsic(v) {
        let len = path.len();
        push_key(path, name);
        if name == "Fn::Transform" {
            path.truncate(len);
            return;
        }
        function(cx, doc, name, arg, path);
        if name != "Fn::Sub" {
            walk(cx, doc, arg, path);
        }
        path.truncate(len);
        return;
    }
    match v {
        Value::String(text) => sub_needed(cx, doc, text, path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                push_index(path, i);
                walk(cx, doc, item, path);
                path.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let len = path.len();
                push_key(path, key);
                walk(cx, doc, item, path);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// One function call; `path` ends in its name.
fn function(cx: &mut Cx<'_>, doc: &Doc<'_>, name: &str, arg: &Value, path: &str) {
    if READ_BY_REFS.contains(&name) {
        return;
    }
    if !FUNCTIONS.contains(&name) {
        let problem = cx.problem("E-intrinsic", None, path, "is not an intrinsic function");
        return cx.push(problem.with_allowed(FUNCTIONS.join(", ")));
    }
    if LANGUAGE.contains(&name) && !doc.transforms.language {
        let message = format!("{name} needs the AWS::LanguageExtensions transform");
        return cx.push(cx.problem("E-transform", None, path, message));
    }
    let fits = match name {
        "Fn::Join" => return join(cx, arg, path),
        "Fn::Select" => return select(cx, arg, path),
        "Fn::Split" => pair(arg, |d| d.is_string(), string_or_fn),
        "Fn::FindInMap" => return find_in_map(cx, doc, arg, path),
        "Fn::ImportValue" => import_value(arg),
        "Fn::Base64" | "Fn::GetAZs" => string_or_fn(arg),
        "Fn::Cidr" => arg.as_array().is_some_and(|a| a.len() == 3),
        "Fn::Length" => arg.is_array() || intrinsic(arg).is_some(),
        "Fn::GetStackOutput" => stack_output(arg),
        _ => true,
    };
    if !fits {
        bad_arg(cx, path, arg, expected(name));
    }
}

fn expected(name: &str) -> &'static str {
    match name {
        "Fn::Join" => "[delimiter string, list of values]",
        "Fn::Select" => "[index, list]",
        "Fn::Split" => "[delimiter string, string]",
        "Fn::Cidr" => "[ip block, count, cidr bits]",
        "Fn::Length" => "a list",
        "Fn::GetStackOutput" => "{StackName, OutputName, Region (optional), RoleArn (optional)}",
        _ => "a string or a function that gives one",
    }
}

/// `Fn::ImportValue` takes a string or a function that gives one, except
/// another `Fn::ImportValue` (or a reference to a resource: exports are
/// names known before the stack is created).
fn import_value(arg: &Value) -> bool {
    const ALLOWED: &[&str] = &[
        "Fn::Base64",
        "Fn::FindInMap",
        "Fn::If",
        "Fn::Join",
        "Fn::Select",
        "Fn::Split",
        "Fn::Sub",
        "Ref",
    ];
    arg.is_string() || intrinsic(arg).is_some_and(|(f, _)| ALLOWED.contains(&f))
}

/// `{StackName, OutputName}`, optionally `Region` and `RoleArn`, each a
/// string or a function that gives one.
fn stack_output(arg: &Value) -> bool {
    const KEYS: &[&str] = &["StackName", "OutputName", "Region", "RoleArn"];
    let Some(map) = arg.as_object().filter(|_| intrinsic(arg).is_none()) else {
        return false;
    };
    KEYS[..2].iter().all(|k| map.contains_key(*k))
        && map
            .iter()
            .all(|(k, v)| KEYS.contains(&k.as_str()) && string_or_fn(v))
}

fn string_or_fn(v: &Value) -> bool {
    v.is_string() || intrinsic(v).is_some()
}

fn list_or_fn(v: &Value) -> bool {
    v.is_array() || intrinsic(v).is_some()
}

fn pair(arg: &Value, first: fn(&Value) -> bool, second: fn(&Value) -> bool) -> bool {
    matches!(arg.as_array().map(Vec::as_slice), Some([a, b]) if first(a) && second(b))
}

/// `[delimiter, list]`: a wrong count is reported on the call, a second
/// item that is no list on itself.
fn join(cx: &mut Cx<'_>, arg: &Value, path: &str) {
    let items = arg.as_array().map(Vec::as_slice).unwrap_or_default();
    if items.len() != 2 || !items[0].is_string() {
        bad_arg(cx, path, arg, expected("Fn::Join"));
    }
    if let Some(list) = items.get(1).filter(|l| !list_or_fn(l)) {
        let message = "is not a list, nor a function that gives one";
        let problem = cx.problem("E-intrinsic", None, format!("{path}[1]"), message);
        cx.push(problem.with_value(crate::problem::show(list)));
    }
}

/// `[index, list]`: a literal index within a literal list; a list that is
/// not a list or a function that can give one is reported on itself.
fn select(cx: &mut Cx<'_>, arg: &Value, path: &str) {
    let Some(items) = arg.as_array().filter(|a| a.len() == 2) else {
        return bad_arg(cx, path, arg, expected("Fn::Select"));
    };
    let (index, list) = (&items[0], &items[1]);
    let gives_string = matches!(
        intrinsic(list),
        Some(("Fn::Join" | "Fn::Sub" | "Fn::Base64", _))
    );
    if !list_or_fn(list) || gives_string {
        let message = "is not a list, nor a function that gives one";
        return cx.push(
            cx.problem("E-intrinsic", None, format!("{path}[1]"), message)
                .with_value(crate::problem::show(list)),
        );
    }
    let literal = match index {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => match s.trim().parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => return bad_arg(cx, path, arg, expected("Fn::Select")),
        },
        v if intrinsic(v).is_some() => None,
        _ => return bad_arg(cx, path, arg, expected("Fn::Select")),
    };
    if let (Some(i), Some(list)) = (literal, list.as_array())
        && (i as usize) >= list.len()
        && !list.iter().any(has_fn)
    {
        let message = format!("index {i} is out of a list of {}", list.len());
        cx.push(cx.problem("E-intrinsic", None, format!("{path}[0]"), message));
    }
}

fn has_fn(v: &Value) -> bool {
    intrinsic(v).is_some()
}

/// `[map, top key, second key]` (and `{DefaultValue}` with the language
/// extensions); literal names and keys must exist in `Mappings`.
fn find_in_map(cx: &mut Cx<'_>, doc: &Doc<'_>, arg: &Value, path: &str) {
    let items = match arg.as_array() {
        Some(items) if items.len() == 3 || (items.len() == 4 && doc.transforms.language) => items,
        _ => return bad_arg(cx, path, arg, "[map name, top-level key, second-level key]"),
    };
    if items[..3]
        .iter()
        .any(|k| !(k.is_string() || k.is_number() || intrinsic(k).is_some()))
    {
        return bad_arg(cx, path, arg, "[map name, top-level key, second-level key]");
    }
    if items.len() == 4 || doc.transforms.other {
        return;
    }
    let Some(map_name) = items[0].as_str() else {
        return;
    };
    let Some(mapping) = doc
        .mappings
        .and_then(|m| m.get(map_name))
        .and_then(Value::as_object)
    else {
        let problem = cx.problem(
            "E-findinmap",
            None,
            format!("{path}[0]"),
            "is not a mapping of this template",
        );
        return cx.push(problem.with_value(crate::problem::show_str(map_name)));
    };
    keys(cx, mapping, items, path);
}

fn keys(cx: &mut Cx<'_>, mapping: &Map<String, Value>, items: &[Value], path: &str) {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let second = text(&items[2]);
    let tops: Vec<&Map<String, Value>> = match text(&items[1]) {
        Some(top) => match mapping.get(&top).and_then(Value::as_object) {
            Some(entry) => vec![entry],
            None => {
                let problem = cx.problem(
                    "E-findinmap",
                    None,
                    format!("{path}[1]"),
                    "is not a top-level key of the mapping",
                );
                return cx.push(problem.with_value(crate::problem::show_str(&top)));
            }
        },
        None => mapping.values().filter_map(Value::as_object).collect(),
    };
    if let Some(second) = second
        && !tops.is_empty()
        && !tops.iter().any(|m| m.contains_key(&second))
    {
        let problem = cx.problem(
            "E-findinmap",
            None,
            format!("{path}[2]"),
            "is not a second-level key of the mapping",
        );
        cx.push(problem.with_value(crate::problem::show_str(&second)));
    }
}

/// A `${Name}` of a parameter, resource or pseudo parameter in a string that
/// is not an `Fn::Sub`: CloudFormation leaves it as it is.
fn sub_needed(cx: &mut Cx<'_>, doc: &Doc<'_>, text: &str, path: &str) {
    if !text.contains("${") || path.ends_with(".TemplateBody") {
        return;
    }
    for part in crate::json::parse_sub(text) {
        let crate::json::SubPart::Var(var) = part else {
            continue;
        };
        let valid = var
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.'));
        let target = var.split('.').next().unwrap_or(var);
        let known = (var.starts_with("AWS::") && crate::json::PSEUDO_PARAMETERS.contains(&var))
            || doc.is_parameter(var)
            || doc.resource(target).is_some();
        if valid && known && !substituted(doc, path, var) {
            let message =
                format!("uses ${{{var}}} outside Fn::Sub: CloudFormation will not substitute it");
            let problem = cx.problem("E-sub-needed", None, path, message);
            cx.push(problem.with_value(crate::problem::show_str(text)));
        }
    }
}

/// Step Functions' `DefinitionSubstitutions` fill `${var}` in a definition.
fn substituted(doc: &Doc<'_>, path: &str, var: &str) -> bool {
    let Some(rest) = path.strip_prefix("Resources.") else {
        return false;
    };
    let id = rest.split('.').next().unwrap_or("");
    doc.resource(id)
        .and_then(|r| r.property("DefinitionSubstitutions"))
        .and_then(|s| s.as_object())
        .is_some_and(|s| s.contains_key(var))
}

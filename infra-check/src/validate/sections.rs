//! The sections around `Resources`: the template's top level, Parameters,
//! Mappings, Outputs (their shape from cfn-lint's section schemas, checked
//! with the resource schema checker), parameter defaults against their own
//! constraints, Conditions, Rules, and the argument shape of every intrinsic
//! function with `Fn::FindInMap` keys.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::resources::push_finding;
use super::schema::{Checker, Finding, regex};
use super::{Cx, Doc};
use crate::problem::{show, show_str};

mod functions;

/// cfn-lint's section schemas (see `infra-check/schemas/README.md`).
struct SectionSchemas {
    template: Value,
    parameters: Value,
    mappings: Value,
    outputs: Value,
}

fn schemas() -> &'static SectionSchemas {
    static SCHEMAS: OnceLock<SectionSchemas> = OnceLock::new();
    let parse = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
    SCHEMAS.get_or_init(|| SectionSchemas {
        template: parse(include_str!("../../schemas/template.json")),
        parameters: parse(include_str!("../../schemas/parameters.json")),
        mappings: parse(include_str!("../../schemas/mappings.json")),
        outputs: parse(include_str!("../../schemas/outputs.json")),
    })
}

/// The top level, checked even when there is no `Resources` to read.
pub(super) fn check_top(cx: &mut Cx<'_>, template: &Value) {
    if template.is_object() {
        let mut top = template.clone();
        if let Some(map) = top.as_object_mut() {
            // `Doc::read` reports a missing `Resources` in its own words.
            map.entry("Resources").or_insert(Value::Null);
        }
        shape(cx, &schemas().template, &top, "");
    }
}

pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>, template: &Value) {
    let s = schemas();
    description(cx, template.get("Description"));
    if let Some(p) = template.get("Parameters") {
        shape_literal(cx, &s.parameters, p, "Parameters");
    }
    if let Some(m) = template.get("Mappings") {
        shape(cx, &s.mappings, m, "Mappings");
    }
    if let Some(Value::Object(outputs)) = template.get("Outputs") {
        let plain: Map<String, Value> = outputs
            .iter()
            .filter(|(k, _)| !k.starts_with("Fn::ForEach::"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        shape(cx, &s.outputs, &Value::Object(plain), "Outputs");
    }
    parameters(cx, doc);
    outputs(cx, doc);
    conditions(cx, doc);
    rules(cx, template.get("Rules"));
    functions::check(cx, doc, template);
}

fn shape(cx: &mut Cx<'_>, schema: &Value, v: &Value, path: &str) {
    report(cx, Checker::new(schema), schema, v, path);
}

/// [`shape`] for a section where no function is evaluated.
fn shape_literal(cx: &mut Cx<'_>, schema: &Value, v: &Value, path: &str) {
    report(cx, Checker::new(schema).literal(), schema, v, path);
}

fn report<'s>(cx: &mut Cx<'_>, mut checker: Checker<'s>, schema: &'s Value, v: &Value, path: &str) {
    checker.check(schema, v, &mut path.to_owned());
    // The quotas on entries per section have their home in `limits`.
    // Quotas and the form of names have their home in `limits`.
    let owned = |f: &Finding| {
        let entry = f
            .path
            .strip_prefix(path)
            .is_some_and(|r| r.matches('.').count() == 1);
        (f.rule == "E-max-properties" && f.path == path)
            || (f.rule == "E-unknown-property" && entry && matches!(path, "Parameters" | "Outputs"))
    };
    for f in checker.into_findings().into_iter().filter(|f| !owned(f)) {
        push_finding(cx, None, f);
    }
}

fn description(cx: &mut Cx<'_>, v: Option<&Value>) {
    match v {
        None => {}
        Some(Value::String(s)) if s.chars().count() <= 1024 => {}
        Some(Value::String(s)) => {
            let n = s.chars().count();
            let message = format!("is {n} characters long, longer than the maximum of 1024");
            cx.push(cx.problem("E-max-length", None, "Description", message));
        }
        Some(_) => cx.push(cx.problem("E-type", None, "Description", "is not of type string")),
    }
}

// ---- parameters ----

const PARAMETER_TYPES: &[&str] = &[
    "String",
    "Number",
    "List<Number>",
    "CommaDelimitedList",
    "AWS::EC2::AvailabilityZone::Name",
    "AWS::EC2::Image::Id",
    "AWS::EC2::Instance::Id",
    "AWS::EC2::KeyPair::KeyName",
    "AWS::EC2::SecurityGroup::GroupName",
    "AWS::EC2::SecurityGroup::Id",
    "AWS::EC2::Subnet::Id",
    "AWS::EC2::VPC::Id",
    "AWS::EC2::Volume::Id",
    "AWS::Route53::HostedZone::Id",
    "AWS::SSM::Parameter::Name",
];

fn parameters(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for (name, p) in doc.parameters.into_iter().flatten() {
        let Some(p) = p.as_object() else { continue };
        let path = format!("Parameters.{name}");
        if let Some(Value::String(t)) = p.get("Type")
            && !(PARAMETER_TYPES.contains(&t.as_str())
                || t.starts_with("List<")
                || t.starts_with("AWS::SSM::Parameter::Value<"))
        {
            let problem = cx.problem(
                "E-parameter-type",
                None,
                format!("{path}.Type"),
                "is not a parameter type",
            );
            cx.push(problem.with_value(show_str(t)).with_allowed(
                PARAMETER_TYPES.join(", ") + ", List<...>, AWS::SSM::Parameter::Value<...>",
            ));
        }
        if let Some(default) = p.get("Default") {
            default_fits(cx, p, default, &format!("{path}.Default"));
        }
    }
}

/// A parameter's `Default` within its `AllowedValues`, `AllowedPattern`,
/// lengths and values (each item of a list parameter).
fn default_fits(cx: &mut Cx<'_>, p: &Map<String, Value>, default: &Value, path: &str) {
    let list = p
        .get("Type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.contains("List<") || t.contains("CommaDelimitedList"));
    let text = match default {
        Value::String(s) => s.clone(),
        Value::Number(_) | Value::Bool(_) => default.to_string(),
        _ => return,
    };
    let Some(mut reason) = default_item(p, &text) else {
        return;
    };
    if list {
        match text
            .split(',')
            .find_map(|item| default_item(p, item.trim()))
        {
            Some(r) => reason = r,
            None => return,
        }
    }
    let problem = cx.problem("E-parameter-default", None, path, reason);
    cx.push(problem.with_value(show(default)));
}

fn default_item(p: &Map<String, Value>, item: &str) -> Option<String> {
    if let Some(Value::Array(allowed)) = p.get("AllowedValues") {
        let texts: Vec<String> = allowed
            .iter()
            .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_owned))
            .collect();
        if !texts.iter().any(|a| a == item) {
            return Some(format!(
                "is not one of AllowedValues ({})",
                texts.join(", ")
            ));
        }
    }
    if let Some(Value::String(pattern)) = p.get("AllowedPattern")
        && let Some(r) = regex(&format!("^(?:{pattern})$"))
        && r.find(item).is_none()
    {
        return Some(format!("does not match AllowedPattern {pattern}"));
    }
    let n = item.chars().count() as f64;
    let bound = |k: &str| crate::json::as_number(p.get(k)?);
    if bound("MinLength").is_some_and(|m| n < m) || bound("MaxLength").is_some_and(|m| n > m) {
        return Some("is outside MinLength..MaxLength".to_owned());
    }
    if let Ok(x) = item.trim().parse::<f64>()
        && (bound("MinValue").is_some_and(|m| x < m) || bound("MaxValue").is_some_and(|m| x > m))
    {
        return Some("is outside MinValue..MaxValue".to_owned());
    }
    None
}

// ---- outputs ----

/// An output's `Value` and `Export.Name` are strings (or functions giving one).
fn outputs(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for (name, output) in doc.outputs.into_iter().flatten() {
        let Some(output) = output
            .as_object()
            .filter(|_| !name.starts_with("Fn::ForEach::"))
        else {
            continue;
        };
        let value = output
            .get("Value")
            .map(|v| (v, format!("Outputs.{name}.Value")));
        let export = output.get("Export").and_then(|e| e.get("Name"));
        let export = export.map(|v| (v, format!("Outputs.{name}.Export.Name")));
        for (v, path) in value.into_iter().chain(export) {
            if (v.is_object() && crate::json::intrinsic(v).is_none()) || v.is_array() || v.is_null()
            {
                let problem = cx.problem(
                    "E-type",
                    None,
                    path,
                    "is not a string, nor a function that gives one",
                );
                cx.push(problem.with_value(show(v)));
            }
        }
    }
}

// ---- conditions ----

/// Every condition is a condition function: `Fn::Equals`, `Fn::And`,
/// `Fn::Or`, `Fn::Not`, or `{"Condition": name}`.
fn conditions(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for (name, body) in doc.conditions.into_iter().flatten() {
        if name.starts_with("Fn::ForEach::") {
            continue;
        }
        condition_name(cx, name);
        condition(cx, doc, body, &format!("Conditions.{name}"));
    }
    condition_cycles(cx, doc);
}

/// Condition names are looser than logical IDs: cfn-lint's pattern for the
/// Conditions section (E8001) also allows `&` and `_`, as the derive does.
fn condition_name(cx: &mut Cx<'_>, name: &str) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '&' | '_');
    if !(1..=255).contains(&name.len()) || !name.chars().all(allowed) {
        let path = format!("Conditions.{name}");
        let problem = cx.problem(
            "E-condition-name",
            None,
            path,
            "is not a valid condition name",
        );
        let allowed_text = "1 to 255 ASCII letters, digits, `&` and `_`";
        cx.push(
            problem
                .with_value(show_str(name))
                .with_allowed(allowed_text),
        );
    }
}

/// Conditions that use themselves through `{"Condition": name}`.
fn condition_cycles(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    let Some(conditions) = doc.conditions else {
        return;
    };
    let uses = |name: &str| {
        let mut refs = crate::json::Refs::default();
        if let Some(body) = conditions.get(name) {
            refs.collect(body, &mut String::new(), true);
        }
        let used = refs
            .refs
            .into_iter()
            .filter(|r| r.kind == crate::json::RefKind::Condition);
        used.map(|r| r.target).collect::<Vec<_>>()
    };
    for name in conditions.keys() {
        // A walk from `name` that comes back to it; bounded by the count.
        let mut seen = std::collections::BTreeSet::new();
        let mut next = uses(name);
        while let Some(n) = next.pop() {
            if n == *name {
                let message = "uses itself through its Condition references";
                cx.push(cx.problem(
                    "E-condition-cycle",
                    None,
                    format!("Conditions.{name}"),
                    message,
                ));
                break;
            }
            if seen.insert(n.clone()) {
                next.extend(uses(&n));
            }
        }
    }
}

fn condition(cx: &mut Cx<'_>, doc: &Doc<'_>, v: &Value, path: &str) {
    let Some((name, arg)) = v
        .as_object()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.iter().next())
    else {
        let problem = cx.problem(
            "E-condition-function",
            None,
            path,
            "is not a condition function",
        );
        return cx.push(
            problem
                .with_value(show(v))
                .with_allowed("Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition"),
        );
    };
    let path = format!("{path}.{name}");
    match (name.as_str(), arg) {
        ("Fn::Equals", Value::Array(items)) if items.len() == 2 => {
            for (i, item) in items.iter().enumerate() {
                equals_operand(cx, doc, item, &format!("{path}[{i}]"));
            }
        }
        ("Fn::Not", Value::Array(items)) if items.len() == 1 => {
            condition(cx, doc, &items[0], &format!("{path}[0]"))
        }
        ("Fn::And" | "Fn::Or", Value::Array(items)) if (2..=10).contains(&items.len()) => {
            for (i, item) in items.iter().enumerate() {
                condition(cx, doc, item, &format!("{path}[{i}]"));
            }
        }
        ("Condition", Value::String(_)) => {}
        ("Fn::Equals", _) => bad_arg(cx, &path, arg, "a list of two values"),
        ("Fn::Not", _) => bad_arg(cx, &path, arg, "a list of one condition"),
        ("Fn::And" | "Fn::Or", _) => bad_arg(cx, &path, arg, "a list of 2 to 10 conditions"),
        ("Condition", _) => bad_arg(cx, &path, arg, "a condition name"),
        _ => {
            let problem = cx.problem(
                "E-condition-function",
                None,
                path,
                "is not a condition function",
            );
            cx.push(problem.with_allowed("Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition"));
        }
    }
}

/// The functions `Fn::Equals` may compare the result of.
const EQUALS_FUNCTIONS: &[&str] = &[
    "Ref",
    "Fn::FindInMap",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::Length",
    "Fn::ToJsonString",
];

/// An operand of `Fn::Equals`: a string, number or boolean, or one of
/// [`EQUALS_FUNCTIONS`].
/// A `Ref` to a list parameter gives a list, which `Fn::Equals` cannot compare.
fn equals_operand(cx: &mut Cx<'_>, doc: &Doc<'_>, v: &Value, path: &str) {
    let list_param = |p: &str| {
        let t = doc
            .parameters
            .and_then(|ps| ps.get(p))
            .and_then(|p| p.get("Type"));
        t.and_then(Value::as_str)
            .is_some_and(|t| t.contains("List"))
    };
    let ok = match crate::json::intrinsic(v) {
        Some(("Ref", Value::String(p))) => !list_param(p),
        Some((f, _)) => EQUALS_FUNCTIONS.contains(&f),
        None => matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)),
    };
    if !ok {
        let message = "is not a value Fn::Equals can compare";
        let allowed = format!(
            "a string, number, boolean or {}",
            EQUALS_FUNCTIONS.join(", ")
        );
        cx.push(
            cx.problem("E-intrinsic", None, path, message)
                .with_value(show(v))
                .with_allowed(allowed),
        );
    }
}

pub(super) fn bad_arg(cx: &mut Cx<'_>, path: &str, arg: &Value, expected: &str) {
    let function = path.rsplit('.').next().unwrap_or(path);
    let function = if function.starts_with("Fn::") || function == "Ref" || function == "Condition" {
        function.to_owned()
    } else {
        path.rsplit_once(".Fn::")
            .map_or(function.to_owned(), |(_, f)| format!("Fn::{f}"))
    };
    let message = format!("is not a valid {function} argument: {function} takes {expected}");
    cx.push(
        cx.problem("E-intrinsic", None, path, message)
            .with_value(show(arg)),
    );
}

// ---- rules ----

fn rules(cx: &mut Cx<'_>, v: Option<&Value>) {
    let Some(Value::Object(rules)) = v else {
        return;
    };
    for (name, rule) in rules {
        let path = format!("Rules.{name}");
        let Some(rule) = rule.as_object() else {
            cx.push(cx.problem("E-rules", None, path, "a rule must be an object"));
            continue;
        };
        for key in rule
            .keys()
            .filter(|k| !matches!(k.as_str(), "RuleCondition" | "Assertions"))
        {
            let problem = cx.problem(
                "E-rules",
                None,
                format!("{path}.{key}"),
                "is not a rule key",
            );
            cx.push(problem.with_allowed("RuleCondition, Assertions"));
        }
        match rule.get("Assertions") {
            Some(Value::Array(items)) => assertions(cx, items, &path),
            Some(_) => cx.push(cx.problem(
                "E-rules",
                None,
                format!("{path}.Assertions"),
                "must be a list",
            )),
            None => cx.push(cx.problem(
                "E-rules",
                None,
                path,
                "is missing required property Assertions",
            )),
        }
    }
}

fn assertions(cx: &mut Cx<'_>, items: &[Value], path: &str) {
    for (i, item) in items.iter().enumerate() {
        let path = format!("{path}.Assertions[{i}]");
        match item.as_object() {
            Some(a) if a.contains_key("Assert") => {
                for key in a
                    .keys()
                    .filter(|k| !matches!(k.as_str(), "Assert" | "AssertDescription"))
                {
                    let problem = cx.problem(
                        "E-rules",
                        None,
                        format!("{path}.{key}"),
                        "is not an assertion key",
                    );
                    cx.push(problem.with_allowed("Assert, AssertDescription"));
                }
            }
            _ => cx.push(cx.problem("E-rules", None, path, "an assertion needs Assert")),
        }
    }
}

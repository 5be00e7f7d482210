//! Literal property values against the registry's schema constraints.

use infra_model::{Constraint, Rule};
use serde_json::Value;

use super::{Cx, Doc, Res};
use crate::json::{as_number, intrinsic, path_segments, push_index, push_key};
use crate::problem::show;

/// Every constraint of every resource whose type the registry knows.
pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for res in &doc.resources {
        let (Some(meta), Some(props)) = (res.meta, res.entry.get("Properties")) else {
            continue;
        };
        for constraint in meta.constraints {
            let segments = path_segments(constraint.path);
            let mut path = format!("Resources.{}.Properties", res.id);
            let mut visit = |cx: &mut Cx<'_>, v: &Value, path: &str| {
                check_one(cx, res, constraint, v, path);
            };
            walk(cx, props, &segments, &mut path, &mut visit);
        }
    }
}

type Visit<'a> = dyn FnMut(&mut Cx<'_>, &Value, &str) + 'a;

/// Calls `visit` on every literal value at `segments` below `v`.
fn walk(cx: &mut Cx<'_>, v: &Value, segments: &[&str], path: &mut String, visit: &mut Visit<'_>) {
    if intrinsic(v).is_some() {
        return;
    }
    let Some((first, rest)) = segments.split_first() else {
        return visit(cx, v, path);
    };
    let len = path.len();
    match (v, *first) {
        (Value::Array(items), "*") => {
            for (i, item) in items.iter().enumerate() {
                push_index(path, i);
                walk(cx, item, rest, path, visit);
                path.truncate(len);
            }
        }
        (Value::Object(map), "*") => {
            for (key, item) in map {
                push_key(path, key);
                walk(cx, item, rest, path, visit);
                path.truncate(len);
            }
        }
        (Value::Object(map), key) => {
            if let Some(item) = map.get(key) {
                push_key(path, key);
                walk(cx, item, rest, path, visit);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// One rule on one literal value.
fn check_one(cx: &mut Cx<'_>, res: &Res<'_>, constraint: &Constraint, v: &Value, path: &str) {
    let failure = match &constraint.rule {
        Rule::Enum(allowed) => check_enum(v, allowed),
        Rule::Pattern(pattern) => check_pattern(cx, v, pattern),
        Rule::MinLength(min) => length(v).filter(|n| n < min).map(|n| {
            let message = format!("is {n} characters long, shorter than the minimum of {min}");
            Failure::new("E-min-length", message)
        }),
        Rule::MaxLength(max) => length(v).filter(|n| n > max).map(|n| {
            let message = format!("is {n} characters long, longer than the maximum of {max}");
            Failure::new("E-max-length", message)
        }),
        Rule::Minimum(min) => as_number(v).filter(|n| n < min).map(|_| {
            Failure::new(
                "E-minimum",
                format!("is less than the minimum of {}", num(*min)),
            )
        }),
        Rule::Maximum(max) => as_number(v).filter(|n| n > max).map(|_| {
            Failure::new(
                "E-maximum",
                format!("is greater than the maximum of {}", num(*max)),
            )
        }),
        Rule::MinItems(min) => items(v).filter(|n| n < min).map(|n| {
            let message = format!("has {n} items, fewer than the minimum of {min}");
            Failure::new("E-min-items", message).without_value()
        }),
        Rule::MaxItems(max) => items(v).filter(|n| n > max).map(|n| {
            let message = format!("has {n} items, more than the maximum of {max}");
            Failure::new("E-max-items", message).without_value()
        }),
    };
    if let Some(f) = failure {
        let mut problem = cx.problem(f.rule, Some(res.id), path, f.message);
        problem.value = f.show_value.then(|| show(v));
        problem.allowed = f.allowed;
        cx.push(problem);
    }
}

/// Why a value fails a rule.
struct Failure {
    rule: &'static str,
    message: String,
    allowed: Option<String>,
    show_value: bool,
}

impl Failure {
    fn new(rule: &'static str, message: String) -> Self {
        Failure {
            rule,
            message,
            allowed: None,
            show_value: true,
        }
    }

    fn without_value(mut self) -> Self {
        self.show_value = false;
        self
    }
}

fn check_enum(v: &Value, allowed: &[&str]) -> Option<Failure> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(_) | Value::Bool(_) => v.to_string(),
        _ => return None,
    };
    if allowed.contains(&text.as_str()) {
        return None;
    }
    let mut failure = Failure::new("E-enum", "is not one of the allowed values".to_owned());
    failure.allowed = Some(allowed.join(", "));
    Some(failure)
}

fn check_pattern(cx: &mut Cx<'_>, v: &Value, pattern: &'static str) -> Option<Failure> {
    let text = v.as_str()?;
    let regex = cx.regex(pattern)?;
    regex
        .find(text)
        .is_none()
        .then(|| Failure::new("E-pattern", format!("does not match pattern {pattern}")))
}

/// The length in characters (as JSON Schema counts) of a string.
fn length(v: &Value) -> Option<u64> {
    v.as_str().map(|s| s.chars().count() as u64)
}

fn items(v: &Value) -> Option<u64> {
    v.as_array().map(|a| a.len() as u64)
}

/// `3` rather than `3.0` for whole numbers.
fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

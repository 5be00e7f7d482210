//! Property values compared as CloudFormation sees them: unordered arrays as
//! multisets, intrinsic functions as single values.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::json::{intrinsic, path_segments, same_scalar};

/// One step of a path below `Properties`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

/// A difference: where, the old value and the new value (`None` when absent).
pub(super) type Diff = (Vec<Seg>, Option<Value>, Option<Value>);

/// The segments of a registry path (`/properties/A/*/B` or `A/*/B`).
pub(super) fn pattern(path: &str) -> Vec<&str> {
    path_segments(path)
}

/// `A.B[0].C`.
pub(super) fn render_path(segs: &[Seg]) -> String {
    let mut out = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => crate::json::push_key(&mut out, k),
            Seg::Index(i) => crate::json::push_index(&mut out, *i),
        }
    }
    out
}

/// Whether `segs` is at, above or below one of the registry `paths`.
pub(super) fn matches_any(paths: &[&str], segs: &[Seg]) -> bool {
    paths.iter().any(|p| {
        pattern(p).iter().zip(segs).all(|(pat, seg)| match seg {
            _ if *pat == "*" => true,
            Seg::Key(k) => k == pat,
            Seg::Index(_) => false,
        })
    })
}

/// Whether `segs` is exactly one of the patterns.
fn matches_exactly(patterns: &[Vec<&str>], segs: &[Seg]) -> bool {
    patterns.iter().any(|pat| {
        pat.len() == segs.len()
            && pat.iter().zip(segs).all(|(p, seg)| match seg {
                _ if *p == "*" => true,
                Seg::Key(k) => k == p,
                Seg::Index(_) => false,
            })
    })
}

/// A copy of `v` with the arrays at `unordered` paths sorted, so that equal
/// multisets compare equal.
pub(super) fn normalize(v: &Value, unordered: &[&str]) -> Value {
    let patterns: Vec<Vec<&str>> = unordered.iter().map(|p| pattern(p)).collect();
    if patterns.is_empty() {
        return v.clone();
    }
    normalize_at(v, &patterns, &mut Vec::new())
}

fn normalize_at(v: &Value, patterns: &[Vec<&str>], path: &mut Vec<Seg>) -> Value {
    if intrinsic(v).is_some() {
        return v.clone();
    }
    match v {
        Value::Array(items) => {
            let mut out: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    path.push(Seg::Index(i));
                    let item = normalize_at(item, patterns, path);
                    path.pop();
                    item
                })
                .collect();
            if matches_exactly(patterns, path) {
                out.sort_by(canonical_cmp);
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let out: Map<String, Value> = map
                .iter()
                .map(|(k, item)| {
                    path.push(Seg::Key(k.clone()));
                    let item = normalize_at(item, patterns, path);
                    path.pop();
                    (k.clone(), item)
                })
                .collect();
            Value::Object(out)
        }
        _ => v.clone(),
    }
}

/// A total order on JSON values that does not depend on map key order.
fn canonical_cmp(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Array(_) => 4,
            Value::Object(_) => 5,
        }
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => x.to_string().cmp(&y.to_string()),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Array(x), Value::Array(y)) => {
            let mut by_items = x.iter().zip(y).map(|(p, q)| canonical_cmp(p, q));
            by_items
                .find(|o| o.is_ne())
                .unwrap_or_else(|| x.len().cmp(&y.len()))
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut xs: Vec<_> = x.iter().collect();
            let mut ys: Vec<_> = y.iter().collect();
            xs.sort_by(|p, q| p.0.cmp(q.0));
            ys.sort_by(|p, q| p.0.cmp(q.0));
            let mut by_entries = xs
                .iter()
                .zip(&ys)
                .map(|(p, q)| p.0.cmp(q.0).then_with(|| canonical_cmp(p.1, q.1)));
            by_entries
                .find(|o| o.is_ne())
                .unwrap_or_else(|| xs.len().cmp(&ys.len()))
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

/// The differences between `old` and `new`, as deep as both are objects or
/// arrays of one length; intrinsic functions and other values are leaves.
pub(super) fn compare(old: &Value, new: &Value, path: &mut Vec<Seg>, out: &mut Vec<Diff>) {
    if same_scalar(old, new) {
        return;
    }
    let leaves = intrinsic(old).is_some() || intrinsic(new).is_some();
    match (old, new) {
        (Value::Object(a), Value::Object(b)) if !leaves => {
            for (k, v) in a {
                path.push(Seg::Key(k.clone()));
                match b.get(k) {
                    Some(w) => compare(v, w, path, out),
                    None => out.push((path.clone(), Some(v.clone()), None)),
                }
                path.pop();
            }
            for (k, w) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                path.push(Seg::Key(k.clone()));
                out.push((path.clone(), None, Some(w.clone())));
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                path.push(Seg::Index(i));
                compare(v, w, path, out);
                path.pop();
            }
        }
        _ => out.push((path.clone(), Some(old.clone()), Some(new.clone()))),
    }
}

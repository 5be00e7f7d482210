//! Helpers over template JSON: intrinsic functions, `Fn::Sub` strings, the
//! references a value makes, and property paths with `*`.

use std::collections::BTreeSet;

use serde_json::Value;

/// The pseudo parameters `Ref` accepts.
pub(crate) const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// `Some((name, argument))` when `v` is an intrinsic function call:
/// an object with the single key `Ref` or `Fn::...`.
pub(crate) fn intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let map = v.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let (key, arg) = map.iter().next()?;
    (key == "Ref" || key.starts_with("Fn::")).then_some((key.as_str(), arg))
}

/// One piece of an `Fn::Sub` string.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SubPart<'a> {
    /// Text as it will appear (`${!x}` already turned into `${x}`).
    Lit(String),
    /// The name inside `${...}`, trimmed.
    Var(&'a str),
}

/// Splits an `Fn::Sub` string into literal text and `${...}` variables.
pub(crate) fn parse_sub(s: &str) -> Vec<SubPart<'_>> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        lit.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            lit.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let name = &after[..end];
        if let Some(escaped) = name.strip_prefix('!') {
            lit.push_str("${");
            lit.push_str(escaped);
            lit.push('}');
        } else {
            if !lit.is_empty() {
                parts.push(SubPart::Lit(std::mem::take(&mut lit)));
            }
            parts.push(SubPart::Var(name.trim()));
        }
        rest = &after[end + 1..];
    }
    lit.push_str(rest);
    if !lit.is_empty() {
        parts.push(SubPart::Lit(lit));
    }
    parts
}

/// The template string and the variable map of an `Fn::Sub` argument.
pub(crate) fn sub_arg(arg: &Value) -> Option<(&str, Option<&serde_json::Map<String, Value>>)> {
    match arg {
        Value::String(s) => Some((s, None)),
        Value::Array(items) => match items.as_slice() {
            [Value::String(s)] => Some((s, None)),
            [Value::String(s), Value::Object(vars)] => Some((s, Some(vars))),
            _ => None,
        },
        _ => None,
    }
}

/// `(logical ID, attribute)` of an `Fn::GetAtt` argument; the attribute is
/// `None` when it is itself an intrinsic.
pub(crate) fn get_att_arg(arg: &Value) -> Option<(&str, Option<&str>)> {
    match arg {
        Value::String(s) => s.split_once('.').map(|(id, attr)| (id, Some(attr))),
        Value::Array(items) => match items.as_slice() {
            [Value::String(id), Value::String(attr)] => Some((id, Some(attr))),
            [Value::String(id), other] if intrinsic(other).is_some() => Some((id, None)),
            _ => None,
        },
        _ => None,
    }
}

/// What a reference is made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RefKind {
    Ref,
    GetAtt,
    /// `${X}` or `${X.Attr}` in `Fn::Sub`.
    Sub,
    /// The condition name of `Fn::If`, or `{"Condition": X}` in `Conditions`.
    Condition,
}

/// One reference found in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reference {
    pub kind: RefKind,
    /// Logical ID, parameter, pseudo parameter or condition name.
    pub target: String,
    /// The GetAtt attribute, when there is one.
    pub attribute: Option<String>,
    /// Where the intrinsic sits, ending in the function name.
    pub path: String,
    /// The offending text, for messages.
    pub shown: String,
}

/// A malformed intrinsic function found while walking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Malformed {
    pub path: String,
    pub function: &'static str,
    pub value: String,
}

/// The references and malformed intrinsics below one value.
#[derive(Debug, Default)]
pub(crate) struct Refs {
    pub refs: Vec<Reference>,
    pub malformed: Vec<Malformed>,
}

impl Refs {
    /// Walks `v`, whose path is `path`. `conditions` also reads `{"Condition": X}`.
    pub(crate) fn collect(&mut self, v: &Value, path: &mut String, conditions: bool) {
        if let (true, Some(Value::String(name))) = (conditions, single(v, "Condition")) {
            self.push(RefKind::Condition, name, None, path, "Condition", name);
            return;
        }
        if let Some((name, arg)) = intrinsic(v) {
            let len = path.len();
            push_key(path, name);
            self.intrinsic(name, arg, path, conditions);
            path.truncate(len);
            return;
        }
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    push_index(path, i);
                    self.collect(item, path, conditions);
                    path.truncate(len);
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    let len = path.len();
                    push_key(path, key);
                    self.collect(item, path, conditions);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// One intrinsic function call; `path` already ends in its name.
    fn intrinsic(&mut self, name: &str, arg: &Value, path: &mut String, conditions: bool) {
        match name {
            "Ref" => match arg {
                Value::String(target) => self.push(RefKind::Ref, target, None, path, "", target),
                _ => self.malformed(path, "Ref", arg),
            },
            "Fn::GetAtt" => self.get_att(arg, path, conditions),
            "Fn::Sub" => self.sub(arg, path, conditions),
            "Fn::If" => self.fn_if(arg, path, conditions),
            _ => self.collect(arg, path, conditions),
        }
    }

    fn get_att(&mut self, arg: &Value, path: &mut String, conditions: bool) {
        match get_att_arg(arg) {
            Some((id, attr)) => {
                let shown = match attr {
                    Some(attr) => format!("{id}.{attr}"),
                    None => id.to_owned(),
                };
                self.push(RefKind::GetAtt, id, attr, path, "", &shown);
                if let Value::Array(items) = arg {
                    self.collect_tail(items, 1, path, conditions);
                }
            }
            None => self.malformed(path, "Fn::GetAtt", arg),
        }
    }

    fn sub(&mut self, arg: &Value, path: &mut String, conditions: bool) {
        let Some((text, vars)) = sub_arg(arg) else {
            return self.malformed(path, "Fn::Sub", arg);
        };
        for part in parse_sub(text) {
            let SubPart::Var(var) = part else { continue };
            if vars.is_some_and(|m| m.contains_key(var)) {
                continue;
            }
            let shown = format!("${{{var}}}");
            match var.split_once('.') {
                Some((id, attr)) if !var.starts_with("AWS::") => {
                    self.push(RefKind::Sub, id, Some(attr), path, "", &shown);
                }
                _ => self.push(RefKind::Sub, var, None, path, "", &shown),
            }
        }
        if let Value::Array(items) = arg {
            self.collect_tail(items, 1, path, conditions);
        }
    }

    fn fn_if(&mut self, arg: &Value, path: &mut String, conditions: bool) {
        match arg.as_array().map(Vec::as_slice) {
            Some([Value::String(cond), _, _]) => {
                self.push(RefKind::Condition, cond, None, path, "", cond);
                if let Value::Array(items) = arg {
                    self.collect_tail(items, 1, path, conditions);
                }
            }
            _ => self.malformed(path, "Fn::If", arg),
        }
    }

    /// Walks `items[from..]` with their indices in the path.
    fn collect_tail(&mut self, items: &[Value], from: usize, path: &mut String, conditions: bool) {
        for (i, item) in items.iter().enumerate().skip(from) {
            let len = path.len();
            push_index(path, i);
            self.collect(item, path, conditions);
            path.truncate(len);
        }
    }

    fn push(
        &mut self,
        kind: RefKind,
        target: &str,
        attribute: Option<&str>,
        path: &str,
        suffix: &str,
        shown: &str,
    ) {
        let mut path = path.to_owned();
        if !suffix.is_empty() {
            push_key(&mut path, suffix);
        }
        self.refs.push(Reference {
            kind,
            target: target.to_owned(),
            attribute: attribute.map(str::to_owned),
            path,
            shown: shown.to_owned(),
        });
    }

    fn malformed(&mut self, path: &str, function: &'static str, arg: &Value) {
        self.malformed.push(Malformed {
            path: path.to_owned(),
            function,
            value: crate::problem::show(arg),
        });
    }
}

/// The value of the only key of `v` when that key is `key`.
fn single<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let map = v.as_object()?;
    if map.len() == 1 { map.get(key) } else { None }
}

/// Appends `.key` (or `key` at the start) to a dotted path.
pub(crate) fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Appends `[i]` to a dotted path.
pub(crate) fn push_index(path: &mut String, i: usize) {
    use std::fmt::Write;
    let _ = write!(path, "[{i}]");
}

/// The segments of a registry property path: `KeySchema/*/AttributeName` or
/// a JSON pointer `/properties/KeySchema`.
pub(crate) fn path_segments(path: &str) -> Vec<&str> {
    let path = path.strip_prefix("/properties/").unwrap_or(path);
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The number `v` holds, also from a numeric string (CloudFormation accepts both).
pub(crate) fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `true` when a literal is `true` or `"true"`; `None` for intrinsics and absence.
pub(crate) fn as_bool(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// The logical IDs a `DependsOn` names, as a set (order and repeats do not
/// matter); `None` for a malformed one (`{"a": 1}`, `[5]`), which is then
/// compared as it is rather than read as "depends on nothing".
pub(crate) fn depends_on_set(v: Option<&Value>) -> Option<BTreeSet<&str>> {
    match v {
        None => Some(BTreeSet::new()),
        Some(Value::String(s)) => Some(BTreeSet::from([s.as_str()])),
        Some(Value::Array(items)) => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Equal scalars, with CloudFormation's coercions between a number or a
/// boolean and its text (`"5"` and `5`, `"true"` and `true`): a template
/// that changes one into the other changes nothing deployed.
pub(crate) fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        _ if a == b => true,
        (Value::Number(_), Value::Number(_) | Value::String(_))
        | (Value::String(_), Value::Number(_)) => {
            as_number(a).is_some_and(|n| as_number(b) == Some(n))
        }
        (Value::Bool(_), Value::Bool(_) | Value::String(_))
        | (Value::String(_), Value::Bool(_)) => {
            as_bool(Some(a)).is_some_and(|x| as_bool(Some(b)) == Some(x))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sub_strings() {
        assert_eq!(
            parse_sub("a-${AWS::StackName}-${!Lit}-${ B.Arn }"),
            vec![
                SubPart::Lit("a-".into()),
                SubPart::Var("AWS::StackName"),
                SubPart::Lit("-${Lit}-".into()),
                SubPart::Var("B.Arn"),
            ]
        );
        assert_eq!(parse_sub("x${open"), vec![SubPart::Lit("x${open".into())]);
    }
}

//! Strings compared by what they resolve to: a literal, `Fn::Join` and `Fn::Sub`
//! that build the same text are one value. Parts that only resolve at deploy
//! time (`Ref`, `Fn::GetAtt`, pseudo parameters) stay symbolic as `${X}`, so
//! `{"Fn::Join": ["-", [{"Ref": "AWS::Region"}, "t"]]}` and
//! `{"Fn::Sub": "${AWS::Region}-t"}` compare equal. `AWS::StackName` is known
//! when the diff is given the stack name, and `Fn::FindInMap` with literal
//! keys is looked up in the template's own `Mappings`, so that a changed
//! mapping shows as a change of the properties that read it.

use serde_json::{Map, Value, json};

use crate::json::{SubPart, get_att_arg, intrinsic, parse_sub, sub_arg};

/// What a template's values resolve against.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Scope<'a> {
    /// The stack name, when known.
    pub stack: Option<&'a str>,
    /// The template's `Mappings`.
    pub mappings: Option<&'a Map<String, Value>>,
}

impl<'a> Scope<'a> {
    pub(crate) fn of(stack: Option<&'a str>, template: Option<&'a Value>) -> Self {
        let mappings = template
            .and_then(|t| t.get("Mappings"))
            .and_then(Value::as_object);
        Scope { stack, mappings }
    }
}

/// `v` with every string-building intrinsic rewritten to one canonical form:
/// a plain string when fully known, else `Ref`, `Fn::GetAtt` or `Fn::Sub`.
pub(crate) fn canonical(v: &Value, scope: Scope<'_>) -> Value {
    if let Some(found) = find_in_map(v, scope) {
        return canonical(found, scope);
    }
    if let Some(text) = sub_text(v, scope).filter(|_| intrinsic(v).is_some()) {
        return from_sub_text(&text);
    }
    match v {
        Value::Array(items) => Value::Array(items.iter().map(|i| canonical(i, scope)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, item)| (k.clone(), canonical(item, scope)))
                .collect::<Map<String, Value>>(),
        ),
        _ => v.clone(),
    }
}

/// The value an `Fn::FindInMap` with literal keys finds in the mappings;
/// `None` for anything else (a key that is a parameter, a missing entry:
/// a `DefaultValue` is compared as written).
fn find_in_map<'a>(v: &Value, scope: Scope<'a>) -> Option<&'a Value> {
    let ("Fn::FindInMap", Value::Array(arg)) = intrinsic(v)? else {
        return None;
    };
    let key = |k: &Value| match from_sub_text(&sub_text(k, scope)?) {
        Value::String(s) => Some(s),
        _ => None,
    };
    let (map, top, second) = match arg.as_slice() {
        [m, t, s] | [m, t, s, _] => (key(m)?, key(t)?, key(s)?),
        _ => return None,
    };
    scope.mappings?.get(&map)?.get(&top)?.get(&second)
}

/// `${name}`, or the stack name for `AWS::StackName` when known.
fn variable(name: &str, stack: Option<&str>) -> String {
    match stack {
        Some(stack) if name == "AWS::StackName" => escape(stack),
        _ => format!("${{{name}}}"),
    }
}

/// `v` as the text of an `Fn::Sub` (literal `${` escaped as `${!`), or `None`
/// when `v` is not built from strings, `Ref`, `Fn::GetAtt`, `Fn::Sub` and `Fn::Join`.
fn sub_text(v: &Value, scope: Scope<'_>) -> Option<String> {
    if let Value::String(s) = v {
        return Some(escape(s));
    }
    if let Some(found) = find_in_map(v, scope) {
        return sub_text(found, scope);
    }
    let stack = scope.stack;
    match intrinsic(v)? {
        ("Ref", Value::String(name)) => Some(variable(name, stack)),
        ("Fn::GetAtt", arg) => match get_att_arg(arg)? {
            (id, Some(attr)) => Some(format!("${{{id}.{attr}}}")),
            (_, None) => None,
        },
        ("Fn::Sub", arg) => {
            let (text, vars) = sub_arg(arg)?;
            parse_sub(text)
                .into_iter()
                .map(|part| match part {
                    SubPart::Lit(s) => Some(escape(&s)),
                    SubPart::Var(name) => match vars.and_then(|m| m.get(name)) {
                        Some(bound) => sub_text(bound, scope),
                        None => Some(variable(name, stack)),
                    },
                })
                .collect()
        }
        ("Fn::Join", Value::Array(arg)) => match arg.as_slice() {
            [Value::String(sep), Value::Array(items)] => {
                let parts: Option<Vec<String>> = items.iter().map(|i| sub_text(i, scope)).collect();
                Some(parts?.join(&escape(sep)))
            }
            _ => None,
        },
        _ => None,
    }
}

/// A literal as `Fn::Sub` text: `${` would start a variable, so it becomes `${!`.
fn escape(s: &str) -> String {
    s.replace("${", "${!")
}

/// The simplest value that `Fn::Sub` of `text` equals.
fn from_sub_text(text: &str) -> Value {
    let parts = parse_sub(text);
    match parts.as_slice() {
        [] => Value::String(String::new()),
        [SubPart::Lit(s)] => Value::String(s.clone()),
        [SubPart::Var(name)] => match name.split_once('.') {
            Some((id, attr)) => json!({"Fn::GetAtt": [id, attr]}),
            None => json!({"Ref": name}),
        },
        _ => json!({"Fn::Sub": text}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(v: &Value) -> Value {
        super::canonical(v, Scope::default())
    }

    fn in_stack(v: &Value, stack: &str) -> Value {
        let scope = Scope {
            stack: Some(stack),
            mappings: None,
        };
        super::canonical(v, scope)
    }

    #[test]
    fn find_in_map_with_literal_keys_reads_the_mappings() {
        let template = json!({"Mappings": {"Names": {"prod": {"table": "infra-prod-t"}}}});
        let scope = Scope::of(Some("infra-prod"), Some(&template));
        let v = json!({"Fn::FindInMap": ["Names", "prod", "table"]});
        assert_eq!(super::canonical(&v, scope), json!("infra-prod-t"));
        let joined = json!({"Fn::Join": ["-", [v.clone(), "x"]]});
        assert_eq!(super::canonical(&joined, scope), json!("infra-prod-t-x"));
        let missing = json!({"Fn::FindInMap": ["Names", "dev", "table"]});
        assert_eq!(super::canonical(&missing, scope), missing);
        let by_ref = json!({"Fn::FindInMap": ["Names", {"Ref": "Stage"}, "table"]});
        assert_eq!(super::canonical(&by_ref, scope), by_ref);
    }

    #[test]
    fn the_stack_name_resolves_when_known() {
        let sub = json!({"Fn::Sub": "${AWS::StackName}-invites"});
        assert_eq!(in_stack(&sub, "infra-prod"), json!("infra-prod-invites"));
        assert_eq!(canonical(&sub), sub);
    }

    #[test]
    fn join_sub_and_literal_of_one_name_are_equal() {
        let literal = json!("infra-prod-invites");
        let join = json!({"Fn::Join": ["-", ["infra", "prod", "invites"]]});
        let sub = json!({"Fn::Sub": ["${a}-invites", {"a": "infra-prod"}]});
        assert_eq!(canonical(&join), literal);
        assert_eq!(canonical(&sub), literal);
    }

    #[test]
    fn deploy_time_parts_stay_symbolic() {
        let join = json!({"Fn::Join": ["", [{"Ref": "AWS::StackName"}, "-t"]]});
        let sub = json!({"Fn::Sub": "${AWS::StackName}-t"});
        assert_eq!(canonical(&join), canonical(&sub));
        assert_ne!(canonical(&sub), json!("infra-prod-t"));
        let att = json!({"Fn::Sub": "${Table.Arn}"});
        assert_eq!(canonical(&att), json!({"Fn::GetAtt": ["Table", "Arn"]}));
        assert_eq!(
            canonical(&json!({"Fn::GetAtt": "Table.Arn"})),
            canonical(&att)
        );
    }

    #[test]
    fn escaped_dollar_braces_stay_literal() {
        let sub = json!({"Fn::Sub": "a-${!Literal}"});
        assert_eq!(canonical(&sub), json!("a-${Literal}"));
        let other = json!({"Fn::Sub": "a-${Literal}"});
        assert_ne!(canonical(&other), canonical(&sub));
    }

    #[test]
    fn other_intrinsics_are_kept_and_their_arguments_canonical() {
        let v = json!({"Fn::If": ["C", {"Fn::Join": ["", ["a", "b"]]}, "c"]});
        assert_eq!(canonical(&v), json!({"Fn::If": ["C", "ab", "c"]}));
    }
}

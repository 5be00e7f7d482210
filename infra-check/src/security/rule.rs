//! Permissions read out of a resource: IAM statements, managed policy
//! attachments and security group rules, each as one [`Rule`] row of
//! effect, principal, action, resource and condition.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::json::{get_att_arg, intrinsic, sub_arg};

/// The direction of a security group rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Ingress,
    Egress,
}

/// What a [`Rule`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// An IAM policy statement (or a statement-like resource such as `AWS::Lambda::Permission`).
    Statement,
    /// A managed policy (or permissions boundary) attached by ARN.
    ManagedPolicy,
    /// A security group rule.
    Network(Direction),
}

/// One permission, as the rows of the security table show it. Lists are
/// sorted; `NotPrincipal`, `NotAction` and `NotResource` entries start with `NOT `.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Rule {
    pub kind: RuleKind,
    /// `Allow` or `Deny`; `Attach` for a managed policy.
    pub effect: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// `*`, `AWS:arn...`, `Service:s3.amazonaws.com`; a CIDR or group for network rules.
    pub principal: Vec<String>,
    /// IAM actions; `tcp 443` or `all traffic` for network rules.
    pub action: Vec<String>,
    /// Resources; the security group for network rules.
    pub resource: Vec<String>,
    /// `Operator key: value, ...`, one per key.
    pub condition: Vec<String>,
}

/// A rule that is nothing but one shown value (an intrinsic in place of a statement).
fn opaque(kind: RuleKind, v: &Value) -> Rule {
    Rule {
        kind,
        effect: "?".to_owned(),
        sid: None,
        principal: Vec::new(),
        action: vec![show(v)],
        resource: Vec::new(),
        condition: Vec::new(),
    }
}

/// The statements of a policy document, given as an object or as JSON text.
pub fn statements(doc: &Value) -> Vec<Rule> {
    let Some(doc) = document(doc) else {
        return vec![opaque(RuleKind::Statement, doc)];
    };
    if intrinsic(&doc).is_some() {
        return vec![opaque(RuleKind::Statement, &doc)];
    }
    let entries = statement_entries(&doc);
    entries.into_iter().map(|(_, st)| statement(st)).collect()
}

/// A policy document given as an object or as JSON text; `None` for text
/// that is not JSON.
fn document(doc: &Value) -> Option<Cow<'_, Value>> {
    match doc {
        Value::String(text) => serde_json::from_str(text).ok().map(Cow::Owned),
        _ => Some(Cow::Borrowed(doc)),
    }
}

/// A document's statements with their paths: `Statement[i]`, or `Statement`
/// for a single statement that is not in a list.
fn statement_entries(doc: &Value) -> Vec<(String, &Value)> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, st)| (format!("Statement[{i}]"), st))
            .collect(),
        Some(one) => vec![("Statement".to_owned(), one)],
        None => Vec::new(),
    }
}

fn statement(v: &Value) -> Rule {
    let Some(map) = v.as_object().filter(|_| intrinsic(v).is_none()) else {
        return opaque(RuleKind::Statement, v);
    };
    let mut rule = Rule {
        kind: RuleKind::Statement,
        effect: map.get("Effect").map_or_else(|| "Allow".to_owned(), show),
        sid: map.get("Sid").map(show),
        principal: principals(map.get("Principal"), ""),
        action: strings(map.get("Action"), ""),
        resource: strings(map.get("Resource"), ""),
        condition: conditions(map.get("Condition")),
    };
    rule.principal
        .extend(principals(map.get("NotPrincipal"), "NOT "));
    rule.action.extend(strings(map.get("NotAction"), "NOT "));
    rule.resource
        .extend(strings(map.get("NotResource"), "NOT "));
    sort(rule)
}

fn sort(mut rule: Rule) -> Rule {
    for list in [
        &mut rule.principal,
        &mut rule.action,
        &mut rule.resource,
        &mut rule.condition,
    ] {
        list.sort();
        list.dedup();
    }
    rule
}

/// `"*"` and `{"AWS": "*"}` are both everyone; other principals are `Type:value`.
fn principals(v: Option<&Value>, prefix: &str) -> Vec<String> {
    let Some(v) = v else { return Vec::new() };
    let Some(map) = v.as_object().filter(|_| intrinsic(v).is_none()) else {
        return strings(Some(v), prefix);
    };
    map.iter()
        .flat_map(|(kind, ids)| {
            strings(Some(ids), "").into_iter().map(move |id| {
                if id == "*" && kind == "AWS" {
                    format!("{prefix}*")
                } else {
                    format!("{prefix}{kind}:{id}")
                }
            })
        })
        .collect()
}

/// A string or a list of them, each shown.
fn strings(v: Option<&Value>, prefix: &str) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| format!("{prefix}{}", show(i)))
            .collect(),
        Some(one) => vec![format!("{prefix}{}", show(one))],
    }
}

/// `StringEquals aws:SourceAccount: 123` per operator and key.
fn conditions(v: Option<&Value>) -> Vec<String> {
    let Some(Value::Object(ops)) = v.filter(|v| intrinsic(v).is_none()) else {
        return v.map(|v| vec![show(v)]).unwrap_or_default();
    };
    ops.iter()
        .flat_map(
            |(op, keys)| match keys.as_object().filter(|_| intrinsic(keys).is_none()) {
                Some(keys) => keys
                    .iter()
                    .map(|(key, values)| {
                        format!("{op} {key}: {}", strings(Some(values), "").join(", "))
                    })
                    .collect(),
                None => vec![format!("{op}: {}", show(keys))],
            },
        )
        .collect()
}

/// An action string of a policy, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionAt {
    /// Dotted, below `Properties` (`PolicyDocument.Statement[0].Action[1]`);
    /// for a policy given as JSON text, the property holding the text.
    pub path: String,
    /// For a policy given as JSON text, where in the text (`Statement[0].Action`).
    pub in_text: Option<String>,
    pub action: String,
}

/// The `Action` and `NotAction` strings of a policy document at `path`,
/// given as an object or as JSON text (the same reading as [`statements`]).
pub fn document_actions(path: &str, doc: &Value) -> Vec<ActionAt> {
    let in_text = doc.is_string();
    let Some(doc) = document(doc) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (at, st) in statement_entries(&doc) {
        for key in ["Action", "NotAction"] {
            let inner = format!("{at}.{key}");
            let (found, inner) = match in_text {
                true => (path.to_owned(), Some(inner)),
                false => (format!("{path}.{inner}"), None),
            };
            out.extend(action_at(&found, st.get(key), inner));
        }
    }
    out
}

/// The action strings of an `Action` value (a string or a list) at `path`.
pub fn action_at(path: &str, v: Option<&Value>, in_text: Option<String>) -> Vec<ActionAt> {
    let at = |path: String, in_text: Option<String>, a: &Value| {
        a.as_str().map(|action| ActionAt {
            path,
            in_text,
            action: action.to_owned(),
        })
    };
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, a)| match &in_text {
                Some(t) => at(path.to_owned(), Some(format!("{t}[{i}]")), a),
                None => at(format!("{path}[{i}]"), None, a),
            })
            .collect(),
        Some(one) => at(path.to_owned(), in_text, one).into_iter().collect(),
        None => Vec::new(),
    }
}

/// One managed policy attachment per ARN of the list.
pub fn managed_policies(v: &Value) -> Vec<Rule> {
    let arns = match v {
        Value::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    arns.into_iter()
        .map(|arn| Rule {
            kind: RuleKind::ManagedPolicy,
            effect: "Attach".to_owned(),
            sid: None,
            principal: Vec::new(),
            action: Vec::new(),
            resource: vec![show(arn)],
            condition: Vec::new(),
        })
        .collect()
}

/// The rules of a security group's rule list.
pub fn group_rules(v: &Value, direction: Direction) -> Vec<Rule> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|item| group_rule(item, direction, None))
            .collect(),
        other => vec![opaque(RuleKind::Network(direction), other)],
    }
}

/// One security group rule; `group` is the group it belongs to when it is a
/// resource of its own.
pub fn group_rule(v: &Value, direction: Direction, group: Option<String>) -> Rule {
    let kind = RuleKind::Network(direction);
    let Some(map) = v.as_object().filter(|_| intrinsic(v).is_none()) else {
        return opaque(kind, v);
    };
    const PEERS: &[&str] = &[
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "SourcePrefixListId",
        "DestinationSecurityGroupId",
        "DestinationPrefixListId",
    ];
    let peers = PEERS.iter().filter_map(|k| map.get(*k).map(show)).collect();
    Rule {
        kind,
        effect: "Allow".to_owned(),
        sid: None,
        principal: peers,
        action: vec![ports(map)],
        resource: vec![group.unwrap_or_else(|| "(this group)".to_owned())],
        condition: Vec::new(),
    }
}

/// `tcp 443`, `tcp 1024-65535`, `icmp all ports`, `all traffic`.
fn ports(map: &Map<String, Value>) -> String {
    let protocol = map.get("IpProtocol").map_or_else(|| "?".to_owned(), show);
    // The API accepts protocol numbers as well as names.
    let protocol = match protocol.as_str() {
        "-1" | "all" => return "all traffic".to_owned(),
        "6" => "tcp".to_owned(),
        "17" => "udp".to_owned(),
        "1" => "icmp".to_owned(),
        "58" => "icmpv6".to_owned(),
        _ => protocol,
    };
    let from = map.get("FromPort").map(show);
    let to = map.get("ToPort").map(show);
    match (from.as_deref(), to.as_deref()) {
        (Some(f), Some(t)) if f == t => format!("{protocol} {f}"),
        (Some("0"), Some("65535")) | (Some("-1"), _) | (None, _) | (_, None) => {
            format!("{protocol} all ports")
        }
        (Some(f), Some(t)) => format!("{protocol} {f}-{t}"),
    }
}

/// An `AWS::Lambda::Permission` (or layer permission) as the statement it adds
/// to the function's resource policy.
pub fn lambda_permission(props: &Value, resource_key: &str, conditions: &[&str]) -> Rule {
    let get = |k: &str| props.get(k).map(show);
    let condition = conditions
        .iter()
        .filter_map(|k| get(k).map(|v| format!("{k}: {v}")))
        .collect();
    let principal = get("Principal").map(|p| {
        if p == "*" || p.contains(':') || p.starts_with("!") {
            p
        } else if p.chars().all(|c| c.is_ascii_digit()) {
            format!("AWS:{p}")
        } else {
            format!("Service:{p}")
        }
    });
    sort(Rule {
        kind: RuleKind::Statement,
        effect: "Allow".to_owned(),
        sid: None,
        principal: principal.into_iter().collect(),
        action: get("Action").into_iter().collect(),
        resource: get(resource_key).into_iter().collect(),
        condition,
    })
}

/// A value as a reviewer reads it: strings as they are, `!Ref X`,
/// `!GetAtt X.Attr`, `!Sub text`, anything else as compact JSON.
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => match intrinsic(v) {
            Some(("Ref", Value::String(target))) => format!("!Ref {target}"),
            Some(("Fn::GetAtt", arg)) => match get_att_arg(arg) {
                Some((id, Some(attr))) => format!("!GetAtt {id}.{attr}"),
                _ => v.to_string(),
            },
            Some(("Fn::Sub", arg)) => match sub_arg(arg) {
                Some((text, None)) => format!("!Sub {text}"),
                _ => v.to_string(),
            },
            _ => v.to_string(),
        },
    }
}

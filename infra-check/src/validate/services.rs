//! Naming rules of S3 buckets, DynamoDB tables and SNS topics that the
//! registry schemas do not spell out. Names built with `Fn::Sub` or `Fn::Join`
//! are checked on their known parts (literals and `AWS::StackName`).

use serde_json::Value;

use super::{Cx, Doc, Res};
use crate::json::{SubPart, as_bool, intrinsic, parse_sub, sub_arg};
use crate::problem::show;

/// A naming rule of one service.
struct NameRule {
    what: &'static str,
    code: &'static str,
    min: usize,
    max: usize,
    char_ok: fn(char) -> bool,
    chars: &'static str,
}

const S3: NameRule = NameRule {
    what: "S3 bucket name",
    code: "E-s3-bucket-name",
    min: 3,
    max: 63,
    char_ok: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-',
    chars: "lowercase letters, digits, dots and hyphens",
};

const DYNAMODB: NameRule = NameRule {
    what: "DynamoDB table name",
    code: "E-dynamodb-table-name",
    min: 3,
    max: 255,
    char_ok: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'),
    chars: "letters, digits, underscores, dots and hyphens",
};

const SNS: NameRule = NameRule {
    what: "SNS topic name",
    code: "E-sns-topic-name",
    min: 1,
    max: 256,
    char_ok: |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'),
    chars: "letters, digits, underscores and hyphens",
};

/// The name rules of every resource with a name property.
pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for res in &doc.resources {
        let (rule, property) = match res.type_name {
            "AWS::S3::Bucket" => (&S3, "BucketName"),
            "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" => (&DYNAMODB, "TableName"),
            "AWS::SNS::Topic" => (&SNS, "TopicName"),
            _ => continue,
        };
        let Some(value) = res.property(property) else {
            continue;
        };
        let Some(mut name) = Name::read(cx.stack_name, value) else {
            continue;
        };
        let mut reasons = Vec::new();
        length(rule, &name, &mut reasons);
        if rule.code == SNS.code {
            fifo_suffix(res, &mut name, &mut reasons);
        }
        characters(rule, &name, &mut reasons);
        if rule.code == S3.code {
            s3_form(&name, &mut reasons);
        }
        for reason in reasons {
            let path = format!("Resources.{}.Properties.{property}", res.id);
            let message = format!("is not a valid {}: {reason}", rule.what);
            let problem = cx.problem(rule.code, Some(res.id), path, message);
            cx.push(problem.with_value(show(value)));
        }
    }
}

/// A name as runs of known text and unknown parts (`None`), and how many
/// characters the unknown parts have at least (an account ID always 12).
struct Name {
    runs: Vec<Option<String>>,
    unknown_min: usize,
}

impl Name {
    /// The name `v` builds, or `None` when it is not a literal, `Fn::Sub` or `Fn::Join`.
    fn read(stack: Option<&str>, v: &Value) -> Option<Name> {
        let mut parts = Vec::new();
        let mut unknown_min = 0;
        match v {
            Value::String(s) => parts.push(Some(s.clone())),
            _ => match intrinsic(v)? {
                ("Fn::Sub", arg) => {
                    let (text, vars) = sub_arg(arg)?;
                    for part in parse_sub(text) {
                        parts.push(match part {
                            SubPart::Lit(s) => Some(s),
                            SubPart::Var(var) => {
                                let text = known(stack, vars.and_then(|m| m.get(var)), var);
                                unknown_min += if text.is_none() { min_len(var) } else { 0 };
                                text
                            }
                        });
                    }
                }
                ("Fn::Join", Value::Array(arg)) => {
                    let [Value::String(sep), Value::Array(items)] = arg.as_slice() else {
                        return None;
                    };
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            parts.push(Some(sep.clone()));
                        }
                        parts.push(joined(stack, item));
                    }
                }
                _ => return None,
            },
        }
        Some(Name {
            runs: merge(parts),
            unknown_min,
        })
    }

    fn complete(&self) -> Option<&str> {
        match self.runs.as_slice() {
            [Some(s)] => Some(s),
            [] => Some(""),
            _ => None,
        }
    }

    /// The fewest characters the name can have once deployed.
    fn min_len(&self) -> usize {
        self.runs
            .iter()
            .flatten()
            .map(|s| s.chars().count())
            .sum::<usize>()
            + self.unknown_min
    }

    fn first(&self) -> Option<&str> {
        self.runs.first()?.as_deref()
    }

    fn last(&self) -> Option<&str> {
        self.runs.last()?.as_deref()
    }
}

/// A `Fn::Sub` variable's text when it is known before deploy.
fn known(stack: Option<&str>, bound: Option<&Value>, var: &str) -> Option<String> {
    match bound {
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => None,
        None => stack.filter(|_| var == "AWS::StackName").map(str::to_owned),
    }
}

/// The fewest characters a pseudo parameter resolves to: account IDs have 12
/// digits and the shortest region names (`us-east-1`) 9 characters.
fn min_len(var: &str) -> usize {
    match var {
        "AWS::AccountId" => 12,
        "AWS::Region" => 9,
        _ => 0,
    }
}

/// A `Fn::Join` item's text when it is known before deploy.
fn joined(stack: Option<&str>, item: &Value) -> Option<String> {
    match item {
        Value::String(s) => Some(s.clone()),
        _ => match intrinsic(item)? {
            ("Ref", Value::String(p)) if p == "AWS::StackName" => stack.map(str::to_owned),
            _ => None,
        },
    }
}

/// Adjacent known parts joined into one run.
fn merge(parts: Vec<Option<String>>) -> Vec<Option<String>> {
    let mut runs: Vec<Option<String>> = Vec::new();
    for part in parts {
        match (runs.last_mut(), part) {
            (Some(Some(run)), Some(text)) => run.push_str(&text),
            (Some(None), None) => {}
            (_, part) => runs.push(part),
        }
    }
    runs
}

fn length(rule: &NameRule, name: &Name, reasons: &mut Vec<String>) {
    let (min, max) = (rule.min, rule.max);
    match name.complete() {
        Some(s) => {
            let n = s.chars().count();
            if n < min || n > max {
                reasons.push(format!("it is {n} characters long, not {min} to {max}"));
            }
        }
        None if name.min_len() > max => {
            let n = name.min_len();
            reasons.push(format!(
                "it is at least {n} characters long, more than {max}"
            ));
        }
        None => {}
    }
}

fn characters(rule: &NameRule, name: &Name, reasons: &mut Vec<String>) {
    let mut bad: Vec<char> = name
        .runs
        .iter()
        .flatten()
        .flat_map(|s| s.chars())
        .filter(|&c| !(rule.char_ok)(c))
        .collect();
    bad.sort_unstable();
    bad.dedup();
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        reasons.push(format!(
            "it may contain only {}, not {}",
            rule.chars,
            shown.join(", ")
        ));
    }
}

/// Start, end, dots and reserved prefixes and suffixes of bucket names.
fn s3_form(name: &Name, reasons: &mut Vec<String>) {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    let starts = name
        .first()
        .and_then(|s| s.chars().next())
        .is_none_or(alnum);
    let ends = name.last().and_then(|s| s.chars().last()).is_none_or(alnum);
    if !starts || !ends {
        reasons.push("it must begin and end with a letter or a digit".to_owned());
    }
    if name.runs.iter().flatten().any(|s| s.contains("..")) {
        reasons.push("it must not contain two adjacent dots".to_owned());
    }
    if name.complete().is_some_and(ip_like) {
        reasons.push("it must not be formatted as an IP address".to_owned());
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.first().is_some_and(|s| s.starts_with(prefix)) {
            reasons.push(format!("it must not begin with {prefix:?}"));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if name.last().is_some_and(|s| s.ends_with(suffix)) {
            reasons.push(format!("it must not end with {suffix:?}"));
        }
    }
}

fn ip_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `.fifo` ends the names of FIFO topics and only theirs; the suffix is then
/// removed so that the character rule does not see its dot.
fn fifo_suffix(res: &Res<'_>, name: &mut Name, reasons: &mut Vec<String>) {
    let fifo = as_bool(res.property("FifoTopic"));
    let has_suffix = name.last().is_some_and(|s| s.ends_with(".fifo"));
    if has_suffix {
        if let Some(Some(last)) = name.runs.last_mut() {
            last.truncate(last.len() - ".fifo".len());
        }
        if fifo != Some(true)
            && res
                .property("FifoTopic")
                .is_none_or(|v| intrinsic(v).is_none())
        {
            reasons.push("the \".fifo\" suffix is only for FIFO topics (FifoTopic: true)".into());
        }
    } else if fifo == Some(true) && name.last().is_some() {
        reasons.push("the name of a FIFO topic must end with \".fifo\"".into());
    }
}

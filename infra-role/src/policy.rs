//! The policy document and the role template built from the grants.

use std::collections::{BTreeMap, BTreeSet};

use infra_model::naming;
use serde_json::{Value, json};

use infra_model::iam;

use crate::{Grant, RoleError, RuleSet};

/// The names the role's ARNs are scoped to.
#[derive(Debug, Clone)]
pub struct StackNames {
    pub app: String,
    pub service: String,
    pub stage: String,
}

/// How ARNs name partition, region and account: literally (`aws`, `*`, `*`)
/// for the standalone policy, or as pseudo parameters inside the role template.
#[derive(Debug, Clone, Copy)]
pub struct ArnStyle {
    pub partition: &'static str,
    pub region: &'static str,
    pub account: &'static str,
}

pub const LITERAL: ArnStyle = ArnStyle {
    partition: "aws",
    region: "*",
    account: "*",
};
pub const PSEUDO: ArnStyle = ArnStyle {
    partition: "${AWS::Partition}",
    region: "${AWS::Region}",
    account: "${AWS::AccountId}",
};

/// Grants that share a service prefix, a condition and their own ARNs (if
/// any) share a statement.
type Key<'a> = (&'a str, Option<&'a str>, Option<&'a [String]>);
type Groups<'a> = BTreeMap<Key<'a>, BTreeSet<&'a str>>;

/// The policy document for `grants`: one statement per service prefix and
/// condition, scoped to the stack's names; actions without resource-level
/// permissions (none today) get a statement of their own on `*`.
pub fn policy(
    grants: &BTreeSet<Grant>,
    rules: &RuleSet,
    names: &StackNames,
    style: ArnStyle,
) -> Result<Value, RoleError> {
    check_known(grants)?;
    let mut groups: Groups<'_> = BTreeMap::new();
    for g in grants {
        let prefix = g.action.split(':').next().unwrap_or_default();
        let key = (prefix, g.condition.as_deref(), g.resources.as_deref());
        groups.entry(key).or_default().insert(&g.action);
    }
    let mut statements = Vec::new();
    let mut sids = BTreeMap::new();
    for ((prefix, condition, own), actions) in groups {
        let (scoped, star): (Vec<&str>, Vec<&str>) = actions
            .into_iter()
            .partition(|a| iam::has_resource_level_permissions(a) == Some(true));
        let condition = condition.map(|c| serde_json::from_str(c).unwrap_or(Value::Null));
        let mut sid = |suffix: &str| unique_sid(&mut sids, prefix, suffix);
        if !scoped.is_empty() {
            let arns = match own {
                Some(arns) => arns,
                None => scope(rules, prefix, &scoped)?,
            };
            statements.push(statement(sid(""), &scoped, json!(arns), condition.clone()));
        }
        if !star.is_empty() {
            // IAM offers no resource ARN for these actions: `*` is the only scope.
            let sid = sid("NoResourceLevelPermissions");
            statements.push(statement(sid, &star, json!("*"), condition));
        }
    }
    let document = json!({ "Version": "2012-10-17", "Statement": statements });
    Ok(fill(document, names, style))
}

/// Every granted action is an exact action of the catalogue (a pattern would
/// grant more than the rule justifies); the error names each, with the closest.
fn check_known(grants: &BTreeSet<Grant>) -> Result<(), RoleError> {
    let actions: BTreeSet<&str> = grants.iter().map(|g| g.action.as_str()).collect();
    let problems: Vec<String> = actions
        .into_iter()
        .filter(|a| !iam::is_action(a))
        .map(|a| match iam::Action::parse(a) {
            Err(e) => format!("  {e}"),
            Ok(_) => format!("  `{a}` is a pattern; the rules name exact actions"),
        })
        .collect();
    match problems.is_empty() {
        true => Ok(()),
        false => Err(RoleError::UnknownActions {
            problems: problems.join("\n"),
        }),
    }
}

fn scope<'r>(
    rules: &'r RuleSet,
    prefix: &str,
    actions: &[&str],
) -> Result<&'r [String], RoleError> {
    match rules.scopes.get(prefix) {
        Some(scope) => Ok(&scope.arns),
        None => Err(RoleError::NoScope {
            prefix: prefix.to_owned(),
            actions: actions.join(", "),
        }),
    }
}

fn statement(sid: String, actions: &[&str], resource: Value, condition: Option<Value>) -> Value {
    let mut statement = json!({
        "Sid": sid,
        "Effect": "Allow",
        "Action": actions,
        "Resource": resource,
    });
    if let Some(condition) = condition {
        statement["Condition"] = condition;
    }
    statement
}

/// `Dynamodb`, then `Dynamodb2` for a second statement of the same service.
fn unique_sid(seen: &mut BTreeMap<String, usize>, prefix: &str, suffix: &str) -> String {
    let clean: String = prefix.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut chars = clean.chars();
    let base = chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str() + suffix
    });
    let count = seen.entry(base.clone()).or_insert(0);
    *count += 1;
    match *count {
        1 => base,
        n => format!("{base}{n}"),
    }
}

/// Replaces the scope placeholders in every string of `value`.
fn fill(value: Value, names: &StackNames, style: ArnStyle) -> Value {
    let stack = naming::stack_name(&names.service, &names.stage);
    let buckets = naming::bucket_prefix(&names.app, &names.service, &names.stage);
    let values = [
        ("Partition", style.partition),
        ("Region", style.region),
        ("Account", style.account),
        ("Stack", stack.as_str()),
        ("Buckets", buckets.trim_end_matches('-')),
    ];
    map_strings(value, &|s| {
        values.iter().fold(s.to_owned(), |text, (key, value)| {
            text.replace(&format!("${{{key}}}"), value)
        })
    })
}

fn map_strings(value: Value, f: &dyn Fn(&str) -> String) -> Value {
    match value {
        Value::String(s) => Value::String(f(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| map_strings(v, f)).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, map_strings(v, f)))
                .collect(),
        ),
        other => other,
    }
}

/// A template creating the role `cfn-exec-<stack>` (not `<stack>-*`, so the
/// role cannot edit itself) with `policy` inline; `policy` must be built with
/// [`PSEUDO`] ARNs, which this wraps in `Fn::Sub`.
pub fn role_template(stack: &str, policy: Value) -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("CloudFormation execution role for the stack {stack} (generated by cargo xtask cfn-role)"),
        "Resources": {
            "ExecutionRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": format!("cfn-exec-{stack}"),
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Principal": { "Service": "cloudformation.amazonaws.com" },
                            "Action": "sts:AssumeRole",
                        }],
                    },
                    "Policies": [{ "PolicyName": "deploy", "PolicyDocument": substitute(policy) }],
                },
            },
        },
        "Outputs": {
            "roleArn": {
                "Description": "Pass as --role-arn to cargo xtask deploy",
                "Value": { "Fn::GetAtt": ["ExecutionRole", "Arn"] },
            },
        },
    })
}

/// Wraps every string that holds `${AWS::...}` in `Fn::Sub`.
fn substitute(value: Value) -> Value {
    match value {
        Value::String(s) if s.contains("${AWS::") => json!({ "Fn::Sub": s }),
        Value::Array(items) => Value::Array(items.into_iter().map(substitute).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, substitute(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(action: &str) -> Grant {
        Grant {
            action: action.to_owned(),
            condition: None,
            resources: None,
            type_name: "AWS::SQS::Queue".to_owned(),
            property: None,
        }
    }

    /// cfn-lint W3037: API names and typos are not IAM actions; the error
    /// names each with the catalogue's closest action.
    #[test]
    fn unknown_actions_are_named_with_the_closest() {
        let grants = BTreeSet::from([
            grant("sqs:SendMessge"),
            grant("s3:DeleteBucketCors"),
            grant("sqs:Send*"),
            grant("sqs:SendMessage"),
        ]);
        let err = check_known(&grants).expect_err("unknown").to_string();
        assert_eq!(
            err,
            "infra-role/rules.json names actions that are not IAM actions:\n  \
             `s3:DeleteBucketCors` is not an action of `s3` in the IAM catalogue of the pinned cfn-lint wheel; did you mean `s3:DeleteBucket`?\n  \
             `sqs:Send*` is a pattern; the rules name exact actions\n  \
             `sqs:SendMessge` is not an action of `sqs` in the IAM catalogue of the pinned cfn-lint wheel; did you mean `sqs:SendMessage`?"
        );
    }
}

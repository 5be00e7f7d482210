//! `cargo xtask cfn-role [--stage S] [--out DIR]`: a least-privilege CloudFormation
//! execution role per stack.
//!
//! The actions are the registry handler permissions (create, read, update, delete, list)
//! of every resource type the stack's template uses, deduplicated and sorted. One statement
//! per service prefix scopes them to the stack's own names (`{service}-{stage}-*`,
//! `{app}-{service}-{stage}-*` for buckets). Writes, per stack, `<stack>-policy.json` (the
//! policy document, with `*` for region and account) and `<stack>-role.json` (a template
//! that creates the role `cfn-exec-<stack>`, trusted by CloudFormation) into
//! `stacks/cfn-role/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use infra_model::ResourceMeta;
use serde_json::{Value, json};

use crate::workspace::{self, Generated};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the stacks of this stage; every stage when absent.
    #[arg(long)]
    stage: Option<String>,
    /// Output folder (default `stacks/cfn-role`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 when the committed role differs (for CI).
    #[arg(long)]
    check: bool,
}

/// Names the scoped resources are built from.
#[derive(Debug, Clone)]
pub struct Names {
    pub app: String,
    pub service: String,
    pub stage: String,
}

/// How ARNs name partition, region and account: literally (`aws`, `*`, `*`) for the
/// standalone policy, or as `Fn::Sub` pseudo parameters inside the role template.
#[derive(Debug, Clone, Copy)]
pub struct ArnStyle {
    pub partition: &'static str,
    pub region: &'static str,
    pub account: &'static str,
}

const LITERAL: ArnStyle = ArnStyle {
    partition: "aws",
    region: "*",
    account: "*",
};
const PSEUDO: ArnStyle = ArnStyle {
    partition: "${AWS::Partition}",
    region: "${AWS::Region}",
    account: "${AWS::AccountId}",
};

/// Actions that act on the account, not on one resource, so IAM has no resource ARN to
/// scope them to: they need `Resource: "*"`. They only list or describe.
const ACCOUNT_LEVEL: &[&str] = &[
    "dynamodb:DescribeEndpoints",
    "dynamodb:DescribeLimits",
    "dynamodb:DescribeReservedCapacity",
    "dynamodb:ListTables",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "iam:ListPolicies",
    "iam:ListRoles",
    "kms:ListAliases",
    "kms:ListKeys",
    "lambda:ListFunctions",
    "s3:ListAllMyBuckets",
    "sns:ListSubscriptions",
    "sns:ListTopics",
    "sqs:ListQueues",
];

/// `cargo xtask cfn-role`.
pub fn run(args: Args) -> Result<ExitCode> {
    let root = workspace::root()?;
    let app = read_app(&root)?;
    let out = args.out.unwrap_or_else(|| PathBuf::from("stacks/cfn-role"));
    let mut files = Vec::new();
    for (stack, template) in templates(&root, args.stage.as_deref())? {
        let names = names_of(&app, &stack, args.stage.as_deref())?;
        let types = resource_types(&template);
        let policy = policy(&types, aws_lookup, &names, LITERAL)?;
        let role = role_template(&stack, &types, &names)?;
        let pretty = |v: &Value| infra_model::template::to_pretty_json(v);
        files.push(Generated {
            path: out.join(format!("{stack}-policy.json")),
            contents: pretty(&policy),
        });
        files.push(Generated {
            path: out.join(format!("{stack}-role.json")),
            contents: pretty(&role),
        });
        eprintln!("{stack}: {} resource types", types.len());
    }
    let stale = workspace::apply(&root, &files, args.check)?;
    for path in &stale {
        eprintln!(
            "{}: {}",
            if args.check { "stale" } else { "updated" },
            path.display()
        );
    }
    if args.check && !stale.is_empty() {
        eprintln!(
            "error: the execution role is stale: run `cargo xtask cfn-role` and commit the result"
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The app name from the outputs manifest that synth writes.
fn read_app(root: &Path) -> Result<String> {
    let path = root.join(crate::outputs_crate::CATALOGUE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading {} (run cargo xtask synth)", path.display()))?;
    let manifest: Value = serde_json::from_str(&text)?;
    Ok(manifest["app"].as_str().unwrap_or("api").to_owned())
}

/// `(stack, template)` for each `stacks/templates/*.json`, of `stage` when given.
fn templates(root: &Path, stage: Option<&str>) -> Result<Vec<(String, Value)>> {
    let all = workspace::read_templates(&root.join(crate::synth::TEMPLATES))?;
    let wanted = |stack: &str| stage.is_none_or(|s| stack.ends_with(&format!("-{s}")));
    Ok(all.into_iter().filter(|(stack, _)| wanted(stack)).collect())
}

/// Service and stage of `{service}-{stage}`: the stage is the last dash-separated part
/// unless `stage` says otherwise.
fn names_of(app: &str, stack: &str, stage: Option<&str>) -> Result<Names> {
    let split = match stage {
        Some(stage) => stack.strip_suffix(&format!("-{stage}")).map(|s| (s, stage)),
        None => stack.rsplit_once('-'),
    };
    let Some((service, stage)) = split else {
        bail!("stack name {stack} is not {{service}}-{{stage}}");
    };
    Ok(Names {
        app: app.to_owned(),
        service: service.to_owned(),
        stage: stage.to_owned(),
    })
}

/// The registry metadata of any registry type (infra-registry, through infra-check).
fn aws_lookup(type_name: &str) -> Option<&'static ResourceMeta> {
    infra_check::Registry::aws().lookup(type_name)
}

/// The resource types a template uses, sorted.
pub fn resource_types(template: &Value) -> BTreeSet<String> {
    let resources = template["Resources"].as_object();
    resources
        .into_iter()
        .flat_map(|r| r.values())
        .filter_map(|r| r["Type"].as_str().map(str::to_owned))
        .collect()
}

/// All handler actions of `types`, grouped by service prefix; an error names each type
/// that has no registry metadata.
pub fn actions(
    types: &BTreeSet<String>,
    lookup: fn(&str) -> Option<&'static ResourceMeta>,
) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let missing: Vec<&str> = types
        .iter()
        .filter(|t| lookup(t).is_none())
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        bail!("no registry metadata for {}", missing.join(", "));
    }
    let mut by_prefix: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for meta in types.iter().filter_map(|t| lookup(t)) {
        let p = &meta.permissions;
        for action in [p.create, p.read, p.update, p.delete, p.list].concat() {
            let prefix = action.split(':').next().unwrap_or_default().to_owned();
            by_prefix
                .entry(prefix)
                .or_default()
                .insert(action.to_owned());
        }
    }
    Ok(by_prefix)
}

/// The resources a service prefix's actions are scoped to, or `None` when this module does
/// not know the service's ARN format.
fn scope(prefix: &str, n: &Names, a: ArnStyle) -> Option<Vec<String>> {
    let (p, r, acct) = (a.partition, a.region, a.account);
    let stack = format!("{}-{}", n.service, n.stage);
    let arns = match prefix {
        // Tables, and their streams, indexes and exports below `table/<name>/`.
        "dynamodb" => vec![
            format!("arn:{p}:dynamodb:{r}:{acct}:table/{stack}-*"),
            format!("arn:{p}:dynamodb:{r}:{acct}:table/{stack}-*/*"),
        ],
        "sns" => vec![format!("arn:{p}:sns:{r}:{acct}:{stack}-*")],
        "sqs" => vec![format!("arn:{p}:sqs:{r}:{acct}:{stack}-*")],
        // Bucket names are global, so they carry the app as well.
        "s3" => vec![
            format!("arn:{p}:s3:::{}-{stack}-*", n.app),
            format!("arn:{p}:s3:::{}-{stack}-*/*", n.app),
        ],
        "lambda" => vec![
            format!("arn:{p}:lambda:{r}:{acct}:function:{stack}-*"),
            format!("arn:{p}:lambda:{r}:{acct}:event-source-mapping:*"),
        ],
        "logs" => vec![format!(
            "arn:{p}:logs:{r}:{acct}:log-group:/aws/lambda/{stack}-*"
        )],
        // Roles and policies of the stack; this also limits iam:PassRole to them.
        "iam" => vec![
            format!("arn:{p}:iam::{acct}:role/{stack}-*"),
            format!("arn:{p}:iam::{acct}:policy/{stack}-*"),
        ],
        _ => return None,
    };
    Some(arns)
}

/// The policy document: one scoped statement per known service prefix, one statement with
/// `Resource: "*"` for account-level list and describe actions, and one per service whose
/// resources are not the stack's own (KMS keys, Kinesis streams, VPC resources that a table
/// or function may reference): those are named by the author and cannot be predicted here.
pub fn policy(
    types: &BTreeSet<String>,
    lookup: fn(&str) -> Option<&'static ResourceMeta>,
    names: &Names,
    arns: ArnStyle,
) -> Result<Value> {
    let mut statements = Vec::new();
    let mut account_level = BTreeSet::new();
    for (prefix, actions) in actions(types, lookup)? {
        let (unscoped, scoped): (BTreeSet<String>, BTreeSet<String>) = actions
            .into_iter()
            .partition(|a| ACCOUNT_LEVEL.contains(&a.as_str()));
        account_level.extend(unscoped);
        if scoped.is_empty() {
            continue;
        }
        let resource = match scope(&prefix, names, arns) {
            Some(arns) => json!(arns),
            None => json!("*"),
        };
        statements.push(json!({
            "Sid": sid(&prefix),
            "Effect": "Allow",
            "Action": scoped,
            "Resource": resource,
        }));
    }
    if !account_level.is_empty() {
        statements.push(json!({
            "Sid": "AccountLevelListAndDescribe",
            "Effect": "Allow",
            "Action": account_level,
            "Resource": "*",
        }));
    }
    Ok(json!({ "Version": "2012-10-17", "Statement": statements }))
}

/// `Dynamodb`, `S3`: statement IDs are alphanumeric.
fn sid(prefix: &str) -> String {
    let clean: String = prefix.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut chars = clean.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

/// A template creating the role `cfn-exec-<stack>` (not `<stack>-*`, so the role cannot
/// edit itself through the IAM statement) with the policy inline.
fn role_template(stack: &str, types: &BTreeSet<String>, names: &Names) -> Result<Value> {
    let policy = policy(types, aws_lookup, names, PSEUDO)?;
    let policy = substitute(policy);
    Ok(json!({
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
                    "Policies": [{ "PolicyName": "deploy", "PolicyDocument": policy }],
                },
            },
        },
        "Outputs": {
            "roleArn": {
                "Description": "Pass as --role-arn to cargo xtask deploy",
                "Value": { "Fn::GetAtt": ["ExecutionRole", "Arn"] },
            },
        },
    }))
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

    fn names() -> Names {
        Names {
            app: "api".to_owned(),
            service: "infra".to_owned(),
            stage: "dev".to_owned(),
        }
    }

    fn all_actions(policy: &Value) -> Vec<String> {
        let statements = policy["Statement"].as_array().expect("statements");
        let actions = statements
            .iter()
            .flat_map(|s| s["Action"].as_array().cloned().unwrap_or_default());
        actions
            .map(|a| a.as_str().expect("string").to_owned())
            .collect()
    }

    /// Every type used by the committed templates has metadata, and no action is a
    /// wildcard.
    #[test]
    fn covers_every_template_type_without_wildcards() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace");
        let templates = templates(root, None).expect("templates read");
        assert!(!templates.is_empty(), "no templates in stacks/templates");
        for (stack, template) in templates {
            let types = resource_types(&template);
            let policy = policy(&types, aws_lookup, &names(), LITERAL)
                .unwrap_or_else(|e| panic!("{stack}: {e}"));
            let actions = all_actions(&policy);
            assert!(!actions.is_empty());
            for action in actions {
                assert!(
                    action != "*" && !action.ends_with(":*"),
                    "{stack}: {action}"
                );
                assert!(action.contains(':'), "{stack}: {action}");
            }
        }
    }

    #[test]
    fn scopes_tables_topics_and_buckets_to_the_stack() {
        let types = ["AWS::DynamoDB::Table", "AWS::SNS::Topic", "AWS::S3::Bucket"]
            .map(str::to_owned)
            .into();
        let policy = policy(&types, aws_lookup, &names(), LITERAL).expect("policy");
        let text = policy.to_string();
        assert!(text.contains("arn:aws:dynamodb:*:*:table/infra-dev-*"));
        assert!(text.contains("arn:aws:sns:*:*:infra-dev-*"));
        assert!(text.contains("arn:aws:s3:::api-infra-dev-*"));
        let dynamodb = &policy["Statement"][0];
        assert_eq!(dynamodb["Sid"], "Dynamodb");
    }

    #[test]
    fn names_an_unknown_type() {
        let types = ["AWS::Nope::Thing".to_owned()].into();
        let err = actions(&types, aws_lookup).expect_err("unknown type");
        assert!(err.to_string().contains("AWS::Nope::Thing"));
    }

    #[test]
    fn the_role_template_substitutes_pseudo_parameters() {
        let types = ["AWS::SNS::Topic".to_owned()].into();
        let role = role_template("infra-dev", &types, &names()).expect("role");
        let text = role.to_string();
        assert!(text.contains(r#"{"Fn::Sub":"arn:${AWS::Partition}:sns:${AWS::Region}"#));
        assert!(text.contains("cloudformation.amazonaws.com"));
    }

    #[test]
    fn splits_stack_names() {
        let n = names_of("api", "media-api-prod", None).expect("names");
        assert_eq!(
            (n.service.as_str(), n.stage.as_str()),
            ("media-api", "prod")
        );
    }
}

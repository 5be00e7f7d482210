//! Each resource on its own: its type, its attributes (`DeletionPolicy`,
//! `Condition`, ...) and its `Properties` against the registry schema.

use serde_json::{Map, Value};

use super::schema::{Checker, Finding};
use super::{Cx, Doc, Res};
use crate::problem::show_str;

/// The keys a resource entry may have.
const ATTRIBUTES: &[&str] = &[
    "Condition",
    "CreationPolicy",
    "DeletionPolicy",
    "DependsOn",
    "Metadata",
    "Properties",
    "Type",
    "UpdatePolicy",
    "UpdateReplacePolicy",
];

const DELETION_POLICIES: &[&str] = &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot"];

pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for res in &doc.resources {
        attributes(cx, doc, res);
        if is_custom(res.type_name) {
            service_token(cx, res);
        }
        let skip = unchecked_type(res.type_name, doc);
        if skip {
            continue;
        }
        match cx.types.schema(res.type_name) {
            Some(schema) => properties(cx, res, schema, doc.parameters),
            None => unknown_type(cx, res),
        }
    }
}

/// Types with no registry schema by design: custom resources, modules, and
/// SAM's types under the SAM transform (SAM expands them at deploy).
fn unchecked_type(type_name: &str, doc: &Doc<'_>) -> bool {
    is_custom(type_name)
        || type_name.ends_with("::MODULE")
        || (doc.transforms.sam && type_name.starts_with("AWS::Serverless::"))
        || doc.transforms.other && !type_name.starts_with("AWS::")
}

/// A custom resource: `Custom::*` or `AWS::CloudFormation::CustomResource`.
pub(crate) fn is_custom(type_name: &str) -> bool {
    type_name.starts_with("Custom::") || type_name == "AWS::CloudFormation::CustomResource"
}

/// CloudFormation sends a custom resource's requests to its `ServiceToken`
/// (a Lambda function or SNS topic ARN): without one it cannot create it.
/// The rest of its properties belong to its provider and are not checked.
fn service_token(cx: &mut Cx<'_>, res: &Res<'_>) {
    let has_token = res
        .properties
        .is_some_and(|p| p.contains_key("ServiceToken"));
    // Properties chosen by a function (`Fn::If`) are not guessed at.
    let built = res
        .entry
        .get("Properties")
        .is_some_and(|p| !p.is_object() || crate::json::intrinsic(p).is_some());
    if !has_token && !built {
        let path = format!("Resources.{}.Properties", res.id);
        let message = "is missing required property ServiceToken";
        cx.push(cx.problem("E-required", Some(res.id), path, message));
    }
}

fn unknown_type(cx: &mut Cx<'_>, res: &Res<'_>) {
    let path = format!("Resources.{}.Type", res.id);
    let mut problem = if res.type_name.starts_with("AWS::Serverless::") {
        let message = "is a SAM type: it needs Transform: AWS::Serverless-2016-10-31";
        cx.problem("E-resource-type", Some(res.id), path, message)
    } else {
        cx.problem(
            "E-resource-type",
            Some(res.id),
            path,
            "is not a resource type of the registry",
        )
    };
    if let Some(close) = cx.types.suggest(res.type_name) {
        problem.message = format!("{}; did you mean {close}?", problem.message);
    }
    cx.push(problem.with_value(show_str(res.type_name)));
}

/// Properties that `aws cloudformation package` fills from a local path:
/// a string there is a path to package, not a wrong type.
const PACKAGED: &[(&str, &str)] = &[
    ("AWS::ApiGateway::RestApi", "BodyS3Location"),
    ("AWS::Lambda::Function", "Code"),
    ("AWS::Lambda::LayerVersion", "Content"),
    ("AWS::ElasticBeanstalk::ApplicationVersion", "SourceBundle"),
    ("AWS::StepFunctions::StateMachine", "DefinitionS3Location"),
    ("AWS::AppSync::GraphQLSchema", "DefinitionS3Location"),
    ("AWS::AppSync::Resolver", "RequestMappingTemplateS3Location"),
    (
        "AWS::AppSync::Resolver",
        "ResponseMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "RequestMappingTemplateS3Location",
    ),
    (
        "AWS::AppSync::FunctionConfiguration",
        "ResponseMappingTemplateS3Location",
    ),
    ("AWS::CloudFormation::Stack", "TemplateURL"),
];

fn properties(
    cx: &mut Cx<'_>,
    res: &Res<'_>,
    schema: &Value,
    parameters: Option<&Map<String, Value>>,
) {
    let empty = Value::Object(Map::new());
    let mut props = res.entry.get("Properties").unwrap_or(&empty);
    let unpackaged;
    if let Value::Object(map) = props
        && let Some((_, key)) = PACKAGED
            .iter()
            .find(|(t, k)| *t == res.type_name && map.get(*k).is_some_and(Value::is_string))
    {
        let mut map = map.clone();
        // Present (for `required`), unknown until packaged (like a `Ref`).
        map.insert(
            (*key).to_owned(),
            serde_json::json!({"Ref": "PackagedLocalPath"}),
        );
        unpackaged = Value::Object(map);
        props = &unpackaged;
    }
    let mut path = format!("Resources.{}.Properties", res.id);
    let mut checker = Checker::new(schema).with_parameters(parameters);
    checker.check(schema, props, &mut path);
    for finding in checker.into_findings() {
        push_finding(cx, Some(res.id), finding);
    }
}

/// A schema finding as a problem.
pub(super) fn push_finding(cx: &mut Cx<'_>, id: Option<&str>, f: Finding) {
    let mut problem = cx.problem(f.rule, id, f.path, f.message);
    problem.value = f.value;
    problem.allowed = f.allowed;
    cx.push(problem);
}

fn attributes(cx: &mut Cx<'_>, doc: &Doc<'_>, res: &Res<'_>) {
    for key in res.entry.keys() {
        if !ATTRIBUTES.contains(&key.as_str()) && !extra_attribute(key, res, doc) {
            let path = format!("Resources.{}.{key}", res.id);
            let problem = cx.problem(
                "E-resource-attribute",
                Some(res.id),
                path,
                "is not a resource attribute",
            );
            cx.push(
                problem
                    .with_value(show_str(key))
                    .with_allowed(ATTRIBUTES.join(", ")),
            );
        }
    }
    policy(cx, res, "DeletionPolicy", DELETION_POLICIES);
    policy(cx, res, "UpdateReplacePolicy", UPDATE_REPLACE_POLICIES);
    update_policy_type(cx, doc, res);
    let custom = is_custom(res.type_name);
    for key in ["CreationPolicy", "UpdatePolicy", "Metadata"] {
        let Some(v) = res.entry.get(key) else {
            continue;
        };
        // Only `Fn::If` chooses between policies: another function gives a
        // string or a list. Metadata may be built by `Fn::Transform`.
        let ok = match crate::json::intrinsic(v) {
            Some(("Fn::If", _)) => true,
            Some(_) => key == "Metadata",
            None => v.is_object(),
        };
        if !ok {
            let path = format!("Resources.{}.{key}", res.id);
            let problem = cx.problem("E-type", Some(res.id), path, "is not of type object");
            cx.push(problem.with_value(crate::problem::show(v)));
        }
    }
    if custom
        && let Some(v) = res.entry.get("Version")
        && !(v.is_string() || v.is_number())
    {
        let path = format!("Resources.{}.Version", res.id);
        cx.push(cx.problem(
            "E-type",
            Some(res.id),
            path,
            "is not of type string or integer",
        ));
    }
}

/// The types CloudFormation applies an `UpdatePolicy` to (its `UpdatePolicy`
/// attribute reference; cfn-lint's `update_policy.json` has the same list).
const UPDATE_POLICY_TYPES: &[&str] = &[
    "AWS::AppStream::Fleet",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Elasticsearch::Domain",
    "AWS::Lambda::Alias",
    "AWS::OpenSearchService::Domain",
];

/// An `UpdatePolicy` on another type does nothing: a mistake (it was meant
/// for the group, not its launch template). Types a transform expands are
/// left to the transform.
fn update_policy_type(cx: &mut Cx<'_>, doc: &Doc<'_>, res: &Res<'_>) {
    let expanded = (doc.transforms.sam && res.type_name.starts_with("AWS::Serverless::"))
        || doc.transforms.other;
    if res.entry.contains_key("UpdatePolicy")
        && !expanded
        && !UPDATE_POLICY_TYPES.contains(&res.type_name)
    {
        let path = format!("Resources.{}.UpdatePolicy", res.id);
        let message = format!("does not apply to {}", res.type_name);
        let problem = cx.problem("E-update-policy", Some(res.id), path, message);
        cx.push(problem.with_allowed(UPDATE_POLICY_TYPES.join(", ")));
    }
}

/// Keys that only some resources may have.
fn extra_attribute(key: &str, res: &Res<'_>, doc: &Doc<'_>) -> bool {
    let custom = is_custom(res.type_name);
    match key {
        "Version" => custom,
        "Connectors" | "IgnoreGlobals" => doc.transforms.sam,
        _ => false,
    }
}

/// The types that can keep a snapshot (cfn-lint's list, after
/// CloudFormation's `DeletionPolicy` documentation).
const SNAPSHOT_TYPES: &[&str] = &[
    "AWS::DocDB::DBCluster",
    "AWS::EC2::Volume",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
];

/// The functions that may give a policy.
const POLICY_FUNCTIONS: &[&str] = &["Fn::FindInMap", "Fn::If", "Fn::Select", "Fn::Sub", "Ref"];

/// `DeletionPolicy` or `UpdateReplacePolicy`: one of `allowed` (`Snapshot`
/// only for types that can keep one), or a function that can give one (each
/// branch of an `Fn::If` is checked).
fn policy(cx: &mut Cx<'_>, res: &Res<'_>, key: &str, allowed: &[&str]) {
    let Some(v) = res.entry.get(key) else { return };
    let snapshot = SNAPSHOT_TYPES.contains(&res.type_name);
    let allowed: Vec<&str> = allowed
        .iter()
        .copied()
        .filter(|a| *a != "Snapshot" || snapshot)
        .collect();
    policy_value(
        cx,
        res,
        key,
        &allowed,
        v,
        format!("Resources.{}.{key}", res.id),
    );
}

fn policy_value(
    cx: &mut Cx<'_>,
    res: &Res<'_>,
    key: &str,
    allowed: &[&str],
    v: &Value,
    path: String,
) {
    match crate::json::intrinsic(v) {
        Some(("Fn::If", Value::Array(items))) if items.len() == 3 => {
            for (i, branch) in items.iter().enumerate().skip(1) {
                policy_value(cx, res, key, allowed, branch, format!("{path}.Fn::If[{i}]"));
            }
            return;
        }
        Some((f, _)) if POLICY_FUNCTIONS.contains(&f) => return,
        _ => {}
    }
    if v.as_str().is_some_and(|s| allowed.contains(&s)) {
        return;
    }
    let message = match crate::json::intrinsic(v) {
        Some((f, _)) => format!("is not a valid {key}: {f} does not give one"),
        None => format!("is not a valid {key} for {}", res.type_name),
    };
    let problem = cx.problem("E-policy", Some(res.id), path, message);
    cx.push(
        problem
            .with_value(crate::problem::show(v))
            .with_allowed(allowed.join(", ")),
    );
}

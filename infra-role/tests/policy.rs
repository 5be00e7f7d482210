//! The generated policy for templates that set the property-bound features,
//! and the committed roles justified action by action by the templates.

use std::collections::BTreeSet;
use std::path::Path;

use infra_role::{RuleSet, StackNames};
use serde_json::{Value, json};

fn names() -> StackNames {
    StackNames {
        app: "api".to_owned(),
        service: "infra".to_owned(),
        stage: "dev".to_owned(),
    }
}

fn policy(resources: Value) -> Value {
    let rules = RuleSet::builtin().expect("rules");
    let template = json!({ "Resources": resources });
    infra_role::generate(&rules, &names(), "infra-dev", &template)
        .expect("role")
        .policy
}

/// The statements granting `action`.
fn statements<'a>(policy: &'a Value, action: &str) -> Vec<&'a Value> {
    let all = policy["Statement"].as_array().expect("statements");
    all.iter()
        .filter(|s| {
            s["Action"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == action))
        })
        .collect()
}

fn table(properties: Value) -> Value {
    json!({ "T": { "Type": "AWS::DynamoDB::Table", "Properties": properties } })
}

#[test]
fn a_plain_table_gets_no_kms_kinesis_or_data_plane() {
    let policy = policy(table(json!({ "TableName": "infra-dev-t" })));
    let text = policy.to_string();
    for absent in [
        "kms:",
        "kinesis:",
        "dynamodb:Scan",
        "dynamodb:PutItem",
        "dynamodb:ImportTable",
        "s3:",
        "iam:",
    ] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
    let create = statements(&policy, "dynamodb:CreateTable");
    assert_eq!(
        create[0]["Resource"][0],
        "arn:aws:dynamodb:*:*:table/infra-dev-*"
    );
}

#[test]
fn a_customer_managed_key_brings_kms_limited_to_dynamodb() {
    let policy = policy(table(
        json!({ "SSESpecification": { "SSEEnabled": true, "KMSMasterKeyId": "alias/k" } }),
    ));
    let kms = statements(&policy, "kms:CreateGrant");
    assert_eq!(kms.len(), 1);
    assert_eq!(kms[0]["Resource"][0], "arn:aws:kms:*:*:key/*");
    assert_eq!(
        kms[0]["Condition"],
        json!({ "StringLike": { "kms:ViaService": "dynamodb.*.amazonaws.com" } })
    );
}

#[test]
fn a_kinesis_destination_brings_the_streaming_actions() {
    let with = policy(table(
        json!({ "KinesisStreamSpecification": { "StreamArn": "arn:aws:kinesis:eu-west-1:1:stream/s" } }),
    ));
    assert_eq!(statements(&with, "kinesis:PutRecords").len(), 1);
    assert_eq!(
        statements(&with, "dynamodb:EnableKinesisStreamingDestination").len(),
        1
    );
}

#[test]
fn replication_passes_its_role_to_s3_only() {
    let bucket = json!({ "B": { "Type": "AWS::S3::Bucket", "Properties": {
        "ReplicationConfiguration": { "Role": "arn:aws:iam::1:role/r", "Rules": [] },
        "ObjectLockEnabled": true
    } } });
    let policy = policy(bucket);
    let pass = statements(&policy, "iam:PassRole");
    assert_eq!(pass.len(), 1);
    assert_eq!(
        pass[0]["Condition"],
        json!({ "StringEquals": { "iam:PassedToService": "s3.amazonaws.com" } })
    );
    assert_eq!(
        statements(&policy, "s3:PutReplicationConfiguration").len(),
        1
    );
    assert_eq!(
        statements(&policy, "s3:PutBucketObjectLockConfiguration").len(),
        1
    );
    assert_eq!(statements(&policy, "s3:PutBucketVersioning").len(), 0);
}

/// `Resource: "*"` only for an action IAM cannot scope, in a statement that
/// says so.
#[test]
fn star_only_where_there_are_no_resource_level_permissions() {
    let policy = policy(table(
        json!({ "ImportSourceSpecification": { "InputFormat": "CSV" } }),
    ));
    let star: Vec<&Value> = policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .filter(|s| s["Resource"] == "*")
        .collect();
    assert_eq!(star.len(), 1, "{policy:#}");
    assert_eq!(star[0]["Sid"], "LogsNoResourceLevelPermissions");
    assert_eq!(star[0]["Action"], json!(["logs:DescribeLogGroups"]));
    let get = statements(&policy, "s3:GetObject");
    assert_eq!(get[0]["Resource"], json!(["arn:aws:s3:::*"]));
}

#[test]
fn the_role_template_uses_pseudo_parameters() {
    let rules = RuleSet::builtin().expect("rules");
    let template =
        json!({ "Resources": table(json!({ "SSESpecification": { "KMSMasterKeyId": "k" } })) });
    let role = infra_role::generate(&rules, &names(), "infra-dev", &template).expect("role");
    let text = role.role.to_string();
    assert!(text.contains(r#"{"Fn::Sub":"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/infra-dev-*"}"#), "{text}");
    assert!(
        text.contains(r#"{"Fn::Sub":"dynamodb.${AWS::Region}.amazonaws.com"}"#),
        "{text}"
    );
    assert!(text.contains(r#""RoleName":"cfn-exec-infra-dev""#));
}

// ---------------------------------------------------------------------------
// The committed roles, checked independently of the generator.

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("JSON")
}

/// Whether a `/` path is set in `value` (arrays: any element), written again
/// here so the check does not trust the generator's own walker.
fn has(value: &Value, path: &[&str]) -> bool {
    match (value, path) {
        (_, []) => !value.is_null(),
        (Value::Array(items), _) => items.iter().any(|i| has(i, path)),
        (Value::Object(map), [head, rest @ ..]) => map.get(*head).is_some_and(|v| has(v, rest)),
        _ => false,
    }
}

/// Whether a rule of `rules.json` grants `action` to a resource of
/// `resources`: its type matches and, for a property-bound rule, the resource
/// sets the property.
fn justified(rules: &Value, resources: &[&Value], action: &str) -> bool {
    let types = rules["types"].as_array().expect("types");
    types.iter().any(|t| {
        let of_type: Vec<&&Value> = resources
            .iter()
            .filter(|r| r["Type"] == t["type"])
            .collect();
        t["rules"].as_array().expect("rules").iter().any(|r| {
            let actions = r["actions"].as_array().expect("actions");
            let path: Vec<&str> = r["property"]
                .as_str()
                .map(|p| p.split('/').collect())
                .unwrap_or_default();
            actions.iter().any(|a| a == action)
                && of_type
                    .iter()
                    .any(|res| path.is_empty() || has(&res["Properties"], &path))
        })
    })
}

/// Issue 12: every action in the committed role is justified by a resource
/// type the template uses and, for a property-bound rule, a resource of that
/// type that sets the property.
#[test]
fn every_committed_action_is_justified_by_the_template() {
    let rules = read(&root().join("infra-role/rules.json"));
    for stack in ["infra-dev", "infra-prod"] {
        let template = read(&root().join(format!("stacks/templates/{stack}.json")));
        let policy = read(&root().join(format!("stacks/cfn-role/{stack}-policy.json")));
        let resources: Vec<&Value> = template["Resources"]
            .as_object()
            .expect("resources")
            .values()
            .collect();
        let mut count = BTreeSet::new();
        for statement in policy["Statement"].as_array().expect("statements") {
            assert_ne!(statement["Resource"], "*", "{stack}: {statement}");
            for action in statement["Action"].as_array().expect("actions") {
                let action = action.as_str().expect("string");
                let why = format!("{stack}: {action} is not justified by the template");
                assert!(justified(&rules, &resources, action), "{why}");
                count.insert(action);
            }
        }
        assert!(count.len() < 50, "{stack}: {} actions", count.len());
        assert!(count.contains("s3:PutBucketNotification"));
        assert!(count.contains("dynamodb:UpdateContinuousBackups"));
    }
}

/// `Properties` that set every property path of `rules` (`a/b` -> `{"a": {"b": "x"}}`).
fn every_property(rules: &[infra_role::rules::Rule]) -> Value {
    let mut props = json!({});
    for path in rules.iter().filter_map(|r| r.property.as_deref()) {
        let mut node = &mut props;
        for key in path.split('/') {
            if !node.get(key).is_some_and(Value::is_object) {
                node[key] = json!({});
            }
            node = &mut node[key];
        }
        *node = json!("x");
    }
    props
}

/// Every rule of every type fires at once: each service has a scope, and only
/// actions without resource-level permissions end up on `*`.
#[test]
fn every_rule_at_once_builds_a_scoped_policy() {
    let rules = RuleSet::builtin().expect("rules");
    let resources: serde_json::Map<String, Value> = rules
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let resource = json!({ "Type": t.type_name, "Properties": every_property(&t.rules) });
            (format!("R{i}"), resource)
        })
        .collect();
    let template = json!({ "Resources": resources });
    let role = infra_role::generate(&rules, &names(), "infra-dev", &template).expect("role");
    for statement in role.policy["Statement"].as_array().expect("statements") {
        if statement["Resource"] == "*" {
            for action in statement["Action"].as_array().expect("actions") {
                let action = action.as_str().expect("string");
                assert!(
                    infra_model::iam::has_resource_level_permissions(action) != Some(true),
                    "{action} on *"
                );
            }
        }
    }
    let text = serde_json::to_string_pretty(&role.role).expect("json");
    let out = std::env::temp_dir().join("infra-role-every-rule.json");
    std::fs::write(&out, text).expect("written for a manual cfn-lint run");
}

//! The security-change corpus: each case is a real-shaped template change and
//! the classification a reviewer expects.

use infra_check::{ChangeKind, FailOn, SecurityChange, SecurityClass, StackDiff, diff};
use serde_json::{Value, json};

fn stack(resources: Value) -> Value {
    json!({ "Resources": resources })
}

fn run(old: Value, new: Value) -> StackDiff {
    diff("infra-dev", Some(&stack(old)), Some(&stack(new)))
}

fn only(d: &StackDiff) -> &SecurityChange {
    assert_eq!(d.security.len(), 1, "{:#?}", d.security);
    &d.security[0]
}

fn topic_policy(statement: Value) -> Value {
    json!({ "TopicPolicy": { "Type": "AWS::SNS::TopicPolicy", "Properties": {
        "Topics": [{ "Ref": "Topic" }],
        "PolicyDocument": { "Version": "2012-10-17", "Statement": [statement] }
    }}})
}

fn s3_publish(action: Value, condition: Value) -> Value {
    json!({
        "Effect": "Allow",
        "Principal": { "Service": "s3.amazonaws.com" },
        "Action": action,
        "Resource": { "Ref": "Topic" },
        "Condition": condition
    })
}

fn scoped() -> Value {
    json!({
        "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } },
        "ArnLike": { "aws:SourceArn": "arn:aws:s3:::recordings-*" }
    })
}

#[test]
fn wildcard_action_added_to_a_topic_policy_broadens() {
    let old = topic_policy(s3_publish(json!("sns:Publish"), scoped()));
    let new = topic_policy(s3_publish(json!(["sns:Publish", "sns:*"]), scoped()));
    let d = run(old, new);
    let c = only(&d);
    assert_eq!(
        (c.kind, c.class),
        (ChangeKind::Modified, SecurityClass::Broadening)
    );
    assert_eq!(c.resource, "TopicPolicy");
    assert_eq!(c.property, "PolicyDocument");
    assert_eq!(
        c.reasons,
        ["action widened: sns:*", "wildcard action: sns:*"]
    );
    assert!(FailOn::Broadening.should_fail(&[d]));
}

fn bucket_policy(statements: Value) -> Value {
    json!({ "BucketPolicy": { "Type": "AWS::S3::BucketPolicy", "Properties": {
        "Bucket": { "Ref": "Bucket" },
        "PolicyDocument": { "Statement": statements }
    }}})
}

#[test]
fn principal_star_added_to_a_bucket_policy_broadens() {
    let read = |principal: Value| {
        json!({ "Sid": "Read", "Effect": "Allow", "Principal": principal,
                "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" })
    };
    let old = bucket_policy(json!([read(
        json!({ "AWS": "arn:aws:iam::111122223333:root" })
    )]));
    let new = bucket_policy(json!([read(json!("*"))]));
    let d = run(old, new);
    let c = only(&d);
    assert_eq!(c.class, SecurityClass::Broadening);
    assert_eq!(c.rule.principal, ["*"]);
    // The account's root is inside `*`: it is not reported as removed.
    assert_eq!(c.reasons, ["principal widened: *", "any principal (*)"]);
    assert!(FailOn::Broadening.should_fail(std::slice::from_ref(&d)));
    assert!(!FailOn::DataLoss.should_fail(std::slice::from_ref(&d)));
    // `{"AWS": "*"}` is the same principal as `"*"`: no change at all.
    let same = run(
        bucket_policy(json!([read(json!({ "AWS": "*" }))])),
        bucket_policy(json!([read(json!("*"))])),
    );
    assert!(same.security.is_empty(), "{:#?}", same.security);
}

#[test]
fn a_removed_condition_broadens() {
    let old = topic_policy(s3_publish(json!("sns:Publish"), scoped()));
    let new = topic_policy(s3_publish(
        json!("sns:Publish"),
        json!({ "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } }),
    ));
    let d = run(old, new);
    let c = only(&d);
    assert_eq!(c.class, SecurityClass::Broadening);
    assert_eq!(
        c.reasons,
        ["condition removed: ArnLike aws:SourceArn: arn:aws:s3:::recordings-*"]
    );
    assert!(FailOn::Broadening.should_fail(&[d]));
}

fn group(ingress: Value) -> Value {
    json!({ "Web": { "Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupDescription": "web",
        "SecurityGroupIngress": ingress
    }}})
}

#[test]
fn ingress_opened_to_the_internet_broadens() {
    let rule =
        |cidr: &str| json!({ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": cidr });
    let d = run(
        group(json!([rule("10.0.0.0/8")])),
        group(json!([rule("0.0.0.0/0")])),
    );
    let c = only(&d);
    assert_eq!(
        (c.kind, c.class),
        (ChangeKind::Modified, SecurityClass::Broadening)
    );
    assert_eq!(c.rule.principal, ["0.0.0.0/0"]);
    assert_eq!(c.rule.action, ["tcp 443"]);
    assert_eq!(
        c.reasons,
        [
            "principal widened: 0.0.0.0/0",
            "open to the internet (0.0.0.0/0)"
        ]
    );
    assert!(FailOn::Broadening.should_fail(std::slice::from_ref(&d)));
    // A standalone ingress resource open on IPv6 is new and broadening too.
    let open = json!({ "Ssh": { "Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
        "GroupId": { "Ref": "Web" }, "IpProtocol": "6", "FromPort": 22, "ToPort": 22, "CidrIpv6": "::/0"
    }}});
    let d = run(json!({}), open);
    let c = only(&d);
    assert_eq!(
        (c.kind, c.class),
        (ChangeKind::Added, SecurityClass::Broadening)
    );
    assert_eq!(c.rule.resource, ["!Ref Web"]);
    assert_eq!(
        c.reasons,
        ["new ingress rule", "open to the internet (::/0)"]
    );
}

#[test]
fn a_narrowed_statement_narrows() {
    let old = topic_policy(s3_publish(json!("sns:*"), json!({})));
    let new = topic_policy(s3_publish(json!("sns:Publish"), scoped()));
    let d = run(old, new);
    let c = only(&d);
    assert_eq!(c.class, SecurityClass::Narrowing, "{c:#?}");
    assert!(!FailOn::Broadening.should_fail(&[d]));
    // The same edit undone is broadening.
    let undo = run(
        topic_policy(s3_publish(json!("sns:Publish"), scoped())),
        topic_policy(s3_publish(json!("sns:*"), json!({}))),
    );
    assert_eq!(only(&undo).class, SecurityClass::Broadening);
}

#[test]
fn role_policies_are_matched_by_name_and_managed_policies_by_arn() {
    let role = |actions: Value, managed: Value| {
        json!({ "Fn": { "Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": { "Statement": [{ "Effect": "Allow",
                "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
            "ManagedPolicyArns": managed,
            "Policies": [{ "PolicyName": "reader", "PolicyDocument": { "Statement": [
                { "Effect": "Allow", "Action": actions, "Resource": "*" }] } }]
        }}})
    };
    let basic = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    let d = run(
        role(
            json!(["dynamodb:GetItem", "dynamodb:Query"]),
            json!([basic]),
        ),
        role(json!("dynamodb:GetItem"), json!([admin])),
    );
    let summary: Vec<(&str, ChangeKind, SecurityClass)> = d
        .security
        .iter()
        .map(|c| (c.property.as_str(), c.kind, c.class))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "ManagedPolicyArns",
                ChangeKind::Added,
                SecurityClass::Broadening
            ),
            (
                "ManagedPolicyArns",
                ChangeKind::Removed,
                SecurityClass::Narrowing
            ),
            (
                "Policies[reader].PolicyDocument",
                ChangeKind::Modified,
                SecurityClass::Narrowing
            ),
        ]
    );
}

#[test]
fn deny_statements_count_the_other_way() {
    let deny = |action: &str| json!({ "Effect": "Deny", "Principal": "*", "Action": action, "Resource": "*" });
    let d = run(
        bucket_policy(json!([deny("s3:*")])),
        bucket_policy(json!([deny("s3:DeleteObject")])),
    );
    assert_eq!(
        only(&d).class,
        SecurityClass::Broadening,
        "a smaller Deny grants more"
    );
    let d = run(
        bucket_policy(json!([deny("s3:*")])),
        bucket_policy(json!([])),
    );
    assert_eq!(
        (only(&d).kind, only(&d).class),
        (ChangeKind::Removed, SecurityClass::Broadening)
    );
    let d = run(
        bucket_policy(json!([])),
        bucket_policy(json!([deny("s3:*")])),
    );
    assert_eq!(only(&d).class, SecurityClass::Narrowing);
}

#[test]
fn lambda_permissions_and_policy_text_are_read() {
    let permission = |principal: &str| {
        json!({ "Invoke": { "Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction", "FunctionName": { "Ref": "Fn" }, "Principal": principal
        }}})
    };
    let d = run(permission("sns.amazonaws.com"), permission("*"));
    let c = only(&d);
    assert_eq!(c.class, SecurityClass::Broadening);
    assert_eq!(c.rule.principal, ["*"]);
    // Logs takes its policy as JSON text.
    let logs = |action: &str| {
        json!({ "P": { "Type": "AWS::Logs::ResourcePolicy", "Properties": {
            "PolicyName": "p",
            "PolicyDocument": format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":"es.amazonaws.com"}},"Action":"{action}","Resource":"*"}}]}}"#)
        }}})
    };
    let d = run(logs("logs:PutLogEvents"), logs("logs:*"));
    assert_eq!(only(&d).class, SecurityClass::Broadening);
}

#[test]
fn renamed_resources_with_equal_policies_change_nothing() {
    let policy = topic_policy(s3_publish(json!("sns:Publish"), scoped()));
    let renamed = json!({ "Renamed": policy["TopicPolicy"].clone() });
    let d = run(policy, renamed);
    assert_eq!(d.resources[0].kind, ChangeKind::Renamed);
    assert!(d.security.is_empty(), "{:#?}", d.security);
}

#[test]
fn the_infra_stack_against_itself_is_quiet_and_from_nothing_broadens() {
    let template: Value =
        serde_json::from_str(include_str!("../../stacks/templates/infra-dev.json"))
            .expect("template");
    let d = diff("infra-dev", Some(&template), Some(&template));
    assert!(d.security.is_empty());
    let d = diff("infra-dev", None, Some(&template));
    assert!(!d.security.is_empty());
    assert!(
        d.security
            .iter()
            .all(|c| c.class == SecurityClass::Broadening)
    );
    assert!(
        d.security
            .iter()
            .all(|c| c.type_name == "AWS::SNS::TopicPolicy")
    );
}

/// The schema node `node` stands for, `$ref`s to `#/definitions/...` followed.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        Some(name) => resolve(root, &root["definitions"][name]),
        None => node,
    }
}

/// Whether the dotted carrier path (`Policies[].PolicyDocument`) is in `root`.
fn has_path(root: &Value, path: &str) -> bool {
    let mut node = root;
    for seg in path.split('.') {
        let (key, each) = match seg.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (seg, false),
        };
        let Some(next) = resolve(root, node)
            .get("properties")
            .and_then(|p| p.get(key))
        else {
            return false;
        };
        node = next;
        if each {
            match resolve(root, node).get("items") {
                Some(items) => node = items,
                None => return false,
            }
        }
    }
    true
}

#[test]
fn every_carrier_is_a_property_of_its_registry_type() {
    use infra_check::security::{CARRIERS, Form};
    for c in CARRIERS {
        let meta = infra_registry::lookup(c.type_name)
            .unwrap_or_else(|| panic!("{} is not in the pinned registry", c.type_name));
        let schema = meta.schema();
        let paths: Vec<&str> = match c.form {
            Form::GroupRule(_) => vec!["IpProtocol"],
            Form::LambdaPermission => vec!["Principal", "Action", "FunctionName", "SourceArn"],
            Form::LayerPermission => {
                vec!["Principal", "Action", "LayerVersionArn", "OrganizationId"]
            }
            _ => vec![c.path],
        };
        for path in paths {
            assert!(
                has_path(schema, path),
                "{} has no property {path}",
                c.type_name
            );
        }
        assert!(
            c.source()
                .starts_with("AWS CloudFormation User Guide, aws-resource-")
        );
    }
    let topic = CARRIERS
        .iter()
        .find(|c| c.type_name == "AWS::SNS::TopicPolicy")
        .expect("row");
    assert_eq!(
        topic.source(),
        "AWS CloudFormation User Guide, aws-resource-sns-topicpolicy"
    );
}

/// A property the registry types as free-form JSON: an object (or object or
/// string) with no declared properties.
fn free_form(root: &Value, node: &Value) -> bool {
    let node = resolve(root, node);
    let object = match node.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
        _ => false,
    };
    object && node.get("properties").is_none() && node.get("patternProperties").is_none()
}

#[test]
fn the_registrys_policy_documents_are_all_reviewed() {
    use infra_check::security::{CARRIERS, NOT_CARRIERS};
    let mut unreviewed = Vec::new();
    let mut found = 0;
    for name in infra_registry::type_names() {
        let Some(meta) = infra_registry::lookup(name) else {
            continue;
        };
        let schema = meta.schema();
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            continue;
        };
        for (prop, node) in props {
            if !prop.contains("Polic") || !free_form(schema, node) {
                continue;
            }
            found += 1;
            let carried = CARRIERS
                .iter()
                .any(|c| c.type_name == name && c.path == prop);
            let excluded = NOT_CARRIERS.iter().any(|(t, p, _)| *t == name && p == prop);
            if !carried && !excluded {
                unreviewed.push(format!("{name} {prop}"));
            }
        }
    }
    assert!(
        found > 50,
        "the registry scan found only {found} policy properties"
    );
    assert!(
        unreviewed.is_empty(),
        "not in CARRIERS nor NOT_CARRIERS: {unreviewed:#?}"
    );
    for (t, p, why) in NOT_CARRIERS {
        assert!(!why.is_empty());
        assert!(
            !CARRIERS.iter().any(|c| c.type_name == *t && c.path == *p),
            "{t} {p} is both"
        );
    }
}

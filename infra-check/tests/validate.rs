//! Validation: one bad template per rule, each asserting the exact message
//! and path, and a clean template that passes.

mod common;

use common::{STACK, base, with, without};
use infra_check::{Problem, validate, validate_app_with, validate_with};
use serde_json::{Value, json};

fn problems(t: &Value) -> Vec<Problem> {
    validate_with(infra_check::default_types(), STACK, t)
}

/// The problems of `t` as printed.
fn shown(t: &Value) -> Vec<String> {
    problems(t).iter().map(ToString::to_string).collect()
}

/// Asserts the one problem of `t`: its rule, path and printed form.
fn assert_one(t: &Value, rule: &str, path: &str, text: &str) {
    let found = problems(t);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].rule, found[0].path.as_str()), (rule, path));
    assert_eq!(found[0].to_string(), text);
}

const TABLE: &str = "Resources.InvitesTable.Properties";
const BUCKET: &str = "Resources.RecordingsBucket.Properties";
const TOPIC: &str = "Resources.NewRecordingTopic.Properties";

#[test]
fn clean_template_passes() {
    assert_eq!(shown(&base()), Vec::<String>::new());
}

#[test]
fn clean_template_passes_the_generated_registry() {
    assert_eq!(validate(STACK, &base()), Vec::new());
}

// ---- literal values against registry constraints ----

#[test]
fn enum_value() {
    let t = with(base(), &format!("{TABLE}.BillingMode"), json!("PAY"));
    assert_one(
        &t,
        "E-enum",
        "Resources.InvitesTable.Properties.BillingMode",
        "infra-dev: Resources.InvitesTable.Properties.BillingMode: \"PAY\" is not one of the allowed values (allowed: PAY_PER_REQUEST, PROVISIONED)",
    );
    assert_eq!(problems(&t)[0].logical_id.as_deref(), Some("InvitesTable"));
}

#[test]
fn enum_inside_array_items() {
    let t = with(
        base(),
        &format!("{TABLE}.AttributeDefinitions"),
        json!([
            { "AttributeName": "workspaceId", "AttributeType": "S" },
            { "AttributeName": "email", "AttributeType": "STRING" }
        ]),
    );
    assert_one(
        &t,
        "E-enum",
        "Resources.InvitesTable.Properties.AttributeDefinitions[1].AttributeType",
        "infra-dev: Resources.InvitesTable.Properties.AttributeDefinitions[1].AttributeType: \"STRING\" is not one of the allowed values (allowed: B, N, S)",
    );
}

#[test]
fn pattern() {
    let t = with(
        base(),
        &format!("{TABLE}.GlobalSecondaryIndexes"),
        json!([{ "IndexName": "by email", "KeySchema": [{ "AttributeName": "email", "KeyType": "HASH" }], "Projection": { "ProjectionType": "ALL" } }]),
    );
    assert_one(
        &t,
        "E-pattern",
        "Resources.InvitesTable.Properties.GlobalSecondaryIndexes[0].IndexName",
        "infra-dev: Resources.InvitesTable.Properties.GlobalSecondaryIndexes[0].IndexName: \"by email\" does not match pattern ^[a-zA-Z0-9_.-]+$",
    );
}

#[test]
fn pattern_the_regex_crate_cannot_compile_is_skipped() {
    let t = with(
        base(),
        &format!("{TOPIC}.DisplayName"),
        json!("aws-anything"),
    );
    assert_eq!(shown(&t), Vec::<String>::new());
}

#[test]
fn min_length() {
    let t = with(
        base(),
        &format!("{TABLE}.GlobalSecondaryIndexes"),
        json!([{ "IndexName": "ab", "KeySchema": [{ "AttributeName": "email", "KeyType": "HASH" }], "Projection": { "ProjectionType": "ALL" } }]),
    );
    assert_one(
        &t,
        "E-min-length",
        "Resources.InvitesTable.Properties.GlobalSecondaryIndexes[0].IndexName",
        "infra-dev: Resources.InvitesTable.Properties.GlobalSecondaryIndexes[0].IndexName: \"ab\" is 2 characters long, shorter than the minimum of 3",
    );
}

#[test]
fn max_length() {
    let key = "k".repeat(129);
    let t = with(
        base(),
        &format!("{BUCKET}.Tags"),
        json!([{ "Key": key, "Value": "v" }]),
    );
    assert_one(
        &t,
        "E-max-length",
        "Resources.RecordingsBucket.Properties.Tags[0].Key",
        &format!(
            "infra-dev: Resources.RecordingsBucket.Properties.Tags[0].Key: \"{}...\" is 129 characters long, longer than the maximum of 128",
            "k".repeat(120)
        ),
    );
}

#[test]
fn minimum_and_maximum() {
    let super_base = base;
    let spec = format!("{TABLE}.PointInTimeRecoverySpecification");
    let base = || {
        with(
            super_base(),
            &spec,
            json!({ "PointInTimeRecoveryEnabled": true }),
        )
    };
    let path = format!("{spec}.RecoveryPeriodInDays");
    assert_one(
        &with(base(), &path, json!(0)),
        "E-minimum",
        &path,
        "infra-dev: Resources.InvitesTable.Properties.PointInTimeRecoverySpecification.RecoveryPeriodInDays: 0 is less than the minimum of 1",
    );
    assert_one(
        &with(base(), &path, json!("36")),
        "E-maximum",
        &path,
        "infra-dev: Resources.InvitesTable.Properties.PointInTimeRecoverySpecification.RecoveryPeriodInDays: \"36\" is greater than the maximum of 35",
    );
}

#[test]
fn min_items() {
    let t = with(base(), &format!("{TABLE}.KeySchema"), json!([]));
    assert_one(
        &t,
        "E-min-items",
        "Resources.InvitesTable.Properties.KeySchema",
        "infra-dev: Resources.InvitesTable.Properties.KeySchema: has 0 items, fewer than the minimum of 1",
    );
}

#[test]
fn max_items() {
    let keys: Vec<Value> = [("a", "HASH"), ("b", "RANGE"), ("c", "RANGE")]
        .iter()
        .map(|(k, t)| json!({ "AttributeName": k, "KeyType": t }))
        .collect();
    let t = with(base(), &format!("{TABLE}.KeySchema"), json!(keys));
    assert_one(
        &t,
        "E-max-items",
        "Resources.InvitesTable.Properties.KeySchema",
        "infra-dev: Resources.InvitesTable.Properties.KeySchema: has 3 items, more than the maximum of 2",
    );
}

#[test]
fn intrinsics_are_not_literals() {
    let t = with(
        base(),
        &format!("{TABLE}.BillingMode"),
        json!({ "Ref": "Stage" }),
    );
    let t = with(
        t,
        &format!("{TABLE}.KeySchema"),
        json!({ "Fn::If": ["IsProd", { "Ref": "AWS::NoValue" }, { "Fn::Split": [",", "a,b"] }] }),
    );
    assert_eq!(shown(&t), Vec::<String>::new());
}

#[test]
fn ref_to_a_parameter_checks_its_allowed_values() {
    let t = with(
        base(),
        "Parameters.Mode",
        json!({ "Type": "String", "AllowedValues": ["PROVISIONED", "ON_DEMAND"] }),
    );
    let t = with(t, &format!("{TABLE}.BillingMode"), json!({ "Ref": "Mode" }));
    assert_one(
        &t,
        "E-enum",
        "Resources.InvitesTable.Properties.BillingMode.Ref",
        "infra-dev: Resources.InvitesTable.Properties.BillingMode.Ref: \"ON_DEMAND\" is not one of the allowed values (an AllowedValues entry of parameter Mode) (allowed: PAY_PER_REQUEST, PROVISIONED)",
    );
}

#[test]
fn known_sub_and_join_are_checked_as_the_string_they_give() {
    let t = with(
        base(),
        &format!("{TABLE}.BillingMode"),
        json!({ "Fn::Sub": "PAY_${AWS::Region}" }),
    );
    let t = with(
        t,
        &format!("{TABLE}.TableClass"),
        json!({ "Fn::Join": ["_", ["STANDARD", "IA"]] }),
    );
    let t = with(t, "Outputs.list", json!({ "Value": ["a"] }));
    assert_eq!(
        shown(&t),
        [
            "infra-dev: Outputs.list.Value: [\"a\"] is not a string, nor a function that gives one",
            "infra-dev: Resources.InvitesTable.Properties.TableClass.Fn::Join: \"STANDARD_IA\" is not one of the allowed values (allowed: STANDARD, STANDARD_INFREQUENT_ACCESS)",
        ]
    );
}

#[test]
fn conditions_in_a_circle() {
    let t = with(
        base(),
        "Conditions.A",
        json!({ "Fn::Not": [{ "Condition": "B" }] }),
    );
    let t = with(
        t,
        "Conditions.B",
        json!({ "Fn::And": [{ "Condition": "A" }, { "Condition": "IsProd" }] }),
    );
    assert_eq!(
        shown(&t),
        [
            "infra-dev: Conditions.A: uses itself through its Condition references",
            "infra-dev: Conditions.B: uses itself through its Condition references",
        ]
    );
}

#[test]
fn each_branch_of_if_is_checked() {
    let t = with(
        base(),
        &format!("{TABLE}.BillingMode"),
        json!({ "Fn::If": ["IsProd", "PROVISIONED", "ON_DEMAND"] }),
    );
    assert_one(
        &t,
        "E-enum",
        "Resources.InvitesTable.Properties.BillingMode.Fn::If[2]",
        "infra-dev: Resources.InvitesTable.Properties.BillingMode.Fn::If[2]: \"ON_DEMAND\" is not one of the allowed values (allowed: PAY_PER_REQUEST, PROVISIONED)",
    );
}

#[test]
fn every_registry_type_is_checked_and_custom_types_are_not() {
    let t = with(
        base(),
        "Resources.Instance",
        json!({
            "Type": "AWS::EC2::Instance",
            "Properties": { "BillingMode": "PAY" }
        }),
    );
    let t = with(
        t,
        "Resources.Custom",
        json!({ "Type": "Custom::Thing", "Properties": { "ServiceToken": "arn", "Any": 1 } }),
    );
    let t = with(
        t,
        "Outputs.custom",
        json!({ "Value": { "Fn::GetAtt": ["Custom", "Anything"] } }),
    );
    let t = with(
        t,
        "Outputs.instance",
        json!({ "Value": { "Fn::GetAtt": ["Instance", "PublicIp"] } }),
    );
    assert_eq!(
        shown(&t),
        [
            "infra-dev: Resources.Instance.Properties.BillingMode: \"BillingMode\" is not a property here"
        ]
    );
    let t = with(
        base(),
        "Resources.Bucket2",
        json!({ "Type": "AWS::S3::Buckett" }),
    );
    assert_eq!(
        shown(&t),
        [
            "infra-dev: Resources.Bucket2.Type: \"AWS::S3::Buckett\" is not a resource type of the registry; did you mean AWS::S3::Bucket?"
        ]
    );
}

/// A custom resource's properties belong to its provider, except
/// `ServiceToken`, which CloudFormation itself needs (cfn-lint E3003 on the
/// `AWS::CloudFormation::CustomResource` schema says the same).
#[test]
fn custom_resources_need_a_service_token() {
    let t = with(
        base(),
        "Resources.NoToken",
        json!({ "Type": "Custom::Thing", "Properties": { "Any": 1 } }),
    );
    let t = with(
        t,
        "Resources.NoProperties",
        json!({ "Type": "AWS::CloudFormation::CustomResource" }),
    );
    let t = with(
        t,
        "Resources.Chosen",
        json!({ "Type": "Custom::Thing", "Properties": { "Fn::If": ["IsProd", { "ServiceToken": "a" }, { "ServiceToken": "b" }] } }),
    );
    let t = with(t, "Conditions.IsProd", json!({ "Fn::Equals": ["a", "b"] }));
    assert_eq!(
        shown(&t),
        [
            "infra-dev: Resources.NoProperties.Properties: is missing required property ServiceToken",
            "infra-dev: Resources.NoToken.Properties: is missing required property ServiceToken",
        ]
    );
}

/// `UpdatePolicy` applies to six types only; on another it is a mistake.
#[test]
fn update_policy_on_a_type_that_takes_none() {
    let t = with(
        base(),
        "Resources.NewRecordingTopic.UpdatePolicy",
        json!({ "AutoScalingRollingUpdate": { "MaxBatchSize": 1 } }),
    );
    assert_one(
        &t,
        "E-update-policy",
        "Resources.NewRecordingTopic.UpdatePolicy",
        "infra-dev: Resources.NewRecordingTopic.UpdatePolicy: does not apply to AWS::SNS::Topic (allowed: AWS::AppStream::Fleet, AWS::AutoScaling::AutoScalingGroup, AWS::ElastiCache::ReplicationGroup, AWS::Elasticsearch::Domain, AWS::Lambda::Alias, AWS::OpenSearchService::Domain)",
    );
}

// ---- references ----

#[test]
fn ref_to_nothing() {
    let t = with(
        base(),
        &format!("{BUCKET}.NotificationConfiguration.TopicConfigurations"),
        json!([
            { "Event": "s3:ObjectCreated:*", "Topic": { "Ref": "NewRecordingsTopic" } }
        ]),
    );
    assert_one(
        &t,
        "E-ref",
        "Resources.RecordingsBucket.Properties.NotificationConfiguration.TopicConfigurations[0].Topic.Ref",
        "infra-dev: Resources.RecordingsBucket.Properties.NotificationConfiguration.TopicConfigurations[0].Topic.Ref: \"NewRecordingsTopic\" is not a resource or parameter of this stack",
    );
}

#[test]
fn ref_to_unknown_pseudo_parameter() {
    let t = with(
        base(),
        "Outputs.region",
        json!({ "Value": { "Ref": "AWS::Regoin" } }),
    );
    assert_one(
        &t,
        "E-ref",
        "Outputs.region.Value.Ref",
        "infra-dev: Outputs.region.Value.Ref: \"AWS::Regoin\" is not a pseudo parameter (allowed: AWS::AccountId, AWS::NotificationARNs, AWS::NoValue, AWS::Partition, AWS::Region, AWS::StackId, AWS::StackName, AWS::URLSuffix)",
    );
}

#[test]
fn get_att_of_missing_resource() {
    let t = with(
        base(),
        "Outputs.workspacesTableArn",
        json!({ "Value": { "Fn::GetAtt": ["WorkspacesTable", "Arn"] } }),
    );
    assert_one(
        &t,
        "E-getatt",
        "Outputs.workspacesTableArn.Value.Fn::GetAtt",
        "infra-dev: Outputs.workspacesTableArn.Value.Fn::GetAtt: \"WorkspacesTable.Arn\" is not a resource of this stack",
    );
}

#[test]
fn get_att_of_parameter() {
    let t = with(
        base(),
        "Outputs.stage",
        json!({ "Value": { "Fn::GetAtt": "Stage.Value" } }),
    );
    assert_one(
        &t,
        "E-getatt",
        "Outputs.stage.Value.Fn::GetAtt",
        "infra-dev: Outputs.stage.Value.Fn::GetAtt: \"Stage.Value\" names a parameter, which has no attributes",
    );
}

#[test]
fn get_att_of_missing_attribute() {
    let t = with(
        base(),
        "Outputs.recordingsBucketArn.Value",
        json!({ "Fn::GetAtt": ["RecordingsBucket", "BucketArn"] }),
    );
    assert_one(
        &t,
        "E-getatt-attribute",
        "Outputs.recordingsBucketArn.Value.Fn::GetAtt",
        "infra-dev: Outputs.recordingsBucketArn.Value.Fn::GetAtt: \"RecordingsBucket.BucketArn\" names no attribute of AWS::S3::Bucket (allowed: Arn, DomainName, DualStackDomainName, MetadataConfiguration.AnnotationTableConfiguration.TableArn, MetadataConfiguration.AnnotationTableConfiguration.TableName, MetadataConfiguration.Destination, MetadataConfiguration.InventoryTableConfiguration.TableArn, MetadataConfiguration.InventoryTableConfiguration.TableName, MetadataConfiguration.JournalTableConfiguration.TableArn, MetadataConfiguration.JournalTableConfiguration.TableName, MetadataTableConfiguration.S3TablesDestination.TableArn, MetadataTableConfiguration.S3TablesDestination.TableNamespace, RegionalDomainName, WebsiteURL)",
    );
}

#[test]
fn get_att_of_names_cloudformation_accepts() {
    // Not read-only properties, but CloudFormation accepts them (issue 10).
    let t = with(
        base(),
        "Resources.Queue",
        json!({ "Type": "AWS::SQS::Queue" }),
    );
    let t = with(
        t,
        "Outputs.topicName",
        json!({ "Value": { "Fn::GetAtt": ["NewRecordingTopic", "TopicName"] } }),
    );
    let t = with(
        t,
        "Outputs.queueName",
        json!({ "Value": { "Fn::GetAtt": ["Queue", "QueueName"] } }),
    );
    assert_eq!(shown(&t), Vec::<String>::new());
}

#[test]
fn get_att_of_nested_attribute() {
    let t = with(
        base(),
        "Outputs.metadataTable",
        json!({
            "Value": { "Fn::GetAtt": "RecordingsBucket.MetadataTableConfiguration.S3TablesDestination.TableArn" }
        }),
    );
    assert_eq!(shown(&t), Vec::<String>::new());
}

#[test]
fn sub_variable_names_nothing() {
    let t = with(
        base(),
        &format!("{TOPIC}.TopicName"),
        json!({ "Fn::Sub": "${Stage}-${AWS::StackName}-${Satge}" }),
    );
    assert_one(
        &t,
        "E-sub",
        "Resources.NewRecordingTopic.Properties.TopicName.Fn::Sub",
        "infra-dev: Resources.NewRecordingTopic.Properties.TopicName.Fn::Sub: \"${Satge}\" is not a resource or parameter of this stack",
    );
}

#[test]
fn sub_attribute_names_nothing() {
    let t = with(
        base(),
        "Outputs.stream",
        json!({ "Value": { "Fn::Sub": "${InvitesTable.StreamArn}/${InvitesTable.Stream}" } }),
    );
    assert_one(
        &t,
        "E-getatt-attribute",
        "Outputs.stream.Value.Fn::Sub",
        "infra-dev: Outputs.stream.Value.Fn::Sub: \"${InvitesTable.Stream}\" names no attribute of AWS::DynamoDB::Table (allowed: Arn, StreamArn)",
    );
}

#[test]
fn sub_variables_from_its_map_are_defined() {
    let t = with(
        base(),
        "Outputs.url",
        json!({
            "Value": { "Fn::Sub": ["https://${Host}/${!NotAVariable}", { "Host": { "Fn::GetAtt": ["RecordingsBucket", "DomainName"] } }] }
        }),
    );
    assert_eq!(shown(&t), Vec::<String>::new());
    let t = with(
        t,
        "Outputs.url.Value.Fn::Sub",
        json!(["${Host}", { "Host": { "Ref": "Nope" } }]),
    );
    assert_one(
        &t,
        "E-ref",
        "Outputs.url.Value.Fn::Sub[1].Host.Ref",
        "infra-dev: Outputs.url.Value.Fn::Sub[1].Host.Ref: \"Nope\" is not a resource or parameter of this stack",
    );
}

#[test]
fn depends_on_nothing() {
    let t = with(
        base(),
        "Resources.RecordingsBucket.DependsOn",
        json!(["NewRecordingTopicPolicy", "TopicPolicy"]),
    );
    assert_one(
        &t,
        "E-depends-on",
        "Resources.RecordingsBucket.DependsOn",
        "infra-dev: Resources.RecordingsBucket.DependsOn: \"TopicPolicy\" is not a resource of this stack",
    );
}

#[test]
fn condition_names_nothing() {
    let t = with(
        base(),
        "Resources.ProdAlarmTopic.Condition",
        json!("IsProduction"),
    );
    assert_one(
        &t,
        "E-condition",
        "Resources.ProdAlarmTopic.Condition",
        "infra-dev: Resources.ProdAlarmTopic.Condition: \"IsProduction\" is not a condition of this stack",
    );
    let t = with(
        base(),
        "Resources.ProdAlarmTopic.Properties.TopicName.Fn::If",
        json!(["IsDev", "a", "b"]),
    );
    assert_one(
        &t,
        "E-condition",
        "Resources.ProdAlarmTopic.Properties.TopicName.Fn::If",
        "infra-dev: Resources.ProdAlarmTopic.Properties.TopicName.Fn::If: \"IsDev\" is not a condition of this stack",
    );
    let t = with(base(), "Outputs.invitesTableArn.Condition", json!("IsDev"));
    assert_one(
        &t,
        "E-condition",
        "Outputs.invitesTableArn.Condition",
        "infra-dev: Outputs.invitesTableArn.Condition: \"IsDev\" is not a condition of this stack",
    );
    let t = with(
        base(),
        "Conditions.IsProdEu",
        json!({ "Fn::And": [{ "Condition": "IsProd" }, { "Condition": "IsEu" }] }),
    );
    assert_one(
        &t,
        "E-condition",
        "Conditions.IsProdEu.Fn::And[1].Condition",
        "infra-dev: Conditions.IsProdEu.Fn::And[1].Condition: \"IsEu\" is not a condition of this stack",
    );
}

#[test]
fn conditions_refer_only_to_parameters() {
    let t = with(
        base(),
        "Conditions.HasTopic",
        json!({ "Fn::Equals": [{ "Ref": "NewRecordingTopic" }, ""] }),
    );
    assert_one(
        &t,
        "E-condition-ref",
        "Conditions.HasTopic.Fn::Equals[0].Ref",
        "infra-dev: Conditions.HasTopic.Fn::Equals[0].Ref: \"NewRecordingTopic\" is a resource; conditions can refer only to parameters",
    );
}

#[test]
fn malformed_intrinsic() {
    let t = with(
        base(),
        "Outputs.invitesTableArn.Value",
        json!({ "Fn::GetAtt": ["InvitesTable"] }),
    );
    assert_one(
        &t,
        "E-intrinsic",
        "Outputs.invitesTableArn.Value.Fn::GetAtt",
        "infra-dev: Outputs.invitesTableArn.Value.Fn::GetAtt: [\"InvitesTable\"] is not a valid Fn::GetAtt",
    );
}

/// `Fn::GetStackOutput` takes `{StackName, OutputName}` and optionally
/// `Region` and `RoleArn` (the CloudFormation function reference).
#[test]
fn get_stack_output_arguments() {
    let value = "Outputs.invitesTableArn.Value";
    let good = json!({ "Fn::GetStackOutput": {
        "StackName": { "Fn::Sub": "network-${AWS::Region}" },
        "OutputName": "vpcId",
        "Region": "eu-west-1",
        "RoleArn": "arn:aws:iam::123456789012:role/reader"
    } });
    assert_eq!(shown(&with(base(), value, good)), Vec::<String>::new());
    let bad = [
        json!({ "StackName": "network" }),
        json!({ "StackName": "network", "OutputName": "vpcId", "Account": "1" }),
        json!(["network", "vpcId"]),
    ];
    let found: Vec<String> = bad
        .into_iter()
        .flat_map(|arg| shown(&with(base(), value, json!({ "Fn::GetStackOutput": arg }))))
        .collect();
    let takes = "is not a valid Fn::GetStackOutput argument: Fn::GetStackOutput takes {StackName, OutputName, Region (optional), RoleArn (optional)}";
    let at = "infra-dev: Outputs.invitesTableArn.Value.Fn::GetStackOutput";
    assert_eq!(
        found,
        [
            format!("{at}: {{\"StackName\":\"network\"}} {takes}"),
            format!(
                "{at}: {{\"Account\":\"1\",\"OutputName\":\"vpcId\",\"StackName\":\"network\"}} {takes}"
            ),
            format!("{at}: [\"network\",\"vpcId\"] {takes}"),
        ]
    );
}

// ---- cycles ----

#[test]
fn cycle_through_ref_and_get_att() {
    // The trap of the design: a topic policy scoped with GetAtt Bucket.Arn
    // while the bucket depends on the policy.
    let t = with(
        base(),
        "Resources.NewRecordingTopicPolicy.Properties.PolicyDocument.Statement",
        json!([{ "Effect": "Allow", "Condition": { "ArnLike": { "aws:SourceArn": { "Fn::GetAtt": ["RecordingsBucket", "Arn"] } } } }]),
    );
    // Each resource of the cycle is reported, so that each is located.
    assert_eq!(
        shown(&t),
        [
            "infra-dev: Resources.NewRecordingTopicPolicy: circular dependency: NewRecordingTopicPolicy -> RecordingsBucket -> NewRecordingTopicPolicy",
            "infra-dev: Resources.RecordingsBucket: circular dependency: NewRecordingTopicPolicy -> RecordingsBucket -> NewRecordingTopicPolicy",
        ]
    );
}

#[test]
fn cycle_through_sub_and_depends_on() {
    let t = with(
        base(),
        "Resources.NewRecordingTopic.DependsOn",
        json!("RecordingsBucket"),
    );
    let t = with(
        t,
        "Resources.InvitesTable.Properties.TableName",
        json!({ "Fn::Sub": "${InvitesTable}-x" }),
    );
    let found = shown(&t);
    assert_eq!(
        found,
        vec![
            "infra-dev: Resources.InvitesTable: circular dependency: InvitesTable -> InvitesTable",
            "infra-dev: Resources.NewRecordingTopic: circular dependency: NewRecordingTopic -> RecordingsBucket -> NewRecordingTopic",
            "infra-dev: Resources.RecordingsBucket: circular dependency: NewRecordingTopic -> RecordingsBucket -> NewRecordingTopic",
        ]
    );
}

// ---- limits and names ----

fn many(n: usize, entry: impl Fn(usize) -> (String, Value)) -> Value {
    Value::Object((0..n).map(entry).collect())
}

#[test]
fn too_many_resources() {
    let resources = many(501, |i| {
        (format!("Topic{i}"), json!({ "Type": "AWS::SNS::Topic" }))
    });
    let t = with(base(), "Resources", resources);
    let t = without(t, "Outputs");
    assert_one(
        &t,
        "E-limit-resources",
        "Resources",
        "infra-dev: Resources: has 501 entries, more than the limit of 500",
    );
}

#[test]
fn too_many_outputs_and_parameters() {
    let outputs = many(201, |i| (format!("out{i}"), json!({ "Value": "x" })));
    let parameters = many(201, |i| (format!("Param{i}"), json!({ "Type": "String" })));
    let t = with(with(base(), "Outputs", outputs), "Parameters", parameters);
    let t = with(
        t,
        "Conditions",
        json!({ "IsProd": { "Fn::Equals": ["a", "b"] } }),
    );
    assert_eq!(
        shown(&t),
        vec![
            "infra-dev: Outputs: has 201 entries, more than the limit of 200",
            "infra-dev: Parameters: has 201 entries, more than the limit of 200",
        ]
    );
}

#[test]
fn template_body_too_large() {
    let t = with(
        base(),
        "Resources.InvitesTable.Metadata",
        json!({ "Blob": "x".repeat(1_000_000) }),
    );
    let found = problems(&t);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].rule, found[0].path.as_str()),
        ("E-limit-size", "")
    );
    let size = infra_check::body_size(&t);
    assert_eq!(
        found[0].to_string(),
        format!("infra-dev: the template body is {size} bytes, more than the limit of 1000000")
    );
}

#[test]
fn inline_limit_is_a_note_not_a_problem() {
    assert!(!infra_check::inline_limit_exceeded(51_200));
    assert!(infra_check::inline_limit_exceeded(51_201));
    let t = with(
        base(),
        "Resources.InvitesTable.Metadata",
        json!({ "Blob": "x".repeat(60_000) }),
    );
    assert!(infra_check::inline_limit_exceeded(infra_check::body_size(
        &t
    )));
    assert_eq!(shown(&t), Vec::<String>::new());
}

#[test]
fn logical_ids_and_output_names() {
    let t = with(
        base(),
        "Resources.my-topic",
        json!({ "Type": "AWS::SNS::Topic" }),
    );
    assert_one(
        &t,
        "E-logical-id",
        "Resources.my-topic",
        "infra-dev: Resources.my-topic: \"my-topic\" is not a valid logical ID (allowed: 1 to 255 ASCII letters and digits)",
    );
    let t = with(base(), "Outputs.invites_table", json!({ "Value": "x" }));
    assert_one(
        &t,
        "E-output-name",
        "Outputs.invites_table",
        "infra-dev: Outputs.invites_table: \"invites_table\" is not a valid output name (allowed: 1 to 255 ASCII letters and digits)",
    );
    let long = "T".repeat(256);
    let t = with(
        base(),
        &format!("Resources.{long}"),
        json!({ "Type": "AWS::SNS::Topic" }),
    );
    assert_eq!(problems(&t)[0].rule, "E-logical-id");
}

#[test]
fn parameter_and_resource_share_a_name() {
    let t = with(
        base(),
        "Parameters.InvitesTable",
        json!({ "Type": "String" }),
    );
    assert_one(
        &t,
        "E-duplicate-id",
        "Resources.InvitesTable",
        "infra-dev: Resources.InvitesTable: \"InvitesTable\" is both a parameter and a resource",
    );
}

#[test]
fn export_names_unique_in_a_stack() {
    // A literal and a Sub that resolve to the same name.
    let t = with(
        base(),
        "Outputs.copy",
        json!({
            "Value": "x",
            "Export": { "Name": "infra-dev-invitesTableArn" }
        }),
    );
    assert_one(
        &t,
        "E-export-duplicate",
        "Outputs.invitesTableArn.Export.Name",
        "infra-dev: Outputs.invitesTableArn.Export.Name: \"infra-dev-invitesTableArn\" is also the export name of output copy",
    );
}

#[test]
fn export_names_unique_across_stacks() {
    let other = json!({
        "Resources": { "Topic": { "Type": "AWS::SNS::Topic" } },
        "Outputs": {
            "topicArn": {
                "Value": { "Ref": "Topic" },
                "Export": { "Name": { "Fn::Join": ["-", [{ "Ref": "AWS::StackName" }, "topicArn"]] } }
            },
            "legacy": { "Value": "x", "Export": { "Name": "infra-dev-newRecordingTopicArn" } }
        }
    });
    let stacks = vec![(STACK.to_owned(), base()), ("media-dev".to_owned(), other)];
    let found: Vec<String> = validate_app_with(infra_check::default_types(), &stacks)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        found,
        vec![
            "media-dev: Outputs.legacy.Export.Name: \"infra-dev-newRecordingTopicArn\" is also the export name of output newRecordingTopicArn of stack infra-dev",
        ]
    );
}

// ---- service naming rules ----

fn bucket_name(name: Value) -> Vec<String> {
    let t = with(base(), &format!("{BUCKET}.BucketName"), name);
    problems(&t)
        .into_iter()
        .filter(|p| p.rule == "E-s3-bucket-name")
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn s3_bucket_name_literal() {
    let t = with(base(), &format!("{BUCKET}.BucketName"), json!("Bad_Name"));
    assert_eq!(
        shown(&t),
        vec![
            "infra-dev: Resources.RecordingsBucket.Properties.BucketName: \"Bad_Name\" does not match pattern ^([a-z0-9][a-z0-9.-]*[a-z0-9])?$",
            "infra-dev: Resources.RecordingsBucket.Properties.BucketName: \"Bad_Name\" is not a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens, not 'B', 'N', '_'",
        ]
    );
    assert_eq!(
        problems(&t)[1].path,
        "Resources.RecordingsBucket.Properties.BucketName"
    );
}

#[test]
fn s3_bucket_name_forms() {
    let p = "infra-dev: Resources.RecordingsBucket.Properties.BucketName:";
    assert_eq!(
        bucket_name(json!("ab")),
        vec![format!(
            "{p} \"ab\" is not a valid S3 bucket name: it is 2 characters long, not 3 to 63"
        )]
    );
    assert_eq!(
        bucket_name(json!("a..b")),
        vec![format!(
            "{p} \"a..b\" is not a valid S3 bucket name: it must not contain two adjacent dots"
        )]
    );
    assert_eq!(
        bucket_name(json!("192.168.5.4")),
        vec![format!(
            "{p} \"192.168.5.4\" is not a valid S3 bucket name: it must not be formatted as an IP address"
        )]
    );
    assert_eq!(
        bucket_name(json!("xn--bucket")),
        vec![format!(
            "{p} \"xn--bucket\" is not a valid S3 bucket name: it must not begin with \"xn--\""
        )]
    );
    assert_eq!(
        bucket_name(json!("bucket-s3alias")),
        vec![format!(
            "{p} \"bucket-s3alias\" is not a valid S3 bucket name: it must not end with \"-s3alias\""
        )]
    );
    assert_eq!(
        bucket_name(json!("-bucket")),
        vec![format!(
            "{p} \"-bucket\" is not a valid S3 bucket name: it must begin and end with a letter or a digit"
        )]
    );
    assert_eq!(
        bucket_name(json!("recordings.example-123")),
        Vec::<String>::new()
    );
}

#[test]
fn s3_bucket_name_built_with_sub() {
    let p = "infra-dev: Resources.RecordingsBucket.Properties.BucketName:";
    assert_eq!(
        bucket_name(json!({ "Fn::Sub": "${AWS::StackName}-Recordings-${AWS::AccountId}" })),
        vec![format!(
            "{p} {{\"Fn::Sub\":\"${{AWS::StackName}}-Recordings-${{AWS::AccountId}}\"}} is not a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens, not 'R'"
        )]
    );
    let long = format!("${{AWS::StackName}}-{}-${{AWS::Region}}", "r".repeat(60));
    assert_eq!(
        bucket_name(json!({ "Fn::Sub": long })),
        vec![format!(
            "{p} {{\"Fn::Sub\":\"{long}\"}} is not a valid S3 bucket name: it is at least 80 characters long, more than 63"
        )]
    );
    // 50 known characters, but an account ID adds 12 and a region at least 9.
    let tight = format!("{}-${{AWS::AccountId}}-${{AWS::Region}}", "r".repeat(48));
    assert_eq!(
        bucket_name(json!({ "Fn::Sub": tight })),
        vec![format!(
            "{p} {{\"Fn::Sub\":\"{tight}\"}} is not a valid S3 bucket name: it is at least 71 characters long, more than 63"
        )]
    );
    // The stack name is known; a stage parameter is not.
    assert_eq!(
        bucket_name(json!({ "Fn::Sub": "${Stage}-recordings" })),
        Vec::<String>::new()
    );
    assert_eq!(
        bucket_name(json!({ "Fn::Join": ["", [{ "Ref": "Stage" }, "-recordings-"]] })),
        vec![format!(
            "{p} {{\"Fn::Join\":[\"\",[{{\"Ref\":\"Stage\"}},\"-recordings-\"]]}} is not a valid S3 bucket name: it must begin and end with a letter or a digit"
        )]
    );
}

#[test]
fn s3_bucket_name_takes_the_stack_name() {
    let t = base();
    let found: Vec<String> = validate_with(infra_check::default_types(), "Infra-Dev", &t)
        .into_iter()
        .filter(|p| p.rule == "E-s3-bucket-name")
        .map(|p| p.message)
        .collect();
    assert_eq!(
        found,
        vec![
            "is not a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens, not 'D', 'I'"
        ]
    );
}

#[test]
fn dynamodb_table_name() {
    let path = format!("{TABLE}.TableName");
    assert_one(
        &with(base(), &path, json!("ab")),
        "E-dynamodb-table-name",
        &path,
        "infra-dev: Resources.InvitesTable.Properties.TableName: \"ab\" is not a valid DynamoDB table name: it is 2 characters long, not 3 to 255",
    );
    assert_one(
        &with(
            base(),
            &path,
            json!({ "Fn::Sub": "${AWS::StackName}/invites" }),
        ),
        "E-dynamodb-table-name",
        &path,
        "infra-dev: Resources.InvitesTable.Properties.TableName: {\"Fn::Sub\":\"${AWS::StackName}/invites\"} is not a valid DynamoDB table name: it may contain only letters, digits, underscores, dots and hyphens, not '/'",
    );
}

#[test]
fn sns_topic_name() {
    let path = format!("{TOPIC}.TopicName");
    assert_one(
        &with(base(), &path, json!("new recording")),
        "E-sns-topic-name",
        &path,
        "infra-dev: Resources.NewRecordingTopic.Properties.TopicName: \"new recording\" is not a valid SNS topic name: it may contain only letters, digits, underscores and hyphens, not ' '",
    );
    assert_one(
        &with(base(), &path, json!("events.fifo")),
        "E-sns-topic-name",
        &path,
        "infra-dev: Resources.NewRecordingTopic.Properties.TopicName: \"events.fifo\" is not a valid SNS topic name: the \".fifo\" suffix is only for FIFO topics (FifoTopic: true)",
    );
    let fifo = with(base(), &format!("{TOPIC}.FifoTopic"), json!(true));
    assert_eq!(
        shown(&with(
            fifo.clone(),
            &path,
            json!({ "Fn::Sub": "${AWS::StackName}-events.fifo" })
        )),
        Vec::<String>::new()
    );
    assert_one(
        &with(fifo, &path, json!("events")),
        "E-sns-topic-name",
        &path,
        "infra-dev: Resources.NewRecordingTopic.Properties.TopicName: \"events\" is not a valid SNS topic name: the name of a FIFO topic must end with \".fifo\"",
    );
    let long = "t".repeat(257);
    let found = problems(&with(base(), &path, json!(long)));
    let rules: Vec<&str> = found.iter().map(|p| p.rule).collect();
    assert_eq!(rules, ["E-max-length", "E-sns-topic-name"]);
    assert!(
        found[1]
            .message
            .ends_with("it is 257 characters long, not 1 to 256")
    );
}

// ---- structure and robustness ----

#[test]
fn structure_problems() {
    assert_one(
        &json!([]),
        "E-structure",
        "",
        "infra-dev: a template must be a JSON object",
    );
    assert_one(
        &json!({ "Outputs": {} }),
        "E-structure",
        "Resources",
        "infra-dev: Resources: a template needs a Resources object with at least one resource",
    );
    assert_one(
        &json!({ "Resources": { "A": { "Properties": {} } } }),
        "E-structure",
        "Resources.A.Type",
        "infra-dev: Resources.A.Type: a resource needs a Type string",
    );
}

/// A tiny deterministic generator of arbitrary JSON, biased towards
/// template-like keys, so that `validate` meets every shape.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }

    fn value(&mut self, depth: u32) -> Value {
        const KEYS: &[&str] = &[
            "Resources",
            "Outputs",
            "Parameters",
            "Conditions",
            "Type",
            "Properties",
            "DependsOn",
            "Condition",
            "Ref",
            "Fn::GetAtt",
            "Fn::Sub",
            "Fn::If",
            "Fn::Join",
            "Export",
            "Name",
            "Value",
            "A",
            "B",
            "BucketName",
            "TableName",
            "TopicName",
            "FifoTopic",
            "KeySchema",
        ];
        const STRINGS: &[&str] = &[
            "A",
            "B",
            "A.Arn",
            "AWS::S3::Bucket",
            "AWS::DynamoDB::Table",
            "AWS::SNS::Topic",
            "${A}",
            "${B.Arn}",
            "${",
            "x.fifo",
            "AWS::NoValue",
            "",
            "Bad_Name",
            "1.2.3.4",
        ];
        match (self.next() % 8, depth) {
            (0, _) => Value::Null,
            (1, _) => json!(self.next().is_multiple_of(3)),
            (2, _) => json!(self.next() as f64 / 7.0 - 1000.0),
            (3 | 4, _) | (_, 0) => json!(self.pick(STRINGS)),
            (5, _) => Value::Array(
                (0..self.next() % 4)
                    .map(|_| self.value(depth - 1))
                    .collect(),
            ),
            _ => Value::Object(
                (0..self.next() % 4)
                    .map(|_| (self.pick(KEYS).to_owned(), self.value(depth - 1)))
                    .collect(),
            ),
        }
    }
}

#[test]
fn never_panics_on_arbitrary_json() {
    let mut g = Gen(7);
    for _ in 0..5000 {
        let t = json!({ "Resources": { "A": g.value(5), "B": g.value(5) }, "Outputs": g.value(3), "Conditions": g.value(3) });
        let _ = problems(&t);
        let _ = problems(&g.value(6));
    }
}

// ---- the cases of issue 10 ----

fn one_resource(entry: Value) -> Value {
    json!({ "Resources": { "R": entry } })
}

#[test]
fn issue_10_mistakes_are_found() {
    let cases = [
        (
            json!({ "Type": "AWS::S3::Bucket", "DeletionPolicy": "Retian" }),
            "Resources.R.DeletionPolicy: \"Retian\" is not a valid DeletionPolicy for AWS::S3::Bucket (allowed: Delete, Retain, RetainExceptOnCreate)",
        ),
        (
            json!({ "Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "RetainExceptOnCreate" }),
            "Resources.R.UpdateReplacePolicy: \"RetainExceptOnCreate\" is not a valid UpdateReplacePolicy for AWS::S3::Bucket (allowed: Delete, Retain)",
        ),
        (
            json!({ "Type": "AWS::S3::Bucket", "DeletionPolicy": "Snapshot" }),
            "Resources.R.DeletionPolicy: \"Snapshot\" is not a valid DeletionPolicy for AWS::S3::Bucket (allowed: Delete, Retain, RetainExceptOnCreate)",
        ),
        (
            json!({ "Type": "AWS::RDS::DBInstance", "DeletionPolicy": { "Fn::If": ["C", "Snapshot", "Keep"] } }),
            "Resources.R.DeletionPolicy.Fn::If[2]: \"Keep\" is not a valid DeletionPolicy for AWS::RDS::DBInstance (allowed: Delete, Retain, RetainExceptOnCreate, Snapshot)",
        ),
        (
            json!({ "Type": "AWS::S3::Bucket", "Count": 3 }),
            "Resources.R.Count: \"Count\" is not a resource attribute (allowed: Condition, CreationPolicy, DeletionPolicy, DependsOn, Metadata, Properties, Type, UpdatePolicy, UpdateReplacePolicy)",
        ),
        (
            json!({ "Type": "AWS::S3::Bucket", "Properties": { "BucketNmae": "b" } }),
            "Resources.R.Properties.BucketNmae: \"BucketNmae\" is not a property here; did you mean BucketName?",
        ),
        (
            json!({ "Type": "AWS::Lambda::Function", "Properties": { "Role": "arn:aws:iam::123456789012:role/r", "Code": { "ZipFile": "x" }, "Timeout": "ten" } }),
            "Resources.R.Properties.Timeout: \"ten\" is not of type integer",
        ),
        (
            json!({ "Type": "AWS::DynamoDB::Table", "Properties": { "AttributeDefinitions": [] } }),
            "Resources.R.Properties: is missing required property KeySchema",
        ),
    ];
    for (entry, expected) in cases {
        let found: Vec<String> = validate("t", &one_resource(entry))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(found, [format!("t: {expected}")]);
    }
}

#[test]
fn issue_10_false_positives_are_gone() {
    let language = json!({
        "Transform": "AWS::LanguageExtensions",
        "Resources": {
            "Fn::ForEach::Topics": ["Name", ["A", "B"], { "Topic${Name}": { "Type": "AWS::SNS::Topic" } }],
            "Queue": { "Type": "AWS::SQS::Queue" }
        },
        "Outputs": {
            "Fn::ForEach::Arns": ["Name", ["A", "B"], { "Arn${Name}": { "Value": { "Ref": { "Fn::Sub": "Topic${Name}" } } } }],
            "QueueName": { "Value": { "Fn::GetAtt": ["Queue", "QueueName"] } },
            "Count": { "Value": { "Fn::Length": [1, 2] } }
        }
    });
    let (problems, notes) =
        infra_check::validate_noting(infra_check::default_types(), "t", &language);
    assert_eq!(problems, Vec::new());
    assert!(notes[0].contains("transform"), "{notes:?}");
    let sam = json!({
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "MyFunction": { "Type": "AWS::Serverless::Function", "Properties": { "Runtime": "python3.12", "Handler": "a.b", "CodeUri": "." } },
            "Perm": { "Type": "AWS::Lambda::Permission", "Properties": {
                "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
                "FunctionName": { "Ref": "MyFunction" },
                "SourceArn": { "Fn::Sub": "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${ServerlessRestApi}/*" } } }
        },
        "Outputs": { "Role": { "Value": { "Fn::GetAtt": ["MyFunctionRole", "Arn"] } } }
    });
    assert_eq!(validate("t", &sam), Vec::new());
    let no_transform = with(sam, "Transform", json!(null));
    let found: Vec<String> = validate("t", &no_transform)
        .iter()
        .map(|p| p.rule.to_owned())
        .collect();
    assert!(found.contains(&"E-resource-type".to_owned()), "{found:?}");
}

#[test]
fn wildcard_getatt_attributes_of_registry_types() {
    let t = json!({
        "Resources": {
            "Nested": {
                "Type": "AWS::CloudFormation::Stack",
                "Properties": { "TemplateURL": "https://example.com/t.json" }
            },
            "Custom": {
                "Type": "AWS::CloudFormation::CustomResource",
                "Properties": { "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f" }
            },
            "Topic": {
                "Type": "AWS::SNS::Topic",
                "Properties": { "TopicName": { "Fn::GetAtt": ["Nested", "Outputs.TopicName"] } }
            },
            "Queue": {
                "Type": "AWS::SQS::Queue",
                "Properties": { "QueueName": { "Fn::GetAtt": ["Custom", "Any.Thing"] } }
            }
        },
        "Outputs": {
            "topicName": { "Value": { "Fn::GetAtt": ["Topic", "TopicName"] } },
            "queueName": { "Value": { "Fn::GetAtt": ["Queue", "QueueName"] } },
            "nestedNothing": { "Value": { "Fn::GetAtt": ["Nested", "Outputs"] } }
        }
    });
    let found: Vec<String> = validate_with(infra_check::default_types(), STACK, &t)
        .into_iter()
        .map(|p| format!("{} {}", p.rule, p.path))
        .collect();
    assert_eq!(
        found,
        ["E-getatt-attribute Outputs.nestedNothing.Value.Fn::GetAtt"]
    );
}

// ---- IAM actions against the catalogue of the pinned wheel ----

const POLICY: &str = "Resources.NewRecordingTopicPolicy.Properties.PolicyDocument";

/// A misspelled action in a resource policy: named by its template path, with
/// the closest catalogued action.
#[test]
fn iam_action_misspelled() {
    let t = with(
        base(),
        &format!("{POLICY}.Statement"),
        json!([{
            "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
            "Action": ["sns:Publish", "sns:Publsh"], "Resource": "*"
        }]),
    );
    assert_one(
        &t,
        "E-iam-action",
        &format!("{POLICY}.Statement[0].Action[1]"),
        "infra-dev: Resources.NewRecordingTopicPolicy.Properties.PolicyDocument.Statement[0].Action[1]: `sns:Publsh` is not an action of `sns` in the IAM catalogue of the pinned cfn-lint wheel; did you mean `sns:Publish`?",
    );
}

/// IAM compares actions case-insensitively; patterns that match an action,
/// `*` and intrinsics pass; a pattern matching nothing and an unknown
/// service do not, in `NotAction` as well.
#[test]
fn iam_action_forms() {
    let statement = |action: Value| {
        let st =
            json!([{"Effect": "Deny", "Principal": "*", "NotAction": action, "Resource": "*"}]);
        problems(&with(base(), &format!("{POLICY}.Statement"), st))
    };
    let fine = json!(["SNS:publish", "sns:Get*", "sns:?ublish", "*", {"Fn::Sub": "sns:Get${AWS::Region}"}]);
    assert_eq!(statement(fine), Vec::new());
    let bad: Vec<String> = statement(json!(["sns:Frob*", "snss:Publish", "Publish"]))
        .iter()
        .map(|p| p.message.clone())
        .collect();
    assert_eq!(
        bad,
        [
            "`sns:Frob*` matches no action of `sns` in the IAM catalogue of the pinned cfn-lint wheel",
            "`snss:Publish`: `snss` is not an IAM service prefix in the IAM catalogue of the pinned cfn-lint wheel; did you mean `sns`?",
            "`Publish` is not an IAM action: expected `service:Action` (such as `sqs:SendMessage`), a pattern of them (`sqs:Send*`) or `*`",
        ]
    );
}

/// Trust and inline policies of a role, a policy given as JSON text, and a
/// Lambda permission (one statement as a resource) are all read.
#[test]
fn iam_actions_in_every_policy_carrier() {
    let mut t = base();
    let resources = t["Resources"].as_object_mut().expect("resources");
    let trust = json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRol"}});
    let inline =
        json!({"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessge", "Resource": "*"}]});
    resources.insert(
        "Role".into(),
        json!({"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": trust,
            "Policies": [{"PolicyName": "send", "PolicyDocument": inline}],
        }}),
    );
    let text = r#"{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": ["logs:PutLogEvent"], "Resource": "*"}]}"#;
    resources.insert(
        "LogPolicy".into(),
        json!({"Type": "AWS::Logs::ResourcePolicy", "Properties": {
            "PolicyName": "p", "PolicyDocument": text,
        }}),
    );
    resources.insert(
        "Permission".into(),
        json!({"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFuncton", "FunctionName": "f", "Principal": "s3.amazonaws.com",
        }}),
    );
    let found: Vec<(String, String)> = problems(&t)
        .into_iter()
        .filter(|p| p.rule == "E-iam-action")
        .map(|p| (p.path, p.message))
        .collect();
    let catalogue = "in the IAM catalogue of the pinned cfn-lint wheel";
    assert_eq!(
        found,
        [
            (
                "Resources.LogPolicy.Properties.PolicyDocument".to_owned(),
                format!(
                    "`logs:PutLogEvent` is not an action of `logs` {catalogue}; did you mean `logs:PutLogEvents`? (at Statement[0].Action[0] of the policy text)"
                )
            ),
            (
                "Resources.Permission.Properties.Action".to_owned(),
                format!(
                    "`lambda:InvokeFuncton` is not an action of `lambda` {catalogue}; did you mean `lambda:InvokeFunction`?"
                )
            ),
            (
                "Resources.Role.Properties.AssumeRolePolicyDocument.Statement.Action".to_owned(),
                format!(
                    "`sts:AssumeRol` is not an action of `sts` {catalogue}; did you mean `sts:AssumeRole`?"
                )
            ),
            (
                "Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Action"
                    .to_owned(),
                format!(
                    "`sqs:SendMessge` is not an action of `sqs` {catalogue}; did you mean `sqs:SendMessage`?"
                )
            ),
        ]
    );
}

/// A copy of the base template's topic policy, naming the topic as `target`.
fn second_topic_policy(target: Value) -> Value {
    let t = base();
    let mut policy = t["Resources"]["NewRecordingTopicPolicy"].clone();
    policy["Properties"]["Topics"] = json!([{ "Ref": "ProdAlarmTopic" }, target]);
    with(t, "Resources.SecondTopicPolicy", policy)
}

#[test]
fn two_policies_for_one_topic_are_an_error_however_the_topic_is_named() {
    for target in [
        json!({ "Ref": "NewRecordingTopic" }),
        json!({ "Fn::GetAtt": ["NewRecordingTopic", "TopicArn"] }),
        json!({ "Fn::GetAtt": "NewRecordingTopic.TopicArn" }),
    ] {
        let t = second_topic_policy(target);
        let found = problems(&t);
        let found: Vec<_> = found
            .iter()
            .filter(|p| p.rule == "E-shared-policy")
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(
            found[0].path,
            "Resources.SecondTopicPolicy.Properties.Topics[1]"
        );
        assert_eq!(
            found[0].message,
            "names the same target as NewRecordingTopicPolicy: a target has one policy, so one of \
             the two replaces the other; put both policies' statements in one AWS::SNS::TopicPolicy"
        );
    }
}

#[test]
fn policies_for_other_targets_or_under_a_condition_pass() {
    let other = second_topic_policy(json!({ "Ref": "ProdAlarmTopic" }));
    let other = with(
        other,
        "Resources.SecondTopicPolicy.Properties.Topics",
        json!([{ "Ref": "ProdAlarmTopic" }]),
    );
    assert!(!problems(&other).iter().any(|p| p.rule == "E-shared-policy"));
    let conditional = with(
        second_topic_policy(json!({ "Ref": "NewRecordingTopic" })),
        "Resources.SecondTopicPolicy.Condition",
        json!("IsProd"),
    );
    assert!(
        !problems(&conditional)
            .iter()
            .any(|p| p.rule == "E-shared-policy")
    );
}

#[test]
fn two_queue_policies_for_one_queue_are_an_error() {
    let queue = json!({ "Type": "AWS::SQS::Queue" });
    let policy = |target: Value| {
        json!({
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "Queues": [target],
                "PolicyDocument": { "Version": "2012-10-17", "Statement": [] }
            }
        })
    };
    let t = with(base(), "Resources.Jobs", queue);
    let t = with(t, "Resources.JobsPolicyA", policy(json!({ "Ref": "Jobs" })));
    let t = with(
        t,
        "Resources.JobsPolicyB",
        policy(json!({ "Fn::GetAtt": ["Jobs", "QueueUrl"] })),
    );
    let found: Vec<_> = problems(&t)
        .into_iter()
        .filter(|p| p.rule == "E-shared-policy")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].logical_id.as_deref(), Some("JobsPolicyB"));
}

#[test]
fn condition_names_follow_cfn_lint_s_pattern() {
    let equals = json!({ "Fn::Equals": [{ "Ref": "Stage" }, "prod"] });
    let t = with(base(), "Conditions.Is-Prod", equals.clone());
    let found = problems(&t);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].rule, found[0].path.as_str()),
        ("E-condition-name", "Conditions.Is-Prod")
    );
    assert_eq!(
        found[0].to_string(),
        "infra-dev: Conditions.Is-Prod: \"Is-Prod\" is not a valid condition name (allowed: 1 to 255 ASCII letters, digits, `&` and `_`)"
    );
    // AWS's own VPC Quick Start deploys names with `&`; `_` is allowed too.
    let t = with(base(), "Conditions.PrivateSubnets&3AZ_Condition", equals);
    assert!(problems(&t).is_empty(), "{:#?}", problems(&t));
}

#[test]
fn a_stream_arn_of_a_table_without_a_stream_is_an_error() {
    // The base template outputs InvitesTable.StreamArn, and the table has a stream.
    let t = without(
        base(),
        "Resources.InvitesTable.Properties.StreamSpecification",
    );
    let t = with(
        t,
        "Outputs.invitesTableArn.Value",
        json!({ "Fn::Sub": "${InvitesTable.StreamArn}" }),
    );
    let shown: Vec<String> = problems(&t).iter().map(ToString::to_string).collect();
    let why = "needs StreamSpecification on InvitesTable: a table has a stream only when StreamSpecification sets one";
    assert_eq!(
        shown,
        [
            format!(
                "infra-dev: Outputs.invitesTableArn.Value.Fn::Sub: \"${{InvitesTable.StreamArn}}\" {why}"
            ),
            format!(
                "infra-dev: Outputs.invitesTableStreamArn.Value.Fn::GetAtt: \"InvitesTable.StreamArn\" {why}"
            ),
        ]
    );
}

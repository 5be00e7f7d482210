//! Diff: replacement, data loss, renames, breaking outputs, and what is not
//! a change (reordered unordered arrays, reformatted JSON).

mod common;

use common::{STACK, at, base, best_registry, meta_of, registry, with, without};
use infra_check::{ChangeKind, FailOn, Impact, ResourceChange, StackDiff, diff_with, render_text};
use serde_json::{Value, json};

fn diff(old: &Value, new: &Value) -> StackDiff {
    diff_with(registry(), STACK, Some(old), Some(new))
}

fn resource<'a>(d: &'a StackDiff, id: &str) -> &'a ResourceChange {
    d.resources
        .iter()
        .find(|r| r.logical_id == id)
        .unwrap_or_else(|| panic!("{id} is not in {d:#?}"))
}

/// `t` without the retain policies of `id`.
fn unprotected(t: Value, id: &str) -> Value {
    let t = without(t, &format!("Resources.{id}.DeletionPolicy"));
    without(t, &format!("Resources.{id}.UpdateReplacePolicy"))
}

/// `t` with the property at registry path `pointer` (`/properties/A/B`) set
/// to a value it does not have; `None` when the path goes through `*`.
fn change_property(t: &Value, id: &str, pointer: &str) -> Option<Value> {
    let rest = pointer.strip_prefix("/properties/").unwrap_or(pointer);
    if rest.split('/').any(|s| s == "*") {
        return None;
    }
    let mut t = t.clone();
    let path = format!("Resources.{id}.Properties.{}", rest.replace('/', "."));
    let slot = at(&mut t, &path);
    *slot = match slot {
        Value::String(s) => json!(format!("{s}-changed")),
        _ => json!("changed"),
    };
    Some(t)
}

#[test]
fn identical_templates_have_no_diff() {
    let d = diff(&base(), &base());
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(render_text(&[d], false), "Stack infra-dev: no changes\n\n");
}

#[test]
fn reformatting_is_no_change() {
    let pretty = serde_json::to_string_pretty(&base()).expect("json");
    let compact = serde_json::to_string(&base()).expect("json");
    // Reorder keys by hand too: the parsed values are what counts.
    let reordered = compact
        .replacen("\"DeletionPolicy\":\"Retain\",", "", 1)
        .replacen(
            "\"Type\":\"AWS::DynamoDB::Table\"",
            "\"Type\":\"AWS::DynamoDB::Table\",\"DeletionPolicy\":\"Retain\"",
            1,
        );
    let old: Value = serde_json::from_str(&pretty).expect("json");
    let new: Value = serde_json::from_str(&format!("\n\n{reordered}\n")).expect("json");
    assert!(diff(&old, &new).is_empty());
}

#[test]
fn every_create_only_property_replaces() {
    let registry = best_registry();
    for (id, type_name) in [
        ("InvitesTable", "AWS::DynamoDB::Table"),
        ("RecordingsBucket", "AWS::S3::Bucket"),
    ] {
        let meta = meta_of(type_name);
        assert!(!meta.create_only.is_empty());
        for pointer in meta.create_only {
            let Some(new) = change_property(&base(), id, pointer) else {
                continue;
            };
            let d = diff_with(registry, STACK, Some(&base()), Some(&new));
            let r = resource(&d, id);
            assert_eq!(r.kind, ChangeKind::Modified);
            assert_eq!(r.impacts, vec![Impact::Replace], "{pointer}: {r:#?}");
            assert_eq!(r.changes[0].impact, Some(Impact::Replace), "{pointer}");
            assert!(FailOn::Replace.should_fail(std::slice::from_ref(&d)));
            assert!(!FailOn::DataLoss.should_fail(&[d]), "{pointer} is retained");

            let (old, new) = (unprotected(base(), id), unprotected(new, id));
            let d = diff_with(registry, STACK, Some(&old), Some(&new));
            let r = resource(&d, id);
            assert_eq!(
                r.impacts,
                vec![Impact::DataLoss, Impact::Replace],
                "{pointer}: {r:#?}"
            );
            assert!(FailOn::DataLoss.should_fail(&[d]));
        }
    }
}

#[test]
fn replacement_of_a_table_with_only_a_deletion_policy_loses_data() {
    let old = base();
    let new = without(
        with(
            base(),
            "Resources.InvitesTable.Properties.TableName",
            json!("invites"),
        ),
        "Resources.InvitesTable.UpdateReplacePolicy",
    );
    let r = diff(&old, &new).resources.remove(0);
    assert_eq!(r.impacts, vec![Impact::DataLoss, Impact::Replace]);
    let paths: Vec<&str> = r.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["Properties.TableName", "UpdateReplacePolicy"]);
}

#[test]
fn replacing_a_custom_named_resource_is_noted_as_failing() {
    let path = "Resources.InvitesTable.Properties.KeySchema.0.AttributeName";
    let r = diff(&base(), &with(base(), path, json!("invitationId")))
        .resources
        .remove(0);
    assert_eq!(
        r.notes,
        [
            "TableName is set and unchanged: CloudFormation cannot replace a custom-named resource, so the update fails unless the name changes too"
        ]
    );
    let renamed = with(
        with(base(), path, json!("invitationId")),
        "Resources.InvitesTable.Properties.TableName",
        json!("invites-v2"),
    );
    assert_eq!(
        diff(&base(), &renamed).resources.remove(0).notes,
        Vec::<String>::new()
    );
}

#[test]
fn descendant_of_create_only_path_replaces() {
    let old = with(
        base(),
        "Resources.InvitesTable.Properties.ImportSourceSpecification",
        json!({ "InputFormat": "CSV" }),
    );
    let new = with(
        old.clone(),
        "Resources.InvitesTable.Properties.ImportSourceSpecification.InputFormat",
        json!("ION"),
    );
    let d = diff(&old, &new);
    let r = resource(&d, "InvitesTable");
    assert_eq!(
        r.changes[0].path,
        "Properties.ImportSourceSpecification.InputFormat"
    );
    assert_eq!(r.impacts, vec![Impact::Replace]);
}

#[test]
fn key_schema_always_replaces_by_service_rule() {
    let old = unprotected(base(), "InvitesTable");
    let new = with(
        old.clone(),
        "Resources.InvitesTable.Properties.KeySchema",
        json!([
            { "AttributeName": "email", "KeyType": "HASH" }
        ]),
    );
    let d = diff(&old, &new);
    let r = resource(&d, "InvitesTable");
    assert_eq!(r.changes[0].path, "Properties.KeySchema");
    // Conditionally create-only in the schema; the service rule makes it certain.
    assert_eq!(r.impacts, vec![Impact::DataLoss, Impact::Replace]);
    let reason = r.changes[0].reason.as_deref().unwrap_or("");
    assert!(reason.starts_with("dynamodb-key-schema: "), "{reason}");
    assert!(FailOn::DataLoss.should_fail(&[d]));
}

#[test]
fn in_place_update_has_no_impact() {
    let new = with(
        base(),
        "Resources.InvitesTable.Properties.StreamSpecification.StreamViewType",
        json!("NEW_IMAGE"),
    );
    let d = diff(&base(), &new);
    let r = resource(&d, "InvitesTable");
    assert_eq!(r.impacts, Vec::<Impact>::new());
    assert_eq!(
        r.changes[0].path,
        "Properties.StreamSpecification.StreamViewType"
    );
    assert_eq!(r.changes[0].old, Some(json!("NEW_AND_OLD_IMAGES")));
    assert!(!FailOn::Replace.should_fail(std::slice::from_ref(&d)));
    assert!(FailOn::Any.should_fail(&[d]));
}

#[test]
fn type_change_replaces() {
    let new = with(
        base(),
        "Resources.NewRecordingTopic.Type",
        json!("AWS::SQS::Queue"),
    );
    let d = diff(&base(), &new);
    let r = resource(&d, "NewRecordingTopic");
    assert_eq!(r.changes[0].path, "Type");
    assert_eq!(r.impacts, vec![Impact::Replace]);
}

#[test]
fn renamed_logical_id_is_a_replacement() {
    let table = base()["Resources"]["InvitesTable"].clone();
    let new = with(
        without(base(), "Resources.InvitesTable"),
        "Resources.InvitationsTable",
        table,
    );
    let d = diff(&base(), &new);
    assert_eq!(d.resources.len(), 1, "{d:#?}");
    let r = &d.resources[0];
    assert_eq!(
        (r.kind, r.logical_id.as_str(), r.renamed_from.as_deref()),
        (
            ChangeKind::Renamed,
            "InvitationsTable",
            Some("InvitesTable")
        )
    );
    assert_eq!(r.impacts, vec![Impact::Replace]);
    assert_eq!(
        r.notes,
        vec![
            "renamed from InvitesTable: CloudFormation creates InvitationsTable and deletes InvitesTable",
            "InvitesTable is retained with its data, but InvitationsTable starts empty",
            "TableName unchanged: CloudFormation will fail to create InvitationsTable while InvitesTable still holds that name",
        ]
    );

    let old = unprotected(base(), "InvitesTable");
    let new = with(
        without(old.clone(), "Resources.InvitesTable"),
        "Resources.InvitationsTable",
        old["Resources"]["InvitesTable"].clone(),
    );
    let d = diff(&old, &new);
    assert_eq!(
        d.resources[0].impacts,
        vec![Impact::DataLoss, Impact::Replace]
    );
}

#[test]
fn removed_resource_loses_data_unless_retained() {
    let d = diff(&base(), &without(base(), "Resources.RecordingsBucket"));
    let r = resource(&d, "RecordingsBucket");
    assert_eq!((r.kind, r.impacts.clone()), (ChangeKind::Removed, vec![]));
    let old = unprotected(base(), "RecordingsBucket");
    let d = diff(&old, &without(old.clone(), "Resources.RecordingsBucket"));
    assert_eq!(
        resource(&d, "RecordingsBucket").impacts,
        vec![Impact::DataLoss]
    );
    // A topic holds no data.
    let d = diff(&base(), &without(base(), "Resources.ProdAlarmTopic"));
    assert_eq!(resource(&d, "ProdAlarmTopic").impacts, Vec::<Impact>::new());
}

#[test]
fn whole_stack_removed_or_added() {
    let old = unprotected(base(), "InvitesTable");
    let d = diff_with(registry(), STACK, Some(&old), None);
    assert_eq!(d.resources.len(), 5);
    assert!(d.resources.iter().all(|r| r.kind == ChangeKind::Removed));
    assert_eq!(resource(&d, "InvitesTable").impacts, vec![Impact::DataLoss]);
    assert!(d.outputs.iter().all(|o| o.impacts == [Impact::Breaking]));
    let d = diff_with(registry(), STACK, None, Some(&base()));
    assert!(
        d.resources
            .iter()
            .all(|r| r.kind == ChangeKind::Added && r.impacts.is_empty())
    );
    assert!(!FailOn::Replace.should_fail(&[d]));
}

#[test]
fn removed_output_is_breaking() {
    let d = diff(&base(), &without(base(), "Outputs.invitesTableStreamArn"));
    assert_eq!(d.outputs.len(), 1);
    assert_eq!(
        (d.outputs[0].kind, d.outputs[0].impacts.clone()),
        (ChangeKind::Removed, vec![Impact::Breaking])
    );
    assert!(FailOn::Replace.should_fail(std::slice::from_ref(&d)));
    assert!(!FailOn::DataLoss.should_fail(&[d]));
}

#[test]
fn renamed_output_is_breaking() {
    let output = base()["Outputs"]["invitesTableArn"].clone();
    let new = with(
        without(base(), "Outputs.invitesTableArn"),
        "Outputs.invitationsTableArn",
        output,
    );
    let d = diff(&base(), &new);
    assert_eq!(d.outputs.len(), 1, "{d:#?}");
    let o = &d.outputs[0];
    assert_eq!(
        (o.kind, o.name.as_str(), o.renamed_from.as_deref()),
        (
            ChangeKind::Renamed,
            "invitationsTableArn",
            Some("invitesTableArn")
        )
    );
    assert_eq!(o.impacts, vec![Impact::Breaking]);
}

#[test]
fn changed_export_name_or_exported_value_is_breaking() {
    let new = with(
        base(),
        "Outputs.invitesTableArn.Export.Name",
        json!("invites-arn"),
    );
    let new = with(
        new,
        "Outputs.recordingsBucketArn.Value",
        json!({ "Fn::GetAtt": ["RecordingsBucket", "DomainName"] }),
    );
    let d = diff(&base(), &new);
    let impacts: Vec<(&str, Vec<Impact>)> = d
        .outputs
        .iter()
        .map(|o| (o.name.as_str(), o.impacts.clone()))
        .collect();
    assert_eq!(
        impacts,
        vec![
            ("invitesTableArn", vec![Impact::Breaking]),
            ("recordingsBucketArn", vec![Impact::Breaking])
        ]
    );
}

#[test]
fn value_change_of_an_output_without_export_is_informational() {
    let old = without(base(), "Outputs.recordingsBucketArn.Export");
    let new = with(
        old.clone(),
        "Outputs.recordingsBucketArn.Value",
        json!({ "Fn::GetAtt": ["RecordingsBucket", "DomainName"] }),
    );
    let d = diff(&old, &new);
    assert_eq!(d.outputs.len(), 1);
    assert!(d.outputs[0].impacts.is_empty(), "{d:#?}");
    assert_eq!(d.outputs[0].notes.len(), 1);
    assert!(!FailOn::Replace.should_fail(&[d]));
}

#[test]
fn reordered_unordered_array_is_no_change() {
    let tags = json!([{ "Key": "service", "Value": "infra" }, { "Key": "app", "Value": "api" }]);
    let new = with(base(), "Resources.RecordingsBucket.Properties.Tags", tags);
    assert!(diff(&base(), &new).is_empty());
    let new = with(
        base(),
        "Resources.NewRecordingTopicPolicy.Properties.Topics",
        json!([{ "Ref": "NewRecordingTopic" }]),
    );
    assert!(diff(&base(), &new).is_empty());
    let new = with(
        base(),
        "Resources.RecordingsBucket.DependsOn",
        json!(["NewRecordingTopicPolicy"]),
    );
    assert!(diff(&base(), &new).is_empty());
}

#[test]
fn reordered_ordered_array_is_a_change() {
    let keys = json!([
        { "AttributeName": "email", "KeyType": "RANGE" },
        { "AttributeName": "workspaceId", "KeyType": "HASH" }
    ]);
    let new = with(base(), "Resources.InvitesTable.Properties.KeySchema", keys);
    let d = diff(&base(), &new);
    let paths: Vec<&str> = resource(&d, "InvitesTable")
        .changes
        .iter()
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "Properties.KeySchema[0].AttributeName",
            "Properties.KeySchema[0].KeyType",
            "Properties.KeySchema[1].AttributeName",
            "Properties.KeySchema[1].KeyType",
        ]
    );
}

#[test]
fn fail_on_parses() {
    assert_eq!("data-loss".parse::<FailOn>().ok(), Some(FailOn::DataLoss));
    assert_eq!("replace".parse::<FailOn>().ok(), Some(FailOn::Replace));
    assert_eq!("any".parse::<FailOn>().ok(), Some(FailOn::Any));
    let err = "all".parse::<FailOn>().expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "unknown --fail-on value \"all\" (allowed: data-loss, replace, any, broadening)"
    );
}

fn sample() -> StackDiff {
    let old = unprotected(base(), "InvitesTable");
    let new = with(
        old.clone(),
        "Resources.InvitesTable.Properties.TableName",
        json!("invites"),
    );
    let new = with(
        new,
        "Resources.Workspaces",
        json!({ "Type": "AWS::DynamoDB::Table", "Properties": {} }),
    );
    let new = with(
        new,
        "Resources.RecordingsBucket.Properties.VersioningConfiguration",
        json!({ "Status": "Enabled" }),
    );
    let new = without(new, "Outputs.newRecordingTopicArn");
    diff(&old, &new)
}

#[test]
fn text_for_a_pull_request() {
    let text = render_text(&[sample()], false);
    assert_eq!(
        text,
        "\
Stack infra-dev
  Resources
  ~ InvitesTable (AWS::DynamoDB::Table)  [DATA LOSS, REPLACE]
      ~ Properties.TableName: \"infra-dev-invites\" -> \"invites\"  [REPLACE]
        why: create-only property (registry schema)
  ~ RecordingsBucket (AWS::S3::Bucket)
      ~ Properties.VersioningConfiguration: (added) {\"Status\":\"Enabled\"}
  + Workspaces (AWS::DynamoDB::Table)
  Outputs
  - newRecordingTopicArn  [BREAKING]
  3 resource change(s), 1 output change(s): 1 replaced, 1 losing data, 1 breaking

"
    );
    assert!(!text.contains('\x1b'));
    assert!(render_text(&[sample()], true).contains("\x1b[1;31m[DATA LOSS, REPLACE]\x1b[0m"));
}

#[test]
fn json_form() {
    let json = serde_json::to_value(sample()).expect("serializes");
    assert_eq!(json["stack"], "infra-dev");
    assert_eq!(
        json["resources"][0],
        json!({
            "logical_id": "InvitesTable",
            "type_name": "AWS::DynamoDB::Table",
            "kind": "modified",
            "changes": [{
                "path": "Properties.TableName",
                // Values are shown resolved where they resolve.
                "old": "infra-dev-invites",
                "new": "invites",
                "impact": "replace",
                "reason": "create-only property (registry schema)"
            }],
            "impacts": ["data-loss", "replace"]
        })
    );
    assert_eq!(
        json["outputs"][0],
        json!({ "name": "newRecordingTopicArn", "kind": "removed", "impacts": ["breaking"] })
    );
}

#[test]
fn a_type_without_metadata_has_unknown_impact() {
    let custom =
        json!({ "Type": "Custom::Seeder", "Properties": { "ServiceToken": "arn", "Rows": 1 } });
    let old = with(base(), "Resources.Seeder", custom);
    let new = with(old.clone(), "Resources.Seeder.Properties.Rows", json!(2));
    let d = diff(&old, &new);
    let r = resource(&d, "Seeder");
    assert_eq!(r.impacts, vec![Impact::UnknownImpact]);
    assert!(r.notes[0].contains("PhysicalResourceId"), "{r:#?}");
    let typo = with(
        old.clone(),
        "Resources.Seeder.Type",
        json!("AWS::SNS::Topik"),
    );
    let typo_new = with(typo.clone(), "Resources.Seeder.Properties.Rows", json!(2));
    let d_typo = diff(&typo, &typo_new);
    let t = resource(&d_typo, "Seeder");
    assert_eq!(t.impacts, vec![Impact::UnknownImpact]);
    assert!(
        t.notes[0].contains("not in the registry metadata"),
        "{t:#?}"
    );
    assert!(FailOn::Replace.should_fail(std::slice::from_ref(&d)));
    assert!(!FailOn::DataLoss.should_fail(std::slice::from_ref(&d)));
    assert!(render_text(&[d], false).contains("[UNKNOWN IMPACT]"));

    let removed = diff(&old, &base());
    assert_eq!(
        resource(&removed, "Seeder").impacts,
        vec![Impact::UnknownImpact]
    );
    // A change outside Properties cannot replace anything.
    let depends = with(
        old.clone(),
        "Resources.Seeder.DependsOn",
        json!("InvitesTable"),
    );
    assert!(resource(&diff(&old, &depends), "Seeder").impacts.is_empty());
}

#[test]
fn a_rename_with_a_new_physical_name_is_still_a_replacement() {
    let mut table = base()["Resources"]["InvitesTable"].clone();
    table["Properties"]["TableName"] = json!("invitations");
    let new = with(
        without(base(), "Resources.InvitesTable"),
        "Resources.InvitationsTable",
        table,
    );
    let d = diff(&base(), &new);
    let r = resource(&d, "InvitationsTable");
    assert_eq!(
        (r.kind, r.renamed_from.as_deref()),
        (ChangeKind::Renamed, Some("InvitesTable"))
    );
    assert!(r.impacts.contains(&Impact::Replace));
    assert_eq!(r.changes[0].path, "Properties.TableName");
    assert!(FailOn::Replace.should_fail(&[d]));
}

#[test]
fn local_secondary_index_changes_replace_by_service_rule() {
    let lsi = json!([{
        "IndexName": "byDate",
        "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }, { "AttributeName": "date", "KeyType": "RANGE" }],
        "Projection": { "ProjectionType": "ALL" }
    }]);
    let with_lsi = with(
        base(),
        "Resources.InvitesTable.Properties.LocalSecondaryIndexes",
        lsi,
    );
    for (old, new) in [(base(), with_lsi.clone()), (with_lsi.clone(), base())] {
        let d = diff(&old, &new);
        let r = resource(&d, "InvitesTable");
        assert!(r.impacts.contains(&Impact::Replace), "{r:#?}");
        let c = &r.changes[0];
        assert!(
            c.reason
                .as_deref()
                .is_some_and(|w| w.starts_with("dynamodb-local-secondary-indexes"))
        );
        assert!(
            c.source
                .as_deref()
                .is_some_and(|s| s.starts_with("https://docs.aws.amazon.com/"))
        );
    }
}

/// Every registry type is known: types outside the generated Rust model too.
#[test]
fn types_outside_the_generated_model_know_their_create_only_properties() {
    let registry = infra_check::Registry::aws();
    let cases = [
        (
            "AWS::Logs::LogGroup",
            "LogGroupName",
            json!("a"),
            json!("b"),
            Impact::Replace,
        ),
        (
            "AWS::RDS::DBInstance",
            "Engine",
            json!("mysql"),
            json!("postgres"),
            Impact::MayReplace,
        ),
        (
            "AWS::SQS::Queue",
            "QueueName",
            json!("a"),
            json!("b"),
            Impact::Replace,
        ),
    ];
    for (type_name, property, before, after, impact) in cases {
        let t = |v: &Value| json!({ "Resources": { "R": { "Type": type_name, "Properties": { property: v } } } });
        let d = diff_with(registry, STACK, Some(&t(&before)), Some(&t(&after)));
        let r = resource(&d, "R");
        assert!(r.impacts.contains(&impact), "{type_name}: {r:#?}");
        assert!(
            r.impacts
                .iter()
                .any(|i| matches!(i, Impact::DataLoss | Impact::MayLoseData)),
            "{type_name}: {r:#?}"
        );
        assert!(FailOn::Replace.should_fail(&[d]), "{type_name}");
    }
}

#[test]
fn a_new_condition_on_an_unretained_table_may_lose_data() {
    let old = unprotected(base(), "InvitesTable");
    let new = with(
        old.clone(),
        "Resources.InvitesTable.Condition",
        json!("IsProd"),
    );
    let d = diff(&old, &new);
    let r = resource(&d, "InvitesTable");
    assert_eq!(r.impacts, vec![Impact::MayLoseData], "{r:#?}");
    assert!(FailOn::DataLoss.should_fail(std::slice::from_ref(&d)));
    let kept = with(base(), "Resources.InvitesTable.Condition", json!("IsProd"));
    assert!(
        resource(&diff(&base(), &kept), "InvitesTable")
            .impacts
            .is_empty()
    );
}

/// Types outside the old generated set: the registry knows their create-only
/// paths and the data-holding list knows they hold data.
#[test]
fn every_registry_type_is_judged() {
    let old = json!({ "Resources": {
        "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": "app" } },
        "Db": { "Type": "AWS::RDS::DBInstance", "Properties": { "Engine": "postgres", "DBInstanceClass": "db.t3.micro" } },
        "Alarm": { "Type": "AWS::CloudWatch::Alarm", "Properties": { "AlarmName": "a" } }
    }});
    let mut new = with(
        old.clone(),
        "Resources.Db.Properties.Engine",
        json!("mysql"),
    );
    new = with(new, "Resources.Alarm.Properties.AlarmName", json!("b"));
    new = without(new, "Resources.Logs");
    let d = diff_with(infra_check::Registry::aws(), STACK, Some(&old), Some(&new));
    assert_eq!(resource(&d, "Logs").impacts, vec![Impact::DataLoss]);
    assert_eq!(
        resource(&d, "Db").impacts,
        vec![Impact::MayLoseData, Impact::MayReplace]
    );
    assert_eq!(resource(&d, "Alarm").impacts, vec![Impact::Replace]);
}

#[test]
fn a_mapping_change_replaces_what_reads_it() {
    let old = with(
        base(),
        "Mappings",
        json!({ "Names": { "dev": { "invites": "invites-v1" } } }),
    );
    let old = with(
        old,
        "Resources.InvitesTable.Properties.TableName",
        json!({ "Fn::FindInMap": ["Names", "dev", "invites"] }),
    );
    let new = with(
        old.clone(),
        "Mappings.Names.dev.invites",
        json!("invites-v2"),
    );
    let d = diff(&old, &new);
    let r = resource(&d, "InvitesTable");
    assert!(r.impacts.contains(&Impact::Replace), "{r:#?}");
    assert_eq!(r.changes[0].old, Some(json!("invites-v1")));
    // The same name written as a literal is no change.
    let literal = with(
        old.clone(),
        "Resources.InvitesTable.Properties.TableName",
        json!("invites-v1"),
    );
    assert!(diff(&old, &literal).is_empty());
}

#[test]
fn a_rename_shows_its_policy_changes_and_loses_what_the_old_policy_drops() {
    let mut table = base()["Resources"]["InvitesTable"].clone();
    table["DeletionPolicy"] = json!("Delete");
    let old = with(base(), "Resources.InvitesTable", table.clone());
    let mut renamed = table;
    renamed["DeletionPolicy"] = json!("Retain");
    let new = with(
        without(old.clone(), "Resources.InvitesTable"),
        "Resources.Invites2",
        renamed,
    );
    let d = diff(&old, &new);
    let r = resource(&d, "Invites2");
    assert_eq!(r.kind, ChangeKind::Renamed);
    // The old table goes under its old DeletionPolicy, whatever the new one says.
    assert!(r.impacts.contains(&Impact::DataLoss), "{r:#?}");
    assert_eq!(r.changes[0].path, "DeletionPolicy");
}

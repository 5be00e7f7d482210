//! Whether deleting or replacing a resource loses its data: the one home of
//! this rule, for the diff and for deploys (`infra-deploy` asks here).
//!
//! A resource loses data when its type holds data (the curated data-holding
//! list of `infra-registry`) and the policy that applies does not keep
//! it: `DeletionPolicy` of the template the resource was deployed with when it
//! is removed, `UpdateReplacePolicy` of the new template when it is replaced.
//! `Retain` keeps it; `RetainExceptOnCreate` keeps it on deletion only;
//! `Snapshot` keeps a backup only for the types that support snapshots
//! (`infra-check/data/service-rules.json`, with its source).

use serde::Serialize;
use serde_json::{Value, json};

use super::Impact;
use super::rules::{handler_decides, rules};
use crate::registry::Registry;

/// What happens to the old physical resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    /// The resource is gone from the template (or the stack is deleted):
    /// `DeletionPolicy` applies.
    Delete,
    /// An update replaces the resource: `UpdateReplacePolicy` applies.
    Replace,
}

/// The answer to "does this lose data?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataLoss {
    /// The data is kept (retained, snapshotted) or the type holds none.
    No,
    /// The data is deleted.
    Yes,
    /// The type is not in the registry: whether it holds data is unknown.
    Unknown,
}

/// Whether `type_name` holds data, from the curated data-holding list of
/// `infra-registry` (`None`: a type the registry does not know).
pub fn holds_data(type_name: &str) -> Option<bool> {
    holds_data_with(Registry::aws(), type_name)
}

/// [`holds_data`] with the metadata of `registry`.
pub fn holds_data_with(registry: Registry<'_>, type_name: &str) -> Option<bool> {
    registry.lookup(type_name).map(|meta| meta.holds_data)
}

/// Whether the policy of `resource` (a template entry with `Type`,
/// `DeletionPolicy`, `UpdateReplacePolicy`) keeps its data on `removal`.
pub fn keeps_data(resource: &Value, removal: Removal) -> bool {
    let (attribute, kept) = match removal {
        Removal::Delete => ("DeletionPolicy", &rules().retain.deletion),
        Removal::Replace => ("UpdateReplacePolicy", &rules().retain.replace),
    };
    let Some(policy) = resource.get(attribute).and_then(Value::as_str) else {
        return false;
    };
    let type_name = resource.get("Type").and_then(Value::as_str).unwrap_or("");
    kept.iter().any(|k| k == policy)
        || (policy == "Snapshot" && rules().snapshot.types.iter().any(|t| t == type_name))
}

/// Whether `removal` of `resource` (a template entry) loses data. For a
/// deletion pass the entry as deployed; for a replacement, the new entry.
pub fn loses_data(resource: &Value, removal: Removal) -> DataLoss {
    loses_data_with(Registry::aws(), resource, removal)
}

/// [`loses_data`] with the metadata of `registry`.
pub fn loses_data_with(registry: Registry<'_>, resource: &Value, removal: Removal) -> DataLoss {
    let type_name = resource.get("Type").and_then(Value::as_str).unwrap_or("");
    let known = match handler_decides(type_name) {
        Some(_) => None,
        None => holds_data_with(registry, type_name),
    };
    match known {
        Some(false) => DataLoss::No,
        _ if keeps_data(resource, removal) => DataLoss::No,
        Some(true) => DataLoss::Yes,
        None => DataLoss::Unknown,
    }
}

/// What a deploy does to an existing resource, as a change set says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposal {
    /// The resource leaves the template: its deployed `DeletionPolicy` applies.
    Remove,
    /// A new physical resource replaces it: the new `UpdateReplacePolicy` applies.
    Replace,
    /// As [`Disposal::Replace`], in some cases only (`Replacement: Conditional`).
    MayReplace,
}

/// The data-loss impact of `disposal` on a resource of `type_name`, whose
/// entry is `old` in the deployed template and `new` in the one being
/// deployed (either may be unknown): `DataLoss`, `MayLoseData`,
/// `UnknownImpact` for a type the registry does not know, or `None`.
/// This is what `cargo xtask diff` marks, and what a deploy should ask.
pub fn data_loss(
    registry: Registry<'_>,
    type_name: &str,
    disposal: Disposal,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Impact> {
    let (entry, removal, attribute) = match disposal {
        Disposal::Remove => (old, Removal::Delete, "DeletionPolicy"),
        Disposal::Replace | Disposal::MayReplace => (new, Removal::Replace, "UpdateReplacePolicy"),
    };
    // The type of the resource that goes, with the policy that applies to it.
    let policy = entry
        .and_then(|e| e.get(attribute))
        .cloned()
        .unwrap_or(Value::Null);
    let judged = json!({ "Type": type_name, attribute: policy });
    match (loses_data_with(registry, &judged, removal), disposal) {
        (DataLoss::No, _) => None,
        (DataLoss::Unknown, _) => Some(Impact::UnknownImpact),
        (DataLoss::Yes, Disposal::MayReplace) => Some(Impact::MayLoseData),
        (DataLoss::Yes, _) => Some(Impact::DataLoss),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(deletion: &str, replace: &str) -> Value {
        json!({"Type": "AWS::DynamoDB::Table", "DeletionPolicy": deletion, "UpdateReplacePolicy": replace})
    }

    #[test]
    fn retain_keeps_and_delete_loses() {
        let kept = table("Retain", "Retain");
        assert_eq!(loses_data(&kept, Removal::Delete), DataLoss::No);
        assert_eq!(loses_data(&kept, Removal::Replace), DataLoss::No);
        let lost = table("Delete", "Delete");
        assert_eq!(loses_data(&lost, Removal::Delete), DataLoss::Yes);
        assert_eq!(loses_data(&lost, Removal::Replace), DataLoss::Yes);
        let bare = json!({"Type": "AWS::S3::Bucket"});
        assert_eq!(loses_data(&bare, Removal::Delete), DataLoss::Yes);
    }

    #[test]
    fn retain_except_on_create_keeps_only_on_deletion() {
        let t = table("RetainExceptOnCreate", "RetainExceptOnCreate");
        assert_eq!(loses_data(&t, Removal::Delete), DataLoss::No);
        assert_eq!(loses_data(&t, Removal::Replace), DataLoss::Yes);
    }

    #[test]
    fn snapshot_keeps_a_backup_only_where_supported() {
        assert_eq!(
            loses_data(&table("Snapshot", "Snapshot"), Removal::Delete),
            DataLoss::Yes
        );
        let db = json!({"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot"});
        assert_eq!(loses_data(&db, Removal::Delete), DataLoss::No);
        assert_eq!(loses_data(&db, Removal::Replace), DataLoss::No);
    }

    #[test]
    fn data_loss_reads_the_old_deletion_and_the_new_replace_policy() {
        let kept = json!({"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"});
        let bare = json!({});
        let r = Registry::aws();
        let loss = |d, old, new| data_loss(r, "AWS::SQS::Queue", d, Some(old), Some(new));
        assert_eq!(loss(Disposal::Remove, &kept, &bare), None);
        assert_eq!(loss(Disposal::Remove, &bare, &kept), Some(Impact::DataLoss));
        assert_eq!(loss(Disposal::Replace, &bare, &kept), None);
        assert_eq!(
            loss(Disposal::Replace, &kept, &bare),
            Some(Impact::DataLoss)
        );
        assert_eq!(
            loss(Disposal::MayReplace, &kept, &bare),
            Some(Impact::MayLoseData)
        );
        let topic = data_loss(r, "AWS::SNS::Topic", Disposal::Remove, None, None);
        assert_eq!(topic, None);
        let custom = data_loss(r, "Custom::X", Disposal::Remove, None, None);
        assert_eq!(custom, Some(Impact::UnknownImpact));
        let intrinsic = json!({"DeletionPolicy": {"Fn::If": ["C", "Retain", "Delete"]}});
        let queue = data_loss(
            r,
            "AWS::SQS::Queue",
            Disposal::Remove,
            Some(&intrinsic),
            None,
        );
        assert_eq!(
            queue,
            Some(Impact::DataLoss),
            "an intrinsic policy is not trusted"
        );
    }

    #[test]
    fn stateless_and_unknown_types() {
        let topic = json!({"Type": "AWS::SNS::Topic"});
        assert_eq!(loses_data(&topic, Removal::Delete), DataLoss::No);
        let custom = json!({"Type": "Custom::Thing"});
        assert_eq!(loses_data(&custom, Removal::Delete), DataLoss::Unknown);
        let provider = json!({"Type": "AWS::CloudFormation::CustomResource"});
        assert_eq!(loses_data(&provider, Removal::Delete), DataLoss::Unknown);
        let kept = json!({"Type": "Custom::Thing", "DeletionPolicy": "Retain"});
        assert_eq!(loses_data(&kept, Removal::Delete), DataLoss::No);
    }
}

//! The one data-loss rule, shared by `cargo xtask diff` (through [`super::diff`]) and
//! `infra-deploy` (which feeds it the replacement a change set states).

use serde_json::Value;

use super::Impact;
use crate::registry::Registry;

/// What a deploy does to an existing resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposal {
    /// The resource leaves the template: CloudFormation applies its `DeletionPolicy`.
    Remove,
    /// A new physical resource replaces the old: `UpdateReplacePolicy` applies.
    Replace,
    /// As [`Disposal::Replace`], in some cases only (`Replacement: Conditional`).
    MayReplace,
}

/// Whether resources of `type_name` hold data that a delete destroys: the curated
/// data-holding list of `infra-registry`, through the registry's metadata. A type the
/// registry does not know (a custom resource) is not judged to hold data.
pub fn holds_data(registry: Registry<'_>, type_name: &str) -> bool {
    registry.lookup(type_name).is_some_and(|m| m.holds_data)
}

/// Whether the resource entry keeps its data under `policy` (`DeletionPolicy` or
/// `UpdateReplacePolicy`). A policy that is not a literal string (an intrinsic) is
/// not trusted to retain.
pub fn retains(entry: Option<&Value>, policy: &str) -> bool {
    matches!(
        entry.and_then(|e| e.get(policy)).and_then(Value::as_str),
        Some("Retain" | "RetainExceptOnCreate" | "Snapshot")
    )
}

/// The data loss of `disposal` for a resource of `type_name`: `old` is its entry in the
/// deployed template, `new` in the template being deployed (either may be unknown).
/// A removal follows the deployed `DeletionPolicy`, a replacement the new
/// `UpdateReplacePolicy`; a type that holds no data never loses any.
pub fn data_loss(
    registry: Registry<'_>,
    type_name: &str,
    disposal: Disposal,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Impact> {
    if !holds_data(registry, type_name) {
        return None;
    }
    match disposal {
        Disposal::Remove => (!retains(old, "DeletionPolicy")).then_some(Impact::DataLoss),
        Disposal::Replace => (!retains(new, "UpdateReplacePolicy")).then_some(Impact::DataLoss),
        Disposal::MayReplace => {
            (!retains(new, "UpdateReplacePolicy")).then_some(Impact::MayLoseData)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn aws() -> Registry<'static> {
        Registry::aws()
    }

    #[test]
    fn removing_a_log_group_loses_data_a_topic_or_custom_resource_none() {
        let group = json!({"Type": "AWS::Logs::LogGroup"});
        let loss = data_loss(
            aws(),
            "AWS::Logs::LogGroup",
            Disposal::Remove,
            Some(&group),
            None,
        );
        assert_eq!(loss, Some(Impact::DataLoss));
        for holds_none in ["AWS::SNS::Topic", "Custom::Thing"] {
            assert_eq!(
                data_loss(aws(), holds_none, Disposal::Remove, None, None),
                None
            );
        }
    }

    #[test]
    fn removal_reads_the_old_policy_and_replacement_the_new_one() {
        let kept = json!({"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Snapshot"});
        let bare = json!({});
        let t = "AWS::SQS::Queue";
        let loss = |d, old, new| data_loss(aws(), t, d, Some(old), Some(new));
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
    }

    #[test]
    fn an_intrinsic_policy_or_an_unknown_entry_is_not_trusted() {
        let conditional = json!({"DeletionPolicy": {"Fn::If": ["C", "Retain", "Delete"]}});
        assert!(!retains(Some(&conditional), "DeletionPolicy"));
        assert!(!retains(None, "DeletionPolicy"));
    }
}

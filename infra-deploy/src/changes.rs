//! The changes of a change set, with replacement and data loss marked.
//!
//! CloudFormation reports `Replacement` for every `Modify`; when a change set leaves it out,
//! the replacement is worked out by `infra_check`'s diff of the deployed template and the
//! new one (create-only paths from the registry, wildcards and unordered arrays included).

use std::fmt;

use aws_sdk_cloudformation::types::ResourceChange;
use infra_check::{Disposal, Impact, Registry, StackDiff};

use crate::template::LocalTemplate;

/// Whether a change replaces its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    True,
    Conditional,
    False,
    /// The change set did not say (and no template diff decided it).
    Unknown,
}

/// One resource change of a change set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedChange {
    /// `Add`, `Modify`, `Remove`, `Import` or `Dynamic`.
    pub action: String,
    pub logical_id: String,
    pub resource_type: String,
    pub replacement: Replacement,
    /// Where a replacement came from when the change set did not report it.
    pub replacement_from_template: bool,
    /// `Properties`, `Tags`, ... as CloudFormation reports them.
    pub scope: Vec<String>,
    /// One line per changed attribute: what changed and whether it recreates the resource.
    pub details: Vec<String>,
    /// The change deletes or replaces a resource that holds data, without retaining it.
    pub data_loss: bool,
    /// The change deletes or replaces a resource of a type the registry does not know,
    /// so whether it holds data is unknown (a custom resource).
    pub unknown_impact: bool,
}

impl PlannedChange {
    /// The change as the SDK reports it.
    pub fn from_sdk(change: &ResourceChange) -> Self {
        let replacement = match change.replacement().map(|r| r.as_str()) {
            Some("True") => Replacement::True,
            Some("Conditional") => Replacement::Conditional,
            Some("False") => Replacement::False,
            _ => Replacement::Unknown,
        };
        PlannedChange {
            action: change.action().map_or("?", |a| a.as_str()).to_owned(),
            logical_id: change.logical_resource_id().unwrap_or("?").to_owned(),
            resource_type: change.resource_type().unwrap_or("?").to_owned(),
            replacement,
            replacement_from_template: false,
            scope: change
                .scope()
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            details: change.details().iter().filter_map(detail_line).collect(),
            data_loss: false,
            unknown_impact: false,
        }
    }
}

/// `Properties.KeySchema (recreation: Always)`.
fn detail_line(detail: &aws_sdk_cloudformation::types::ResourceChangeDetail) -> Option<String> {
    let target = detail.target()?;
    let mut line = target.attribute().map_or("?", |a| a.as_str()).to_owned();
    if let Some(name) = target.name() {
        line = format!("{line}.{name}");
    }
    if let Some(recreation) = target.requires_recreation() {
        line = format!("{line} (recreation: {})", recreation.as_str());
    }
    if let Some(entity) = detail.causing_entity() {
        line = format!("{line} caused by {entity}");
    }
    Some(line)
}

/// Fills in unknown replacements from the template diff and marks data loss with
/// `infra_check`'s rule, the one `cargo xtask diff` applies: the replacement is the one
/// the change set states, or the diff's where it states none. `deployed` is the stack's
/// current template (none for a new stack or one that cannot be read).
pub fn assess(
    changes: &mut [PlannedChange],
    new: &LocalTemplate,
    deployed: Option<&LocalTemplate>,
    registry: Registry<'_>,
) {
    let diff =
        deployed.map(|d| infra_check::diff_with(registry, "", Some(d.json()), Some(new.json())));
    for change in changes {
        if let Some(diff) = &diff
            && change.action == "Modify"
            && change.replacement == Replacement::Unknown
        {
            infer_replacement(change, diff);
        }
        let Some(disposal) = disposal(change) else {
            continue;
        };
        let old = deployed.and_then(|t| t.resource(&change.logical_id));
        let loss = infra_check::data_loss(
            registry,
            &change.resource_type,
            disposal,
            old,
            new.resource(&change.logical_id),
        );
        change.data_loss = matches!(loss, Some(Impact::DataLoss | Impact::MayLoseData));
        change.unknown_impact = loss == Some(Impact::UnknownImpact);
    }
}

/// What the change does to the deployed resource, as the data-loss rule names it.
fn disposal(change: &PlannedChange) -> Option<Disposal> {
    match (change.action.as_str(), change.replacement) {
        ("Remove", _) => Some(Disposal::Remove),
        ("Modify", Replacement::True) => Some(Disposal::Replace),
        ("Modify", Replacement::Conditional) => Some(Disposal::MayReplace),
        _ => None,
    }
}

/// The replacement the template diff finds for `change`, with the paths that cause it.
fn infer_replacement(change: &mut PlannedChange, diff: &StackDiff) {
    let resource = diff
        .resources
        .iter()
        .find(|r| r.logical_id == change.logical_id);
    let impacts = resource.map_or(&[][..], |r| &r.impacts[..]);
    change.replacement = if impacts.contains(&Impact::Replace) {
        Replacement::True
    } else if impacts.contains(&Impact::MayReplace) {
        Replacement::Conditional
    } else {
        Replacement::False
    };
    change.replacement_from_template = true;
    for c in resource.into_iter().flat_map(|r| &r.changes) {
        let how = match c.impact {
            Some(Impact::Replace) => "Always",
            Some(Impact::MayReplace) => "Conditionally",
            _ => continue,
        };
        change
            .details
            .push(format!("{} (recreation: {how})", c.path));
    }
}

/// The logical IDs of the changes that lose data.
pub fn data_losses(changes: &[PlannedChange]) -> Vec<String> {
    changes
        .iter()
        .filter(|c| c.data_loss)
        .map(|c| format!("{} ({})", c.logical_id, c.resource_type))
        .collect()
}

impl fmt::Display for PlannedChange {
    /// `Modify  InvitesTable  AWS::DynamoDB::Table  Replacement: True  DATA LOSS`,
    /// then the scope and one indented line per detail.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<8} {:<40} {:<28}",
            self.action, self.logical_id, self.resource_type
        )?;
        match self.replacement {
            Replacement::True => write!(f, " Replacement: True")?,
            Replacement::Conditional => write!(f, " Replacement: Conditional")?,
            Replacement::False | Replacement::Unknown => {}
        }
        if self.replacement_from_template && self.replacement != Replacement::False {
            write!(f, " (from the template diff)")?;
        }
        if self.data_loss {
            write!(f, "  DATA LOSS")?;
        }
        if self.unknown_impact {
            write!(f, "  data loss unknown (type not in the registry)")?;
        }
        if !self.scope.is_empty() {
            write!(f, "\n         scope: {}", self.scope.join(", "))?;
        }
        for detail in &self.details {
            write!(f, "\n         {detail}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infra_model::{Permissions, ResourceMeta};

    static TABLE: ResourceMeta = ResourceMeta {
        type_name: "AWS::DynamoDB::Table",
        service: "dynamodb",
        attributes: &["Arn", "StreamArn"],
        ref_returns: Some("/properties/TableName"),
        primary_identifier: &["/properties/TableName"],
        create_only: &["/properties/KeySchema", "/properties/TableName"],
        conditional_create_only: &[],
        write_only: &[],
        permissions: Permissions {
            create: &[],
            read: &[],
            update: &[],
            delete: &[],
            list: &[],
        },
        holds_data: true,
        unordered: &[],
    };

    static METAS: [&ResourceMeta; 1] = [&TABLE];

    fn registry() -> Registry<'static> {
        Registry::new(&METAS)
    }

    fn template(policy: &str, key: &str) -> LocalTemplate {
        let body = format!(
            r#"{{"Resources": {{"T": {{"Type": "AWS::DynamoDB::Table", {policy}
              "Properties": {{"KeySchema": [{{"AttributeName": "{key}", "KeyType": "HASH"}}]}}}}}}}}"#
        );
        LocalTemplate::parse(body).expect("test template parses")
    }

    fn change(action: &str, replacement: Replacement) -> PlannedChange {
        PlannedChange {
            action: action.to_owned(),
            logical_id: "T".to_owned(),
            resource_type: TABLE.type_name.to_owned(),
            replacement,
            replacement_from_template: false,
            scope: Vec::new(),
            details: Vec::new(),
            data_loss: false,
            unknown_impact: false,
        }
    }

    const RETAIN: &str = r#""DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain","#;

    #[test]
    fn replacing_a_table_without_retain_loses_data() {
        let mut changes = [change("Modify", Replacement::True)];
        assess(&mut changes, &template("", "pk"), None, registry());
        assert!(changes[0].data_loss);
        assert_eq!(data_losses(&changes), ["T (AWS::DynamoDB::Table)"]);
    }

    #[test]
    fn replacing_a_retained_table_keeps_data() {
        let mut changes = [change("Modify", Replacement::Conditional)];
        assess(&mut changes, &template(RETAIN, "pk"), None, registry());
        assert!(!changes[0].data_loss);
    }

    #[test]
    fn removal_follows_the_deployed_deletion_policy() {
        let new = LocalTemplate::parse(r#"{"Resources": {}}"#.to_owned()).expect("parses");
        let mut kept = [change("Remove", Replacement::Unknown)];
        assess(&mut kept, &new, Some(&template(RETAIN, "id")), registry());
        assert!(!kept[0].data_loss);
        let mut lost = [change("Remove", Replacement::Unknown)];
        assess(&mut lost, &new, Some(&template("", "id")), registry());
        assert!(lost[0].data_loss);
    }

    #[test]
    fn unknown_replacement_comes_from_create_only_properties() {
        let mut changes = [change("Modify", Replacement::Unknown)];
        let deployed = template(RETAIN, "id");
        assess(
            &mut changes,
            &template("", "pk"),
            Some(&deployed),
            registry(),
        );
        assert_eq!(changes[0].replacement, Replacement::True);
        assert!(changes[0].data_loss);
        assert_eq!(
            changes[0].details,
            ["Properties.KeySchema[0].AttributeName (recreation: Always)"]
        );
    }

    #[test]
    fn in_place_updates_and_unknown_types_lose_nothing() {
        let mut changes = [
            change("Modify", Replacement::False),
            change("Add", Replacement::Unknown),
        ];
        changes[1].resource_type = "AWS::SNS::Topic".to_owned();
        assess(&mut changes, &template("", "id"), None, registry());
        assert!(changes.iter().all(|c| !c.data_loss));
    }

    #[test]
    fn removing_a_log_group_loses_data() {
        let group = r#"{"Resources": {"T": {"Type": "AWS::Logs::LogGroup"}}}"#;
        let deployed = LocalTemplate::parse(group.to_owned()).expect("parses");
        let new = LocalTemplate::parse(r#"{"Resources": {}}"#.to_owned()).expect("parses");
        let mut changes = [change("Remove", Replacement::Unknown)];
        changes[0].resource_type = "AWS::Logs::LogGroup".to_owned();
        assess(&mut changes, &new, Some(&deployed), Registry::aws());
        assert!(changes[0].data_loss);
    }

    #[test]
    fn removing_a_custom_resource_is_not_refused_but_marked_unknown() {
        let custom = r#"{"Resources": {"T": {"Type": "Custom::Thing"}}}"#;
        let deployed = LocalTemplate::parse(custom.to_owned()).expect("parses");
        let new = LocalTemplate::parse(r#"{"Resources": {}}"#.to_owned()).expect("parses");
        let mut changes = [change("Remove", Replacement::Unknown)];
        changes[0].resource_type = "Custom::Thing".to_owned();
        assess(&mut changes, &new, Some(&deployed), Registry::aws());
        assert!(!changes[0].data_loss);
        assert!(changes[0].unknown_impact);
        assert!(changes[0].to_string().contains("data loss unknown"));
    }
}

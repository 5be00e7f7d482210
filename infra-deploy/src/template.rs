//! The local template: its body as sent to CloudFormation and the few facts a deploy
//! reads from it (resource types, retention policies).

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// CloudFormation's limit for a template passed inline as `TemplateBody`.
pub const INLINE_LIMIT: usize = 51_200;

/// A parsed template and its exact body.
#[derive(Debug, Clone)]
pub struct LocalTemplate {
    pub body: String,
    json: Value,
}

impl LocalTemplate {
    /// Reads and parses the template at `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let body = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(body).map_err(|source| Error::TemplateJson {
            path: path.to_owned(),
            source,
        })
    }

    /// Parses a JSON template body.
    pub fn parse(body: String) -> serde_json::Result<Self> {
        let json = serde_json::from_str(&body)?;
        Ok(LocalTemplate { body, json })
    }

    fn resource(&self, logical_id: &str) -> Option<&Value> {
        self.json.get("Resources")?.get(logical_id)
    }

    /// The resource types the template uses, sorted and deduplicated.
    pub fn resource_types(&self) -> Vec<String> {
        let mut types: Vec<String> = self
            .json
            .get("Resources")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.values())
            .filter_map(|r| r.get("Type")?.as_str().map(str::to_owned))
            .collect();
        types.sort();
        types.dedup();
        types
    }

    /// Whether deleting `logical_id` keeps its data (`DeletionPolicy` Retain,
    /// RetainExceptOnCreate or Snapshot).
    pub fn retains_on_delete(&self, logical_id: &str) -> bool {
        self.policy(logical_id, "DeletionPolicy")
            .is_some_and(|p| matches!(p, "Retain" | "RetainExceptOnCreate" | "Snapshot"))
    }

    /// Whether replacing `logical_id` keeps the old resource's data
    /// (`UpdateReplacePolicy` Retain or Snapshot).
    pub fn retains_on_replace(&self, logical_id: &str) -> bool {
        self.policy(logical_id, "UpdateReplacePolicy")
            .is_some_and(|p| matches!(p, "Retain" | "Snapshot"))
    }

    fn policy(&self, logical_id: &str, attribute: &str) -> Option<&str> {
        self.resource(logical_id)?.get(attribute)?.as_str()
    }

    /// The parsed template.
    pub fn json(&self) -> &Value {
        &self.json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(policy: &str, key: &str) -> LocalTemplate {
        let body = format!(
            r#"{{"Resources": {{"T": {{"Type": "AWS::DynamoDB::Table", {policy}
              "Properties": {{"KeySchema": [{{"AttributeName": "{key}", "KeyType": "HASH"}}],
                              "TableName": "t"}}}}}}}}"#
        );
        LocalTemplate::parse(body).expect("test template parses")
    }

    #[test]
    fn reads_retention_policies() {
        let kept = template(
            r#""DeletionPolicy": "Retain", "UpdateReplacePolicy": "Snapshot","#,
            "id",
        );
        assert!(kept.retains_on_delete("T"));
        assert!(kept.retains_on_replace("T"));
        let lost = template(r#""DeletionPolicy": "Delete","#, "id");
        assert!(!lost.retains_on_delete("T"));
        assert!(!lost.retains_on_replace("T"));
        assert!(!lost.retains_on_delete("Missing"));
    }

    #[test]
    fn lists_resource_types() {
        assert_eq!(
            template("", "id").resource_types(),
            ["AWS::DynamoDB::Table"]
        );
    }
}

//! The local template: its body as sent to CloudFormation and the few facts a deploy
//! reads from it (resource types, resource entries).

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

    /// The entry of `logical_id` under `Resources`.
    pub fn resource(&self, logical_id: &str) -> Option<&Value> {
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
    fn lists_resource_types() {
        assert_eq!(
            template("", "id").resource_types(),
            ["AWS::DynamoDB::Table"]
        );
    }
}

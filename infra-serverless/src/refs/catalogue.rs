//! The catalogue of outputs that `cargo xtask synth` writes (`stacks/outputs/outputs.json`).

use std::path::Path;

use serde::Deserialize;

use super::Error;
use super::judge::without_variables;

/// Every service of the app with its stages and outputs.
#[derive(Debug, Deserialize)]
pub struct Catalogue {
    pub app: String,
    pub services: Vec<ServiceOutputs>,
}

/// One service (one stack per stage, named `{service}-{stage}`).
#[derive(Debug, Deserialize)]
pub struct ServiceOutputs {
    pub service: String,
    #[serde(default)]
    pub stages: Vec<String>,
    pub outputs: Vec<OutputName>,
}

/// One output; the catalogue's other fields (description) are not needed here.
#[derive(Debug, Deserialize)]
pub struct OutputName {
    pub name: String,
}

impl Catalogue {
    /// Reads the catalogue at `path`.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::ReadCatalogue {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| Error::ParseCatalogue {
            path: path.to_path_buf(),
            source,
        })
    }

    pub(super) fn service(&self, name: &str) -> Option<&ServiceOutputs> {
        self.services.iter().find(|s| s.service == name)
    }

    /// The service whose stack this is: `{service}-{stage}`, the longest service name first
    /// so that `infra-worker-dev` belongs to `infra-worker` when both exist. (The reverse
    /// of `infra_model::StackContext::stack_name`, which builds the name.)
    pub(super) fn stack_service(&self, stack: &str) -> Option<&ServiceOutputs> {
        let mut services: Vec<_> = self.services.iter().collect();
        services.sort_by_key(|s| std::cmp::Reverse(s.service.len()));
        services.into_iter().find(|s| {
            let stage = stack
                .strip_prefix(s.service.as_str())
                .and_then(|r| r.strip_prefix('-'));
            stage.is_some_and(|stage| s.is_stage(stage))
        })
    }
}

impl ServiceOutputs {
    /// A known stage, a variable such as `${sls:stage}`, or a literal without a dash: a
    /// dashed unknown stage (`worker-dev`) more likely names another service's stack.
    fn is_stage(&self, stage: &str) -> bool {
        !stage.is_empty()
            && (self.stages.iter().any(|s| s == stage) || !without_variables(stage).contains('-'))
    }

    pub(super) fn has_output(&self, key: &str) -> bool {
        self.outputs.iter().any(|o| o.name == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_are_service_dash_stage() {
        let catalogue: Catalogue = serde_json::from_value(serde_json::json!({
            "app": "api",
            "services": [
                { "service": "infra", "stages": ["dev", "pr-1"], "outputs": [] },
                { "service": "infra-worker", "outputs": [] }
            ]
        }))
        .expect("a catalogue");
        let service = |stack| catalogue.stack_service(stack).map(|s| s.service.as_str());
        assert_eq!(service("infra-dev"), Some("infra"));
        assert_eq!(service("infra-alice"), Some("infra"));
        assert_eq!(service("infra-pr-1"), Some("infra"));
        assert_eq!(service("infra-${sls:stage}"), Some("infra"));
        assert_eq!(service("infra-${opt:stage, 'dev'}"), Some("infra"));
        assert_eq!(service("infra-${}"), Some("infra"));
        assert_eq!(service("infra-worker-dev"), Some("infra-worker"));
        assert_eq!(service("infra-other-dev"), None);
        assert_eq!(service("infra-"), None);
        assert_eq!(service("infra"), None);
        assert_eq!(service("billing-dev"), None);
    }
}

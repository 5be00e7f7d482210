//! The outputs catalogue, `stacks/outputs/outputs.json`: every service of the
//! app with its configured stages and its outputs. `cargo xtask synth` writes
//! it from the [`App`](crate::App); `refs check`, `outputs` and `cfn-role` read
//! it. This type is its only reader and writer.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::naming;

/// The whole app's outputs. It always describes every configured stage: a
/// synth of one stage never narrows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub app: String,
    pub services: Vec<ServiceOutputs>,
}

/// One service: one stack per stage, named by [`naming::stack_name`].
/// Fields are in alphabetical order, the order of the committed file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceOutputs {
    pub outputs: Vec<OutputEntry>,
    pub service: String,
    pub stages: Vec<String>,
}

/// One output, by its exact name (a contract with consumers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputEntry {
    pub description: String,
    pub name: String,
}

/// Why a catalogue cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("cannot read the outputs catalogue {path} (run `cargo xtask synth`)")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not an outputs catalogue (run `cargo xtask synth`)")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{path}: {problem} (run `cargo xtask synth`)")]
    Invalid { path: PathBuf, problem: String },
}

/// A stage the app does not configure.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage `{stage}`: the app `{app}` configures {}", configured(.stages))]
pub struct UnknownStage {
    pub stage: String,
    pub app: String,
    pub stages: Vec<String>,
}

fn configured(stages: &[String]) -> String {
    let quoted: Vec<String> = stages.iter().map(|s| format!("`{s}`")).collect();
    if quoted.is_empty() {
        "no stage".to_owned()
    } else {
        quoted.join(", ")
    }
}

impl Catalogue {
    /// Reads and checks the catalogue at `path`.
    pub fn load(path: &Path) -> Result<Self, CatalogueError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogueError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|e| e.at(path))
    }

    /// Parses and checks catalogue text (errors carry an empty path; [`Catalogue::load`]
    /// fills it in).
    pub fn parse(text: &str) -> Result<Self, CatalogueError> {
        let catalogue: Catalogue =
            serde_json::from_str(text).map_err(|source| CatalogueError::Parse {
                path: PathBuf::new(),
                source,
            })?;
        catalogue
            .check()
            .map_err(|problem| CatalogueError::Invalid {
                path: PathBuf::new(),
                problem,
            })?;
        Ok(catalogue)
    }

    /// No silent defaults: an empty app or service name is an error, not `api`.
    fn check(&self) -> Result<(), String> {
        if self.app.trim().is_empty() {
            return Err("the app name is empty".to_owned());
        }
        match self.services.iter().find(|s| s.service.trim().is_empty()) {
            Some(_) => Err("a service has an empty name".to_owned()),
            None => Ok(()),
        }
    }

    /// The file's text: pretty JSON with a final newline, deterministic.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The service named `name`.
    pub fn service(&self, name: &str) -> Option<&ServiceOutputs> {
        self.services.iter().find(|s| s.service == name)
    }

    /// Every stage any service deploys to, sorted, without duplicates.
    pub fn stages(&self) -> Vec<String> {
        let mut stages: Vec<String> = self
            .services
            .iter()
            .flat_map(|s| s.stages.iter().cloned())
            .collect();
        stages.sort();
        stages.dedup();
        stages
    }

    /// `Ok` when some service deploys to `stage`; otherwise the error lists the
    /// configured stages.
    pub fn check_stage(&self, stage: &str) -> Result<(), UnknownStage> {
        let stages = self.stages();
        if stages.iter().any(|s| s == stage) {
            return Ok(());
        }
        Err(UnknownStage {
            stage: stage.to_owned(),
            app: self.app.clone(),
            stages,
        })
    }

    /// The stacks of `stage`, by name, with the service each belongs to.
    pub fn stacks_at(&self, stage: &str) -> Vec<(String, &ServiceOutputs)> {
        self.services
            .iter()
            .filter(|s| s.stages.iter().any(|st| st == stage))
            .map(|s| (naming::stack_name(&s.service, stage), s))
            .collect()
    }

    /// The service and stage of a stack name, when it names a stack of this app
    /// at a configured stage.
    pub fn stack(&self, stack: &str) -> Option<(&ServiceOutputs, String)> {
        let names = self.services.iter().map(|s| s.service.as_str());
        let (service, stage) = naming::split_stack_name(stack, names)?;
        let service = self.service(service)?;
        service
            .stages
            .iter()
            .any(|s| s == stage)
            .then(|| (service, stage.to_owned()))
    }
}

impl CatalogueError {
    fn at(self, at: &Path) -> Self {
        let path = at.to_owned();
        match self {
            CatalogueError::Read { source, .. } => CatalogueError::Read { path, source },
            CatalogueError::Parse { source, .. } => CatalogueError::Parse { path, source },
            CatalogueError::Invalid { problem, .. } => CatalogueError::Invalid { path, problem },
        }
    }
}

impl ServiceOutputs {
    /// Whether the service declares an output named `name`.
    pub fn has_output(&self, name: &str) -> bool {
        self.outputs.iter().any(|o| o.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "app": "api",
  "services": [
    {
      "outputs": [
        {
          "description": "The ARN of the table.",
          "name": "workspacesTableArn"
        }
      ],
      "service": "infra",
      "stages": [
        "dev",
        "prod"
      ]
    }
  ]
}
"#;

    #[test]
    fn round_trips_the_committed_format() {
        let catalogue = Catalogue::parse(TEXT).expect("parses");
        assert_eq!(catalogue.to_json(), TEXT);
        assert!(
            catalogue
                .service("infra")
                .expect("infra")
                .has_output("workspacesTableArn")
        );
    }

    #[test]
    fn an_empty_app_name_is_an_error_not_api() {
        let text = TEXT.replace(r#""app": "api""#, r#""app": """#);
        let err = Catalogue::parse(&text).expect_err("empty app");
        assert!(err.to_string().contains("app name is empty"), "{err}");
        let missing = TEXT.replace(r#""app": "api","#, "");
        assert!(Catalogue::parse(&missing).is_err());
    }

    #[test]
    fn an_unknown_stage_lists_the_configured_ones() {
        let catalogue = Catalogue::parse(TEXT).expect("parses");
        assert_eq!(catalogue.check_stage("prod"), Ok(()));
        let err = catalogue.check_stage("prdo").expect_err("typo");
        assert_eq!(
            err.to_string(),
            "unknown stage `prdo`: the app `api` configures `dev`, `prod`"
        );
    }

    #[test]
    fn finds_the_stacks_of_a_stage() {
        let catalogue = Catalogue::parse(TEXT).expect("parses");
        let stacks: Vec<String> = catalogue
            .stacks_at("dev")
            .into_iter()
            .map(|s| s.0)
            .collect();
        assert_eq!(stacks, ["infra-dev"]);
        assert_eq!(
            catalogue.stack("infra-prod").map(|s| s.1),
            Some("prod".to_owned())
        );
        assert!(catalogue.stack("infra-a-dev").is_none());
    }

    #[test]
    fn load_names_the_file() {
        let err = Catalogue::load(Path::new("/nonexistent/outputs.json")).expect_err("missing");
        assert!(
            err.to_string().contains("/nonexistent/outputs.json"),
            "{err}"
        );
    }
}

//! The type of every generated output constant. Hand-written: `lib.rs` beside
//! it is generated. No dependencies, so consumers stay light.

use std::fmt;

/// A stack output: its exact name, and the ways to reach its deployed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Output {
    /// The app (`api`).
    pub app: &'static str,
    /// The service whose stack declares the output (`infra`).
    pub service: &'static str,
    /// The output's exact name in the stack (`workspacesTableArn`).
    pub name: &'static str,
    pub description: &'static str,
    /// The Serverless Framework reference, `${state:infra.workspacesTableArn}`.
    pub state_ref: &'static str,
    /// The environment variable [`Output::value`] reads (`INFRA_WORKSPACES_TABLE_ARN`).
    pub env_var: &'static str,
}

impl Output {
    /// The stack that declares the output at `stage`: `{service}-{stage}`
    /// (the pattern is generated from `infra_model::naming`).
    pub fn stack_name(&self, stage: &str) -> String {
        crate::STACK_NAME
            .replace("{service}", self.service)
            .replace("{stage}", stage)
    }

    /// The Serverless Framework reference to the deployed stack,
    /// `${cf:infra-prod.workspacesTableArn}`.
    pub fn cf_ref(&self, stage: &str) -> String {
        format!("${{cf:{}.{}}}", self.stack_name(stage), self.name)
    }

    /// The CloudFormation export name, for `Fn::ImportValue` in other stacks.
    pub fn export_name(&self, stage: &str) -> String {
        crate::EXPORT_NAME
            .replace("{stack}", &self.stack_name(stage))
            .replace("{output}", self.name)
    }

    /// The deployed value, from the environment variable [`Output::env_var`]
    /// (set by the service's deployment, for example from the stack outputs).
    pub fn value(&self) -> Result<String, MissingOutput> {
        self.value_from(|key| std::env::var(key).ok())
    }

    /// The deployed value, read through `lookup` by [`Output::env_var`].
    pub fn value_from(
        &self,
        lookup: impl FnOnce(&str) -> Option<String>,
    ) -> Result<String, MissingOutput> {
        lookup(self.env_var)
            .filter(|v| !v.is_empty())
            .ok_or(MissingOutput { output: *self })
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.state_ref)
    }
}

/// The deployed value of an output was not provided.
///
/// Its `Debug` is its `Display` text: `fn main() -> Result<(), MissingOutput>`
/// (or a `Box<dyn Error>` holding it) prints the error with `{:?}`, and that
/// must say which variable to set, not dump the struct.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MissingOutput {
    pub output: Output,
}

impl fmt::Display for MissingOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.output;
        write!(
            f,
            "output `{}` of service `{}` is not set: export {} (the stack output {})",
            o.name, o.service, o.env_var, o.state_ref
        )
    }
}

impl fmt::Debug for MissingOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for MissingOutput {}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: Output = Output {
        app: "api",
        service: "infra",
        name: "tableArn",
        description: "",
        state_ref: "${state:infra.tableArn}",
        env_var: "INFRA_TABLE_ARN",
    };

    #[test]
    fn debug_is_the_helpful_text_that_main_prints() {
        let err = TABLE.value_from(|_| Some(String::new())).unwrap_err();
        let text = "output `tableArn` of service `infra` is not set: export INFRA_TABLE_ARN \
                    (the stack output ${state:infra.tableArn})";
        assert_eq!(err.to_string(), text);
        assert_eq!(format!("{err:?}"), text, "an empty value is not set either");
        let boxed: Box<dyn std::error::Error> = Box::new(err);
        assert_eq!(format!("{boxed:?}"), text);
    }
}

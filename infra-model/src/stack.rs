//! Stacks: what `#[derive(Stack)]` implements, and the context a stack is built in.

use crate::template::Template;

/// The stage-aware context a stack is built in: which app, service and stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackContext {
    pub app: String,
    pub service: String,
    pub stage: String,
}

impl StackContext {
    /// A context for `service` of `app` at `stage`.
    pub fn new(
        app: impl Into<String>,
        service: impl Into<String>,
        stage: impl Into<String>,
    ) -> Self {
        StackContext {
            app: app.into(),
            service: service.into(),
            stage: stage.into(),
        }
    }

    /// The CloudFormation stack name, `{service}-{stage}` as the Serverless
    /// Framework names it, so `${cf:infra-prod.X}` keeps resolving.
    pub fn stack_name(&self) -> String {
        crate::naming::stack_name(&self.service, &self.stage)
    }

    /// A regional resource name that carries the stage: `{service}-{stage}-{name}`.
    pub fn name(&self, name: &str) -> String {
        crate::naming::regional_name(&self.service, &self.stage, name)
    }

    /// The `Fn::Sub` text of a global S3 bucket name of this stack:
    /// `{app}-{service}-{stage}-{name}-${AWS::AccountId}-${AWS::Region}`.
    pub fn bucket_name_sub(&self, name: &str) -> String {
        crate::naming::bucket_name_sub(&self.app, &self.service, &self.stage, name)
    }
}

/// An output a stack declares: what the generated `outputs` crate publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputSpec {
    /// The output's exact name, a contract with consumers (`workspacesTableArn`).
    pub name: &'static str,
    pub description: &'static str,
    /// The logical ID of the resource the output reads.
    pub logical_id: &'static str,
    /// `Ref`, or the GetAtt attribute the output reads (`Arn`).
    pub attribute: &'static str,
}

/// A stack of resources, implemented by `#[derive(Stack)]`.
pub trait Stack {
    /// The app the stack belongs to (`api`).
    const APP: &'static str;
    /// The service, the first part of the stack name (`infra`).
    const SERVICE: &'static str;
    /// The outputs the stack declares, in declaration order.
    const OUTPUTS: &'static [OutputSpec];

    /// The template of this stack in `ctx`.
    fn to_template(&self, ctx: &StackContext) -> Template;
}

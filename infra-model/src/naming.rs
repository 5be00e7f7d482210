//! The naming rules of the app, in one place: stack names, regional and global
//! (S3 bucket) physical names, export names, and the Rust names and environment
//! variables of outputs in the generated `infra-outputs` crate. Every other crate calls these;
//! the dependency-free `infra-outputs` crate carries a copy of the patterns that
//! `cargo xtask synth` generates from [`STACK_NAME`] and [`EXPORT_NAME`].

/// The stack name pattern, the Serverless Framework's `{service}-{stage}`, so
/// `${cf:infra-prod.X}` references keep resolving during the move.
pub const STACK_NAME: &str = "{service}-{stage}";

/// The export name pattern of an output: unique per account and region,
/// because stack names are.
pub const EXPORT_NAME: &str = "{stack}-{output}";

/// `pattern` with each `{key}` replaced by its value.
pub fn fill(pattern: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(pattern.to_owned(), |text, (key, value)| {
            text.replace(&format!("{{{key}}}"), value)
        })
}

/// The stack of `service` at `stage`: `infra-prod`.
pub fn stack_name(service: &str, stage: &str) -> String {
    fill(STACK_NAME, &[("service", service), ("stage", stage)])
}

/// The export name of output `output` of `stack`: `infra-prod-workspacesTableArn`.
/// `stack` may be `${AWS::StackName}` inside an `Fn::Sub`.
pub fn export_name(stack: &str, output: &str) -> String {
    fill(EXPORT_NAME, &[("stack", stack), ("output", output)])
}

/// A regional physical name that carries the stage, `{service}-{stage}-{name}`
/// (tables, topics, queues): the stack name, a dash, the name.
pub fn regional_name(service: &str, stage: &str, name: &str) -> String {
    format!("{}-{name}", stack_name(service, stage))
}

/// The prefix every regional name of a stack starts with (`infra-prod-`), what
/// an IAM policy scopes the stack's tables and topics to.
pub fn regional_prefix(service: &str, stage: &str) -> String {
    regional_name(service, stage, "")
}

/// The `Fn::Sub` text of an S3 bucket name. Bucket names are global, so they
/// carry the app, service, stage, account and region:
/// `{app}-{service}-{stage}-{name}-${AWS::AccountId}-${AWS::Region}`.
pub fn bucket_name_sub(app: &str, service: &str, stage: &str, name: &str) -> String {
    format!(
        "{}{name}-${{AWS::AccountId}}-${{AWS::Region}}",
        bucket_prefix(app, service, stage)
    )
}

/// The prefix every bucket name of a stack starts with (`api-infra-prod-`).
pub fn bucket_prefix(app: &str, service: &str, stage: &str) -> String {
    format!("{app}-{}", regional_prefix(service, stage))
}

/// The module of `service` in the outputs crate: `infra`, `media_api`.
pub fn output_module(service: &str) -> String {
    heck::ToSnakeCase::to_snake_case(service)
}

/// The constant of output `output` in the outputs crate: `WORKSPACES_TABLE_ARN`.
pub fn output_const(output: &str) -> String {
    heck::ToShoutySnakeCase::to_shouty_snake_case(output)
}

/// The environment variable that carries the deployed value of `output` of
/// `service` to a consumer (what `Output::value()` reads, and what a consumer's
/// `serverless.yml` sets): `INFRA_WORKSPACES_TABLE_ARN`.
pub fn output_env_var(service: &str, output: &str) -> String {
    let service = heck::ToShoutySnakeCase::to_shouty_snake_case(service);
    format!("{service}_{}", output_const(output))
}

/// The `(service, stage)` a stack name is made of, given the app's services:
/// the longest matching service wins, so `infra-worker-dev` belongs to
/// `infra-worker` when both `infra` and `infra-worker` exist.
pub fn split_stack_name<'a, 's>(
    stack: &'s str,
    services: impl IntoIterator<Item = &'a str>,
) -> Option<(&'a str, &'s str)> {
    services
        .into_iter()
        .filter_map(|service| Some((service, stage_of(stack, service)?)))
        .max_by_key(|(service, _)| service.len())
}

/// The stage of `stack` if it is a stack of `service`.
fn stage_of<'s>(stack: &'s str, service: &str) -> Option<&'s str> {
    let (before, after) = STACK_NAME.split_once("{stage}")?;
    let prefix = before.replace("{service}", service);
    let stage = stack.strip_prefix(&prefix)?.strip_suffix(after)?;
    (!stage.is_empty()).then_some(stage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_are_named_as_the_serverless_framework_names_them() {
        assert_eq!(stack_name("infra", "prod"), "infra-prod");
        assert_eq!(
            export_name("infra-prod", "workspacesTableArn"),
            "infra-prod-workspacesTableArn"
        );
        assert_eq!(export_name("${AWS::StackName}", "x"), "${AWS::StackName}-x");
    }

    #[test]
    fn physical_names_carry_the_stage() {
        assert_eq!(
            regional_name("infra", "dev", "invites"),
            "infra-dev-invites"
        );
        assert_eq!(regional_prefix("infra", "dev"), "infra-dev-");
        assert_eq!(
            bucket_name_sub("api", "infra", "dev", "recordings"),
            "api-infra-dev-recordings-${AWS::AccountId}-${AWS::Region}"
        );
        assert_eq!(bucket_prefix("api", "infra", "dev"), "api-infra-dev-");
    }

    #[test]
    fn outputs_are_named_in_rust_and_in_the_environment() {
        assert_eq!(output_module("media-api"), "media_api");
        assert_eq!(
            output_const("newS3AudioRecordingTopicArn"),
            "NEW_S3_AUDIO_RECORDING_TOPIC_ARN"
        );
        assert_eq!(
            output_env_var("media-api", "bucketArn"),
            "MEDIA_API_BUCKET_ARN"
        );
    }

    #[test]
    fn splits_stack_names_by_the_longest_service() {
        let services = ["infra", "infra-worker"];
        assert_eq!(
            split_stack_name("infra-worker-dev", services),
            Some(("infra-worker", "dev"))
        );
        assert_eq!(
            split_stack_name("infra-a-dev", services),
            Some(("infra", "a-dev"))
        );
        assert_eq!(split_stack_name("media-dev", services), None);
        assert_eq!(split_stack_name("infra-", services), None);
    }
}

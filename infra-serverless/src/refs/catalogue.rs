//! Which of the app's stacks a `${cf:STACK.KEY}` reference names. The catalogue itself
//! (`stacks/outputs/outputs.json`) is `infra_model::Catalogue`, its one reader; stack
//! names are `infra_model::naming`'s.

use infra_model::naming;

use super::judge::without_variables;
pub use infra_model::catalogue::{Catalogue, CatalogueError, OutputEntry, ServiceOutputs};

/// The service whose stack `stack` is (`{service}-{stage}`, the longest service name
/// first), at a stage that a consumer may write: a configured stage, a variable such as
/// `${sls:stage}`, or another literal without a dash (`infra-alice`, a developer's stage).
/// A dashed unknown stage (`infra-worker-dev` without an `infra-worker` service) more
/// likely names another service's stack, so it is not ours.
pub(super) fn stack_service<'c>(
    catalogue: &'c Catalogue,
    stack: &str,
) -> Option<&'c ServiceOutputs> {
    let names = catalogue.services.iter().map(|s| s.service.as_str());
    let (service, stage) = naming::split_stack_name(stack, names)?;
    let service = catalogue.service(service)?;
    let known = service.stages.iter().any(|s| s == stage);
    (known || !without_variables(stage).contains('-')).then_some(service)
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
                { "service": "infra-worker", "stages": [], "outputs": [] }
            ]
        }))
        .expect("a catalogue");
        let service = |stack| stack_service(&catalogue, stack).map(|s| s.service.as_str());
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

//! CloudFormation's quotas on one template, in one place: validation enforces them
//! (`infra-check`), and whatever sizes stacks (the scaled benchmark app) derives from them.

/// Resources per template.
pub const MAX_RESOURCES: usize = 500;
/// Outputs per template.
pub const MAX_OUTPUTS: usize = 200;
/// Parameters per template.
pub const MAX_PARAMETERS: usize = 200;

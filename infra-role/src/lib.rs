//! The least-privilege CloudFormation execution role of a stack.
//!
//! The role grants only what creating, updating and deleting the template's
//! resources needs, with the properties the template actually sets:
//! [`RuleSet`] (`rules.json`, data with the source of every entry) maps each
//! resource type and property to IAM actions; the IAM catalogue of the pinned
//! cfn-lint wheel (`infra_model::iam`, the one copy) says which names are
//! real actions and which support resource-level permissions. [`policy`] scopes each action to the stack's own names and adds
//! the conditions AWS supports (`iam:PassedToService`, `kms:ViaService`).

mod policy;
pub mod rules;

pub use policy::{ArnStyle, LITERAL, PSEUDO, StackNames, policy, role_template};
pub use rules::{Grant, RuleSet};

/// Why a role cannot be generated.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("{file} is not valid")]
    Rules {
        file: &'static str,
        source: serde_json::Error,
    },
    #[error(
        "no execution-role rules for {types} (used by {stack}): add them to infra-role/rules.json"
    )]
    UnknownTypes { stack: String, types: String },
    #[error(
        "{stack}: the template has no Resources object (expected `\"Resources\": {{\"LogicalId\": {{\"Type\": ...}}}}`)"
    )]
    NoResources { stack: String },
    #[error("{stack}: resource {logical_id} has no Type")]
    NoType { stack: String, logical_id: String },
    #[error("infra-role/rules.json names actions that are not IAM actions:\n{problems}")]
    UnknownActions { problems: String },
    #[error(
        "no scope for the actions of service `{prefix}` ({actions}): add `scopes.{prefix}` to infra-role/rules.json"
    )]
    NoScope { prefix: String, actions: String },
}

/// The two files of a stack's role.
#[derive(Debug)]
pub struct RoleFiles {
    /// The policy document with literal ARNs (`arn:aws:...:*:*:...`), for review.
    pub policy: serde_json::Value,
    /// A template creating the role with that policy, ARNs per account and region.
    pub role: serde_json::Value,
    /// Every action granted, with the type and property that justify it.
    pub grants: std::collections::BTreeSet<Grant>,
}

/// The role of stack `stack` (of `names`) for `template`.
pub fn generate(
    rules: &RuleSet,
    names: &StackNames,
    stack: &str,
    template: &serde_json::Value,
) -> Result<RoleFiles, RoleError> {
    let grants = rules.grants(stack, template)?;
    let policy_doc = policy(&grants, rules, names, LITERAL)?;
    let pseudo = policy(&grants, rules, names, PSEUDO)?;
    Ok(RoleFiles {
        policy: policy_doc,
        role: role_template(stack, pseudo),
        grants,
    })
}

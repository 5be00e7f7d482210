//! IAM action names in a template's policies (identity, resource and trust
//! policies, and the resources that are one statement): each must be an
//! action of the IAM catalogue of the pinned wheel (`infra_model::iam`, the
//! one copy), or a pattern matching one. Which properties hold policies and
//! how statements read is the security diff's ([`crate::security::actions_of`]).

use infra_model::iam::Action;

use super::{Cx, Doc};
use crate::security::{ActionAt, actions_of};

/// An unknown action in any policy of any resource.
pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    for res in &doc.resources {
        let Some(properties) = res.entry.get("Properties") else {
            continue;
        };
        for found in actions_of(res.type_name, properties) {
            if let Err(err) = Action::parse(&found.action) {
                let path = format!("Resources.{}.Properties.{}", res.id, found.path);
                let problem = cx.problem("E-iam-action", Some(res.id), path, message(&found, &err));
                cx.push(problem);
            }
        }
    }
}

/// The catalogue's own message (it names the action and the closest one),
/// and where in the policy text when the policy is JSON text.
fn message(found: &ActionAt, err: &infra_model::iam::ActionError) -> String {
    match &found.in_text {
        Some(at) => format!("{err} (at {at} of the policy text)"),
        None => err.to_string(),
    }
}

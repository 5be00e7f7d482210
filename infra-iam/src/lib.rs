//! Typed IAM policy documents: [`PolicyDocument`], [`Statement`], [`Effect`],
//! [`Principal`], [`Action`] and condition [`Operator`]s, and the IAM action
//! catalogue of the pinned cfn-lint wheel (`Policies.json`) as constants
//! ([`actions`]) and as data ([`is_action`], [`Action::parse`]).
//!
//! ```
//! use infra_iam::{actions, Condition, PolicyDocument, Principal, Statement};
//! let doc = PolicyDocument::new().statement(
//!     Statement::allow()
//!         .principal(Principal::service("s3.amazonaws.com"))
//!         .action(actions::sns::PUBLISH)
//!         .resource("arn:aws:sns:us-east-1:123456789012:topic")
//!         .condition(Condition::StringEquals, "aws:SourceAccount", "123456789012"),
//! );
//! let json = serde_json::Value::from(doc);
//! assert_eq!(json["Statement"][0]["Action"], "sns:Publish");
//! ```
//!
//! A document converts into `Value<Json>`, so it goes wherever a resource
//! takes a policy (`sns::TopicPolicy::new(doc, ..)`); raw JSON stays the escape hatch.

mod action;
#[rustfmt::skip]
pub mod actions;
mod catalogue;
mod condition;
mod document;
mod one_or_many;
mod principal;

pub use action::{Action, ActionError, is_action};
pub use catalogue::has_resource_level_permissions;
pub use condition::{Condition, Operator, OperatorError, SetQualifier, condition_keys};
pub use document::{Effect, PolicyDocument, Statement};
pub use principal::Principal;

//! [`Action`]: an IAM action name, checked against the catalogue.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::catalogue;

/// An IAM action, `service:Action`, or a pattern of them (`sqs:Send*`, `*`).
///
/// The constants of [`crate::actions`] are the catalogue's actions, so a
/// misspelled one does not compile; [`Action::parse`] checks a string against
/// the same catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Action(Cow<'static, str>);

impl Action {
    /// An action of the catalogue. Only the generated constants call it: any
    /// other name goes through [`Action::parse`].
    #[doc(hidden)]
    pub const fn catalogued(name: &'static str) -> Self {
        Action(Cow::Borrowed(name))
    }

    /// `*`: every action of every service.
    pub const fn any() -> Self {
        Action(Cow::Borrowed("*"))
    }

    /// An action or pattern written as a string: `sqs:SendMessage` (IAM
    /// compares case-insensitively; the spelling is kept), `sqs:Send*` or
    /// `sqs:?eceiveMessage` when the pattern matches some action of the
    /// service, or `*`. The error names the closest action when there is one.
    pub fn parse(name: &str) -> Result<Action, ActionError> {
        catalogue::check(name)?;
        Ok(Action(Cow::Owned(name.to_owned())))
    }

    /// The name as written in a policy.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The service prefix (`sqs`), empty for `*`.
    pub fn service(&self) -> &str {
        self.0.split_once(':').map_or("", |(s, _)| s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Whether `name` is an action of the catalogue (case-insensitive, as IAM
/// compares actions; no patterns).
pub fn is_action(name: &str) -> bool {
    catalogue::find(name).is_some()
}

/// Why a string is not an IAM action of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// Not of the form `service:Action`.
    #[error(
        "`{0}` is not an IAM action: expected `service:Action` (such as `sqs:SendMessage`), a pattern of them (`sqs:Send*`) or `*`"
    )]
    Malformed(String),
    /// The service prefix is not in the catalogue.
    #[error("`{action}`: `{service}` is not an IAM service prefix in the IAM catalogue of the pinned cfn-lint wheel{}", did_you_mean(.suggestion))]
    UnknownService {
        action: String,
        service: String,
        suggestion: Option<String>,
    },
    /// The service has no such action.
    #[error("`{action}` is not an action of `{service}` in the IAM catalogue of the pinned cfn-lint wheel{}", did_you_mean(.suggestion))]
    UnknownAction {
        action: String,
        service: String,
        suggestion: Option<String>,
    },
    /// A pattern that matches no action of its service.
    #[error(
        "`{action}` matches no action of `{service}` in the IAM catalogue of the pinned cfn-lint wheel"
    )]
    NoMatch { action: String, service: String },
}

impl ActionError {
    /// The closest catalogued name, for a did-you-mean.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            ActionError::UnknownService { suggestion, .. }
            | ActionError::UnknownAction { suggestion, .. } => suggestion.as_deref(),
            _ => None,
        }
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

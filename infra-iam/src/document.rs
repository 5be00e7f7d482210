//! [`PolicyDocument`] and [`Statement`]: the IAM policy grammar as builders.

use std::collections::BTreeMap;

use infra_core::{Json, Value};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::one_or_many::OneOrMany;
use crate::{Action, Operator, Principal};

/// The only current policy language version; IAM reads policy variables
/// (`${aws:username}`) only in documents of this version.
pub const VERSION: &str = "2012-10-17";

/// An IAM policy document: identity, resource or trust policy.
///
/// Converts into `Value<Json>` (and `Json`), so every policy-typed property
/// setter takes it. Keys serialize in the order CloudFormation templates of
/// this project use (sorted), one item as a scalar and several as a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    id: Option<String>,
    statements: Vec<Statement>,
}

impl PolicyDocument {
    /// An empty document of version `2012-10-17`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The optional policy `Id`.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Appends a statement.
    pub fn statement(mut self, statement: Statement) -> Self {
        self.statements.push(statement);
        self
    }

    /// Appends statements.
    pub fn statements(mut self, statements: impl IntoIterator<Item = Statement>) -> Self {
        self.statements.extend(statements);
        self
    }

    /// The statements, in order.
    pub fn statement_list(&self) -> &[Statement] {
        &self.statements
    }
}

impl Serialize for PolicyDocument {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        if let Some(id) = &self.id {
            map.serialize_entry("Id", id)?;
        }
        // Always a list, even with one statement: it is how every committed
        // template spells it, and what reviewers expect to extend.
        map.serialize_entry("Statement", &self.statements)?;
        map.serialize_entry("Version", VERSION)?;
        map.end()
    }
}

impl From<PolicyDocument> for Json {
    fn from(doc: PolicyDocument) -> Self {
        // Our own Serialize impls have string keys only and never fail.
        serde_json::to_value(doc).unwrap_or(Json::Null)
    }
}

impl From<PolicyDocument> for Value<Json> {
    fn from(doc: PolicyDocument) -> Self {
        Value::Lit(doc.into())
    }
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    /// `"Allow"` or `"Deny"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

impl Serialize for Effect {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One statement of a [`PolicyDocument`].
///
/// Each list-valued element (`Action`, `Resource`, a condition's values)
/// grows with every call: `.action(a).action(b)` is `"Action": [a, b]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    sid: Option<String>,
    effect: Effect,
    principal: Option<Principal>,
    not_principal: Option<Principal>,
    action: Vec<Action>,
    not_action: Vec<Action>,
    resource: Vec<Json>,
    not_resource: Vec<Json>,
    /// Operator -> condition key -> values.
    condition: BTreeMap<String, BTreeMap<String, Vec<Json>>>,
}

impl Statement {
    /// A statement with `effect` and nothing else yet.
    pub fn new(effect: Effect) -> Self {
        Statement {
            sid: None,
            effect,
            principal: None,
            not_principal: None,
            action: Vec::new(),
            not_action: Vec::new(),
            resource: Vec::new(),
            not_resource: Vec::new(),
            condition: BTreeMap::new(),
        }
    }

    /// An `Allow` statement.
    pub fn allow() -> Self {
        Self::new(Effect::Allow)
    }

    /// A `Deny` statement.
    pub fn deny() -> Self {
        Self::new(Effect::Deny)
    }

    /// The statement ID.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// Adds a principal (resource and trust policies); several calls merge.
    pub fn principal(mut self, principal: Principal) -> Self {
        self.principal = Some(merge(self.principal.take(), principal));
        self
    }

    /// Adds a `NotPrincipal`; several calls merge.
    pub fn not_principal(mut self, principal: Principal) -> Self {
        self.not_principal = Some(merge(self.not_principal.take(), principal));
        self
    }

    /// Adds an action (`actions::sqs::SEND_MESSAGE`, or [`Action::parse`]).
    pub fn action(mut self, action: Action) -> Self {
        self.action.push(action);
        self
    }

    /// Adds actions.
    pub fn actions(mut self, actions: impl IntoIterator<Item = Action>) -> Self {
        self.action.extend(actions);
        self
    }

    /// Adds a `NotAction`.
    pub fn not_action(mut self, action: Action) -> Self {
        self.not_action.push(action);
        self
    }

    /// Adds a resource: an ARN string or an intrinsic (`topic.r#ref()`).
    pub fn resource(mut self, resource: impl Into<Json>) -> Self {
        self.resource.push(resource.into());
        self
    }

    /// Adds resources.
    pub fn resources<R: Into<Json>>(mut self, resources: impl IntoIterator<Item = R>) -> Self {
        self.resource.extend(resources.into_iter().map(Into::into));
        self
    }

    /// Adds a `NotResource`.
    pub fn not_resource(mut self, resource: impl Into<Json>) -> Self {
        self.not_resource.push(resource.into());
        self
    }

    /// Adds `value` to condition `key` under `operator`
    /// (`Condition::StringEquals`, `Condition::ArnLike.if_exists()`); calling
    /// it again with the same operator and key adds a value (any matches).
    pub fn condition(
        mut self,
        operator: impl Into<Operator>,
        key: impl Into<String>,
        value: impl Into<Json>,
    ) -> Self {
        let keys = self
            .condition
            .entry(operator.into().to_string())
            .or_default();
        keys.entry(key.into()).or_default().push(value.into());
        self
    }

    /// The effect.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The statement ID, if it has one.
    pub fn statement_id(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// The actions, in order.
    pub fn action_list(&self) -> &[Action] {
        &self.action
    }
}

fn merge(old: Option<Principal>, new: Principal) -> Principal {
    match old {
        Some(old) => old.and(new),
        None => new,
    }
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        entry(&mut map, "Action", &self.action)?;
        if !self.condition.is_empty() {
            let condition: BTreeMap<_, BTreeMap<_, _>> = self
                .condition
                .iter()
                .map(|(op, keys)| {
                    let keys = keys.iter().map(|(k, v)| (k, OneOrMany(v))).collect();
                    (op, keys)
                })
                .collect();
            map.serialize_entry("Condition", &condition)?;
        }
        map.serialize_entry("Effect", &self.effect)?;
        entry(&mut map, "NotAction", &self.not_action)?;
        if let Some(p) = &self.not_principal {
            map.serialize_entry("NotPrincipal", p)?;
        }
        entry(&mut map, "NotResource", &self.not_resource)?;
        if let Some(p) = &self.principal {
            map.serialize_entry("Principal", p)?;
        }
        entry(&mut map, "Resource", &self.resource)?;
        if let Some(sid) = &self.sid {
            map.serialize_entry("Sid", sid)?;
        }
        map.end()
    }
}

/// `key: items` as a scalar or a list; nothing when empty.
fn entry<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &str,
    items: &[T],
) -> Result<(), M::Error> {
    if items.is_empty() {
        return Ok(());
    }
    map.serialize_entry(key, &OneOrMany(items))
}

//! `Value<T>`: a property leaf that is either a literal or an intrinsic function.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::intrinsic::Intrinsic;
use crate::resource::{Handle, Resource};

/// Free-form JSON, for schema properties typed `object` without `properties`
/// (policy documents, filter policies) and for `object|string` unions.
///
/// Intrinsics serialize into it, so `serde_json::json!({"Resource": handle.arn()})` works.
pub type Json = serde_json::Value;

/// A CloudFormation property value: a literal `T` or an intrinsic function whose
/// result CloudFormation resolves at deploy time.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<T> {
    /// A literal known at synth time.
    Lit(T),
    /// An intrinsic function (Ref, Fn::GetAtt, Fn::Sub, ...).
    Fn(Intrinsic),
}

impl<T> Value<T> {
    /// The literal, when the value is known at synth time.
    pub fn as_literal(&self) -> Option<&T> {
        match self {
            Value::Lit(t) => Some(t),
            Value::Fn(_) => None,
        }
    }

    /// The same intrinsic, retyped; literals are converted with `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Lit(t) => Value::Lit(f(t)),
            Value::Fn(i) => Value::Fn(i),
        }
    }
}

impl<T: Serialize> Value<T> {
    /// This value, needing `resource` created first: the resource that holds
    /// the value gets `DependsOn: [resource]` in the template.
    ///
    /// For orderings CloudFormation cannot infer from a `Ref` or `GetAtt`, such
    /// as a bucket notification that S3 checks against the topic policy when it
    /// is configured. Wiring helpers put the dependency on the value that needs
    /// it, so it cannot be forgotten: whoever uses the value gets the ordering.
    pub fn after<R: Resource>(self, resource: Handle<R>) -> Value<T> {
        let id = resource.logical_id().to_owned();
        let intrinsic = match self {
            Value::Fn(Intrinsic::After(mut ids, value)) => {
                if !ids.contains(&id) {
                    ids.push(id);
                }
                Intrinsic::After(ids, value)
            }
            other => Intrinsic::After(vec![id], Box::new(other.into())),
        };
        Value::Fn(intrinsic)
    }
}

impl<T: Serialize> Serialize for Value<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Lit(t) => t.serialize(s),
            Value::Fn(i) => i.serialize(s),
        }
    }
}

/// Types that may stand as a literal inside [`Value`]. A marker, so that
/// `From<T> for Value<T>` does not overlap with `From<Intrinsic>`.
pub trait Literal {}

impl Literal for String {}
impl Literal for bool {}
impl Literal for i64 {}
impl Literal for f64 {}
impl Literal for Json {}
impl<T> Literal for Vec<T> {}
impl<T> Literal for BTreeMap<String, T> {}
// Recursive property types are boxed (`Value<Box<Statement>>`).
impl<T: Literal> Literal for Box<T> {}

impl<T: Literal> From<T> for Value<T> {
    fn from(t: T) -> Self {
        Value::Lit(t)
    }
}

impl<T> From<Intrinsic> for Value<T> {
    fn from(i: Intrinsic) -> Self {
        Value::Fn(i)
    }
}

impl From<&str> for Value<String> {
    fn from(s: &str) -> Self {
        Value::Lit(s.to_owned())
    }
}

impl From<i32> for Value<i64> {
    fn from(n: i32) -> Self {
        Value::Lit(n.into())
    }
}

impl<T: Serialize> From<Value<T>> for Json {
    fn from(v: Value<T>) -> Self {
        // Serializing our own types into a `serde_json::Value` cannot fail: every
        // map key is a `String` and no `Serialize` impl here returns an error.
        serde_json::to_value(&v).unwrap_or(Json::Null)
    }
}

//! `AWS::SNS::Subscription` `Protocol`, `FilterPolicy` and `FilterPolicyScope`.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::value::{Json, Literal};

/// A subscription's `Protocol`, the values SNS's `Subscribe` accepts; the
/// registry schema types it as a free string, so `"sqs "` used to deploy and fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Protocol {
    /// `http`: JSON over HTTP POST.
    #[serde(rename = "http")]
    Http,
    /// `https`: JSON over HTTPS POST.
    #[serde(rename = "https")]
    Https,
    /// `email`: email.
    #[serde(rename = "email")]
    Email,
    /// `email-json`: JSON-encoded email.
    #[serde(rename = "email-json")]
    EmailJson,
    /// `sms`: text message.
    #[serde(rename = "sms")]
    Sms,
    /// `sqs`: an SQS queue; the endpoint is the queue's ARN, not its URL.
    #[serde(rename = "sqs")]
    Sqs,
    /// `application`: a mobile app endpoint (its ARN).
    #[serde(rename = "application")]
    Application,
    /// `lambda`: a Lambda function (its ARN).
    #[serde(rename = "lambda")]
    Lambda,
    /// `firehose`: a Data Firehose delivery stream (its ARN).
    #[serde(rename = "firehose")]
    Firehose,
}

impl Literal for Protocol {}

impl Protocol {
    /// Every protocol, with the value SNS spells it.
    pub const ALL: [(&'static str, Protocol); 9] = [
        ("http", Protocol::Http),
        ("https", Protocol::Https),
        ("email", Protocol::Email),
        ("email-json", Protocol::EmailJson),
        ("sms", Protocol::Sms),
        ("sqs", Protocol::Sqs),
        ("application", Protocol::Application),
        ("lambda", Protocol::Lambda),
        ("firehose", Protocol::Firehose),
    ];
}

/// A string that names no value of a typed enum property.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// The string given.
    pub given: String,
    /// The values allowed, as the service spells them.
    pub allowed: Vec<&'static str>,
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} is not one of {}",
            self.given,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for UnknownValue {}

/// Reads a template's value (import): exactly as the service spells it.
impl std::str::FromStr for Protocol {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        lookup(&Protocol::ALL, s)
    }
}

fn lookup<T: Copy>(all: &[(&'static str, T)], s: &str) -> Result<T, UnknownValue> {
    all.iter()
        .find(|(name, _)| *name == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| UnknownValue {
            given: s.to_owned(),
            allowed: all.iter().map(|(name, _)| *name).collect(),
        })
}

/// What a subscription's filter policy reads: message attributes (SNS's
/// default) or the message body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum FilterPolicyScope {
    /// `MessageAttributes`.
    MessageAttributes,
    /// `MessageBody`: the policy may nest ([`FilterPolicy::nested`]).
    MessageBody,
}

impl Literal for FilterPolicyScope {}

impl FilterPolicyScope {
    /// Every scope, with the value SNS spells it.
    pub const ALL: [(&'static str, FilterPolicyScope); 2] = [
        ("MessageAttributes", FilterPolicyScope::MessageAttributes),
        ("MessageBody", FilterPolicyScope::MessageBody),
    ];
}

/// Reads a template's value (import): exactly as SNS spells it.
impl std::str::FromStr for FilterPolicyScope {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        lookup(&FilterPolicyScope::ALL, s)
    }
}

/// A subscription's `FilterPolicy`: for each attribute (or body key), the
/// values a message must match one of.
///
/// ```
/// # use infra_core::typed::sns::{FilterPolicy, Match, Numeric};
/// let policy = FilterPolicy::new()
///     .attribute("event", [Match::exact("created"), Match::prefix("invite-")])
///     .attribute("size", [Match::numeric(Numeric::gt(0).and_le(150))]);
/// assert_eq!(
///     serde_json::to_value(&policy).unwrap(),
///     serde_json::json!({
///         "event": ["created", {"prefix": "invite-"}],
///         "size": [{"numeric": [">", 0, "<=", 150]}],
///     }),
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterPolicy(FilterRepr);

#[derive(Clone, Debug, PartialEq)]
enum FilterRepr {
    Typed(BTreeMap<String, Node>),
    Raw(Json),
}

impl Default for FilterRepr {
    fn default() -> Self {
        FilterRepr::Typed(BTreeMap::new())
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    AnyOf(Vec<Match>),
    Nested(FilterPolicy),
}

struct NonEmpty<const N: usize>;

impl<const N: usize> NonEmpty<N> {
    const CHECK: () = assert!(
        N >= 1,
        "a filter policy key needs at least one value to match"
    );
}

impl FilterPolicy {
    /// A policy that matches every message, until keys are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// A message matches when `name` matches any one of `values` (at least one,
    /// checked at compile time). A key set twice keeps the last values.
    pub fn attribute<const N: usize>(
        self,
        name: impl Into<String>,
        values: [impl Into<Match>; N],
    ) -> Self {
        #[allow(clippy::let_unit_value)] // forces the compile-time check
        let () = NonEmpty::<N>::CHECK;
        self.insert(
            name,
            Node::AnyOf(values.into_iter().map(Into::into).collect()),
        )
    }

    /// A nested object of the message body (scope [`FilterPolicyScope::MessageBody`]).
    pub fn nested(self, name: impl Into<String>, policy: FilterPolicy) -> Self {
        self.insert(name, Node::Nested(policy))
    }

    /// The escape hatch: the policy exactly as given, unchecked (an imported
    /// template, `$or`, a string-encoded policy).
    pub fn json(raw: impl Into<Json>) -> Self {
        FilterPolicy(FilterRepr::Raw(raw.into()))
    }

    fn insert(mut self, name: impl Into<String>, node: Node) -> Self {
        match &mut self.0 {
            FilterRepr::Typed(keys) => {
                keys.insert(name.into(), node);
            }
            // Adding typed keys to raw JSON would guess at its shape: start over typed.
            FilterRepr::Raw(_) => return FilterPolicy::new().insert(name, node),
        }
        self
    }
}

impl Literal for FilterPolicy {}

impl Serialize for FilterPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            FilterRepr::Typed(keys) => {
                let mut map = s.serialize_map(Some(keys.len()))?;
                for (name, node) in keys {
                    match node {
                        Node::AnyOf(values) => map.serialize_entry(name, values)?,
                        Node::Nested(policy) => map.serialize_entry(name, policy)?,
                    }
                }
                map.end()
            }
            FilterRepr::Raw(raw) => raw.serialize(s),
        }
    }
}

/// One value a filter policy key may match.
#[derive(Clone, Debug, PartialEq)]
pub struct Match(Json);

impl Match {
    /// Exactly this string.
    pub fn exact(value: impl Into<String>) -> Self {
        Match(Json::String(value.into()))
    }

    /// Exactly this number.
    pub fn number(value: impl Into<f64>) -> Self {
        Match(number(value.into()))
    }

    /// A string that starts with `prefix`.
    pub fn prefix(prefix: impl Into<String>) -> Self {
        Self::operator("prefix", Json::String(prefix.into()))
    }

    /// A string that ends with `suffix`.
    pub fn suffix(suffix: impl Into<String>) -> Self {
        Self::operator("suffix", Json::String(suffix.into()))
    }

    /// A string equal to `value` ignoring case.
    pub fn equals_ignore_case(value: impl Into<String>) -> Self {
        Self::operator("equals-ignore-case", Json::String(value.into()))
    }

    /// Any string but these.
    pub fn anything_but<const N: usize>(values: [impl Into<String>; N]) -> Self {
        let values = values.into_iter().map(|v| Json::String(v.into())).collect();
        Self::operator("anything-but", Json::Array(values))
    }

    /// Any string that does not start with `prefix`.
    pub fn anything_but_prefix(prefix: impl Into<String>) -> Self {
        let inner = serde_json::json!({ "prefix": prefix.into() });
        Self::operator("anything-but", inner)
    }

    /// A number in the range.
    pub fn numeric(range: Numeric) -> Self {
        Self::operator("numeric", Json::Array(range.0))
    }

    /// The key is present (`true`) or absent (`false`).
    pub fn exists(present: bool) -> Self {
        Self::operator("exists", Json::Bool(present))
    }

    /// An IP address in the CIDR block (for the `AWS.SNS.SourceIp` attribute).
    pub fn cidr(block: impl Into<String>) -> Self {
        Self::operator("cidr", Json::String(block.into()))
    }

    fn operator(name: &str, operand: Json) -> Self {
        let mut object = serde_json::Map::new();
        object.insert(name.to_owned(), operand);
        Match(Json::Object(object))
    }
}

impl From<&str> for Match {
    fn from(value: &str) -> Self {
        Match::exact(value)
    }
}

impl Serialize for Match {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A numeric condition: `Numeric::eq(5)`, `Numeric::gt(0).and_le(150)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Numeric(Vec<Json>);

impl Numeric {
    /// `= value`.
    pub fn eq(value: impl Into<f64>) -> Self {
        Numeric(Vec::new()).and("=", value.into())
    }

    /// `> value`.
    pub fn gt(value: impl Into<f64>) -> Self {
        Numeric(Vec::new()).and(">", value.into())
    }

    /// `>= value`.
    pub fn ge(value: impl Into<f64>) -> Self {
        Numeric(Vec::new()).and(">=", value.into())
    }

    /// `< value`, alone.
    pub fn lt(value: impl Into<f64>) -> Self {
        Numeric(Vec::new()).and("<", value.into())
    }

    /// `<= value`, alone.
    pub fn le(value: impl Into<f64>) -> Self {
        Numeric(Vec::new()).and("<=", value.into())
    }

    /// And `< value` (the upper bound of a range).
    pub fn and_lt(self, value: impl Into<f64>) -> Self {
        self.and("<", value.into())
    }

    /// And `<= value` (the upper bound of a range).
    pub fn and_le(self, value: impl Into<f64>) -> Self {
        self.and("<=", value.into())
    }

    fn and(mut self, op: &str, value: f64) -> Self {
        self.0.push(Json::String(op.to_owned()));
        self.0.push(number(value));
        self
    }
}

/// A JSON number, integral when the value is (SNS reads `5` and `5.0` alike, and
/// templates written by hand say `5`).
fn number(value: f64) -> Json {
    // The cast is exact: the value is integral and within i64's range.
    #[allow(clippy::cast_possible_truncation)]
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        return Json::from(value as i64);
    }
    serde_json::Number::from_f64(value).map_or(Json::Null, Json::Number)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn to_json(v: impl Serialize) -> Json {
        serde_json::to_value(v).unwrap()
    }

    #[test]
    fn protocol_spells_sns_values() {
        assert_eq!(to_json(Protocol::Sqs), json!("sqs"));
        assert_eq!(to_json(Protocol::EmailJson), json!("email-json"));
        assert_eq!(
            to_json(FilterPolicyScope::MessageBody),
            json!("MessageBody")
        );
    }

    #[test]
    fn values_read_back_as_serialized() {
        for (name, protocol) in Protocol::ALL {
            assert_eq!(to_json(protocol), json!(name));
            assert_eq!(name.parse::<Protocol>(), Ok(protocol));
        }
        for (name, scope) in FilterPolicyScope::ALL {
            assert_eq!(to_json(scope), json!(name));
        }
        let err = "sqs ".parse::<Protocol>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"sqs \" is not one of http, https, email, email-json, sms, sqs, application, lambda, firehose"
        );
    }

    #[test]
    fn every_operator() {
        let policy = FilterPolicy::new()
            .attribute("a", [Match::suffix(".mp3"), Match::equals_ignore_case("X")])
            .attribute(
                "b",
                [
                    Match::anything_but(["x", "y"]),
                    Match::anything_but_prefix("t"),
                ],
            )
            .attribute("c", [Match::exists(false), Match::cidr("10.0.0.0/24")])
            .attribute("d", [Match::number(1.5), Match::numeric(Numeric::eq(3))]);
        assert_eq!(
            to_json(policy),
            json!({
                "a": [{"suffix": ".mp3"}, {"equals-ignore-case": "X"}],
                "b": [{"anything-but": ["x", "y"]}, {"anything-but": {"prefix": "t"}}],
                "c": [{"exists": false}, {"cidr": "10.0.0.0/24"}],
                "d": [1.5, {"numeric": ["=", 3]}],
            })
        );
    }

    #[test]
    fn nested_body_policy_and_plain_strings() {
        let policy =
            FilterPolicy::new().nested("detail", FilterPolicy::new().attribute("kind", ["a", "b"]));
        assert_eq!(to_json(policy), json!({"detail": {"kind": ["a", "b"]}}));
    }

    #[test]
    fn raw_json_round_trips_unchanged() {
        let raw = json!({"$or": [{"a": ["x"]}, {"b": ["y"]}]});
        assert_eq!(to_json(FilterPolicy::json(raw.clone())), raw);
    }

    #[test]
    fn a_numeric_range() {
        let range = Numeric::ge(0).and_lt(1.5);
        assert_eq!(
            to_json(Match::numeric(range)),
            json!({"numeric": [">=", 0, "<", 1.5]})
        );
    }
}

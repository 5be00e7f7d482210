//! Type overrides: properties the registry schemas type as free-form JSON or
//! as a plain string although their shape is documented and easy to get wrong.
//! Each takes a hand-written type of `infra_core::typed` in place of the
//! schema's, and the service's crate re-exports it. Data, in one home: to type
//! another property, write its type in `infra-core/src/typed/` and add a row.

/// One overridden top-level property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Override {
    /// The resource type, `AWS::SQS::Queue`.
    pub type_name: &'static str,
    /// The top-level property, `RedrivePolicy`.
    pub property: &'static str,
    /// The module under `infra_core::typed`, `sqs`.
    pub module: &'static str,
    /// The type there, `RedrivePolicy`.
    pub rust: &'static str,
    /// How code that writes Rust (import) spells a literal value of it.
    pub kind: Kind,
}

/// How a literal of an overridden type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A typed builder whose escape hatch is `Type::json(serde_json::json!(..))`.
    Json,
    /// An enum: `Type::Variant`, the variant of a string from the type's
    /// `FromStr` (an unknown string is the type's error, listing the allowed ones).
    Enum,
}

const fn row(
    type_name: &'static str,
    property: &'static str,
    module: &'static str,
    (rust, kind): (&'static str, Kind),
) -> Override {
    Override {
        type_name,
        property,
        module,
        rust,
        kind,
    }
}

/// Why each: the mistakes (`maxReceiveCount: 0` or `"5"`,
/// `Protocol: "sqs "`) deploy and then fail or misbehave; a filter policy's
/// operators (`prefix`, `anything-but`, `numeric`) are easy to misspell.
pub const OVERRIDES: &[Override] = &[
    row(
        "AWS::SQS::Queue",
        "RedrivePolicy",
        "sqs",
        ("RedrivePolicy", Kind::Json),
    ),
    row(
        "AWS::SQS::Queue",
        "RedriveAllowPolicy",
        "sqs",
        ("RedriveAllowPolicy", Kind::Json),
    ),
    row(
        "AWS::SNS::Subscription",
        "Protocol",
        "sns",
        ("Protocol", Kind::Enum),
    ),
    row(
        "AWS::SNS::Subscription",
        "FilterPolicy",
        "sns",
        ("FilterPolicy", Kind::Json),
    ),
    row(
        "AWS::SNS::Subscription",
        "FilterPolicyScope",
        "sns",
        ("FilterPolicyScope", Kind::Enum),
    ),
];

/// The override of `property` of `type_name`, if any.
pub fn find(type_name: &str, property: &str) -> Option<Override> {
    OVERRIDES
        .iter()
        .find(|o| o.type_name == type_name && o.property == property)
        .copied()
}

/// The overrides of one resource type.
pub fn of_type(type_name: &str) -> impl Iterator<Item = &'static Override> + '_ {
    OVERRIDES.iter().filter(move |o| o.type_name == type_name)
}

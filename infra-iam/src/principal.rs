//! [`Principal`]: who a resource or trust policy applies to.

use std::collections::BTreeMap;

use infra_core::Json;
use serde::{Serialize, Serializer};

use crate::one_or_many::OneOrMany;

/// The `Principal` (or `NotPrincipal`) of a statement.
///
/// Principals of several kinds combine with [`Principal::and`]:
/// `{"AWS": [..], "Service": ..}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal(Kind);

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// `"*"`: everyone, anonymous included.
    Any,
    /// Principal type (`AWS`, `Service`, ...) -> identifiers.
    Map(BTreeMap<&'static str, Vec<Json>>),
}

impl Principal {
    fn one(kind: &'static str, id: impl Into<Json>) -> Self {
        Principal(Kind::Map(BTreeMap::from([(kind, vec![id.into()])])))
    }

    /// `"*"`: anyone, anonymous users included (scope it with conditions).
    pub fn any() -> Self {
        Principal(Kind::Any)
    }

    /// An AWS service, `{"Service": "s3.amazonaws.com"}`.
    pub fn service(service: impl Into<Json>) -> Self {
        Self::one("Service", service)
    }

    /// An AWS account by ID or root ARN, `{"AWS": "123456789012"}`
    /// (`pseudo::account_id()` for the stack's own account).
    pub fn account(account: impl Into<Json>) -> Self {
        Self::one("AWS", account)
    }

    /// An IAM role, user or session by ARN, `{"AWS": arn}`.
    pub fn aws(arn: impl Into<Json>) -> Self {
        Self::one("AWS", arn)
    }

    /// A web identity or SAML provider, `{"Federated": provider}`.
    pub fn federated(provider: impl Into<Json>) -> Self {
        Self::one("Federated", provider)
    }

    /// An S3 canonical user ID, `{"CanonicalUser": id}`.
    pub fn canonical_user(id: impl Into<Json>) -> Self {
        Self::one("CanonicalUser", id)
    }

    /// Both principals. `any()` absorbs every other: `"*"` already names all.
    pub fn and(self, other: Principal) -> Self {
        match (self.0, other.0) {
            (Kind::Any, _) | (_, Kind::Any) => Principal::any(),
            (Kind::Map(mut a), Kind::Map(b)) => {
                for (kind, ids) in b {
                    a.entry(kind).or_default().extend(ids);
                }
                Principal(Kind::Map(a))
            }
        }
    }
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Kind::Any => s.serialize_str("*"),
            Kind::Map(map) => {
                let map: BTreeMap<_, _> = map.iter().map(|(k, v)| (k, OneOrMany(v))).collect();
                map.serialize(s)
            }
        }
    }
}

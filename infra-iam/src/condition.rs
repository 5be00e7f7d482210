//! Condition operators ([`Condition`], [`Operator`]) and the global condition
//! keys ([`condition_keys`]).

use std::fmt;
use std::str::FromStr;

/// The IAM condition operators (the IAM User Guide's "Condition operators").
/// Qualify one with [`Condition::if_exists`], [`Condition::for_any_value`] or
/// [`Condition::for_all_values`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Condition {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    /// Whether the key is absent (`"true"`) or present (`"false"`).
    Null,
}

impl Condition {
    /// Every operator, in the order of the IAM User Guide.
    pub const ALL: [Condition; 27] = {
        use Condition::*;
        [
            StringEquals,
            StringNotEquals,
            StringEqualsIgnoreCase,
            StringNotEqualsIgnoreCase,
            StringLike,
            StringNotLike,
            NumericEquals,
            NumericNotEquals,
            NumericLessThan,
            NumericLessThanEquals,
            NumericGreaterThan,
            NumericGreaterThanEquals,
            DateEquals,
            DateNotEquals,
            DateLessThan,
            DateLessThanEquals,
            DateGreaterThan,
            DateGreaterThanEquals,
            Bool,
            BinaryEquals,
            IpAddress,
            NotIpAddress,
            ArnEquals,
            ArnLike,
            ArnNotEquals,
            ArnNotLike,
            Null,
        ]
    };

    /// The operator's name in a policy.
    pub const fn as_str(self) -> &'static str {
        use Condition::*;
        match self {
            StringEquals => "StringEquals",
            StringNotEquals => "StringNotEquals",
            StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            StringLike => "StringLike",
            StringNotLike => "StringNotLike",
            NumericEquals => "NumericEquals",
            NumericNotEquals => "NumericNotEquals",
            NumericLessThan => "NumericLessThan",
            NumericLessThanEquals => "NumericLessThanEquals",
            NumericGreaterThan => "NumericGreaterThan",
            NumericGreaterThanEquals => "NumericGreaterThanEquals",
            DateEquals => "DateEquals",
            DateNotEquals => "DateNotEquals",
            DateLessThan => "DateLessThan",
            DateLessThanEquals => "DateLessThanEquals",
            DateGreaterThan => "DateGreaterThan",
            DateGreaterThanEquals => "DateGreaterThanEquals",
            Bool => "Bool",
            BinaryEquals => "BinaryEquals",
            IpAddress => "IpAddress",
            NotIpAddress => "NotIpAddress",
            ArnEquals => "ArnEquals",
            ArnLike => "ArnLike",
            ArnNotEquals => "ArnNotEquals",
            ArnNotLike => "ArnNotLike",
            Null => "Null",
        }
    }

    /// `...IfExists`: true as well when the key is absent from the request.
    pub const fn if_exists(self) -> Operator {
        Operator::new(self).if_exists()
    }

    /// `ForAnyValue:...`: some value of a multivalued key matches.
    pub const fn for_any_value(self) -> Operator {
        Operator::new(self).qualified(SetQualifier::ForAnyValue)
    }

    /// `ForAllValues:...`: every value of a multivalued key matches.
    pub const fn for_all_values(self) -> Operator {
        Operator::new(self).qualified(SetQualifier::ForAllValues)
    }
}

/// The set operators for multivalued condition keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAnyValue,
    ForAllValues,
}

impl SetQualifier {
    const fn as_str(self) -> &'static str {
        match self {
            SetQualifier::ForAnyValue => "ForAnyValue",
            SetQualifier::ForAllValues => "ForAllValues",
        }
    }
}

/// A condition operator with its qualifiers: `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    qualifier: Option<SetQualifier>,
    condition: Condition,
    if_exists: bool,
}

impl Operator {
    /// The plain operator.
    pub const fn new(condition: Condition) -> Self {
        Operator {
            qualifier: None,
            condition,
            if_exists: false,
        }
    }

    /// The same operator with `IfExists`.
    pub const fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }

    /// The same operator with a set qualifier.
    pub const fn qualified(mut self, qualifier: SetQualifier) -> Self {
        self.qualifier = Some(qualifier);
        self
    }
}

impl From<Condition> for Operator {
    fn from(condition: Condition) -> Self {
        Operator::new(condition)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(q) = self.qualifier {
            write!(f, "{}:", q.as_str())?;
        }
        f.write_str(self.condition.as_str())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// A condition operator IAM does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an IAM condition operator: expected one of {ops}, optionally ending in `IfExists` (not `Null`) and prefixed with `ForAnyValue:` or `ForAllValues:`",
    ops = Condition::ALL.map(Condition::as_str).join(", ")
)]
pub struct OperatorError(pub String);

impl FromStr for Operator {
    type Err = OperatorError;

    /// Parses an operator as written in a policy (case-sensitive, as IAM is).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || OperatorError(text.to_owned());
        let (qualifier, rest) = match text.split_once(':') {
            Some(("ForAnyValue", rest)) => (Some(SetQualifier::ForAnyValue), rest),
            Some(("ForAllValues", rest)) => (Some(SetQualifier::ForAllValues), rest),
            Some(_) => return Err(err()),
            None => (None, text),
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let condition = Condition::ALL
            .into_iter()
            .find(|c| c.as_str() == base)
            .ok_or_else(err)?;
        if condition == Condition::Null && if_exists {
            return Err(err());
        }
        Ok(Operator {
            qualifier,
            condition,
            if_exists,
        })
    }
}

/// Global condition keys (the IAM User Guide's "AWS global condition context
/// keys"); service-specific keys are strings (`"s3:prefix"`).
pub mod condition_keys {
    /// The ARN of the resource making a service-to-service request.
    pub const AWS_SOURCE_ARN: &str = "aws:SourceArn";
    /// The account of the resource making a service-to-service request.
    pub const AWS_SOURCE_ACCOUNT: &str = "aws:SourceAccount";
    /// The organization of the resource making a service-to-service request.
    pub const AWS_SOURCE_ORG_ID: &str = "aws:SourceOrgID";
    /// The organization paths of the source resource.
    pub const AWS_SOURCE_ORG_PATHS: &str = "aws:SourceOrgPaths";
    /// The ARN of the calling principal.
    pub const AWS_PRINCIPAL_ARN: &str = "aws:PrincipalArn";
    /// The account of the calling principal.
    pub const AWS_PRINCIPAL_ACCOUNT: &str = "aws:PrincipalAccount";
    /// The organization of the calling principal.
    pub const AWS_PRINCIPAL_ORG_ID: &str = "aws:PrincipalOrgID";
    /// The organization paths of the calling principal.
    pub const AWS_PRINCIPAL_ORG_PATHS: &str = "aws:PrincipalOrgPaths";
    /// The type of the calling principal (`Account`, `User`, `AssumedRole`, ...).
    pub const AWS_PRINCIPAL_TYPE: &str = "aws:PrincipalType";
    /// Whether an AWS service principal makes the call.
    pub const AWS_PRINCIPAL_IS_AWS_SERVICE: &str = "aws:PrincipalIsAWSService";
    /// The service principal making the call.
    pub const AWS_PRINCIPAL_SERVICE_NAME: &str = "aws:PrincipalServiceName";
    /// The account that owns the resource.
    pub const AWS_RESOURCE_ACCOUNT: &str = "aws:ResourceAccount";
    /// The organization that owns the resource.
    pub const AWS_RESOURCE_ORG_ID: &str = "aws:ResourceOrgID";
    /// Whether the request was sent over TLS.
    pub const AWS_SECURE_TRANSPORT: &str = "aws:SecureTransport";
    /// The requester's IP address.
    pub const AWS_SOURCE_IP: &str = "aws:SourceIp";
    /// The VPC the request came from.
    pub const AWS_SOURCE_VPC: &str = "aws:SourceVpc";
    /// The VPC endpoint the request came through.
    pub const AWS_SOURCE_VPCE: &str = "aws:SourceVpce";
    /// The requester's IP address inside a VPC.
    pub const AWS_VPC_SOURCE_IP: &str = "aws:VpcSourceIp";
    /// The region the request is made to.
    pub const AWS_REQUESTED_REGION: &str = "aws:RequestedRegion";
    /// The request time (ISO 8601).
    pub const AWS_CURRENT_TIME: &str = "aws:CurrentTime";
    /// The request time (epoch seconds).
    pub const AWS_EPOCH_TIME: &str = "aws:EpochTime";
    /// Whether MFA authenticated the credentials.
    pub const AWS_MULTI_FACTOR_AUTH_PRESENT: &str = "aws:MultiFactorAuthPresent";
    /// Seconds since MFA authenticated the credentials.
    pub const AWS_MULTI_FACTOR_AUTH_AGE: &str = "aws:MultiFactorAuthAge";
    /// Whether a service made the request on the principal's behalf.
    pub const AWS_VIA_AWS_SERVICE: &str = "aws:ViaAWSService";
    /// The services that made the request on the principal's behalf.
    pub const AWS_CALLED_VIA: &str = "aws:CalledVia";
    /// The tag keys in the request.
    pub const AWS_TAG_KEYS: &str = "aws:TagKeys";
    /// The caller's unique ID.
    pub const AWS_USERID: &str = "aws:userid";
    /// The caller's user name.
    pub const AWS_USERNAME: &str = "aws:username";

    /// `aws:ResourceTag/<key>`: a tag of the resource.
    pub fn aws_resource_tag(key: &str) -> String {
        format!("aws:ResourceTag/{key}")
    }

    /// `aws:RequestTag/<key>`: a tag in the request.
    pub fn aws_request_tag(key: &str) -> String {
        format!("aws:RequestTag/{key}")
    }

    /// `aws:PrincipalTag/<key>`: a tag of the calling principal.
    pub fn aws_principal_tag(key: &str) -> String {
        format!("aws:PrincipalTag/{key}")
    }
}

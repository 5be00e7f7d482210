//! `AWS::SQS::Queue` `RedrivePolicy` and `RedriveAllowPolicy`.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::value::{Json, Literal, Value};

/// A `maxReceiveCount` of `N`, checked against SQS's range 1..=1000 when the
/// program is compiled: `MaxReceiveCount::<0>` is a compile error at the call
/// of [`RedrivePolicy::new`] that uses it, and `MaxReceiveCount::<"5">` does not
/// type-check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxReceiveCount<const N: u16>;

impl<const N: u16> MaxReceiveCount<N> {
    // Evaluated once per `N` that a program uses, so an out-of-range count fails
    // the build with this message and the location of the call that uses it.
    const IN_RANGE: u16 = {
        assert!(
            N >= 1 && N <= 1000,
            "maxReceiveCount must be in 1..=1000 (SQS rejects other values)"
        );
        N
    };
}

/// A queue's `RedrivePolicy`: where messages go after `maxReceiveCount`
/// failed receives.
///
/// ```
/// # use infra_core::typed::sqs::{MaxReceiveCount, RedrivePolicy};
/// let policy = RedrivePolicy::new("arn:aws:sqs:eu-west-1:123456789012:dlq", MaxReceiveCount::<5>);
/// assert_eq!(
///     serde_json::to_value(&policy).unwrap(),
///     serde_json::json!({"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:dlq", "maxReceiveCount": 5}),
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RedrivePolicy(RedriveRepr);

#[derive(Clone, Debug, PartialEq)]
enum RedriveRepr {
    Typed {
        dead_letter_target_arn: Value<String>,
        max_receive_count: u16,
    },
    Raw(Json),
}

impl RedrivePolicy {
    /// Messages move to the queue `dead_letter_target_arn` (an ARN, e.g.
    /// `Self::DLQ.arn()`) after `N` failed receives, `N` in 1..=1000.
    pub fn new<const N: u16>(
        dead_letter_target_arn: impl Into<Value<String>>,
        _max_receive_count: MaxReceiveCount<N>,
    ) -> Self {
        RedrivePolicy(RedriveRepr::Typed {
            dead_letter_target_arn: dead_letter_target_arn.into(),
            max_receive_count: MaxReceiveCount::<N>::IN_RANGE,
        })
    }

    /// The escape hatch: the policy exactly as given, unchecked (an imported
    /// template, a count from a parameter, a string-encoded policy).
    pub fn json(raw: impl Into<Json>) -> Self {
        RedrivePolicy(RedriveRepr::Raw(raw.into()))
    }

    /// The dead-letter queue's ARN, when the policy is typed.
    pub fn dead_letter_target_arn(&self) -> Option<&Value<String>> {
        match &self.0 {
            RedriveRepr::Typed {
                dead_letter_target_arn,
                ..
            } => Some(dead_letter_target_arn),
            RedriveRepr::Raw(_) => None,
        }
    }
}

impl Literal for RedrivePolicy {}

impl Serialize for RedrivePolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            RedriveRepr::Typed {
                dead_letter_target_arn,
                max_receive_count,
            } => {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry("deadLetterTargetArn", dead_letter_target_arn)?;
                map.serialize_entry("maxReceiveCount", max_receive_count)?;
                map.end()
            }
            RedriveRepr::Raw(raw) => raw.serialize(s),
        }
    }
}

/// A dead-letter queue's `RedriveAllowPolicy`: which source queues may use it.
///
/// ```
/// # use infra_core::typed::sqs::RedriveAllowPolicy;
/// let policy = RedriveAllowPolicy::by_queue(["arn:aws:sqs:eu-west-1:123456789012:jobs"]);
/// assert_eq!(
///     serde_json::to_value(&policy).unwrap(),
///     serde_json::json!({"redrivePermission": "byQueue", "sourceQueueArns": ["arn:aws:sqs:eu-west-1:123456789012:jobs"]}),
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RedriveAllowPolicy(AllowRepr);

#[derive(Clone, Debug, PartialEq)]
enum AllowRepr {
    AllowAll,
    DenyAll,
    ByQueue(Vec<Value<String>>),
    Raw(Json),
}

/// SQS's limit on `sourceQueueArns` with `byQueue`.
const MAX_SOURCE_QUEUES: usize = 10;

struct SourceQueues<const N: usize>;

impl<const N: usize> SourceQueues<N> {
    const IN_RANGE: () = assert!(
        N >= 1 && N <= MAX_SOURCE_QUEUES,
        "byQueue takes 1 to 10 source queue ARNs (SQS rejects more, and none is denyAll)"
    );
}

impl RedriveAllowPolicy {
    /// Every queue of the account and region may use this queue as its
    /// dead-letter queue (SQS's default).
    pub fn allow_all() -> Self {
        RedriveAllowPolicy(AllowRepr::AllowAll)
    }

    /// No queue may use this queue as its dead-letter queue.
    pub fn deny_all() -> Self {
        RedriveAllowPolicy(AllowRepr::DenyAll)
    }

    /// Only these source queues (1 to 10 ARNs, checked at compile time).
    pub fn by_queue<const N: usize>(source_queue_arns: [impl Into<Value<String>>; N]) -> Self {
        #[allow(clippy::let_unit_value)] // forces the compile-time range check
        let () = SourceQueues::<N>::IN_RANGE;
        RedriveAllowPolicy(AllowRepr::ByQueue(
            source_queue_arns.into_iter().map(Into::into).collect(),
        ))
    }

    /// The escape hatch: the policy exactly as given, unchecked.
    pub fn json(raw: impl Into<Json>) -> Self {
        RedriveAllowPolicy(AllowRepr::Raw(raw.into()))
    }
}

impl Literal for RedriveAllowPolicy {}

impl Serialize for RedriveAllowPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (permission, arns) = match &self.0 {
            AllowRepr::AllowAll => ("allowAll", None),
            AllowRepr::DenyAll => ("denyAll", None),
            AllowRepr::ByQueue(arns) => ("byQueue", Some(arns)),
            AllowRepr::Raw(raw) => return raw.serialize(s),
        };
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("redrivePermission", permission)?;
        if let Some(arns) = arns {
            map.serialize_entry("sourceQueueArns", arns)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::intrinsic::Intrinsic;

    #[test]
    fn redrive_policy_takes_an_intrinsic_arn() {
        let arn = Intrinsic::GetAtt("Dlq".into(), Box::new("Arn".into()));
        let policy = RedrivePolicy::new(arn, MaxReceiveCount::<1000>);
        assert_eq!(
            serde_json::to_value(&policy).unwrap(),
            json!({"deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}, "maxReceiveCount": 1000})
        );
    }

    #[test]
    fn raw_json_round_trips_unchanged() {
        let raw = json!({"deadLetterTargetArn": "x", "maxReceiveCount": "5"});
        assert_eq!(
            serde_json::to_value(RedrivePolicy::json(raw.clone())).unwrap(),
            raw
        );
        let raw = json!({"redrivePermission": "byQueue", "sourceQueueArns": []});
        assert_eq!(
            serde_json::to_value(RedriveAllowPolicy::json(raw.clone())).unwrap(),
            raw
        );
    }

    #[test]
    fn allow_and_deny_all() {
        assert_eq!(
            serde_json::to_value(RedriveAllowPolicy::allow_all()).unwrap(),
            json!({"redrivePermission": "allowAll"})
        );
        assert_eq!(
            serde_json::to_value(RedriveAllowPolicy::deny_all()).unwrap(),
            json!({"redrivePermission": "denyAll"})
        );
    }

    #[test]
    fn a_whole_policy_may_be_an_intrinsic() {
        let v: Value<RedrivePolicy> = Intrinsic::Ref("Policy".into()).into();
        assert_eq!(serde_json::to_value(&v).unwrap(), json!({"Ref": "Policy"}));
    }
}

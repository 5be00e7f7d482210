//! Wiring helpers: connections between resources written once, correctly.
//!
//! Each helper is a function of the typed handles of the resources it
//! connects that returns every piece of the connection as one `#[must_use]`
//! struct, so that nothing is left for the author to hand-write and get wrong:
//!
//! - the resources it creates (a topic policy, a queue policy, an IAM policy)
//!   take the handle of the stack field that will hold them, so their logical
//!   IDs are the stack's and the struct must have a field for each; a field
//!   left unset does not compile, and a piece left unused is a warning
//!   (an error under `-D warnings`) when the struct is destructured;
//! - policies name exactly the resources given (the queue that is subscribed,
//!   the topic that sends, the bucket that notifies), with the conditions
//!   against the confused deputy (`aws:SourceArn`, `aws:SourceAccount`);
//! - an ordering CloudFormation cannot infer from a `Ref` or `GetAtt` travels
//!   with the value that needs it ([`Value::after`](crate::Value::after)): the bucket's notification
//!   needs the topic policy, the subscription the queue policy, the event
//!   source mapping the function's stream permissions. Whoever uses the value
//!   gets the `DependsOn`; there is no attribute to forget;
//! - an ARN that would close a dependency cycle (the bucket that depends on
//!   the policy naming it) is built from the resource's name, which the helper
//!   sets itself, so the two cannot disagree.
//!
//! Helpers live in one module per source service and compile only with the
//! cargo features of the services they connect.

#[cfg(all(feature = "dynamodb", feature = "lambda", feature = "iam"))]
pub mod dynamodb;
#[cfg(all(
    feature = "iam",
    any(feature = "dynamodb", feature = "sns", feature = "sqs", feature = "s3")
))]
pub mod grant;
#[cfg(all(feature = "s3", feature = "sns"))]
pub mod s3;
#[cfg(all(feature = "sns", feature = "sqs"))]
pub mod sns;
#[cfg(feature = "sqs")]
pub mod sqs;

/// The ARN of a resource built from its physical name, for the places where a
/// `GetAtt ..Arn` would close a dependency cycle. `prefix` is the `Fn::Sub`
/// text before the name (`arn:${AWS::Partition}:s3:::`).
///
/// A name given as `Fn::Sub` text is spliced into the same `Fn::Sub` (so the
/// ARN of a bucket named `api-${AWS::AccountId}` is one readable string); a
/// literal name too (names of these resources cannot contain `$`); any other
/// intrinsic goes in as a variable.
#[cfg(any(all(feature = "s3", feature = "sns"), feature = "sqs"))]
fn arn_from_name(prefix: &str, name: &crate::Value<String>) -> crate::Value<String> {
    use crate::intrinsic::{Intrinsic, sub, sub_with};
    use crate::value::{Json, Value};
    match name {
        Value::Lit(name) => sub(format!("{prefix}{name}")),
        Value::Fn(Intrinsic::Sub(text, vars)) => {
            Intrinsic::Sub(format!("{prefix}{text}"), vars.clone()).into()
        }
        Value::Fn(other) => sub_with(
            format!("{prefix}${{Name}}"),
            [("Name", Json::from(other.clone()))],
        ),
    }
}

#[cfg(all(
    test,
    feature = "s3",
    feature = "sns",
    feature = "sqs",
    feature = "dynamodb",
    feature = "lambda",
    feature = "iam"
))]
mod tests;

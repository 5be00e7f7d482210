//! DynamoDB table streams as event sources.

use crate::aws::{dynamodb, iam, lambda};
use crate::iam::{PolicyDocument, Statement, actions};
use crate::resource::Handle;

/// Where a new event source mapping starts reading the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    /// Only records written after the mapping is created.
    Latest,
    /// The oldest record the stream still holds (24 hours).
    TrimHorizon,
}

impl StartingPosition {
    fn as_str(self) -> &'static str {
        match self {
            StartingPosition::Latest => "LATEST",
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
        }
    }
}

/// A function invoked with the records of a table's stream, and the policy
/// that lets its role read the stream.
#[must_use = "place the event source mapping and the policy in their stack fields"]
#[derive(Debug)]
pub struct StreamToFunction {
    /// Reads the table's stream into the function; depends on the policy.
    pub event_source_mapping: lambda::EventSourceMapping,
    /// The stream read permissions, attached to the function's role.
    pub policy: iam::Policy,
}

/// Invokes `function` with the records of `table`'s stream; `role` is the
/// function's execution role and `policy` the stack field of the IAM policy
/// this returns (named after its logical ID).
///
/// The policy allows `dynamodb:DescribeStream`, `GetRecords` and
/// `GetShardIterator` on this table's stream only, and `dynamodb:ListStreams`,
/// which the IAM catalogue gives no resource type, on `*`. Lambda checks the
/// role when the mapping is created, so the mapping depends on the policy.
/// The table needs a `StreamSpecification`; without one, `StreamArn` fails
/// at deploy.
pub fn stream_to_function(
    table: Handle<dynamodb::Table>,
    function: Handle<lambda::Function>,
    role: Handle<iam::Role>,
    policy: Handle<iam::Policy>,
    starting_position: StartingPosition,
) -> StreamToFunction {
    let event_source_mapping = lambda::EventSourceMapping::new(function.r#ref())
        .event_source_arn(table.stream_arn().after(policy))
        .starting_position(starting_position.as_str());
    StreamToFunction {
        event_source_mapping,
        policy: stream_read_policy(table, role, policy),
    }
}

/// What Lambda needs to read `table`'s stream for `role`.
fn stream_read_policy(
    table: Handle<dynamodb::Table>,
    role: Handle<iam::Role>,
    policy: Handle<iam::Policy>,
) -> iam::Policy {
    use actions::dynamodb::{DESCRIBE_STREAM, GET_RECORDS, GET_SHARD_ITERATOR, LIST_STREAMS};
    let read = Statement::allow()
        .sid("ReadStream")
        .actions([DESCRIBE_STREAM, GET_RECORDS, GET_SHARD_ITERATOR])
        .resource(table.stream_arn());
    // The catalogue gives ListStreams no resource type: it is granted on `*` or not at all.
    let list = Statement::allow()
        .sid("ListStreams")
        .action(LIST_STREAMS)
        .resource("*");
    let document = PolicyDocument::new().statements([read, list]);
    iam::Policy::new(document, policy.logical_id()).roles(vec![role.r#ref()])
}

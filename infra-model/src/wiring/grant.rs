//! `grant` helpers: least-privilege statements that let a role use one
//! resource, with the exact resource ARNs, as an `AWS::IAM::Policy`.
//!
//! ```
//! use infra_model::aws::{dynamodb, iam, sns};
//! use infra_model::iam::{PolicyDocument, Principal, Statement, actions};
//! use infra_model::wiring::grant::{TableAccess, TableGrant, TopicGrant};
//! use infra_model::{Stack, StackContext};
//!
//! #[derive(Debug, Stack)]
//! #[stack(app = "api", service = "worker")]
//! pub struct Worker {
//!     pub workspaces_table: dynamodb::Table,
//!     pub new_invite_topic: sns::Topic,
//!     pub worker_role: iam::Role,
//!     pub worker_table_policy: iam::Policy,
//!     pub worker_policy: iam::Policy,
//! }
//!
//! impl Worker {
//!     pub fn new(_: &StackContext) -> Self {
//!         let trust = PolicyDocument::new().statement(
//!             Statement::allow()
//!                 .principal(Principal::service("lambda.amazonaws.com"))
//!                 .action(actions::sts::ASSUME_ROLE),
//!         );
//!         let key = dynamodb::table::KeySchema::new("id", "HASH");
//!         Worker {
//!             workspaces_table: dynamodb::Table::new(vec![key]),
//!             new_invite_topic: sns::Topic::default(),
//!             worker_role: iam::Role::new(trust),
//!             // Read and write the table and its indexes: the exact ARNs, nothing else.
//!             worker_table_policy: Self::WORKSPACES_TABLE
//!                 .grant(Self::WORKER_ROLE, TableAccess::ReadWrite)
//!                 .policy(Self::WORKER_TABLE_POLICY),
//!             // Or several grants to the role in one policy.
//!             worker_policy: Self::WORKSPACES_TABLE
//!                 .grant(Self::WORKER_ROLE, TableAccess::Read)
//!                 .and(|role| Self::NEW_INVITE_TOPIC.grant_publish(role))
//!                 .policy(Self::WORKER_POLICY),
//!         }
//!     }
//! }
//! ```
//!
//! Each helper is a method of the resource's typed handle (an extension trait:
//! `use infra_model::wiring::grant::*`), so a grant names a resource of the
//! right type that is in the stack. The actions come from the IAM catalogue
//! constants (`infra_model::iam::actions`); each set is what the service's
//! API needs for the access and no more (the Service Authorization Reference
//! of each service, and the resource types the catalogue gives each action):
//! `DescribeTable`, `GetBucket*` and other control-plane reads are left out.

use crate::aws::iam;
use crate::iam::{Action, PolicyDocument, Statement};
use crate::intrinsic;
use crate::resource::Handle;
use crate::value::Value;

/// Statements that let one role use one resource.
#[must_use = "put the grant's policy (`.policy(..)`) in its stack field"]
#[derive(Clone, Debug)]
pub struct Grant {
    role: Handle<iam::Role>,
    statements: Vec<Statement>,
}

impl Grant {
    fn new(role: Handle<iam::Role>, statements: Vec<Statement>) -> Self {
        Grant { role, statements }
    }

    /// The statements, to put in a policy of your own (a role's inline policy).
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// This grant and more for the same role, as one grant, so that one
    /// `AWS::IAM::Policy` holds them all (the module's example). `more` is
    /// handed this grant's role, and the statements it returns join this
    /// grant's, for this role. Statement IDs are unique within a policy: a `Sid` already taken gets
    /// the lowest free number (`ReadItems2`).
    pub fn and(mut self, more: impl FnOnce(Handle<iam::Role>) -> Grant) -> Self {
        for statement in more(self.role).statements {
            let statement = match statement.statement_id() {
                Some(sid) if self.has_sid(sid) => {
                    let free = (2..).map(|n| format!("{sid}{n}"));
                    let sid = free.into_iter().find(|s| !self.has_sid(s));
                    statement.sid(sid.unwrap_or_default())
                }
                _ => statement,
            };
            self.statements.push(statement);
        }
        self
    }

    fn has_sid(&self, sid: &str) -> bool {
        self.statements
            .iter()
            .any(|s| s.statement_id() == Some(sid))
    }

    /// The `AWS::IAM::Policy` that attaches the statements to the role;
    /// `policy` is its stack field, whose logical ID names the policy.
    pub fn policy(self, policy: Handle<iam::Policy>) -> iam::Policy {
        let document = PolicyDocument::new().statements(self.statements);
        iam::Policy::new(document, policy.logical_id()).roles(vec![self.role.r#ref()])
    }
}

fn allow(
    sid: &str,
    actions: impl IntoIterator<Item = Action>,
    resource: impl Into<Value<String>>,
) -> Statement {
    Statement::allow()
        .sid(sid)
        .actions(actions)
        .resource(resource.into())
}

/// `${Id.Arn}<suffix>`: ARNs below a resource's (a bucket's objects, a table's indexes).
#[cfg(any(feature = "dynamodb", feature = "s3"))]
fn below_arn(logical_id: &str, suffix: &str) -> Value<String> {
    intrinsic::sub(format!("${{{logical_id}.Arn}}{suffix}"))
}

#[cfg(feature = "dynamodb")]
pub use self::dynamodb::{TableAccess, TableGrant};

#[cfg(feature = "dynamodb")]
mod dynamodb {
    use super::*;
    use crate::aws::dynamodb;
    use crate::iam::actions::dynamodb as ddb;

    /// What a role may do with a table.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum TableAccess {
        /// Read items: get, batch get, query and scan (the table and its indexes).
        Read,
        /// Write items: put, update, delete, batch write.
        Write,
        /// Both.
        ReadWrite,
        /// Read the table's stream (a Lambda event source, a stream consumer).
        Stream,
    }

    /// `table.grant(role, TableAccess::ReadWrite)`.
    pub trait TableGrant {
        /// The statements for `access` to this table, for `role`.
        fn grant(self, role: Handle<iam::Role>, access: TableAccess) -> Grant;
    }

    impl TableGrant for Handle<dynamodb::Table> {
        fn grant(self, role: Handle<iam::Role>, access: TableAccess) -> Grant {
            let statements = match access {
                TableAccess::Read => items(self, "ReadItems", &READ, true),
                TableAccess::Write => items(self, "WriteItems", &WRITE, false),
                TableAccess::ReadWrite => items(self, "ReadWriteItems", &READ_WRITE, true),
                TableAccess::Stream => stream(self),
            };
            Grant::new(role, statements)
        }
    }

    // Sorted; the catalogue gives each the `table` resource type.
    const READ: [Action; 5] = [
        ddb::BATCH_GET_ITEM,
        ddb::CONDITION_CHECK_ITEM,
        ddb::GET_ITEM,
        ddb::QUERY,
        ddb::SCAN,
    ];
    const WRITE: [Action; 5] = [
        ddb::BATCH_WRITE_ITEM,
        ddb::CONDITION_CHECK_ITEM,
        ddb::DELETE_ITEM,
        ddb::PUT_ITEM,
        ddb::UPDATE_ITEM,
    ];
    const READ_WRITE: [Action; 9] = [
        ddb::BATCH_GET_ITEM,
        ddb::BATCH_WRITE_ITEM,
        ddb::CONDITION_CHECK_ITEM,
        ddb::DELETE_ITEM,
        ddb::GET_ITEM,
        ddb::PUT_ITEM,
        ddb::QUERY,
        ddb::SCAN,
        ddb::UPDATE_ITEM,
    ];
    /// Of the item reads, only `Query` and `Scan` apply to an index.
    const INDEX_READ: [Action; 2] = [ddb::QUERY, ddb::SCAN];

    fn items(
        table: Handle<dynamodb::Table>,
        sid: &str,
        actions: &[Action],
        indexes: bool,
    ) -> Vec<Statement> {
        let mut out = vec![allow(sid, actions.iter().cloned(), table.arn())];
        if indexes {
            let index_arn = below_arn(table.logical_id(), "/index/*");
            out.push(allow("QueryIndexes", INDEX_READ, index_arn));
        }
        out
    }

    /// The stream's reads on its ARN; `ListStreams` has no resource type in
    /// the catalogue, so it takes `*`.
    fn stream(table: Handle<dynamodb::Table>) -> Vec<Statement> {
        let reads = [
            ddb::DESCRIBE_STREAM,
            ddb::GET_RECORDS,
            ddb::GET_SHARD_ITERATOR,
        ];
        vec![
            allow("ReadStream", reads, table.stream_arn()),
            allow("ListStreams", [ddb::LIST_STREAMS], "*"),
        ]
    }
}

#[cfg(feature = "sns")]
pub use self::sns::TopicGrant;

#[cfg(feature = "sns")]
mod sns {
    use super::*;
    use crate::aws::sns;
    use crate::iam::actions;

    /// `topic.grant_publish(role)`.
    pub trait TopicGrant {
        /// `sns:Publish` to this topic.
        fn grant_publish(self, role: Handle<iam::Role>) -> Grant;
    }

    impl TopicGrant for Handle<sns::Topic> {
        fn grant_publish(self, role: Handle<iam::Role>) -> Grant {
            // A topic's `Ref` is its ARN.
            let publish = allow("Publish", [actions::sns::PUBLISH], self.r#ref());
            Grant::new(role, vec![publish])
        }
    }
}

#[cfg(feature = "sqs")]
pub use self::sqs::QueueGrant;

#[cfg(feature = "sqs")]
mod sqs {
    use super::*;
    use crate::aws::sqs;
    use crate::iam::actions::sqs as q;

    /// `queue.grant_consume(role)`, `queue.grant_send(role)`.
    pub trait QueueGrant {
        /// Receive, delete and change the visibility of this queue's
        /// messages (what a consumer, a Lambda event source included, needs).
        fn grant_consume(self, role: Handle<iam::Role>) -> Grant;
        /// Send messages to this queue.
        fn grant_send(self, role: Handle<iam::Role>) -> Grant;
    }

    impl QueueGrant for Handle<sqs::Queue> {
        fn grant_consume(self, role: Handle<iam::Role>) -> Grant {
            let consume = [
                q::CHANGE_MESSAGE_VISIBILITY,
                q::DELETE_MESSAGE,
                q::GET_QUEUE_ATTRIBUTES,
                q::GET_QUEUE_URL,
                q::RECEIVE_MESSAGE,
            ];
            Grant::new(role, vec![allow("ConsumeMessages", consume, self.arn())])
        }

        fn grant_send(self, role: Handle<iam::Role>) -> Grant {
            let send = [q::GET_QUEUE_ATTRIBUTES, q::GET_QUEUE_URL, q::SEND_MESSAGE];
            Grant::new(role, vec![allow("SendMessages", send, self.arn())])
        }
    }
}

#[cfg(feature = "s3")]
pub use self::s3::BucketGrant;

#[cfg(feature = "s3")]
mod s3 {
    use super::*;
    use crate::aws::s3;
    use crate::iam::actions::s3 as b;

    /// `bucket.grant_read(role)`, `bucket.grant_write(role)`.
    pub trait BucketGrant {
        /// Get the bucket's objects (`arn/*`) and list them (the bucket's
        /// ARN; without it a missing key is a 403, not a 404).
        fn grant_read(self, role: Handle<iam::Role>) -> Grant;
        /// Put and delete the bucket's objects, and abort multipart uploads.
        fn grant_write(self, role: Handle<iam::Role>) -> Grant;
    }

    impl BucketGrant for Handle<s3::Bucket> {
        fn grant_read(self, role: Handle<iam::Role>) -> Grant {
            let objects = below_arn(self.logical_id(), "/*");
            Grant::new(
                role,
                vec![
                    allow("ReadObjects", [b::GET_OBJECT], objects),
                    allow("ListObjects", [b::LIST_BUCKET], self.arn()),
                ],
            )
        }

        fn grant_write(self, role: Handle<iam::Role>) -> Grant {
            let objects = below_arn(self.logical_id(), "/*");
            let write = [b::ABORT_MULTIPART_UPLOAD, b::DELETE_OBJECT, b::PUT_OBJECT];
            Grant::new(role, vec![allow("WriteObjects", write, objects)])
        }
    }
}

/// The exact statements of each grant. Reviewed against the Service
/// Authorization Reference of DynamoDB, SNS, SQS and S3 and the resource types
/// the pinned IAM catalogue gives each action (`Query`/`Scan`: table and index;
/// the other item actions: table; stream reads: stream; `ListStreams`: none;
/// `GetObject`/`PutObject`/`DeleteObject`/`AbortMultipartUpload`: object;
/// `ListBucket`: bucket).
#[cfg(all(
    test,
    feature = "dynamodb",
    feature = "sns",
    feature = "sqs",
    feature = "s3"
))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a panic is a failed test

    use serde_json::{Value as Json, json};

    use super::*;
    use crate::aws::{dynamodb, s3, sns, sqs};

    const ROLE: Handle<iam::Role> = Handle::new("Role");
    const POLICY: Handle<iam::Policy> = Handle::new("RolePolicy");
    const TABLE: Handle<dynamodb::Table> = Handle::new("Table");

    fn statements(grant: &Grant) -> Json {
        serde_json::to_value(grant.statements()).unwrap()
    }

    fn table_arn() -> Json {
        json!({"Fn::GetAtt": ["Table", "Arn"]})
    }

    fn index_statement() -> Json {
        json!({
            "Sid": "QueryIndexes",
            "Effect": "Allow",
            "Action": ["dynamodb:Query", "dynamodb:Scan"],
            "Resource": {"Fn::Sub": "${Table.Arn}/index/*"},
        })
    }

    #[test]
    fn table_read_covers_the_table_and_its_indexes() {
        let grant = TABLE.grant(ROLE, TableAccess::Read);
        assert_eq!(
            statements(&grant),
            json!([
                {
                    "Sid": "ReadItems",
                    "Effect": "Allow",
                    "Action": [
                        "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem",
                        "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
                    ],
                    "Resource": table_arn(),
                },
                index_statement(),
            ])
        );
    }

    #[test]
    fn table_write_is_the_table_only() {
        let grant = TABLE.grant(ROLE, TableAccess::Write);
        assert_eq!(
            statements(&grant),
            json!([{
                "Sid": "WriteItems",
                "Effect": "Allow",
                "Action": [
                    "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
                    "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                ],
                "Resource": table_arn(),
            }])
        );
    }

    #[test]
    fn table_read_write_is_the_union() {
        let grant = TABLE.grant(ROLE, TableAccess::ReadWrite);
        let all = statements(&grant);
        assert_eq!(
            all[0]["Action"],
            json!([
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
                "dynamodb:DeleteItem",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:Scan",
                "dynamodb:UpdateItem",
            ])
        );
        assert_eq!(all[0]["Resource"], table_arn());
        assert_eq!(all[1], index_statement());
    }

    #[test]
    fn table_stream_reads_the_stream_and_lists_streams() {
        let grant = TABLE.grant(ROLE, TableAccess::Stream);
        assert_eq!(
            statements(&grant),
            json!([
                {
                    "Sid": "ReadStream",
                    "Effect": "Allow",
                    "Action": [
                        "dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                    ],
                    "Resource": {"Fn::GetAtt": ["Table", "StreamArn"]},
                },
                {
                    "Sid": "ListStreams",
                    "Effect": "Allow",
                    "Action": "dynamodb:ListStreams",
                    "Resource": "*",
                },
            ])
        );
    }

    #[test]
    fn topic_publish() {
        let grant = Handle::<sns::Topic>::new("Topic").grant_publish(ROLE);
        assert_eq!(
            statements(&grant),
            json!([{
                "Sid": "Publish",
                "Effect": "Allow",
                "Action": "sns:Publish",
                "Resource": {"Ref": "Topic"},
            }])
        );
    }

    #[test]
    fn queue_consume_and_send() {
        let queue = Handle::<sqs::Queue>::new("Queue");
        let arn = json!({"Fn::GetAtt": ["Queue", "Arn"]});
        assert_eq!(
            statements(&queue.grant_consume(ROLE)),
            json!([{
                "Sid": "ConsumeMessages",
                "Effect": "Allow",
                "Action": [
                    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage",
                ],
                "Resource": arn,
            }])
        );
        assert_eq!(
            statements(&queue.grant_send(ROLE)),
            json!([{
                "Sid": "SendMessages",
                "Effect": "Allow",
                "Action": ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
                "Resource": arn,
            }])
        );
    }

    #[test]
    fn bucket_read_and_write_name_the_objects() {
        let bucket = Handle::<s3::Bucket>::new("Bucket");
        assert_eq!(
            statements(&bucket.grant_read(ROLE)),
            json!([
                {
                    "Sid": "ReadObjects",
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": {"Fn::Sub": "${Bucket.Arn}/*"},
                },
                {
                    "Sid": "ListObjects",
                    "Effect": "Allow",
                    "Action": "s3:ListBucket",
                    "Resource": {"Fn::GetAtt": ["Bucket", "Arn"]},
                },
            ])
        );
        assert_eq!(
            statements(&bucket.grant_write(ROLE)),
            json!([{
                "Sid": "WriteObjects",
                "Effect": "Allow",
                "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"],
                "Resource": {"Fn::Sub": "${Bucket.Arn}/*"},
            }])
        );
    }

    #[test]
    fn the_policy_attaches_the_statements_to_the_role() {
        let policy = TABLE.grant(ROLE, TableAccess::Write).policy(POLICY);
        let policy = serde_json::to_value(&policy).unwrap();
        assert_eq!(policy["PolicyName"], json!("RolePolicy"));
        assert_eq!(policy["Roles"], json!([{"Ref": "Role"}]));
        assert_eq!(policy["PolicyDocument"]["Version"], json!("2012-10-17"));
        assert_eq!(
            policy["PolicyDocument"]["Statement"][0]["Sid"],
            json!("WriteItems")
        );
    }

    #[test]
    fn grants_joined_make_one_policy_for_the_role_with_unique_sids() {
        const OTHER_TABLE: Handle<dynamodb::Table> = Handle::new("OtherTable");
        const TOPIC: Handle<sns::Topic> = Handle::new("Topic");
        let joined = TABLE
            .grant(ROLE, TableAccess::Read)
            .and(|role| OTHER_TABLE.grant(role, TableAccess::Read))
            .and(|role| TOPIC.grant_publish(role))
            .and(|role| OTHER_TABLE.grant(role, TableAccess::Write));
        let sids: Vec<&str> = joined
            .statements()
            .iter()
            .map(|s| s.statement_id().unwrap())
            .collect();
        assert_eq!(
            sids,
            [
                "ReadItems",
                "QueryIndexes",
                "ReadItems2",
                "QueryIndexes2",
                "Publish",
                "WriteItems"
            ]
        );
        // Each statement keeps its own resource: the join renames, nothing else.
        let all = statements(&joined);
        assert_eq!(all[0]["Resource"], table_arn());
        assert_eq!(
            all[2]["Resource"],
            json!({"Fn::GetAtt": ["OtherTable", "Arn"]})
        );
        assert_eq!(all[4]["Resource"], json!({"Ref": "Topic"}));
        let policy = serde_json::to_value(joined.policy(POLICY)).unwrap();
        assert_eq!(policy["Roles"], json!([{"Ref": "Role"}]));
        assert_eq!(policy["PolicyDocument"]["Statement"], all);
    }
}

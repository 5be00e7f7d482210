// A DynamoDB table has the GetAtt attributes `Arn` and `StreamArn` only.
use infra_model::aws::dynamodb::{self, TableAttributes};
use infra_model::Handle;

const TABLE: Handle<dynamodb::Table> = Handle::new("Table");

fn main() {
    let _ok = TABLE.stream_arn();
    let _accessor = TABLE.topic_arn();
    let _attribute = TABLE.get_att(TableAttributes::QueueUrl);
}

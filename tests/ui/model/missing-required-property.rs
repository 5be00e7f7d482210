// `KeySchema` is required by the DynamoDB table schema: required properties
// are the arguments of `new`, so a table without one does not compile.
use infra_model::aws::dynamodb::{self, table};

fn main() {
    let _table = dynamodb::Table {
        billing_mode: Some(table::BillingMode::PayPerRequest.into()),
        ..dynamodb::Table::new()
    };
}

// Enum properties take the generated enum (or an intrinsic), not free text.
use infra_model::aws::dynamodb::{self, table};

fn main() {
    let _table = dynamodb::Table {
        billing_mode: Some("PAY_PER_REQEST".into()),
        ..dynamodb::Table::new(vec![table::KeySchema::new("id", "HASH")])
    };
}

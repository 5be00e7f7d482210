//! A custom resource through `Untyped`: outputs of any attribute, its handle
//! reading any attribute, and `"absent"` policies.
use infra_model::aws::dynamodb::{self, table};
use infra_model::{Stack, StackContext, Untyped, Value};

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Adopted {
    #[output(Ref = "seederId", SeededRows = "seededRows")]
    #[output(AnythingAtAll = "anything")]
    pub seeder: Untyped,
    #[resource(deletion_policy = "absent", update_replace_policy = "absent")]
    pub table: dynamodb::Table,
}

impl Adopted {
    pub fn new(_ctx: &StackContext) -> Self {
        Adopted {
            seeder: Untyped::new("Custom::Seeder")
                .property("ServiceToken", "arn:aws:sns:eu-west-1:123456789012:seed")
                .property("TableName", Self::TABLE.r#ref()),
            table: dynamodb::Table::new(vec![table::KeySchema::new("id", "HASH")]),
        }
    }

    fn row_count() -> Value<i64> {
        Self::SEEDER.attr("Result.Count")
    }
}

fn main() {
    let _ = Adopted::row_count();
}

use infra_model::Stack;
use infra_model::aws::dynamodb;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra {
    #[output(Arn = "workspaces-table-arn")]
    pub workspaces_table: dynamodb::Table,
}

fn main() {}

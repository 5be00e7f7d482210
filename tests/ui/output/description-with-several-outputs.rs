use infra_model::Stack;
use infra_model::aws::dynamodb;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra {
    #[output(Arn = "invitesTableArn", StreamArn = "invitesTableStreamArn", description = "The table")]
    pub invites_table: dynamodb::Table,
}

fn main() {}

// A string is not an action: it goes through `Action::parse`, which checks it
// against the catalogue (and returns a `Result`).
use infra_model::iam::Statement;

fn main() {
    let _statement = Statement::allow().action("sqs:SendMessge");
}

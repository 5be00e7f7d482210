// An IAM action the catalogue of the pinned wheel does not have is not a
// constant: the typo does not compile, and rustc names the closest one.
use infra_model::iam::{actions, PolicyDocument, Statement};

fn main() {
    let _doc = PolicyDocument::new().statement(
        Statement::allow()
            .action(actions::sqs::SEND_MESSGE)
            .resource("*"),
    );
}

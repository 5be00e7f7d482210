//! One build reports every mistake, the macro's and the compiler's, and the
//! handles still exist, so code that uses them has no errors of its own.
use infra_model::Stack;
use infra_model::aws::{dynamodb, s3};

#[derive(Stack)]
#[stack(app = "api")]
pub struct Infra {
    #[output(Arn = "tableArn", Foo = "tableFoo")]
    pub workspaces_table: dynamodb::Table,
    #[output(Arn = "tableArn")]
    #[resource(deletion_policy = "Forever", depends_on(workspace_table))]
    pub recordings_bucket: s3::Bucket,
    pub name: String,
}

fn main() {
    let _ = Infra::WORKSPACES_TABLE.arn();
    let _ = <Infra as Stack>::OUTPUTS;
}

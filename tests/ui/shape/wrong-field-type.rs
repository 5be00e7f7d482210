use infra_model::Stack;
use infra_model::aws::sns;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra {
    pub topic: sns::Topic,
    pub table_name: String,
}

fn main() {}

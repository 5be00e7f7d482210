use infra_model::Stack;
use infra_model::aws::sns;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub enum Infra {
    Topic(sns::Topic),
}

fn main() {}

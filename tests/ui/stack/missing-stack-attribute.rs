use infra_model::Stack;
use infra_model::aws::sns;

#[derive(Stack)]
pub struct Infra {
    pub topic: sns::Topic,
}

fn main() {}

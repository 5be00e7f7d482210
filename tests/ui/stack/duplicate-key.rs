use infra_model::Stack;
use infra_model::aws::sns;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
#[stack(app = "web")]
pub struct Infra {
    pub topic: sns::Topic,
}

fn main() {}

use infra_model::Stack;
use infra_model::aws::sns;

#[derive(Stack)]
#[stack(app = "api", service = "infra", customize = Self::customize)]
pub struct Infra {
    pub topic: sns::Topic,
}

impl Infra {
    fn customize(&self) {}
}

fn main() {}

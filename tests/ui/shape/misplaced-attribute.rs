use infra_model::Stack;
use infra_model::aws::sns;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
#[output(Ref = "topicArn")]
pub struct Infra {
    #[stack(app = "api")]
    pub topic: sns::Topic,
}

fn main() {}

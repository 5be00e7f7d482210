use infra_model::Stack;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra<R> {
    pub resource: R,
}

fn main() {}

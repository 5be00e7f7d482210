use infra_model::Stack;
use infra_model::aws::s3;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra {
    #[resource(deletion_policy = "absnet", update_replace_policy = "Absent")]
    pub recordings_bucket: s3::Bucket,
}

fn main() {}

use infra_model::Stack;
use infra_model::aws::s3;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra {
    pub recordings: s3::Bucket,
    #[resource(logical_id = "Recordings")]
    pub recordings_bucket: s3::Bucket,
}

fn main() {}

use infra_model::Stack;
use infra_model::aws::s3;

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra {
    #[resource(deletion_policy = "Retian", update_replace_policy = "snapshot")]
    pub recordings_bucket: s3::Bucket,
    #[resource(deletion_policy = "Keep")]
    pub transcoded_bucket: s3::Bucket,
}

fn main() {}

use infra_model::Stack;
use infra_model::aws::{s3, sns};

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
pub struct Infra {
    #[resource(depends_on(recordings_policy))]
    pub recordings_bucket: s3::Bucket,
    pub recordings_topic_policy: sns::TopicPolicy,
}

fn main() {}

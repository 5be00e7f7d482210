// A redrive policy is typed: JSON goes in only through `RedrivePolicy::json`.
use infra_model::aws::sqs;

fn main() {
    let _queue = sqs::Queue::default().redrive_policy(serde_json::json!({
        "deadLetterTargetArn": "arn:aws:sqs:eu-west-1:123456789012:dlq",
        "maxReceiveCount": 0,
    }));
}

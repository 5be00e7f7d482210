// maxReceiveCount is a number, "5" does not type-check.
use infra_model::aws::sqs::{self, MaxReceiveCount, RedrivePolicy};

fn main() {
    let _queue = sqs::Queue::default().redrive_policy(RedrivePolicy::new(
        "arn:aws:sqs:eu-west-1:123456789012:dlq",
        MaxReceiveCount::<"5">,
    ));
}

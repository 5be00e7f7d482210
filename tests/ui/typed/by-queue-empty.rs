// byQueue names 1 to 10 source queues.
use infra_model::aws::sqs::{self, RedriveAllowPolicy};

fn main() {
    let none: [&str; 0] = [];
    let _dlq = sqs::Queue::default().redrive_allow_policy(RedriveAllowPolicy::by_queue(none));
}

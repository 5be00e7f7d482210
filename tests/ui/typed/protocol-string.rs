// A subscription's protocol is `subscription::Protocol`, not free text.
use infra_model::aws::sns;

fn main() {
    let _subscription = sns::Subscription::new("sqs ", "arn:aws:sns:eu-west-1:123456789012:t");
}

// A queue subscribed to no topic would get a policy without its condition,
// which lets any topic send: zero topics fail the build at the call.
use infra_model::resource::Handle;
use infra_model::aws::{sns, sqs};
use infra_model::wiring::sns::topics_to_queue;

fn main() {
    let topics: [Handle<sns::Topic>; 0] = [];
    let _wired = topics_to_queue(topics, Handle::<sqs::Queue>::new("Jobs"), Handle::new("JobsPolicy"));
}

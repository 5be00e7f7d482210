// A typed resource policy in a stack: the topic policy S3 needs to publish.
use infra_model::aws::sns;
use infra_model::iam::{actions, condition_keys, Condition, PolicyDocument, Principal, Statement};
use infra_model::{pseudo, Handle};

const TOPIC: Handle<sns::Topic> = Handle::new("Topic");

fn main() {
    let doc = PolicyDocument::new().statement(
        Statement::allow()
            .principal(Principal::service("s3.amazonaws.com"))
            .action(actions::sns::PUBLISH)
            .resource(TOPIC.r#ref())
            .condition(Condition::StringEquals, condition_keys::AWS_SOURCE_ACCOUNT, pseudo::account_id()),
    );
    let _policy = sns::TopicPolicy::new(doc, vec![TOPIC.r#ref()]);
}

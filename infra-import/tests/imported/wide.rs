//! The `wide` stack, imported from a CloudFormation template by `cargo xtask import`.

use infra_model::aws::sns;
use infra_model::{Json, Stack, StackContext};
use serde_json::json;

#[derive(Debug, Stack)]
#[stack(
    app = "api",
    service = "wide",
    description = "A policy wider than one json! can hold (64 keys): the macro recursion limit"
)]
pub struct Wide {
    pub policy: sns::TopicPolicy,
    pub topic: sns::Topic,
}

impl Wide {
    /// The stack's resources, every value as the imported template has it.
    pub fn new(_ctx: &StackContext) -> Self {
        Wide {
            policy: policy(),
            topic: topic(),
        }
    }
}

/// `Policy` (AWS::SNS::TopicPolicy).
fn policy() -> sns::TopicPolicy {
    sns::TopicPolicy::new(
        json!(
            { "Deep" : { "A" : { "B" : { "C" : { "D" : { "E" : { "F" : { "G" : { "H" :
            [1, 2, 3] } } } } } } } }, "Statement" : [{ "Action" : "sns:Publish",
            "Effect" : "Allow", "Principal" : { "Service" : "s3.amazonaws.com" },
            "Resource" : Wide::TOPIC.r#ref() }], "Version" : "2012-10-17", "Wide" :
            Json::Object([("Key00".to_owned(), json!(0)), ("Key01".to_owned(), json!(1)),
            ("Key02".to_owned(), json!(2)), ("Key03".to_owned(), json!(3)), ("Key04"
            .to_owned(), json!(4)), ("Key05".to_owned(), json!(5)), ("Key06".to_owned(),
            json!(6)), ("Key07".to_owned(), json!(7)), ("Key08".to_owned(), json!(8)),
            ("Key09".to_owned(), json!(9)), ("Key10".to_owned(), json!(10)), ("Key11"
            .to_owned(), json!(11)), ("Key12".to_owned(), json!(12)), ("Key13"
            .to_owned(), json!(13)), ("Key14".to_owned(), json!(14)), ("Key15"
            .to_owned(), json!(15)), ("Key16".to_owned(), json!(16)), ("Key17"
            .to_owned(), json!(17)), ("Key18".to_owned(), json!(18)), ("Key19"
            .to_owned(), json!(19)), ("Key20".to_owned(), json!(20)), ("Key21"
            .to_owned(), json!(21)), ("Key22".to_owned(), json!(22)), ("Key23"
            .to_owned(), json!(23)), ("Key24".to_owned(), json!(24)), ("Key25"
            .to_owned(), json!(25)), ("Key26".to_owned(), json!(26)), ("Key27"
            .to_owned(), json!(27)), ("Key28".to_owned(), json!(28)), ("Key29"
            .to_owned(), json!(29)), ("Key30".to_owned(), json!(30)), ("Key31"
            .to_owned(), json!(31)), ("Key32".to_owned(), json!(32)), ("Key33"
            .to_owned(), json!(33)), ("Key34".to_owned(), json!(34)), ("Key35"
            .to_owned(), json!(35)), ("Key36".to_owned(), json!(36)), ("Key37"
            .to_owned(), json!(37)), ("Key38".to_owned(), json!(38)), ("Key39"
            .to_owned(), json!(39)), ("Key40".to_owned(), json!(40)), ("Key41"
            .to_owned(), json!(41)), ("Key42".to_owned(), json!(42)), ("Key43"
            .to_owned(), json!(43)), ("Key44".to_owned(), json!(44)), ("Key45"
            .to_owned(), json!(45)), ("Key46".to_owned(), json!(46)), ("Key47"
            .to_owned(), json!(47)), ("Key48".to_owned(), json!(48)), ("Key49"
            .to_owned(), json!(49)), ("Key50".to_owned(), json!(50)), ("Key51"
            .to_owned(), json!(51)), ("Key52".to_owned(), json!(52)), ("Key53"
            .to_owned(), json!(53)), ("Key54".to_owned(), json!(54)), ("Key55"
            .to_owned(), json!(55)), ("Key56".to_owned(), json!(56)), ("Key57"
            .to_owned(), json!(57)), ("Key58".to_owned(), json!(58)), ("Key59"
            .to_owned(), json!(59)), ("Key60".to_owned(), json!(60)), ("Key61"
            .to_owned(), json!(61)), ("Key62".to_owned(), json!(62)), ("Key63"
            .to_owned(), json!(63))].into_iter().collect()) }
        ),
        vec![Wide::TOPIC.r#ref()],
    )
}

/// `Topic` (AWS::SNS::Topic).
fn topic() -> sns::Topic {
    sns::Topic::default()
}

//! One resource policy per queue, topic and bucket. A queue, a topic and a
//! bucket each have one policy: a second `AWS::SQS::QueuePolicy`,
//! `AWS::SNS::TopicPolicy` or `AWS::S3::BucketPolicy` naming the same target
//! replaces the first when it is applied, and deleting either removes the
//! policy the other set. The template deploys, and whatever the replaced
//! policy allowed (a second topic's subscription, say) silently stops.
//! Policies under a `Condition` are left alone: two may be exclusive.

use std::collections::HashMap;

use serde_json::Value;

use super::{Cx, Doc, Res};

/// Policy type, the property naming its targets, and the attribute of the
/// target type that is the same value as its `Ref`.
const POLICIES: &[(&str, &str, &str)] = &[
    ("AWS::SQS::QueuePolicy", "Queues", "QueueUrl"),
    ("AWS::SNS::TopicPolicy", "Topics", "TopicArn"),
    ("AWS::S3::BucketPolicy", "Bucket", ""),
];

pub(super) fn check(cx: &mut Cx<'_>, doc: &Doc<'_>) {
    let mut first: HashMap<String, &str> = HashMap::new();
    for res in &doc.resources {
        let Some((_, property, same_as_ref)) = POLICIES.iter().find(|p| p.0 == res.type_name)
        else {
            continue;
        };
        if res.entry.contains_key("Condition") {
            continue;
        }
        for (index, target) in targets(res, property) {
            let key = format!("{}:{}", res.type_name, target_key(target, same_as_ref));
            match first.get(&key) {
                Some(other) => {
                    let path = match index {
                        Some(i) => format!("{}.Properties.{property}[{i}]", res.path()),
                        None => format!("{}.Properties.{property}", res.path()),
                    };
                    let message = format!(
                        "names the same target as {other}: a target has one policy, so one of \
                         the two replaces the other; put both policies' statements in one {}",
                        res.type_name
                    );
                    cx.push(cx.problem("E-shared-policy", Some(res.id), path, message));
                }
                None => {
                    first.insert(key, res.id);
                }
            }
        }
    }
}

/// The targets a policy names, with their index in a list property.
fn targets<'t>(res: &Res<'t>, property: &str) -> Vec<(Option<usize>, &'t Value)> {
    match res.properties.and_then(|p| p.get(property)) {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Some(i), v))
            .collect(),
        Some(single) => vec![(None, single)],
        None => Vec::new(),
    }
}

/// A key equal for two ways of naming one target: `Ref X`, and
/// `GetAtt X.<same_as_ref>` which returns the same value.
fn target_key(target: &Value, same_as_ref: &str) -> String {
    if let Some(id) = target.get("Ref").and_then(Value::as_str) {
        return format!("resource {id}");
    }
    let get_att = match target.get("Fn::GetAtt") {
        Some(Value::Array(pair)) => match pair.as_slice() {
            [id, attribute] => id.as_str().zip(attribute.as_str()),
            _ => None,
        },
        Some(Value::String(dotted)) => dotted.split_once('.'),
        _ => None,
    };
    if let Some((id, attribute)) = get_att
        && attribute == same_as_ref
    {
        return format!("resource {id}");
    }
    target.to_string()
}

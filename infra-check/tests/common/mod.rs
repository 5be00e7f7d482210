//! Registry metadata and a base template shared by the tests. The metadata
//! mirrors a part of the pinned registry schemas, so
//! that these tests do not depend on what `cargo xtask codegen` generates.

#![allow(dead_code)]

use infra_check::Registry;
use infra_model::{Permissions, ResourceMeta};
use serde_json::{Value, json};

pub const STACK: &str = "infra-dev";

const NO_PERMISSIONS: Permissions = Permissions {
    create: &[],
    read: &[],
    update: &[],
    delete: &[],
    list: &[],
};

pub static TABLE: ResourceMeta = ResourceMeta {
    type_name: "AWS::DynamoDB::Table",
    service: "dynamodb",
    attributes: &["Arn", "StreamArn"],
    ref_returns: Some("TableName"),
    primary_identifier: &["/properties/TableName"],
    create_only: &[
        "/properties/TableName",
        "/properties/ImportSourceSpecification",
    ],
    conditional_create_only: &["/properties/KeySchema"],
    write_only: &["/properties/ImportSourceSpecification"],
    permissions: NO_PERMISSIONS,
    holds_data: true,
    unordered: &["StreamSpecification/Tags", "VectorIndexes"],
};

pub static BUCKET: ResourceMeta = ResourceMeta {
    type_name: "AWS::S3::Bucket",
    service: "s3",
    attributes: &[
        "Arn",
        "DomainName",
        "DualStackDomainName",
        "RegionalDomainName",
        "WebsiteURL",
        "MetadataTableConfiguration/S3TablesDestination/TableArn",
    ],
    ref_returns: Some("BucketName"),
    primary_identifier: &["/properties/BucketName"],
    create_only: &[
        "/properties/BucketName",
        "/properties/BucketNamePrefix",
        "/properties/BucketNamespace",
    ],
    conditional_create_only: &[],
    write_only: &["/properties/AccessControl"],
    permissions: NO_PERMISSIONS,
    holds_data: true,
    unordered: &["Tags"],
};

pub static TOPIC: ResourceMeta = ResourceMeta {
    type_name: "AWS::SNS::Topic",
    service: "sns",
    attributes: &["TopicArn", "TopicName"],
    ref_returns: Some("TopicArn"),
    primary_identifier: &["/properties/TopicArn"],
    create_only: &["/properties/TopicName", "/properties/FifoTopic"],
    conditional_create_only: &[],
    write_only: &[],
    permissions: NO_PERMISSIONS,
    holds_data: false,
    unordered: &["Subscription", "Tags"],
};

pub static TOPIC_POLICY: ResourceMeta = ResourceMeta {
    type_name: "AWS::SNS::TopicPolicy",
    service: "sns",
    attributes: &["Id"],
    ref_returns: Some("Id"),
    primary_identifier: &["/properties/Id"],
    create_only: &[],
    conditional_create_only: &[],
    write_only: &[],
    permissions: NO_PERMISSIONS,
    holds_data: false,
    unordered: &["Topics"],
};

static METAS: &[&ResourceMeta] = &[&TABLE, &BUCKET, &TOPIC, &TOPIC_POLICY];

/// The test registry.
pub fn registry() -> Registry<'static> {
    Registry::new(METAS)
}

/// The metadata of `type_name` from the whole registry (infra-registry).
pub fn meta_of(type_name: &str) -> &'static ResourceMeta {
    Registry::aws().lookup(type_name).expect("a registry type")
}

/// The whole registry (infra-registry).
pub fn best_registry() -> Registry<'static> {
    Registry::aws()
}

/// A template like the real `infra` stack: a table with a stream, a topic S3
/// notifies with its policy, a bucket, a conditional topic and exported outputs.
pub fn base() -> Value {
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": { "Stage": { "Type": "String", "Default": "dev" } },
        "Conditions": { "IsProd": { "Fn::Equals": [{ "Ref": "Stage" }, "prod"] } },
        "Resources": {
            "InvitesTable": {
                "Type": "AWS::DynamoDB::Table",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "TableName": { "Fn::Sub": "${AWS::StackName}-invites" },
                    "BillingMode": "PAY_PER_REQUEST",
                    "KeySchema": [
                        { "AttributeName": "workspaceId", "KeyType": "HASH" },
                        { "AttributeName": "email", "KeyType": "RANGE" }
                    ],
                    "AttributeDefinitions": [
                        { "AttributeName": "workspaceId", "AttributeType": "S" },
                        { "AttributeName": "email", "AttributeType": "S" }
                    ],
                    "StreamSpecification": { "StreamViewType": "NEW_AND_OLD_IMAGES" }
                }
            },
            "NewRecordingTopic": {
                "Type": "AWS::SNS::Topic",
                "Properties": { "TopicName": { "Fn::Sub": "${AWS::StackName}-new-recording" } }
            },
            "NewRecordingTopicPolicy": {
                "Type": "AWS::SNS::TopicPolicy",
                "Properties": {
                    "Topics": [{ "Ref": "NewRecordingTopic" }],
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Principal": { "Service": "s3.amazonaws.com" },
                            "Action": "sns:Publish",
                            "Resource": { "Ref": "NewRecordingTopic" },
                            "Condition": {
                                "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } },
                                "ArnLike": { "aws:SourceArn": { "Fn::Sub": "arn:${AWS::Partition}:s3:::${AWS::StackName}-recordings-${AWS::AccountId}" } }
                            }
                        }]
                    }
                }
            },
            "RecordingsBucket": {
                "Type": "AWS::S3::Bucket",
                "DependsOn": "NewRecordingTopicPolicy",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "BucketName": { "Fn::Sub": "${AWS::StackName}-recordings-${AWS::AccountId}" },
                    "NotificationConfiguration": {
                        "TopicConfigurations": [
                            { "Event": "s3:ObjectCreated:*", "Topic": { "Ref": "NewRecordingTopic" } }
                        ]
                    },
                    "Tags": [
                        { "Key": "app", "Value": "api" },
                        { "Key": "service", "Value": "infra" }
                    ]
                }
            },
            "ProdAlarmTopic": {
                "Type": "AWS::SNS::Topic",
                "Condition": "IsProd",
                "Properties": {
                    "TopicName": { "Fn::If": ["IsProd", "prod-alarms", { "Ref": "AWS::NoValue" }] }
                }
            }
        },
        "Outputs": {
            "invitesTableArn": {
                "Value": { "Fn::GetAtt": ["InvitesTable", "Arn"] },
                "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-invitesTableArn" } }
            },
            "invitesTableStreamArn": {
                "Value": { "Fn::GetAtt": "InvitesTable.StreamArn" },
                "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-invitesTableStreamArn" } }
            },
            "newRecordingTopicArn": {
                "Value": { "Ref": "NewRecordingTopic" },
                "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-newRecordingTopicArn" } }
            },
            "recordingsBucketArn": {
                "Value": { "Fn::GetAtt": ["RecordingsBucket", "Arn"] },
                "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-recordingsBucketArn" } }
            }
        }
    })
}

/// The value at the dotted `path` (`Resources.X.Properties`), created as an
/// object when missing.
pub fn at<'a>(t: &'a mut Value, path: &str) -> &'a mut Value {
    path.split('.').fold(t, |v, key| {
        if !v.is_object() {
            *v = json!({});
        }
        v.as_object_mut()
            .expect("an object")
            .entry(key)
            .or_insert_with(|| json!({}))
    })
}

/// `t` with the value at `path` set to `value`.
pub fn with(mut t: Value, path: &str, value: Value) -> Value {
    *at(&mut t, path) = value;
    t
}

/// `t` without the value at `path`.
pub fn without(mut t: Value, path: &str) -> Value {
    let parent = match path.rsplit_once('.') {
        Some((parent, key)) => at(&mut t, parent).as_object_mut().map(|m| m.remove(key)),
        None => t.as_object_mut().map(|m| m.remove(path)),
    };
    assert!(parent.is_some(), "{path} is in an object");
    t
}

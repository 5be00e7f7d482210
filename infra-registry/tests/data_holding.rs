//! The curated data-holding list (`data/data-holding.json`) is valid data.

use infra_registry::{data_holding, lookup};

#[test]
fn every_entry_is_a_registry_type_with_a_reason() {
    let list =
        infra_registry::codegen::parse_data_holding(infra_registry::codegen::data_holding_text())
            .expect("data-holding.json parses");
    assert!(list.len() >= 29, "at least cfn-lint's stateful resources");
    for (type_name, holding) in &list {
        let meta =
            lookup(type_name).unwrap_or_else(|| panic!("{type_name} is not a registry type"));
        assert!(
            !holding.reason.trim().is_empty(),
            "{type_name} has no reason"
        );
        assert_eq!(meta.holds_data.as_ref(), Some(holding), "{type_name}");
    }
    assert_eq!(data_holding().count(), list.len());
}

/// cfn-lint's `AdditionalSpecs/StatefulResources.json` in the pinned wheel,
/// copied by hand: the list starts from it.
const CFN_LINT_STATEFUL: &[&str] = &[
    "AWS::Backup::BackupVault",
    "AWS::CloudFormation::Stack",
    "AWS::Cognito::UserPool",
    "AWS::DocDB::DBCluster",
    "AWS::DocDB::DBInstance",
    "AWS::DynamoDB::GlobalTable",
    "AWS::DynamoDB::Table",
    "AWS::EC2::Volume",
    "AWS::EFS::FileSystem",
    "AWS::EMR::Cluster",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::Elasticsearch::Domain",
    "AWS::FSx::FileSystem",
    "AWS::KMS::Key",
    "AWS::Kinesis::Stream",
    "AWS::Logs::LogGroup",
    "AWS::Neptune::DBCluster",
    "AWS::Neptune::DBInstance",
    "AWS::OpenSearchService::Domain",
    "AWS::Organizations::Account",
    "AWS::QLDB::Ledger",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::Redshift::Cluster",
    "AWS::S3::Bucket",
    "AWS::SDB::Domain",
    "AWS::SQS::Queue",
    "AWS::SecretsManager::Secret",
];

#[test]
fn cfn_lint_stateful_resources_are_all_listed() {
    for type_name in CFN_LINT_STATEFUL {
        assert!(
            lookup(type_name)
                .and_then(|m| m.holds_data.as_ref())
                .is_some(),
            "{type_name}"
        );
    }
}

#[test]
fn stateless_types_do_not_hold_data() {
    for type_name in [
        "AWS::SNS::Topic",
        "AWS::IAM::Role",
        "AWS::Lambda::Function",
        "AWS::S3::BucketPolicy",
    ] {
        assert!(
            lookup(type_name).expect("known").holds_data.is_none(),
            "{type_name}"
        );
    }
}

/// The types CloudFormation's `DeletionPolicy: Snapshot` supports (AWS CDK's
/// `CfnDeletionPolicy.SNAPSHOT` documentation lists them): a snapshot exists
/// only because the resource holds data.
#[test]
fn snapshot_capable_types_are_listed() {
    for type_name in [
        "AWS::EC2::Volume",
        "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::Redshift::Cluster",
        "AWS::Neptune::DBCluster",
        "AWS::DocDB::DBCluster",
    ] {
        assert!(
            lookup(type_name)
                .and_then(|m| m.holds_data.as_ref())
                .is_some(),
            "{type_name}"
        );
    }
}

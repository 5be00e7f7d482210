//! Which properties carry permissions: our own table, one row per
//! policy-bearing property, each with the page that documents it.
//!
//! The registry schemas do not mark policy documents (they are typed
//! `object` or `["object", "string"]` like any JSON blob), so this table is the
//! one home of that knowledge; `tests/security.rs` checks every row against
//! the pinned registry schemas when they are in `.cache/`.

use super::rule::Direction;

/// How the permissions sit in a resource's properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// An IAM policy document (object or JSON text) at the path.
    Document,
    /// A list of managed policy ARNs at the path.
    ManagedArns,
    /// A list of security group rules at the path.
    GroupRules(Direction),
    /// The resource is one security group rule.
    GroupRule(Direction),
    /// The resource is one `AWS::Lambda::Permission` statement.
    LambdaPermission,
    /// The resource is one `AWS::Lambda::LayerVersionPermission` statement.
    LayerPermission,
}

/// One policy-bearing property of a resource type.
#[derive(Clone, Copy, Debug)]
pub struct Carrier {
    pub type_name: &'static str,
    /// A dotted path below `Properties`; `[]` steps into each item of a list.
    /// Empty for forms that read the whole resource.
    pub path: &'static str,
    pub form: Form,
    /// Where the property is documented (the CloudFormation user guide page).
    pub source: &'static str,
}

macro_rules! carriers {
    ($($type:literal, $path:literal, $form:expr, $page:literal;)*) => {
        /// Every policy-bearing property we know, by resource type.
        pub const CARRIERS: &[Carrier] = &[
            $(Carrier { type_name: $type, path: $path, form: $form, source: concat!("AWS CloudFormation User Guide, ", $page) },)*
        ];
    };
}

carriers! {
    "AWS::ApiGateway::RestApi", "Policy", Form::Document, "aws-resource-apigateway-restapi";
    "AWS::Backup::BackupVault", "AccessPolicy", Form::Document, "aws-resource-backup-backupvault";
    "AWS::CodeArtifact::Domain", "PermissionsPolicyDocument", Form::Document, "aws-resource-codeartifact-domain";
    "AWS::CodeArtifact::Repository", "PermissionsPolicyDocument", Form::Document, "aws-resource-codeartifact-repository";
    "AWS::DynamoDB::Table", "ResourcePolicy.PolicyDocument", Form::Document, "aws-properties-dynamodb-table-resourcepolicy";
    "AWS::DynamoDB::Table", "StreamSpecification.ResourcePolicy.PolicyDocument", Form::Document, "aws-properties-dynamodb-table-streamspecification";
    "AWS::EC2::SecurityGroup", "SecurityGroupIngress", Form::GroupRules(Direction::Ingress), "aws-resource-ec2-securitygroup";
    "AWS::EC2::SecurityGroup", "SecurityGroupEgress", Form::GroupRules(Direction::Egress), "aws-resource-ec2-securitygroup";
    "AWS::EC2::SecurityGroupEgress", "", Form::GroupRule(Direction::Egress), "aws-resource-ec2-securitygroupegress";
    "AWS::EC2::SecurityGroupIngress", "", Form::GroupRule(Direction::Ingress), "aws-resource-ec2-securitygroupingress";
    "AWS::ECR::Repository", "RepositoryPolicyText", Form::Document, "aws-resource-ecr-repository";
    "AWS::EFS::FileSystem", "FileSystemPolicy", Form::Document, "aws-resource-efs-filesystem";
    "AWS::Elasticsearch::Domain", "AccessPolicies", Form::Document, "aws-resource-elasticsearch-domain";
    "AWS::Events::EventBus", "Policy", Form::Document, "aws-resource-events-eventbus";
    "AWS::IAM::Group", "ManagedPolicyArns", Form::ManagedArns, "aws-resource-iam-group";
    "AWS::IAM::Group", "Policies[].PolicyDocument", Form::Document, "aws-resource-iam-group";
    "AWS::IAM::GroupPolicy", "PolicyDocument", Form::Document, "aws-resource-iam-grouppolicy";
    "AWS::IAM::ManagedPolicy", "PolicyDocument", Form::Document, "aws-resource-iam-managedpolicy";
    "AWS::IAM::Policy", "PolicyDocument", Form::Document, "aws-resource-iam-policy";
    "AWS::IAM::Role", "AssumeRolePolicyDocument", Form::Document, "aws-resource-iam-role";
    "AWS::IAM::Role", "ManagedPolicyArns", Form::ManagedArns, "aws-resource-iam-role";
    "AWS::IAM::Role", "PermissionsBoundary", Form::ManagedArns, "aws-resource-iam-role";
    "AWS::IAM::Role", "Policies[].PolicyDocument", Form::Document, "aws-resource-iam-role";
    "AWS::IAM::RolePolicy", "PolicyDocument", Form::Document, "aws-resource-iam-rolepolicy";
    "AWS::IAM::User", "ManagedPolicyArns", Form::ManagedArns, "aws-resource-iam-user";
    "AWS::IAM::User", "Policies[].PolicyDocument", Form::Document, "aws-resource-iam-user";
    "AWS::IAM::UserPolicy", "PolicyDocument", Form::Document, "aws-resource-iam-userpolicy";
    "AWS::Kinesis::ResourcePolicy", "ResourcePolicy", Form::Document, "aws-resource-kinesis-resourcepolicy";
    "AWS::KMS::Key", "KeyPolicy", Form::Document, "aws-resource-kms-key";
    "AWS::KMS::ReplicaKey", "KeyPolicy", Form::Document, "aws-resource-kms-replicakey";
    "AWS::Lambda::LayerVersionPermission", "", Form::LayerPermission, "aws-resource-lambda-layerversionpermission";
    "AWS::Lambda::Permission", "", Form::LambdaPermission, "aws-resource-lambda-permission";
    "AWS::Logs::ResourcePolicy", "PolicyDocument", Form::Document, "aws-resource-logs-resourcepolicy";
    "AWS::OpenSearchService::Domain", "AccessPolicies", Form::Document, "aws-resource-opensearchservice-domain";
    "AWS::S3::AccessPoint", "Policy", Form::Document, "aws-resource-s3-accesspoint";
    "AWS::S3::BucketPolicy", "PolicyDocument", Form::Document, "aws-resource-s3-bucketpolicy";
    "AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", Form::Document, "aws-resource-secretsmanager-resourcepolicy";
    "AWS::SNS::TopicInlinePolicy", "PolicyDocument", Form::Document, "aws-resource-sns-topicinlinepolicy";
    "AWS::SNS::TopicPolicy", "PolicyDocument", Form::Document, "aws-resource-sns-topicpolicy";
    "AWS::SQS::QueueInlinePolicy", "PolicyDocument", Form::Document, "aws-resource-sqs-queueinlinepolicy";
    "AWS::SQS::QueuePolicy", "PolicyDocument", Form::Document, "aws-resource-sqs-queuepolicy";
}

/// The policy-bearing properties of `type_name`.
pub fn carriers_of(type_name: &str) -> impl Iterator<Item = &'static Carrier> + '_ {
    CARRIERS.iter().filter(move |c| c.type_name == type_name)
}

//! Which properties carry permissions: our own table, one row per
//! policy-bearing property, each with where it is documented.
//!
//! The registry schemas do not mark policy documents: they are free-form JSON
//! (`"type": "object"` or `["object", "string"]` with no declared properties)
//! like any other blob. So the registry proposes and this table decides:
//! `tests/security.rs` lists every top-level free-form property of the pinned
//! registry whose name mentions a policy, and fails unless each one is a row
//! of [`CARRIERS`] or of [`NOT_CARRIERS`] with the reason. A registry update
//! that adds a policy property is caught there.

use super::rule::Direction;

/// How the permissions sit in a resource's properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// An IAM policy document (object or JSON text) at the path.
    Document,
    /// A list of managed policy ARNs at the path (or one ARN).
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
    /// What the type's page of the user guide does not say on its own; empty
    /// when the page says it all (see [`Carrier::source`]).
    pub note: &'static str,
}

impl Carrier {
    /// Where the entry is documented: the type's page of the AWS
    /// CloudFormation user guide, and the note.
    pub fn source(&self) -> String {
        let parts: Vec<String> = self
            .type_name
            .split("::")
            .skip(1)
            .map(str::to_ascii_lowercase)
            .collect();
        let page = format!(
            "AWS CloudFormation User Guide, aws-resource-{}",
            parts.join("-")
        );
        if self.note.is_empty() {
            page
        } else {
            format!("{page}; {}", self.note)
        }
    }
}

use Direction::{Egress, Ingress};
use Form::{Document, GroupRule, GroupRules, LambdaPermission, LayerPermission, ManagedArns};

const fn row(
    type_name: &'static str,
    path: &'static str,
    form: Form,
    note: &'static str,
) -> Carrier {
    Carrier {
        type_name,
        path,
        form,
        note,
    }
}

/// Every policy-bearing property we read, sorted by type.
#[rustfmt::skip]
pub const CARRIERS: &[Carrier] = &[
    row("AWS::AIOps::InvestigationGroup", "InvestigationGroupPolicy", Document, "policy JSON as a string"),
    row("AWS::APS::ResourcePolicy", "PolicyDocument", Document, "policy JSON as a string"),
    row("AWS::ApiGateway::DomainNameV2", "Policy", Document, ""),
    row("AWS::ApiGateway::RestApi", "Policy", Document, ""),
    row("AWS::Backup::BackupVault", "AccessPolicy", Document, ""),
    row("AWS::Backup::LogicallyAirGappedBackupVault", "AccessPolicy", Document, ""),
    row("AWS::Bedrock::KnowledgeBasePolicy", "PolicyDocument", Document, ""),
    row("AWS::Bedrock::ResourcePolicy", "PolicyDocument", Document, ""),
    row("AWS::BedrockAgentCore::ResourcePolicy", "Policy", Document, "policy JSON as a string"),
    row("AWS::CloudTrail::ResourcePolicy", "ResourcePolicy", Document, ""),
    row("AWS::CodeArtifact::Domain", "PermissionsPolicyDocument", Document, ""),
    row("AWS::CodeArtifact::Repository", "PermissionsPolicyDocument", Document, ""),
    row("AWS::DSQL::Cluster", "PolicyDocument", Document, "policy JSON as a string"),
    row("AWS::DynamoDB::Table", "ResourcePolicy.PolicyDocument", Document, "the ResourcePolicy property type"),
    row("AWS::DynamoDB::Table", "StreamSpecification.ResourcePolicy.PolicyDocument", Document, "the StreamSpecification property type"),
    row("AWS::EC2::SecurityGroup", "SecurityGroupEgress", GroupRules(Egress), ""),
    row("AWS::EC2::SecurityGroup", "SecurityGroupIngress", GroupRules(Ingress), ""),
    row("AWS::EC2::SecurityGroupEgress", "", GroupRule(Egress), "the resource is one rule"),
    row("AWS::EC2::SecurityGroupIngress", "", GroupRule(Ingress), "the resource is one rule"),
    row("AWS::EC2::VPCEndpoint", "PolicyDocument", Document, ""),
    row("AWS::ECR::PublicRepository", "RepositoryPolicyText", Document, ""),
    row("AWS::ECR::RegistryPolicy", "PolicyText", Document, ""),
    row("AWS::ECR::Repository", "RepositoryPolicyText", Document, ""),
    row("AWS::ECR::RepositoryCreationTemplate", "RepositoryPolicy", Document, "policy JSON as a string"),
    row("AWS::EFS::FileSystem", "FileSystemPolicy", Document, ""),
    row("AWS::EKS::PodIdentityAssociation", "Policy", Document, "a session policy, JSON as a string"),
    row("AWS::Elasticsearch::Domain", "AccessPolicies", Document, ""),
    row("AWS::EventSchemas::RegistryPolicy", "Policy", Document, ""),
    row("AWS::Events::EventBus", "Policy", Document, ""),
    row("AWS::EventsV2::ResourcePolicy", "PolicyDocument", Document, ""),
    row("AWS::IAM::Group", "ManagedPolicyArns", ManagedArns, ""),
    row("AWS::IAM::Group", "Policies[].PolicyDocument", Document, "inline policies, matched by PolicyName"),
    row("AWS::IAM::GroupPolicy", "PolicyDocument", Document, ""),
    row("AWS::IAM::ManagedPolicy", "PolicyDocument", Document, ""),
    row("AWS::IAM::Policy", "PolicyDocument", Document, ""),
    row("AWS::IAM::Role", "AssumeRolePolicyDocument", Document, "the trust policy"),
    row("AWS::IAM::Role", "ManagedPolicyArns", ManagedArns, ""),
    row("AWS::IAM::Role", "PermissionsBoundary", ManagedArns, "a boundary is attached by ARN"),
    row("AWS::IAM::Role", "Policies[].PolicyDocument", Document, "inline policies, matched by PolicyName"),
    row("AWS::IAM::RolePolicy", "PolicyDocument", Document, ""),
    row("AWS::IAM::User", "ManagedPolicyArns", ManagedArns, ""),
    row("AWS::IAM::User", "PermissionsBoundary", ManagedArns, "a boundary is attached by ARN"),
    row("AWS::IAM::User", "Policies[].PolicyDocument", Document, "inline policies, matched by PolicyName"),
    row("AWS::IAM::UserPolicy", "PolicyDocument", Document, ""),
    row("AWS::IoT::Policy", "PolicyDocument", Document, "IoT policies use the IAM statement grammar"),
    row("AWS::Kinesis::ResourcePolicy", "ResourcePolicy", Document, ""),
    row("AWS::KMS::Key", "KeyPolicy", Document, ""),
    row("AWS::KMS::ReplicaKey", "KeyPolicy", Document, ""),
    row("AWS::Lambda::LayerVersionPermission", "", LayerPermission, "the resource is one statement"),
    row("AWS::Lambda::Permission", "", LambdaPermission, "the resource is one statement; SourceArn, SourceAccount, PrincipalOrgID, FunctionUrlAuthType and EventSourceToken are its conditions"),
    row("AWS::Lambda::ResourcePolicy", "PolicyDocument", Document, ""),
    row("AWS::Lex::ResourcePolicy", "Policy", Document, ""),
    row("AWS::Logs::Destination", "DestinationPolicy", Document, "policy JSON as a string"),
    row("AWS::Logs::LogGroup", "ResourcePolicyDocument", Document, ""),
    row("AWS::Logs::ResourcePolicy", "PolicyDocument", Document, "policy JSON as a string"),
    row("AWS::MediaPackageV2::ChannelPolicy", "Policy", Document, ""),
    row("AWS::MediaPackageV2::OriginEndpointPolicy", "Policy", Document, ""),
    row("AWS::MediaStore::Container", "Policy", Document, "policy JSON as a string"),
    row("AWS::MediaTailor::ChannelPolicy", "Policy", Document, ""),
    row("AWS::MSK::ClusterPolicy", "Policy", Document, ""),
    row("AWS::Oam::Sink", "Policy", Document, ""),
    row("AWS::Omics::SequenceStore", "S3AccessPolicy", Document, ""),
    row("AWS::OpenSearchService::Domain", "AccessPolicies", Document, ""),
    row("AWS::RAM::Permission", "PolicyTemplate", Document, "statements without a principal: the share names it"),
    row("AWS::Redshift::Cluster", "NamespaceResourcePolicy", Document, ""),
    row("AWS::RedshiftServerless::Namespace", "NamespaceResourcePolicy", Document, ""),
    row("AWS::RolesAnywhere::Profile", "SessionPolicy", Document, "a session policy, JSON as a string"),
    row("AWS::S3::AccessPoint", "Policy", Document, ""),
    row("AWS::S3::BucketPolicy", "PolicyDocument", Document, ""),
    row("AWS::S3::MultiRegionAccessPointPolicy", "Policy", Document, ""),
    row("AWS::S3Express::AccessPoint", "Policy", Document, ""),
    row("AWS::S3Express::BucketPolicy", "PolicyDocument", Document, ""),
    row("AWS::S3Files::FileSystemPolicy", "Policy", Document, ""),
    row("AWS::S3ObjectLambda::AccessPointPolicy", "PolicyDocument", Document, ""),
    row("AWS::S3Outposts::AccessPoint", "Policy", Document, ""),
    row("AWS::S3Outposts::BucketPolicy", "PolicyDocument", Document, ""),
    row("AWS::S3Tables::TableBucketPolicy", "ResourcePolicy", Document, ""),
    row("AWS::S3Tables::TablePolicy", "ResourcePolicy", Document, ""),
    row("AWS::S3Vectors::VectorBucketPolicy", "Policy", Document, ""),
    row("AWS::SageMaker::ModelPackageGroup", "ModelPackageGroupPolicy", Document, ""),
    row("AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", Document, ""),
    row("AWS::SMSVOICE::ResourcePolicy", "PolicyDocument", Document, ""),
    row("AWS::SNS::TopicInlinePolicy", "PolicyDocument", Document, ""),
    row("AWS::SNS::TopicPolicy", "PolicyDocument", Document, ""),
    row("AWS::SQS::QueueInlinePolicy", "PolicyDocument", Document, ""),
    row("AWS::SQS::QueuePolicy", "PolicyDocument", Document, ""),
    row("AWS::SSM::ResourcePolicy", "Policy", Document, ""),
    row("AWS::SSO::PermissionSet", "InlinePolicy", Document, ""),
    row("AWS::SSO::PermissionSet", "ManagedPolicies", ManagedArns, ""),
    row("AWS::VpcLattice::AuthPolicy", "Policy", Document, ""),
    row("AWS::VpcLattice::ResourcePolicy", "Policy", Document, ""),
];

/// Free-form registry properties named like a policy that hold no IAM
/// permissions (type, property, why): the other half of the registry review.
#[rustfmt::skip]
pub const NOT_CARRIERS: &[(&str, &str, &str)] = &[
    ("AWS::Logs::DeliveryDestination", "DeliveryDestinationPolicy", "an object that wraps the policy text with the destination name; not read yet"),
    ("AWS::Logs::LogGroup", "DataProtectionPolicy", "a data protection (masking) policy, not permissions"),
    ("AWS::NetworkManager::CoreNetwork", "PolicyDocument", "a core network routing policy, not permissions"),
    ("AWS::SNS::Subscription", "DeliveryPolicy", "message delivery retries"),
    ("AWS::SNS::Subscription", "FilterPolicy", "a message filter"),
    ("AWS::SNS::Subscription", "RedrivePolicy", "a dead-letter queue setting"),
    ("AWS::SNS::Subscription", "ReplayPolicy", "message replay settings"),
    ("AWS::SNS::Topic", "ArchivePolicy", "message retention"),
    ("AWS::SNS::Topic", "DataProtectionPolicy", "a data protection (masking) policy, not permissions"),
    ("AWS::SQS::Queue", "RedriveAllowPolicy", "which queues may use this one as a dead-letter queue (listed by ARN, no principals)"),
];

/// The policy-bearing properties of `type_name`.
pub fn carriers_of(type_name: &str) -> impl Iterator<Item = &'static Carrier> + '_ {
    CARRIERS.iter().filter(move |c| c.type_name == type_name)
}

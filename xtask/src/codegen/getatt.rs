//! The GetAtt attributes of a resource type: the ones CloudFormation accepts.
//!
//! The rule is cfn-lint's (`cfnlint/schema/_getatts.py` in the pinned wheel,
//! which is tested against CloudFormation): `readOnlyProperties`, plus the
//! properties CloudFormation documents as return values for a few types
//! (`TopicName` on `AWS::SNS::Topic`), and for a list of types every
//! property, nested ones included, that is not an array of objects.
//! A pointer through an array (`/properties/Treatments/*/Key`) is the
//! attribute `Treatments.Key`, whose value is a list.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value as Json;

use super::model::{self, Attr, Leaf, Ty};

/// Types whose every (non array-of-object) property is a GetAtt attribute.
const ALL_PROPERTY_TYPES: &[&str] = &[
    "AWS::Amplify::Branch",
    "AWS::Amplify::Domain",
    "AWS::AppSync::DomainName",
    "AWS::AppSync::FunctionConfiguration",
    "AWS::AppSync::Resolver",
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::Backup::BackupSelection",
    "AWS::Backup::BackupVault",
    "AWS::Backup::LogicallyAirGappedBackupVault",
    "AWS::CodeArtifact::Domain",
    "AWS::CodeArtifact::Repository",
    "AWS::EC2::CapacityReservation",
    "AWS::EC2::Instance",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::EFS::MountTarget",
    "AWS::EKS::Nodegroup",
    "AWS::ElastiCache::ReplicationGroup",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::Events::EventBus",
    "AWS::EventSchemas::Discoverer",
    "AWS::EventSchemas::Registry",
    "AWS::EventSchemas::Schema",
    "AWS::GameLift::GameSessionQueue",
    "AWS::GameLift::MatchmakingConfiguration",
    "AWS::GameLift::MatchmakingRuleSet",
    "AWS::Grafana::Workspace",
    "AWS::Greengrass::ConnectorDefinition",
    "AWS::Greengrass::CoreDefinition",
    "AWS::Greengrass::DeviceDefinition",
    "AWS::Greengrass::FunctionDefinition",
    "AWS::Greengrass::Group",
    "AWS::Greengrass::LoggerDefinition",
    "AWS::Greengrass::ResourceDefinition",
    "AWS::Greengrass::SubscriptionDefinition",
    "AWS::ImageBuilder::Component",
    "AWS::ImageBuilder::ContainerRecipe",
    "AWS::ImageBuilder::DistributionConfiguration",
    "AWS::ImageBuilder::ImagePipeline",
    "AWS::ImageBuilder::ImageRecipe",
    "AWS::ImageBuilder::InfrastructureConfiguration",
    "AWS::ManagedBlockchain::Node",
    "AWS::Neptune::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBParameterGroup",
    "AWS::RedshiftServerless::Workgroup",
    "AWS::RoboMaker::RobotApplication",
    "AWS::RoboMaker::SimulationApplication",
    "AWS::Route53Resolver::ResolverRule",
    "AWS::Route53Resolver::ResolverRuleAssociation",
    "AWS::S3::AccessPoint",
    "AWS::SageMaker::DataQualityJobDefinition",
    "AWS::SageMaker::ModelBiasJobDefinition",
    "AWS::SageMaker::ModelExplainabilityJobDefinition",
    "AWS::SageMaker::ModelQualityJobDefinition",
    "AWS::SageMaker::MonitoringSchedule",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
    "AWS::StepFunctions::Activity",
];

/// Properties CloudFormation accepts in GetAtt beyond `readOnlyProperties`.
const EXTRA: &[(&str, &[&str])] = &[
    (
        "AWS::AppMesh::GatewayRoute",
        &[
            "GatewayRouteName",
            "MeshName",
            "MeshOwner",
            "VirtualGatewayName",
        ],
    ),
    ("AWS::AppMesh::Mesh", &["MeshName"]),
    (
        "AWS::AppMesh::Route",
        &["MeshName", "MeshOwner", "RouteName", "VirtualRouterName"],
    ),
    (
        "AWS::AppMesh::VirtualGateway",
        &["MeshName", "MeshOwner", "VirtualGatewayName"],
    ),
    (
        "AWS::AppMesh::VirtualNode",
        &["MeshName", "MeshOwner", "VirtualNodeName"],
    ),
    (
        "AWS::AppMesh::VirtualRouter",
        &["MeshName", "MeshOwner", "VirtualRouterName"],
    ),
    (
        "AWS::AppMesh::VirtualService",
        &["MeshName", "MeshOwner", "VirtualServiceName"],
    ),
    ("AWS::AppSync::DataSource", &["Name"]),
    ("AWS::Cloud9::EnvironmentEC2", &["Name"]),
    ("AWS::CloudWatch::InsightRule", &["RuleName"]),
    ("AWS::DocDB::DBCluster", &["Port"]),
    ("AWS::Greengrass::ConnectorDefinition", &["Name"]),
    ("AWS::Greengrass::CoreDefinition", &["Name"]),
    ("AWS::Greengrass::DeviceDefinition", &["Name"]),
    ("AWS::Greengrass::FunctionDefinition", &["Name"]),
    ("AWS::Greengrass::Group", &["Name", "RoleArn"]),
    ("AWS::Greengrass::LoggerDefinition", &["Name"]),
    ("AWS::Greengrass::ResourceDefinition", &["Name"]),
    ("AWS::Greengrass::SubscriptionDefinition", &["Name"]),
    ("AWS::IoT1Click::Device", &["Enabled"]),
    (
        "AWS::IoT1Click::Placement",
        &["PlacementName", "ProjectName"],
    ),
    ("AWS::IoT1Click::Project", &["ProjectName"]),
    (
        "AWS::Kinesis::StreamConsumer",
        &["ConsumerName", "StreamARN"],
    ),
    ("AWS::ManagedBlockchain::Member", &["NetworkId"]),
    ("AWS::MediaConvert::JobTemplate", &["Name"]),
    ("AWS::MediaConvert::Preset", &["Name"]),
    ("AWS::MediaConvert::Queue", &["Name"]),
    ("AWS::MediaLive::Input", &["Destinations", "Sources"]),
    ("AWS::OpsWorks::Instance", &["AvailabilityZone"]),
    ("AWS::OpsWorks::UserProfile", &["SshUsername"]),
    (
        "AWS::Route53Resolver::ResolverEndpoint",
        &["Direction", "Name"],
    ),
    ("AWS::SageMaker::CodeRepository", &["CodeRepositoryName"]),
    ("AWS::SageMaker::Endpoint", &["EndpointName"]),
    ("AWS::SageMaker::EndpointConfig", &["EndpointConfigName"]),
    ("AWS::SageMaker::Model", &["ModelName"]),
    (
        "AWS::SageMaker::NotebookInstance",
        &["NotebookInstanceName"],
    ),
    (
        "AWS::SageMaker::NotebookInstanceLifecycleConfig",
        &["NotebookInstanceLifecycleConfigName"],
    ),
    ("AWS::SageMaker::Workteam", &["WorkteamName"]),
    ("AWS::ServiceDiscovery::Service", &["Name"]),
    ("AWS::Transfer::User", &["ServerId", "UserName"]),
];

/// Methods `Handle<R>` has for every `R`: an attribute method must not shadow them.
const HANDLE_METHODS: &[&str] = &["new", "logical_id", "r#ref", "get_att", "clone"];

/// The GetAtt attributes of `type_name`, unique, in schema order.
pub fn attributes(type_name: &str, schema: &Json) -> Vec<Attr> {
    let mut pointers: Vec<Vec<String>> = Vec::new();
    if ALL_PROPERTY_TYPES.contains(&type_name) {
        for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
            every_property(schema, prop, vec![name.clone()], &mut pointers);
        }
    } else {
        let extra = EXTRA.iter().filter(|(t, _)| *t == type_name);
        for name in extra.flat_map(|(_, names)| names.iter()) {
            pointers.push(vec![(*name).to_owned()]);
        }
        for p in schema["readOnlyProperties"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
        {
            if let Some(rest) = p.strip_prefix("/properties/") {
                pointers.push(rest.split('/').map(str::to_owned).collect());
            }
        }
    }
    build(schema, &pointers)
}

/// cfn-lint's walk for the types of [`ALL_PROPERTY_TYPES`].
fn every_property(schema: &Json, node: &Json, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    let node = resolve(schema, node);
    let types = types_of(&node);
    if types.contains(&"object") {
        for (name, prop) in node["properties"].as_object().into_iter().flatten() {
            let mut p = path.clone();
            p.push(name.clone());
            every_property(schema, prop, p, out);
        }
    } else if types.contains(&"array") {
        let items = resolve(schema, &node["items"]);
        let item_types = types_of(&items);
        if !item_types.contains(&"object") && !item_types.contains(&"array") {
            out.push(path);
        }
    } else {
        out.push(path);
    }
}

fn build(schema: &Json, pointers: &[Vec<String>]) -> Vec<Attr> {
    let mut names = BTreeSet::new();
    let mut consts = BTreeSet::new();
    let mut methods: BTreeSet<String> = HANDLE_METHODS.iter().map(|s| (*s).to_owned()).collect();
    let mut attrs = Vec::new();
    for segments in pointers {
        let named: Vec<&str> = segments
            .iter()
            .map(String::as_str)
            .filter(|s| *s != "*")
            .collect();
        let name = named.join(".");
        if named.is_empty() || !names.insert(name.clone()) {
            continue;
        }
        let const_name = model::unique(&mut consts, &named.concat().to_upper_camel_case(), "A");
        let method = model::field_name(&named.join("_").to_snake_case());
        attrs.push(Attr {
            method: model::unique(&mut methods, &method, "a_"),
            ty: attribute_type(schema, segments),
            name,
            const_name,
        });
    }
    attrs
}

/// The value type of the attribute at `segments`: a leaf, or a list of leaves
/// when the path or the property is an array.
fn attribute_type(schema: &Json, segments: &[String]) -> Ty {
    let mut node = schema["properties"].clone();
    let mut through_array = false;
    for (i, seg) in segments.iter().enumerate() {
        let next = if seg == "*" {
            through_array = true;
            node["items"].clone()
        } else {
            node[seg.as_str()].clone()
        };
        node = resolve(schema, &next);
        if i + 1 < segments.len() && segments[i + 1] != "*" {
            node = node["properties"].clone();
        }
    }
    let leaf = |n: &Json| match model::type_of(n) {
        Some("string") => Some(Leaf::String),
        Some("integer") => Some(Leaf::Integer),
        Some("number") => Some(Leaf::Number),
        Some("boolean") => Some(Leaf::Boolean),
        None if model::only_formats(n) || n["enum"].is_array() => Some(Leaf::String),
        _ => None,
    };
    let ty = match model::type_of(&node) {
        Some("array") => Ty::List(Box::new(Ty::Leaf(
            leaf(&resolve(schema, &node["items"])).unwrap_or(Leaf::String),
        ))),
        _ => Ty::Leaf(leaf(&node).unwrap_or(Leaf::Json)),
    };
    match ty {
        Ty::Leaf(l) if through_array => Ty::List(Box::new(Ty::Leaf(l))),
        ty => ty,
    }
}

fn resolve(schema: &Json, node: &Json) -> Json {
    let node = model::merge_all_of(node);
    match model::def_ref(&node) {
        Some(def) => model::merge_all_of(&schema["definitions"][def]),
        None => node,
    }
}

fn types_of(node: &Json) -> Vec<&str> {
    match &node["type"] {
        Json::String(s) => vec![s.as_str()],
        Json::Array(a) => a.iter().filter_map(Json::as_str).collect(),
        _ => vec![],
    }
}

//! The embedded registry against facts read from the pinned wheel's schema
//! files (cfn-lint 1.58.0, us-east-1; file names in comments), reviewed by hand.

use infra_registry::{Attribute, lookup, suggest, type_names};

fn attr(name: &str, is_array: bool) -> Attribute {
    Attribute {
        name: name.to_owned(),
        is_array,
    }
}

#[test]
fn every_type_of_the_registry_is_there_and_decodes() {
    let names: Vec<&str> = type_names().collect();
    assert_eq!(names.len(), 1854);
    assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    assert_eq!(
        names.iter().filter(|n| n.starts_with("AWS::")).count(),
        1853
    );
    assert!(names.contains(&"Alexa::ASK::Skill"));
    assert_eq!(
        infra_registry::codegen::verify_all().expect("decodes"),
        1854
    );
}

/// resources/8de1012311991c4d.json
#[test]
fn dynamodb_table() {
    let t = lookup("AWS::DynamoDB::Table").expect("known");
    assert_eq!(t.type_name, "AWS::DynamoDB::Table");
    assert_eq!(t.service, "dynamodb");
    assert_eq!(t.attributes, [attr("Arn", false), attr("StreamArn", false)]);
    assert_eq!(t.ref_returns.as_deref(), Some("/properties/TableName"));
    assert_eq!(t.primary_identifier, ["/properties/TableName"]);
    assert_eq!(
        t.create_only,
        [
            "/properties/TableName",
            "/properties/ImportSourceSpecification"
        ]
    );
    assert_eq!(t.conditional_create_only, ["/properties/KeySchema"]);
    assert_eq!(t.write_only, ["/properties/ImportSourceSpecification"]);
    assert_eq!(t.read_only, ["/properties/Arn", "/properties/StreamArn"]);
    assert_eq!(
        t.permissions.delete,
        ["dynamodb:DeleteTable", "dynamodb:DescribeTable"]
    );
    assert_eq!(t.permissions.list, ["dynamodb:ListTables"]);
    assert!(
        t.permissions
            .create
            .iter()
            .any(|p| p == "dynamodb:CreateTable")
    );
    assert!(t.unordered.iter().any(|p| p == "StreamSpecification/Tags"));
    assert_eq!(
        t.holds_data.as_ref().map(|h| h.reason.as_str()),
        Some("table items")
    );
}

#[test]
fn property_schema_keeps_constraints_and_drops_annotations() {
    let t = lookup("AWS::DynamoDB::Table").expect("known");
    let schema = t.schema();
    assert_eq!(schema["required"], serde_json::json!(["KeySchema"]));
    assert_eq!(
        schema["properties"]["KeySchema"]["oneOf"][0]["$ref"],
        "#/definitions/KeySchema"
    );
    assert_eq!(schema["properties"]["KeySchema"]["minItems"], 1);
    assert_eq!(
        schema["definitions"]["KeySchema"]["items"]["required"],
        serde_json::json!(["KeyType", "AttributeName"])
    );
    assert_eq!(
        schema["definitions"]["KeySchema"]["properties"]["KeyType"]["enum"],
        serde_json::json!(["HASH", "RANGE"])
    );
    assert_eq!(
        schema["properties"]["BillingMode"]["enum"],
        serde_json::json!(["PAY_PER_REQUEST", "PROVISIONED"])
    );
    let text = schema.to_string();
    for dropped in [
        "\"description\"",
        "\"handlers\"",
        "\"insertionOrder\"",
        "\"typeName\"",
    ] {
        assert!(!text.contains(dropped), "{dropped} left in the schema");
    }
}

/// resources/55996ca553a6ab0c.json: the schema's only read-only property is
/// TopicArn; CloudFormation documents TopicName as a GetAtt return value too.
#[test]
fn sns_topic_and_sqs_queue_accept_their_names() {
    let topic = lookup("AWS::SNS::Topic").expect("known");
    assert!(topic.has_attribute("TopicArn"));
    assert!(topic.has_attribute("TopicName"));
    assert!(!topic.has_attribute("Arn"));
    assert!(topic.holds_data.is_none());
    let queue = lookup("AWS::SQS::Queue").expect("known");
    for name in ["Arn", "QueueUrl", "QueueName"] {
        assert!(queue.has_attribute(name), "{name}");
    }
    assert_eq!(queue.ref_returns.as_deref(), Some("/properties/QueueUrl"));
    assert!(queue.holds_data.is_some());
}

/// resources/1961d0ebac37774f.json (RDS DBInstance) and 917baacf1f83857b.json (EKS Cluster).
#[test]
fn nested_read_only_properties_are_dotted_attributes() {
    let db = lookup("AWS::RDS::DBInstance").expect("known");
    for name in [
        "Endpoint.Address",
        "Endpoint.Port",
        "DBInstanceArn",
        "MasterUserSecret.SecretArn",
    ] {
        assert!(db.has_attribute(name), "{name}");
    }
    assert!(!db.has_attribute("Endpoint/Address"));
    assert!(
        db.conditional_create_only
            .iter()
            .any(|p| p == "/properties/Engine")
    );
    let eks = lookup("AWS::EKS::Cluster").expect("known");
    let names: Vec<&str> = eks.attribute_names().collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique, "attribute names are unique and sorted");
    assert!(eks.has_attribute("CertificateAuthorityData"));
    assert!(eks.has_attribute("CertificateAuthority.Active.Id"));
    assert!(eks.has_attribute("KubernetesNetworkConfig.ServiceIpv6Cidr"));
}

/// resources/8367fa436bbb1d43.json: `/properties/Treatments/*/Key`.
#[test]
fn attributes_through_arrays_are_arrays() {
    let t = lookup("AWS::AppConfig::ExperimentDefinition").expect("known");
    assert_eq!(
        t.attribute("Treatments.*.Key"),
        Some(&attr("Treatments.*.Key", true))
    );
    assert_eq!(
        t.attribute("Control.Key"),
        Some(&attr("Control.Key", false))
    );
    let db = lookup("AWS::RDS::DBInstance").expect("known");
    assert_eq!(
        db.attribute("ReadReplicaDBInstanceIdentifiers"),
        Some(&attr("ReadReplicaDBInstanceIdentifiers", true))
    );
}

#[test]
fn nested_stack_outputs_take_any_output_name() {
    let stack = lookup("AWS::CloudFormation::Stack").expect("known");
    assert!(stack.has_attribute("Outputs.BucketArn"));
    assert!(stack.has_attribute("StackId"));
    assert!(!stack.has_attribute("Outputs"));
    assert!(!stack.has_attribute("Outputs."));
    let custom = lookup("AWS::CloudFormation::CustomResource").expect("known");
    assert!(custom.has_attribute("Anything.The.Provider.Returns"));
}

/// resources/b43b813fa6ab6f00.json (EC2 VPC) is one of cfn-lint's "every property is an
/// attribute" types: scalar properties and arrays of scalars, not objects
/// (its attribute list equals cfn-lint's GetAtts for every type but the
/// wildcard ones, checked with the `dump_attributes` example).
#[test]
fn all_property_types_expose_scalar_properties() {
    let vpc = lookup("AWS::EC2::VPC").expect("known");
    assert!(vpc.has_attribute("CidrBlock"));
    assert!(vpc.has_attribute("VpcId"));
    assert_eq!(
        vpc.attribute("CidrBlockAssociations"),
        Some(&attr("CidrBlockAssociations", true))
    );
    let group = lookup("AWS::ElastiCache::ReplicationGroup").expect("known");
    assert!(group.has_attribute("PrimaryEndPoint.Address"));
    assert!(
        !group.has_attribute("PrimaryEndPoint"),
        "an object is reached through its leaves"
    );
}

#[test]
fn unknown_types_get_none_and_a_suggestion() {
    assert!(lookup("AWS::S3::Buckett").is_none());
    assert!(lookup("aws::s3::bucket").is_none());
    assert!(lookup("").is_none());
    assert_eq!(suggest("AWS::S3::Buckett"), Some("AWS::S3::Bucket"));
    assert_eq!(
        suggest("AWS::Dynamodb::Table"),
        Some("AWS::DynamoDB::Table")
    );
    assert_eq!(suggest("AWS::Logs::LogGroups"), Some("AWS::Logs::LogGroup"));
    assert_eq!(suggest("AWS::Sqs::Queue"), Some("AWS::SQS::Queue"));
    assert_eq!(suggest("AWS::Dynamo::Table"), Some("AWS::DynamoDB::Table"));
    assert_eq!(suggest("AWS::Logs::Group"), Some("AWS::Logs::LogGroup"));
    assert_eq!(
        suggest("AWS::ApiGateway::RestAPI"),
        Some("AWS::ApiGateway::RestApi")
    );
    assert_eq!(suggest("Totally::Unrelated"), None);
    assert_eq!(suggest("AWS::Foo::Bar"), None);
    assert_eq!(suggest("AWS::Serverless::Function"), None);
    assert_eq!(suggest("Custom::Thing"), None);
    assert_eq!(suggest(&"AWS::S3::Bucket".repeat(100_000)), None);
    assert!(type_names().all(|n| n.len() < 80));
}

#[test]
fn lookups_return_the_same_decoded_value() {
    let a = lookup("AWS::Logs::LogGroup").expect("known");
    let b = lookup("AWS::Logs::LogGroup").expect("known");
    assert!(std::ptr::eq(a, b));
    assert!(std::ptr::eq(a.schema(), b.schema()));
    assert!(a.holds_data.is_some(), "log groups hold log events");
}

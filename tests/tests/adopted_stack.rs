//! A stack that uses everything an imported template may hold, through the
//! derive and its `customize` hook: every `Parameter` field, `Rules` with rule
//! functions, `Mappings`, `Conditions`, template `Metadata`, `Fn::Cidr`,
//! `Fn::GetStackOutput`, a custom resource and a registry type as [`Untyped`]
//! (with `CreationPolicy` and `UpdatePolicy`), `"absent"` policies and outputs
//! built with the `Output` builder. Its template is committed in
//! `tests/templates/adopted-dev.json` (`UPDATE_TEMPLATES=1` rewrites it, for
//! review): `cargo xtask ci` validates it and lints it with cfn-lint, so the
//! validator and cfn-lint both accept what the model now emits.

use std::path::PathBuf;

use infra_model::aws::ec2::{self, launch_template};
use infra_model::aws::{dynamodb, dynamodb::table, sns};
use infra_model::{
    Output, Parameter, Stack, StackContext, StackOutput, Template, Untyped, intrinsic,
};
use serde_json::{Value as Json, json};

#[derive(Debug, Stack)]
#[stack(
    app = "api",
    service = "adopted",
    description = "Everything an imported template may hold",
    customize = Self::customize
)]
pub struct Adopted {
    pub vpc: ec2::Vpc,
    pub subnet: ec2::Subnet,
    pub launch_template: ec2::LaunchTemplate,
    /// A registry type through `Untyped`: import's fallback.
    #[output(Ref = "groupName")]
    pub group: Untyped,
    #[resource(
        condition = "IsProd",
        deletion_policy = "absent",
        update_replace_policy = "absent"
    )]
    pub table: dynamodb::Table,
    pub seed_topic: sns::Topic,
    /// A custom resource, whose provider listens on `seed_topic`.
    #[resource(condition = "IsProd")]
    pub seeder: Untyped,
}

impl Adopted {
    pub fn new(_ctx: &StackContext) -> Self {
        let block = intrinsic::cidr(Self::VPC.cidr_block(), 2, 8);
        Adopted {
            vpc: ec2::Vpc::default().cidr_block("10.0.0.0/16"),
            subnet: ec2::Subnet::new(Self::VPC.r#ref())
                .cidr_block(intrinsic::select(0, block))
                .availability_zone(intrinsic::select(0, intrinsic::get_azs(""))),
            launch_template: ec2::LaunchTemplate::new(launch_template_data()),
            group: group(),
            table: dynamodb::Table::new(vec![table::KeySchema::new("id", "HASH")])
                .attribute_definitions(vec![table::AttributeDefinition::new(
                    "id",
                    table::AttributeType::S,
                )])
                .billing_mode(table::BillingMode::PayPerRequest),
            seed_topic: sns::Topic::default(),
            seeder: Untyped::new("Custom::Seeder")
                .property("ServiceToken", Self::SEED_TOPIC.r#ref())
                .property("TableName", Self::TABLE.r#ref())
                .property("Rows", json!([{"id": "a"}, {"id": "b"}])),
        }
    }

    /// What the derive has no attribute for: sections and resource attributes.
    fn customize(&self, _ctx: &StackContext, template: &mut Template) {
        template.parameters = parameters();
        template.rules = rules();
        template.mappings.insert(
            "StageSizes".into(),
            [
                (
                    "dev".to_owned(),
                    [("InstanceType".to_owned(), json!("t3.micro"))].into(),
                ),
                (
                    "prod".to_owned(),
                    [("InstanceType".to_owned(), json!("t3.small"))].into(),
                ),
            ]
            .into(),
        );
        let is_prod = intrinsic::equals(intrinsic::r#ref::<String>("Stage"), "prod");
        template.conditions.insert("IsProd".into(), is_prod.into());
        template
            .metadata
            .insert("AWS::CloudFormation::Interface".into(), interface());
        if let Some(group) = template.resource_mut(Self::GROUP.logical_id()) {
            group.creation_policy = Some(json!({
                "ResourceSignal": {"Count": 1, "Timeout": "PT15M"}
            }));
            group.update_policy = Some(json!({"AutoScalingRollingUpdate": {
                "MinInstancesInService": 1,
                "MaxBatchSize": 1,
                "PauseTime": "PT15M",
                "WaitOnResourceSignals": true
            }}));
        }
        template.outputs.extend(outputs());
    }
}

fn launch_template_data() -> launch_template::LaunchTemplateData {
    let image =
        "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}";
    let signal = intrinsic::sub(
        "#!/bin/bash\n/opt/aws/bin/cfn-signal -e $? --stack ${AWS::StackName} --resource Group --region ${AWS::Region}\n",
    );
    let size = intrinsic::find_in_map(
        "StageSizes",
        intrinsic::r#ref::<String>("Stage"),
        "InstanceType",
    );
    launch_template::LaunchTemplateData::default()
        .image_id(image)
        .instance_type(size)
        .user_data(intrinsic::base64(signal))
}

fn group() -> Untyped {
    Untyped::new("AWS::AutoScaling::AutoScalingGroup")
        .property("MinSize", "1")
        .property("MaxSize", intrinsic::r#ref::<String>("Capacity"))
        .property("VPCZoneIdentifier", json!([Adopted::SUBNET.r#ref()]))
        .property(
            "LaunchTemplate",
            json!({
                "LaunchTemplateId": Adopted::LAUNCH_TEMPLATE.r#ref(),
                "Version": Adopted::LAUNCH_TEMPLATE.latest_version_number()
            }),
        )
}

fn parameters() -> std::collections::BTreeMap<String, Parameter> {
    let stage = Parameter::new("String")
        .description("The stage")
        .default("dev")
        .allowed_values(["dev", "prod"]);
    let user = Parameter::new("String")
        .description("The database user")
        .default("admin")
        .allowed_pattern("[a-zA-Z][a-zA-Z0-9]*")
        .constraint_description("letters and digits, starting with a letter")
        .min_length(1)
        .max_length(16)
        .no_echo(true);
    let capacity = Parameter::new("Number")
        .default(2)
        .min_value(1)
        .max_value(10);
    [("Stage", stage), ("DbUser", user), ("Capacity", capacity)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

fn rules() -> std::collections::BTreeMap<String, Json> {
    let stage = || intrinsic::r#ref::<String>("Stage");
    let known_stage = json!({"Assertions": [{
        "Assert": intrinsic::contains(json!(["dev", "prod"]), stage()),
        "AssertDescription": "the stage is dev or prod"
    }]});
    let no_root_in_prod = json!({
        "RuleCondition": intrinsic::equals(stage(), "prod"),
        "Assertions": [{
            "Assert": intrinsic::not(intrinsic::equals(intrinsic::r#ref::<String>("DbUser"), "root")),
            "AssertDescription": "prod does not run as root"
        }]
    });
    [
        ("KnownStage", known_stage),
        ("NoRootInProd", no_root_in_prod),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn interface() -> Json {
    json!({"ParameterGroups": [{
        "Label": {"default": "Deployment"},
        "Parameters": ["Stage", "Capacity", "DbUser"]
    }]})
}

fn outputs() -> Vec<(String, Output)> {
    let rows = Output::new(Adopted::SEEDER.attr::<i64>("Rows"))
        .description("The rows the seeder wrote")
        .condition("IsProd")
        .export(intrinsic::sub("${AWS::StackName}-seededRows"));
    let network = StackOutput::new(intrinsic::sub("network-${Stage}"), "vpcId");
    let remote = Output::new(intrinsic::get_stack_output::<String>(network));
    let stage = Output::new(intrinsic::r#ref::<String>("Stage")).description("The stage deployed");
    vec![
        ("seededRows".into(), rows),
        ("networkVpcId".into(), remote),
        ("stage".into(), stage),
    ]
}

fn synthesized() -> String {
    let ctx = StackContext::new("api", "adopted", "dev");
    Adopted::new(&ctx).to_template(&ctx).to_json()
}

#[test]
fn the_committed_template_is_fresh() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates/adopted-dev.json");
    let synthesized = synthesized();
    if std::env::var_os("UPDATE_TEMPLATES").is_some() {
        std::fs::write(&path, &synthesized).expect("writing the template");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == synthesized,
        "{} is stale: run `UPDATE_TEMPLATES=1 cargo test -p infra-tests --test adopted_stack` and review the diff",
        path.display()
    );
}

/// The validator accepts every section and attribute the model emits.
#[test]
fn the_validator_accepts_it() {
    let template: Json = serde_json::from_str(&synthesized()).expect("JSON");
    let problems = infra_check::validate("adopted-dev", &template);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn untyped_resources_keep_their_type_and_attributes() {
    let template: Json = serde_json::from_str(&synthesized()).expect("JSON");
    let resources = &template["Resources"];
    assert_eq!(
        resources["Group"]["Type"],
        "AWS::AutoScaling::AutoScalingGroup"
    );
    assert_eq!(resources["Seeder"]["Type"], "Custom::Seeder");
    assert_eq!(
        resources["Seeder"]["Properties"]["ServiceToken"],
        json!({"Ref": "SeedTopic"})
    );
    assert_eq!(
        resources["Group"]["CreationPolicy"]["ResourceSignal"]["Count"],
        json!(1)
    );
    assert_eq!(
        template["Outputs"]["groupName"]["Value"],
        json!({"Ref": "Group"})
    );
    assert_eq!(
        template["Outputs"]["seededRows"]["Value"],
        json!({"Fn::GetAtt": ["Seeder", "Rows"]})
    );
}

/// A data-holding table with `"absent"` policies has neither attribute.
#[test]
fn absent_policies_leave_the_table_bare() {
    let template: Json = serde_json::from_str(&synthesized()).expect("JSON");
    let table = template["Resources"]["Table"]
        .as_object()
        .expect("the table");
    let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["Condition", "Properties", "Type"]);
}

/// `#[output(Any = "..")]` on an `Untyped` field reads the attribute `Any`.
#[derive(Debug, Stack)]
#[stack(app = "api", service = "custom")]
pub struct Custom {
    #[output(Endpoint = "endpoint", Ref = "physicalId")]
    #[output(Secret = "secret", description = "Whatever the provider returns")]
    pub thing: Untyped,
}

#[test]
fn outputs_of_any_attribute_on_untyped() {
    let ctx = StackContext::new("api", "custom", "dev");
    let stack = Custom {
        thing: Untyped::new("AWS::CloudFormation::CustomResource").property(
            "ServiceToken",
            "arn:aws:lambda:eu-west-1:123456789012:function:f",
        ),
    };
    let template: Json = serde_json::from_str(&stack.to_template(&ctx).to_json()).expect("JSON");
    let outputs = &template["Outputs"];
    assert_eq!(
        outputs["endpoint"]["Value"],
        json!({"Fn::GetAtt": ["Thing", "Endpoint"]})
    );
    assert_eq!(
        outputs["secret"]["Value"],
        json!({"Fn::GetAtt": ["Thing", "Secret"]})
    );
    assert_eq!(outputs["physicalId"]["Value"], json!({"Ref": "Thing"}));
    assert_eq!(
        outputs["secret"]["Description"],
        "Whatever the provider returns"
    );
    let attributes: Vec<&str> = Custom::OUTPUTS.iter().map(|o| o.attribute).collect();
    assert_eq!(attributes, ["Endpoint", "Ref", "Secret"]);
    assert_eq!(
        template["Resources"]["Thing"]["Type"],
        "AWS::CloudFormation::CustomResource"
    );
}

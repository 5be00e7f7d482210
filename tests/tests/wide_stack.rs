//! A stack across eleven services the `infra` stack does not use (EC2, ELBv2,
//! API Gateway, EventBridge, Step Functions, Logs, CloudWatch, KMS, Cognito,
//! CloudFront, IAM), wired together through typed handles. Its template is
//! committed in `tests/templates/wide-dev.json`: this test fails when it is
//! stale (`UPDATE_TEMPLATES=1` rewrites it, for review), and `cargo xtask ci`
//! lints it with cfn-lint (0 errors, 0 warnings).

use std::path::PathBuf;

use infra_model::aws::{
    apigateway, cloudfront, cloudwatch, cognito, ec2, elasticloadbalancingv2 as elbv2, events, iam,
    kms, logs, stepfunctions,
};
use infra_model::{Stack, StackContext, intrinsic, pseudo};
use serde_json::json;

#[derive(Debug, Stack)]
#[stack(
    app = "api",
    service = "wide",
    description = "Typed resources across many services"
)]
pub struct Wide {
    pub key: kms::Key,
    pub log_group: logs::LogGroup,
    pub vpc: ec2::Vpc,
    pub gateway: ec2::InternetGateway,
    pub gateway_attachment: ec2::VpcGatewayAttachment,
    pub subnet_a: ec2::Subnet,
    pub subnet_b: ec2::Subnet,
    pub web_security_group: ec2::SecurityGroup,
    #[output(DnsName = "loadBalancerDnsName")]
    #[resource(depends_on(gateway_attachment))]
    pub load_balancer: elbv2::LoadBalancer,
    #[output(RootResourceId = "apiRootResourceId")]
    pub api: apigateway::RestApi,
    pub api_users: apigateway::Resource,
    pub workflow_role: iam::Role,
    #[output(Arn = "workflowArn")]
    pub workflow: stepfunctions::StateMachine,
    pub schedule: events::Rule,
    pub workflow_failures: cloudwatch::Alarm,
    #[output(Arn = "userPoolArn")]
    pub user_pool: cognito::UserPool,
    #[output(DomainName = "distributionDomainName")]
    pub distribution: cloudfront::Distribution,
}

impl Wide {
    pub fn new(ctx: &StackContext) -> Self {
        Wide {
            key: key(),
            log_group: logs::LogGroup::default()
                .log_group_name(format!("/{}/workflow", ctx.stack_name()))
                .retention_in_days(logs::log_group::RetentionInDays::V14)
                .kms_key_id(Self::KEY.arn()),
            vpc: ec2::Vpc::default()
                .cidr_block("10.0.0.0/16")
                .enable_dns_hostnames(true)
                .enable_dns_support(true),
            gateway: ec2::InternetGateway::default(),
            gateway_attachment: ec2::VpcGatewayAttachment::new(Self::VPC.r#ref())
                .internet_gateway_id(Self::GATEWAY.r#ref()),
            subnet_a: subnet(0, "10.0.0.0/24"),
            subnet_b: subnet(1, "10.0.1.0/24"),
            web_security_group: web_security_group(),
            load_balancer: elbv2::LoadBalancer::default()
                .scheme(elbv2::load_balancer::Scheme::InternetFacing)
                .subnets(vec![Self::SUBNET_A.r#ref(), Self::SUBNET_B.r#ref()])
                .security_groups(vec![Self::WEB_SECURITY_GROUP.group_id()]),
            api: apigateway::RestApi::default().name(ctx.name("api")),
            api_users: apigateway::Resource::new(
                Self::API.root_resource_id(),
                "users",
                Self::API.r#ref(),
            ),
            workflow_role: workflow_role(),
            workflow: workflow(),
            schedule: schedule(),
            workflow_failures: workflow_failures(),
            user_pool: cognito::UserPool::default()
                .user_pool_name(ctx.name("users"))
                .deletion_protection(cognito::user_pool::DeletionProtection::Active),
            distribution: distribution(),
        }
    }
}

fn key() -> kms::Key {
    let account_root = intrinsic::sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
    let logs_service = intrinsic::sub("logs.${AWS::Region}.amazonaws.com");
    kms::Key::default()
        .enable_key_rotation(true)
        .key_policy(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": account_root}, "Action": "kms:*", "Resource": "*"},
                {
                    "Effect": "Allow",
                    "Principal": {"Service": logs_service},
                    "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    "Resource": "*"
                }
            ]
        }))
}

/// A subnet of the VPC in the `index`th availability zone of the region.
fn subnet(index: i64, cidr: &str) -> ec2::Subnet {
    let zone = intrinsic::select(index, intrinsic::get_azs(""));
    ec2::Subnet::new(Wide::VPC.r#ref())
        .cidr_block(cidr)
        .availability_zone(zone)
}

fn web_security_group() -> ec2::SecurityGroup {
    let https = ec2::security_group::Ingress::new("tcp")
        .cidr_ip("0.0.0.0/0")
        .from_port(443)
        .to_port(443);
    ec2::SecurityGroup::new("HTTPS from anywhere")
        .vpc_id(Wide::VPC.r#ref())
        .security_group_ingress(vec![https])
}

fn workflow_role() -> iam::Role {
    let assume = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["states.amazonaws.com", "events.amazonaws.com"]},
            "Action": "sts:AssumeRole"
        }]
    });
    iam::Role::new(assume)
}

fn workflow() -> stepfunctions::StateMachine {
    use stepfunctions::state_machine::{
        CloudWatchLogsLogGroup, Level, LogDestination, LoggingConfiguration,
    };
    let destination = LogDestination::default().cloud_watch_logs_log_group(
        CloudWatchLogsLogGroup::default().log_group_arn(Wide::LOG_GROUP.arn()),
    );
    let logging = LoggingConfiguration::default()
        .destinations(vec![destination])
        .level(Level::Error);
    stepfunctions::StateMachine::new(Wide::WORKFLOW_ROLE.arn())
        .definition(json!({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}))
        .logging_configuration(logging)
}

fn schedule() -> events::Rule {
    let target = events::rule::Target::new(Wide::WORKFLOW.r#ref(), "workflow")
        .role_arn(Wide::WORKFLOW_ROLE.arn());
    events::Rule::default()
        .schedule_expression("rate(1 hour)")
        .targets(vec![target])
}

fn workflow_failures() -> cloudwatch::Alarm {
    use cloudwatch::alarm::{ComparisonOperator, Dimension, Statistic};
    cloudwatch::Alarm::default()
        .namespace("AWS/States")
        .metric_name("ExecutionsFailed")
        .dimensions(vec![Dimension::new(
            "StateMachineArn",
            Wide::WORKFLOW.r#ref(),
        )])
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
}

fn distribution() -> cloudfront::Distribution {
    use cloudfront::distribution::{
        CustomOriginConfig, DefaultCacheBehavior, DistributionConfig, HttpVersion, Origin,
        ViewerProtocolPolicy,
    };
    // The AWS managed cache policy `CachingOptimized`.
    const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    let origin = Origin::new(Wide::LOAD_BALANCER.dns_name(), "load-balancer")
        .custom_origin_config(CustomOriginConfig::new("https-only"));
    let behavior =
        DefaultCacheBehavior::new("load-balancer", ViewerProtocolPolicy::RedirectToHttps)
            .cache_policy_id(CACHING_OPTIMIZED);
    let config = DistributionConfig::new(behavior, true)
        .origins(vec![origin])
        .http_version(HttpVersion::Http2and3)
        .comment(pseudo::stack_name());
    cloudfront::Distribution::new(config)
}

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("templates/wide-dev.json")
}

#[test]
fn the_committed_template_is_fresh() {
    let ctx = StackContext::new("api", "wide", "dev");
    let synthesized = Wide::new(&ctx).to_template(&ctx).to_json();
    let path = committed();
    if std::env::var_os("UPDATE_TEMPLATES").is_some() {
        std::fs::write(&path, &synthesized).expect("writing the template");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == synthesized,
        "{} is stale: run `UPDATE_TEMPLATES=1 cargo test -p infra-tests --test wide_stack` and review the diff",
        path.display()
    );
}

/// The handles wire resources of different services together: a reference
/// to an attribute the type lacks would not compile.
#[test]
fn resources_reference_each_other_through_handles() {
    let ctx = StackContext::new("api", "wide", "dev");
    let template: serde_json::Value =
        serde_json::from_str(&Wide::new(&ctx).to_template(&ctx).to_json()).expect("JSON");
    let resources = &template["Resources"];
    assert_eq!(
        resources["Schedule"]["Properties"]["Targets"][0]["Arn"],
        json!({"Ref": "Workflow"})
    );
    assert_eq!(
        resources["Distribution"]["Properties"]["DistributionConfig"]["Origins"][0]["DomainName"],
        json!({"Fn::GetAtt": ["LoadBalancer", "DNSName"]})
    );
    assert_eq!(
        template["Outputs"]["loadBalancerDnsName"]["Value"],
        json!({"Fn::GetAtt": ["LoadBalancer", "DNSName"]})
    );
    assert_eq!(
        resources["LogGroup"]["Properties"]["RetentionInDays"],
        json!(14)
    );
}

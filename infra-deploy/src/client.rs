//! SDK clients built from the standard credential and region chains, with timeouts on
//! every call so that an endpoint that never answers cannot hang a deploy.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::timeout::TimeoutConfig;

use crate::cli::ConnectArgs;
use crate::error::{AwsKind, Error, Result};

/// Establishing a connection: loopback or a region endpoint answers far sooner.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// One attempt of one call (the SDK retries a timed-out attempt); one call, retries
/// included, gets `--call-timeout-secs`.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);

/// The clients a deploy needs.
#[derive(Debug, Clone)]
pub struct Clients {
    pub cfn: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    /// The region the clients call.
    pub region: String,
}

impl Clients {
    /// Clients for `args`: explicit flags first, then the SDK's usual chains
    /// (environment, shared config files, SSO, instance metadata). No region is an
    /// error here, before any call, rather than a signing failure later.
    pub async fn new(args: &ConnectArgs) -> Result<Self> {
        let call = Duration::from_secs(args.call_timeout_secs);
        let mut loader =
            aws_config::defaults(BehaviorVersion::latest()).timeout_config(timeouts(call));
        if let Some(region) = &args.region {
            loader = loader.region(aws_config::Region::new(region.clone()));
        }
        if let Some(profile) = &args.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &args.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let Some(region) = config.region().map(ToString::to_string) else {
            return Err(Error::Aws {
                operation: "configuration",
                kind: AwsKind::NoRegion,
                summary: "no AWS region is configured".to_owned(),
                chain: "neither --region, AWS_REGION nor the profile names a region".to_owned(),
            });
        };
        // A custom endpoint has no per-bucket DNS names, so address buckets by path.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(args.endpoint_url.is_some())
            .build();
        Ok(Clients {
            cfn: aws_sdk_cloudformation::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            region,
        })
    }
}

fn timeouts(call: Duration) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT.min(call))
        .operation_attempt_timeout(ATTEMPT_TIMEOUT.min(call))
        .operation_timeout(call)
        .build()
}

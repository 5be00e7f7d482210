//! SDK clients built from the standard credential and region chains.

use aws_config::BehaviorVersion;

use crate::cli::ConnectArgs;

/// The clients a deploy needs.
#[derive(Debug, Clone)]
pub struct Clients {
    pub cfn: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    /// The region the clients call, when one is configured.
    pub region: Option<String>,
}

impl Clients {
    /// Clients for `args`: explicit flags first, then the SDK's usual chains
    /// (environment, shared config files, SSO, instance metadata).
    pub async fn new(args: &ConnectArgs) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
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
        // A custom endpoint has no per-bucket DNS names, so address buckets by path.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(args.endpoint_url.is_some())
            .build();
        Clients {
            cfn: aws_sdk_cloudformation::Client::new(&config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            region: config.region().map(ToString::to_string),
        }
    }
}

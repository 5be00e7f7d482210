//! Physical names. Regional names carry service and stage; S3 bucket names are
//! global, so they also carry the app, the account and the region.

use infra_model::{StackContext, Value, intrinsic};

/// `{service}-{stage}-{name}`, for tables and topics.
pub fn regional(ctx: &StackContext, name: &str) -> Value<String> {
    ctx.name(name).into()
}

/// A bucket name, `{app}-{service}-{stage}-{name}-{account}-{region}`, as
/// `Fn::Sub` text, so a policy can build the bucket's ARN from it (the wiring
/// helpers do) where a `GetAtt Bucket.Arn` would make a circular dependency.
pub fn bucket(ctx: &StackContext, name: &str) -> Value<String> {
    intrinsic::sub(ctx.bucket_name_sub(name))
}

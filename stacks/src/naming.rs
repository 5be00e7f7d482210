//! Physical names. Regional names carry service and stage; S3 bucket names are
//! global, so they also carry the app, the account and the region.

use infra_model::{StackContext, Value, intrinsic};

/// `{service}-{stage}-{name}`, for tables and topics.
pub fn regional(ctx: &StackContext, name: &str) -> Value<String> {
    ctx.name(name).into()
}

/// The `Fn::Sub` text of a bucket name: `{app}-{service}-{stage}-{name}-{account}-{region}`.
/// Kept as text so a topic policy can build the bucket ARN from it: a
/// `GetAtt Bucket.Arn` there would make a circular dependency.
pub fn bucket_sub(ctx: &StackContext, name: &str) -> String {
    ctx.bucket_name_sub(name)
}

/// The bucket name as a property value.
pub fn bucket(ctx: &StackContext, name: &str) -> Value<String> {
    intrinsic::sub(bucket_sub(ctx, name))
}

/// The bucket's ARN, built from its name.
pub fn bucket_arn(ctx: &StackContext, name: &str) -> Value<String> {
    intrinsic::sub(format!(
        "arn:${{AWS::Partition}}:s3:::{}",
        bucket_sub(ctx, name)
    ))
}

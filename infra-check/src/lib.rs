//! Checks on CloudFormation templates given as JSON: [`validate`] collects every
//! problem of a template at once, [`diff`] tells what a deploy would change and
//! marks replacement, data loss and breaking output changes.
//!
//! Both read the registry metadata that `cargo xtask codegen` generates
//! ([`infra_model::aws::meta::REGISTRY`]); the `*_with` variants take any
//! [`Registry`], which is how the tests supply their own.

mod diff;
mod json;
mod problem;
mod registry;
mod validate;

pub use diff::{
    Change, ChangeKind, Disposal, FailOn, Impact, OutputChange, ResourceChange, StackDiff,
    UnknownFailOn, data_loss, diff, diff_with, holds_data, render_text, retains,
};
pub use problem::Problem;
pub use registry::Registry;
pub use validate::{
    INLINE_BODY_LIMIT, S3_BODY_LIMIT, body_size, inline_limit_exceeded, validate, validate_app,
    validate_app_with, validate_with,
};

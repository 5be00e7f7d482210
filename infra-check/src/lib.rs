//! Checks on CloudFormation templates given as JSON: [`validate`] collects every
//! problem of a template at once, [`diff`] tells what a deploy would change and
//! marks replacement, data loss and breaking output changes.
//!
//! Both read the metadata of every registry type from `infra-registry`
//! ([`Registry::aws`]); the `*_with` variants take any [`Registry`], which is
//! how the tests supply their own.

mod diff;
mod json;
mod problem;
mod registry;
mod validate;

pub use diff::{
    Change, ChangeKind, FailOn, Impact, OutputChange, ResourceChange, StackDiff, StacksError,
    UnknownFailOn, diff, diff_stacks, diff_stacks_with, diff_with, render_text, retention,
    retention::{Disposal, data_loss},
};
pub use problem::Problem;
pub use registry::Registry;
pub use validate::{
    INLINE_BODY_LIMIT, S3_BODY_LIMIT, body_size, inline_limit_exceeded, validate, validate_app,
    validate_app_with, validate_with,
};

//! Checks on CloudFormation templates given as JSON: [`validate`] collects every
//! problem of a template at once, [`diff`] tells what a deploy would change and
//! marks replacement, data loss and breaking output changes.
//!
//! Both read the metadata of every registry type from `infra-registry`
//! ([`Registry::aws`]); the `*_with` variants take any [`Registry`], which is
//! how the tests supply their own.

pub mod diagram;
mod diff;
mod equivalent;
mod files;
mod json;
mod problem;
pub mod reader;
mod registry;
mod rules;
pub mod security;
mod validate;

pub use diff::{COMMENT_LIMIT, Consumers, render_markdown};
pub use diff::{
    Change, ChangeKind, FailOn, Impact, OutputChange, ResourceChange, StackDiff, StacksError,
    UnknownFailOn, diff, diff_stacks, diff_stacks_with, diff_with, render_text, retention,
    retention::{Disposal, data_loss},
};
pub use equivalent::{Difference, equivalent};
pub use files::{
    Candidate, FileOptions, FileReport, FindError, TEMPLATE_EXTENSIONS, TEMPLATE_SECTIONS,
    find_templates, is_template, validate_text,
};
pub use problem::Problem;
pub use registry::Registry;
pub use rules::{RULES, Rule, rule};
pub use security::{SecurityChange, SecurityClass};
pub use validate::{
    INLINE_BODY_LIMIT, RegistryTypes, S3_BODY_LIMIT, TypeSource, body_size, check_app_exports,
    default_types, inline_limit_exceeded, validate, validate_app, validate_app_with,
    validate_noting, validate_parsed, validate_with,
};

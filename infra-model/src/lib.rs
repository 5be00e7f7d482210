//! A typed model of CloudFormation templates.
//!
//! - [`Template`] and its parts serialize to CloudFormation's JSON, deterministically;
//! - [`Value<T>`] is a property leaf: a literal or an [`Intrinsic`];
//! - [`aws`] holds the resource types, generated from the CloudFormation registry
//!   schemas by `cargo xtask codegen`, one cargo feature per service;
//! - [`Stack`] is what `#[derive(Stack)]` (feature `derive`) implements.

pub mod app;
// Generated and formatted by `cargo xtask codegen` (prettyplease), not rustfmt.
#[rustfmt::skip]
pub mod aws;
pub mod catalogue;
/// Typed IAM policy documents and the IAM action catalogue ([`infra_iam`]).
pub use infra_iam as iam;
pub mod naming;
pub mod stack;
pub mod template;
pub mod wiring;

pub use app::App;
pub use catalogue::{Catalogue, CatalogueError, UnknownStage};
pub use infra_core::{
    Attribute, Handle, Intrinsic, Permissions, Resource, ResourceMeta, StackOutput, Untyped,
    UntypedAccessors, UntypedAttributes, pseudo,
};
pub use infra_core::{intrinsic, resource, untyped, value};
pub use stack::{OutputSpec, Stack, StackContext};
pub use template::{
    DeletionPolicy, Export, Output, Parameter, ResourceEntry, Template, UpdateReplacePolicy,
};
pub use value::{Json, Literal, Value};

#[cfg(feature = "derive")]
pub use infra_macros::Stack;

/// Runtime support for the code that `infra-macros` and `cargo xtask codegen`
/// generate. Not a public API.
#[doc(hidden)]
pub mod __private;

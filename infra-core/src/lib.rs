//! The part of the typed model that the generated resource crates
//! (`infra-aws-<service>`) build on: [`Value<T>`], intrinsics, the
//! [`Resource`] trait, typed handles and [`Untyped`]. Users reach it through
//! `infra-model`, which re-exports all of it; it is a crate of its own so that
//! each service's resource types compile as a crate of their own, in parallel
//! and only when used.

pub mod intrinsic;
pub mod resource;
pub mod typed;
pub mod untyped;
pub mod value;

pub use intrinsic::{Intrinsic, StackOutput, pseudo};
pub use resource::{Attribute, Handle, Permissions, Resource, ResourceMeta};
pub use untyped::{Untyped, UntypedAccessors, UntypedAttributes};
pub use value::{Json, Literal, Value};

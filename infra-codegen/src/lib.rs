//! The schema -> Rust model half of `cargo xtask codegen`, as a library: from a
//! CloudFormation registry schema to the structs, enums, setters and GetAtt
//! attributes of its generated type, with the names codegen gives them.
//! xtask renders this model to files; import reads it to write code against
//! the generated types.

pub mod binding;
pub mod getatt;
pub mod model;
pub mod overrides;
pub mod share;
pub use binding::{Binding, binding};

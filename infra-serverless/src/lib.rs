//! The Serverless Framework bridge of the typed stacks.
//!
//! - [`import`]: the template a `serverless.yml` declares in `resources:`, for
//!   `cargo xtask import`.
//! - [`manifest`]: a `serverless.yml` for a synthesized stack, which the real Framework v3
//!   packages into exactly our template (plus its deployment bucket).
//! - [`refs`]: the check of `${state:}`, `${output:}` and `${cf:}` references to our
//!   outputs in the manifests other services keep, judged for the Framework version each
//!   manifest declares.
//!
//! `cargo xtask synth --serverless` and `cargo xtask refs check` are thin front doors to
//! these; consumer tools can call them directly.

pub mod import;
pub mod manifest;
pub mod refs;
mod yaml;

pub use manifest::manifest;

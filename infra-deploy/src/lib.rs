//! Deploys synthesized CloudFormation templates through change sets.
//!
//! The flow of [`deploy::run`]: describe the stack to choose a `CREATE` or `UPDATE`
//! change set, create it and wait for it, print every change with replacement and data loss
//! marked ([`changes`]), refuse a change set that loses data unless allowed, ask for
//! confirmation on a terminal, execute it, follow the stack events ([`events`]) until the
//! stack settles, and write the stack's outputs ([`outputs`]).
//!
//! Data loss is judged by infra-check's diff from the registry metadata of every type
//! (`infra_check::Registry::aws`, the curated data-holding list of `infra-registry`): a
//! resource type that holds data, removed or replaced while its template does not say
//! `Retain` or `Snapshot`.

pub mod changes;
pub mod cli;
pub mod client;
pub mod deploy;
pub mod error;
pub mod events;
pub mod outputs;
pub mod template;

pub use error::Error;

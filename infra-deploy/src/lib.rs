//! Deploys synthesized CloudFormation templates through change sets.
//!
//! [`run::deploy`] takes the stacks of an app at a stage ([`app`]: from the synth
//! manifest, in dependency order) or one template, and deploys independent stacks at the
//! same time. Each stack ([`deploy`]): read its status ([`status`]: create, update,
//! refuse, wait, replace), create a change set under a name unique to the run, print
//! every change with replacement and data loss marked ([`changes`]), refuse data loss
//! unless allowed, confirm on a terminal, execute, follow the events ([`events`]) in one
//! combined view ([`progress`]), write the outputs ([`outputs`]). SIGINT, SIGTERM and
//! `--timeout-secs` stop the run cleanly; every AWS call has its own timeouts
//! ([`client`]); errors are one line of what failed and one of what to do ([`error`]).
//!
//! Replacement and data loss are decided by `infra_check` (its template diff and
//! [`infra_check::data_loss`]), the code `cargo xtask diff` runs, from the registry
//! metadata of every type (`infra_check::Registry::aws`, the curated data-holding list of
//! `infra-registry`): a resource of a type that holds data, removed or replaced while its
//! template does not say `Retain` or `Snapshot`.

pub mod app;
pub mod changes;
pub mod cli;
pub mod client;
pub mod deploy;
pub mod deployed;
pub mod error;
pub mod events;
pub mod outputs;
pub mod progress;
pub mod run;
pub mod status;
pub mod template;

pub use error::Error;

//! The import engine, `infra_import::import` (template -> Rust source): this
//! module is the one place the front door names it.

pub use infra_import::{Imported, Options, import};

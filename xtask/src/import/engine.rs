//! The seam to the import engine, `infra_import::import` (the contract in
//! IMPORT_API.md). PLACEHOLDER until the engine crate lands on main: same
//! types and signature, and every template is refused with a message that says
//! so. Replaced by `pub use infra_import::{Imported, Options, Refusal, import};`
//! on merge; nothing here is an engine.

use std::collections::BTreeSet;
use std::fmt;

use infra_check::reader::{Parsed, Pos};

#[derive(Debug)]
pub struct Options {
    pub app: String,
    pub service: String,
}

#[derive(Debug)]
pub struct Imported {
    pub module: String,
    pub struct_name: String,
    pub source: String,
    pub features: BTreeSet<String>,
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub struct Refusal {
    pub path: String,
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(pos) => write!(f, "{pos}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

pub fn import(_template: &Parsed, opts: &Options) -> Result<Imported, Vec<Refusal>> {
    Err(vec![Refusal {
        path: String::new(),
        pos: None,
        message: format!(
            "the import engine (infra-import) is not merged into this branch yet: cannot import service {} of app {}",
            opts.service, opts.app
        ),
    }])
}

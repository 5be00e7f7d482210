//! The machinery of the import round trip (issue 11): the corpus, which
//! templates may be refused, and the scratch crate the imported stacks are
//! compiled and synthesized in.

pub mod classify;
pub mod corpus;
pub mod scratch;

use std::path::PathBuf;

/// The workspace root (this crate is `tests/`).
pub fn workspace() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

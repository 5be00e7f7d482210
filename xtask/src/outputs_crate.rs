//! Where the generated `outputs` crate's catalogue lives in this repository.
//! What the crate contains is `infra-synth`'s; the catalogue's one reader and
//! writer is `infra_model::Catalogue` (`Catalogue::load(&root.join(CATALOGUE))`).

pub use infra_synth::CATALOGUE;

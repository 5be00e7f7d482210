//! Where the generated `outputs` crate and its catalogue live in this
//! repository. What they contain is `infra-synth`'s; the catalogue's reader is
//! `infra_model::Catalogue`.

pub use infra_synth::CATALOGUE;

/// The committed outputs catalogue of this workspace, read and checked.
pub fn load_catalogue() -> anyhow::Result<infra_model::Catalogue> {
    let root = crate::workspace::root()?;
    Ok(infra_model::Catalogue::load(&root.join(CATALOGUE))?)
}

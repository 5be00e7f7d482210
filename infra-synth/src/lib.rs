//! The files `cargo xtask synth` generates from a synth [`Manifest`]: one
//! template per synthesized stack, and, always for the whole app whatever
//! stages were synthesized, the `outputs` crate's `lib.rs`, its catalogue
//! `outputs.json` and the README's outputs table.
//!
//! xtask only runs the stacks' synth binary, formats and writes what this
//! crate returns.

mod outputs_crate;
mod readme;

use std::path::{Path, PathBuf};

use infra_model::app::Manifest;

pub use outputs_crate::lib_rs;
pub use readme::outputs_table;

/// Where the templates go, relative to the workspace root.
pub const TEMPLATES: &str = "stacks/templates";
/// The generated `lib.rs` of the outputs crate.
pub const OUTPUTS_LIB: &str = "stacks/outputs/src/lib.rs";
/// The outputs catalogue (see [`infra_model::Catalogue`]).
pub const CATALOGUE: &str = "stacks/outputs/outputs.json";
/// The README whose outputs table is regenerated.
pub const README: &str = "README.md";

/// A generated file: its path relative to the workspace root, and its contents.
#[derive(Debug, PartialEq, Eq)]
pub struct File {
    pub path: PathBuf,
    pub contents: String,
    /// Rust source, to be formatted with the toolchain's rustfmt before writing.
    pub rust: bool,
}

/// Why the files cannot be generated.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("the generated outputs crate does not parse as Rust: {0}")]
    OutputsCrate(#[from] syn::Error),
}

/// The path of the template of `stack_name`.
pub fn template_path(stack_name: &str) -> PathBuf {
    Path::new(TEMPLATES).join(format!("{stack_name}.json"))
}

/// Every file synth owns for `manifest`; `readme` is the README's current text
/// (its table is regenerated when it has the markers).
pub fn files(manifest: &Manifest, readme: &str) -> Result<Vec<File>, SynthError> {
    let mut files: Vec<File> = manifest
        .stacks
        .iter()
        .map(|s| text(template_path(&s.stack_name), s.template.clone()))
        .collect();
    let catalogue = &manifest.catalogue;
    files.push(File {
        path: OUTPUTS_LIB.into(),
        contents: lib_rs(catalogue)?,
        rust: true,
    });
    files.push(text(CATALOGUE.into(), catalogue.to_json()));
    if let Some(contents) = readme::with_table(readme, catalogue) {
        files.push(text(README.into(), contents));
    }
    Ok(files)
}

fn text(path: PathBuf, contents: String) -> File {
    File {
        path,
        contents,
        rust: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_path(files: &[File], path: &str) -> Option<String> {
        let found = files.iter().find(|f| f.path == Path::new(path));
        found.map(|f| f.contents.clone())
    }

    /// Issue 12 item 3: `synth --stage dev` writes dev's templates only, and the
    /// outputs crate, catalogue and README exactly as a whole-app synth does.
    #[test]
    fn one_stage_never_narrows_the_app_wide_files() {
        let app = stacks::app();
        let readme = "x\n<!-- BEGIN GENERATED OUTPUTS: cargo xtask synth -->\n<!-- END GENERATED OUTPUTS -->\n";
        let all = files(&app.synth_all(), readme).expect("all stages");
        let dev = app.synth(&["dev".to_owned()]).expect("dev");
        let dev = files(&dev, readme).expect("dev files");
        for path in [OUTPUTS_LIB, CATALOGUE, README] {
            let one = by_path(&dev, path).expect(path);
            assert_eq!(Some(one), by_path(&all, path), "{path}");
        }
        assert!(by_path(&dev, "stacks/templates/infra-dev.json").is_some());
        assert_eq!(by_path(&dev, "stacks/templates/infra-prod.json"), None);
        let lib = by_path(&dev, OUTPUTS_LIB).expect("lib");
        assert!(
            lib.contains(r#"pub const STAGES: &[&str] = &["dev", "prod"];"#),
            "{lib}"
        );
    }

    /// The committed catalogue is what the app says now (its freshness in CI is
    /// `cargo xtask synth --check`; this pins the format and the typed reader).
    #[test]
    fn the_committed_catalogue_reads_back_as_the_app() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let committed = infra_model::Catalogue::load(&root.join(CATALOGUE)).expect("loads");
        assert_eq!(committed, stacks::app().catalogue());
    }

    /// The outputs crate's copy of the naming patterns is generated from
    /// `infra_model::naming`, and gives the same names.
    #[test]
    fn the_outputs_crate_names_stacks_and_exports_as_the_model_does() {
        let output = infra_outputs::infra::WORKSPACES_TABLE_ARN;
        assert_eq!(
            output.stack_name("prod"),
            infra_model::naming::stack_name("infra", "prod")
        );
        assert_eq!(
            output.export_name("prod"),
            infra_model::naming::export_name("infra-prod", "workspacesTableArn")
        );
        assert_eq!(output.cf_ref("prod"), "${cf:infra-prod.workspacesTableArn}");
    }
}

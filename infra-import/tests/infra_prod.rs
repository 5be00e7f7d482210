//! The seed's own stack, imported back: `stacks/templates/infra-prod.json`
//! (synthesized from `stacks/src/infra.rs`) imports to the committed, reviewed
//! `imported/infra_prod.rs`, which compiles and synthesizes to the same template.

use std::path::Path;

use infra_model::{Stack, StackContext};

#[rustfmt::skip]
#[path = "imported/infra_prod.rs"]
mod scratch;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
}

fn input() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("stacks/templates/infra-prod.json"))
        .expect("the committed template");
    serde_json::from_str(&text).expect("JSON")
}

#[test]
fn infra_prod_imports_to_the_committed_file() {
    let text = std::fs::read_to_string(root().join("stacks/templates/infra-prod.json"))
        .expect("the committed template");
    let parsed = infra_check::reader::parse(&text, infra_check::reader::Format::Json)
        .expect("the template parses");
    let opts = infra_import::Options {
        app: "api".into(),
        service: "scratch".into(),
    };
    let imported = infra_import::import(&parsed, &opts).expect("imports");
    assert_eq!(imported.module, "scratch");
    assert_eq!(imported.struct_name, "Scratch");
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    let features: Vec<&str> = imported.features.iter().map(String::as_str).collect();
    assert_eq!(features, ["dynamodb", "s3", "sns"]);
    let committed = include_str!("imported/infra_prod.rs");
    assert_eq!(
        tokens(&imported.source),
        tokens(committed),
        "regenerate with `cargo run -p infra-import --example import -- \
         stacks/templates/infra-prod.json scratch > infra-import/tests/imported/infra_prod.rs` \
         and review the diff"
    );
}

/// The file's tokens: formatting aside, the same code.
fn tokens(source: &str) -> String {
    let file = syn::parse_file(source).expect("Rust");
    quote::quote!(#file).to_string()
}

#[test]
fn imported_infra_prod_synthesizes_the_input_template() {
    let ctx = StackContext::new("api", "scratch", "prod");
    let template = scratch::Scratch::new(&ctx).to_template(&ctx);
    let synthesized = serde_json::to_value(&template).expect("serializes");
    assert_eq!(synthesized, input());
}

//! Imports that compile and synthesize back to their input: the seed's own
//! stack as it was synthesized when this test was written
//! (`templates/seed-infra-prod.json`, a frozen copy, so that changing
//! `stacks/src/infra.rs` changes no test here; `tests/tests/import_roundtrip.rs`
//! round-trips the live one), `templates/showcase.yaml`, which has every
//! section and resource attribute, and `templates/wide.json`, a policy wider
//! than one `json!` can hold. Each imports to a committed, reviewed file
//! under `imported/`, compiled here as a module.

use std::path::Path;

use infra_model::{Stack, StackContext};

#[rustfmt::skip]
#[path = "imported/infra_prod.rs"]
mod scratch;

#[rustfmt::skip]
#[path = "imported/showcase.rs"]
mod showcase;

#[rustfmt::skip]
#[path = "imported/wide.rs"]
mod wide;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
}

fn parse(file: &str) -> infra_check::reader::Parsed {
    let text = std::fs::read_to_string(root().join(file)).expect("the template");
    let format = infra_check::reader::Format::of(file, &text);
    infra_check::reader::parse(&text, format).expect("the template parses")
}

fn import(file: &str, service: &str) -> infra_import::Imported {
    let opts = infra_import::Options {
        app: "api".into(),
        service: service.into(),
    };
    infra_import::import(&parse(file), &opts).expect("imports")
}

const INFRA_PROD: &str = "infra-import/tests/templates/seed-infra-prod.json";
const SHOWCASE: &str = "infra-import/tests/templates/showcase.yaml";

#[test]
fn infra_prod_imports_to_the_committed_file() {
    let imported = import(INFRA_PROD, "scratch");
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
         infra-import/tests/templates/seed-infra-prod.json scratch > infra-import/tests/imported/infra_prod.rs` \
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
    assert_eq!(synthesized, parse(INFRA_PROD).value);
}

#[test]
fn showcase_imports_to_the_committed_file() {
    let imported = import(SHOWCASE, "showcase");
    let features: Vec<&str> = imported.features.iter().map(String::as_str).collect();
    assert_eq!(features, ["cloudformation", "dynamodb", "s3", "sns", "sqs"]);
    assert_eq!(
        imported.notes,
        ["Resources.TaggedTopic (AWS::SNS::Topic) is `Untyped`: \
          Resources.TaggedTopic.Properties.Tags[0]: an intrinsic function cannot stand for a \
          `Tag` list item"]
    );
    assert_eq!(
        tokens(&imported.source),
        tokens(include_str!("imported/showcase.rs")),
        "regenerate with `cargo run -p infra-import --example import -- {SHOWCASE} showcase \
         > infra-import/tests/imported/showcase.rs` and review the diff"
    );
}

#[test]
fn imported_showcase_synthesizes_the_input_template() {
    let ctx = StackContext::new("api", "showcase", "dev");
    let template = showcase::Showcase::new(&ctx).to_template(&ctx);
    let synthesized = serde_json::to_value(&template).expect("serializes");
    assert_eq!(synthesized, parse(SHOWCASE).value);
}

#[test]
fn a_policy_wider_than_one_json_macro_compiles_and_synthesizes_the_input() {
    const WIDE: &str = "infra-import/tests/templates/wide.json";
    let imported = import(WIDE, "wide");
    assert_eq!(
        tokens(&imported.source),
        tokens(include_str!("imported/wide.rs"))
    );
    let ctx = StackContext::new("api", "wide", "dev");
    let template = wide::Wide::new(&ctx).to_template(&ctx);
    let synthesized = serde_json::to_value(&template).expect("serializes");
    assert_eq!(synthesized, parse(WIDE).value);
}

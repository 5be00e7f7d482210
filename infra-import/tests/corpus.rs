//! cfn-lint's fixture templates (`infra-check/tests/corpus/cfn-lint`, MIT-0):
//! real templates nobody here wrote, YAML short forms included. Import never
//! panics on any of them; the ones without a macro or a type outside the
//! registry import, and each refusal is one of the classes import names.
//! (Compiling and synthesizing them back is the corpus round trip in `tests/`.)

use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../infra-check/tests/corpus/cfn-lint")
}

fn import(path: &Path) -> Result<infra_import::Imported, Vec<infra_import::Refusal>> {
    let Some(parsed) = parse(path) else {
        panic!("{} does not parse", path.display());
    };
    import_parsed(&parsed)
}

fn parse(path: &Path) -> Option<infra_check::reader::Parsed> {
    let text = std::fs::read_to_string(path).ok()?;
    let format = infra_check::reader::Format::of(&path.to_string_lossy(), &text);
    infra_check::reader::parse(&text, format).ok()
}

fn import_parsed(
    parsed: &infra_check::reader::Parsed,
) -> Result<infra_import::Imported, Vec<infra_import::Refusal>> {
    let opts = infra_import::Options {
        app: "api".into(),
        service: "fixture".into(),
    };
    infra_import::import(parsed, &opts)
}

#[test]
fn real_world_templates_import_typed() {
    for (file, untyped) in [
        ("public/watchmaker.json", 1),
        ("quickstart/nist_application.yaml", 1),
        ("quickstart/nist_vpc_management.yaml", 0),
        ("good/resources/iam/policy.yaml", 0),
        ("good/conditions/and.yaml", 0),
        ("good/resources/cloudformation/sam_stacks.yaml", 0),
        ("good/functions_findinmap.yaml", 0),
    ] {
        let imported = import(&corpus().join(file)).unwrap_or_else(|r| panic!("{file}: {}", r[0]));
        assert_eq!(
            imported.notes.len(),
            untyped,
            "{file}: {:#?}",
            imported.notes
        );
        assert!(
            imported.source.contains("#[derive(Debug, Stack)]"),
            "{file}"
        );
    }
}

#[test]
fn every_fixture_imports_or_is_refused_for_a_named_reason() {
    let classes = [
        "`Transform`",
        "`Fn::Transform`",
        "`Fn::ForEach`",
        "not a type of the registry",
        "not an intrinsic function import can write",
        "unknown template section",
        "SAM's `Globals`",
        "unknown resource attribute",
        "other than a plain string cannot be written",
    ];
    let (mut imported, mut refused) = (0, 0);
    for entry in walk(&corpus()) {
        let good = ["good", "quickstart", "public", "integration"]
            .iter()
            .any(|d| entry.starts_with(corpus().join(d)));
        // Some of the bad fixtures are not even YAML; the reader's errors are validate's business.
        let Some(parsed) = parse(&entry) else {
            continue;
        };
        match import_parsed(&parsed) {
            Ok(_) => imported += 1,
            Err(refusals) if good => {
                refused += 1;
                for r in &refusals {
                    let known = classes.iter().any(|c| r.message.contains(c));
                    assert!(known, "{}: {r}", entry.display());
                }
            }
            Err(_) => refused += 1,
        }
    }
    // 185 of the 235 fixtures import (counted for this floor); fewer is a regression.
    assert!(imported >= 185, "imported {imported}, refused {refused}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path
            .extension()
            .is_some_and(|e| infra_check::TEMPLATE_EXTENSIONS.contains(&&*e.to_string_lossy()))
        {
            out.push(path);
        }
    }
    out.sort();
    out
}

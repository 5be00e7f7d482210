//! Issue 11's proof: templates imported into Rust compile and synthesize back
//! to the same template. The tests that build a scratch crate take minutes on
//! a fresh machine and are `#[ignore]`d; `cargo xtask ci` runs them
//! (`--include-ignored`). `cargo test -p infra-tests --test import_roundtrip
//! -- --include-ignored --nocapture` prints the report.

#[allow(dead_code)]
mod roundtrip;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use infra_model::{Stack, StackContext};
use roundtrip::corpus::Case;
use roundtrip::scratch::{Module, Outcome, Scratch};
use roundtrip::verdict::{self, Run, Verdict};

fn module(name: &str, struct_name: &str, source: &str) -> Module {
    Module {
        name: name.to_string(),
        struct_name: struct_name.to_string(),
        source: source.to_string(),
        features: BTreeSet::from(["sqs".to_string()]),
    }
}

const QUEUE: &str = r#"
use infra_model::aws::sqs;
use infra_model::{Stack, StackContext};

#[derive(Debug, Stack)]
#[stack(app = "selftest", service = "queue")]
pub struct Queue {
    pub jobs: sqs::Queue,
}

impl Queue {
    pub fn new(ctx: &StackContext) -> Self {
        Queue { jobs: sqs::Queue::default().queue_name(ctx.name("jobs")) }
    }
}
"#;

/// The harness itself: a good module synthesizes; a module with a type error,
/// one whose struct is not where the importer said, and one that panics are
/// each reported against their own name, and do not hide the good one.
#[test]
#[ignore = "builds a scratch crate (a minute on a fresh target dir)"]
fn scratch_crate_reports_each_module_on_its_own() {
    let broken = QUEUE.replace("ctx.name(\"jobs\")", "42u8");
    let panicky = QUEUE.replace(
        "Queue { jobs",
        "panic!(\"boom\"); #[allow(unreachable_code)] Queue { jobs",
    );
    let modules = [
        module("queue", "Queue", QUEUE),
        module("broken", "Queue", &broken),
        module("misnamed", "Kew", QUEUE),
        module("panicky", "Queue", &panicky),
    ];
    let built = Scratch::new(&roundtrip::workspace(), "selftest")
        .run(&modules)
        .unwrap_or_else(|e| panic!("{e}"));
    let outcome = |name: &str| &built.outcomes[name];
    let Outcome::Template(json) = outcome("queue") else {
        panic!("queue: {:?}", outcome("queue"));
    };
    let template: serde_json::Value = serde_json::from_str(json).expect("the template is JSON");
    assert_eq!(template["Resources"]["Jobs"]["Type"], "AWS::SQS::Queue");
    assert_eq!(
        template["Resources"]["Jobs"]["Properties"]["QueueName"],
        "queue-prod-jobs"
    );
    assert!(
        matches!(outcome("broken"), Outcome::CompileError(e) if e.contains("src/broken.rs")),
        "broken: {:?}",
        outcome("broken")
    );
    assert!(
        matches!(outcome("misnamed"), Outcome::CompileError(e) if e.contains("Kew")),
        "misnamed: {:?}",
        outcome("misnamed")
    );
    assert!(
        matches!(outcome("panicky"), Outcome::Panic(m) if m == "boom"),
        "panicky: {:?}",
        outcome("panicky")
    );
}

/// The corpus and the seed's infra stack, imported and built once for both tests.
fn shared() -> &'static Run {
    static RUN: OnceLock<Result<Run, String>> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        let workspace = roundtrip::workspace();
        let mut cases = roundtrip::corpus::cases(&workspace);
        cases.push(infra_case(&workspace));
        let scratch = Scratch::new(&workspace, "corpus");
        roundtrip::verdict::run(&cases, &scratch)
    });
    run.as_ref().unwrap_or_else(|e| panic!("{e}"))
}

const INFRA_PROD: &str = "stacks/templates/infra-prod.json";

fn infra_case(workspace: &std::path::Path) -> Case {
    Case {
        file: INFRA_PROD.to_string(),
        path: workspace.join(INFRA_PROD),
        service: "infra".to_string(),
        app: "api".to_string(),
    }
}

/// Every template of the corpus that uses only registry types and no macro
/// imports, compiles, and synthesizes back equivalent to its input; so does
/// every other template the importer accepts. Prints n/N and the refused classes.
/// The failures listed in `tests/corpus/import-known-failures.txt` are
/// tolerated, and a listed template that round-trips fails the test.
#[test]
#[ignore = "imports the corpus and builds every stack in a scratch crate (minutes)"]
fn corpus_round_trips() {
    let run = shared();
    let listed = roundtrip::workspace().join(KNOWN_FAILURES);
    let known =
        std::fs::read_to_string(&listed).unwrap_or_else(|e| panic!("{KNOWN_FAILURES}: {e}"));
    let known = verdict::known_failures(&known);
    println!("{}", verdict::report(run, &known));
    let failures = verdict::failures(run);
    let unexpected: Vec<&&str> = failures.iter().filter(|f| !known.contains(**f)).collect();
    let fixed: Vec<&String> = known
        .iter()
        .filter(|k| !failures.contains(k.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} template(s) did not round-trip: {unexpected:?}",
        unexpected.len()
    );
    assert!(
        fixed.is_empty(),
        "listed in {KNOWN_FAILURES} but round-trip now (delete their lines): {fixed:?}"
    );
}

/// Failures of the round trip that are known, each with its reason.
const KNOWN_FAILURES: &str = "tests/corpus/import-known-failures.txt";

/// The seed's own stack: `stacks/templates/infra-prod.json` imported into a
/// scratch service synthesizes, byte for byte, to what `stacks/src/infra.rs`
/// synthesizes for prod.
#[test]
#[ignore = "imports the corpus and builds every stack in a scratch crate (minutes)"]
fn infra_stack_round_trips() {
    let run = shared();
    match &run.verdicts[INFRA_PROD] {
        Verdict::RoundTrip => {}
        other => panic!("{INFRA_PROD}: {other:?}"),
    }
    let Outcome::Template(json) = &run.built.outcomes[&run.modules[INFRA_PROD]] else {
        panic!("{INFRA_PROD}: no template");
    };
    let ctx = StackContext::new("api", "infra", "prod");
    let expected = stacks::infra::Infra::new(&ctx).to_template(&ctx).to_json();
    assert_eq!(
        json, &expected,
        "the imported infra stack synthesizes differently"
    );
}

/// The largest scaled stack (`stacks::scale`: as many copies of the infra
/// resource set as CloudFormation's quotas allow, 220 resources today) imports,
/// compiles and synthesizes back equal; prints the time of the import and of
/// the scratch crate's build.
#[test]
#[ignore = "builds a scratch crate of a 200-odd-resource stack (minutes on a fresh target dir)"]
fn scaled_stack_round_trips() {
    let workspace = roundtrip::workspace();
    let sets = stacks::scale::sets_per_stack();
    let template = stacks::scale::stack(0, sets);
    // Sized from the infra stack, not pinned: one set's resources, times the sets.
    assert_eq!(
        template.resources.len(),
        sets * stacks::scale::stack(0, 1).resources.len()
    );
    assert!(template.resources.len() > 100, "a large stack, not a toy");
    let dir = workspace.join("target/import-roundtrip");
    std::fs::create_dir_all(&dir).expect("target/import-roundtrip");
    let path = dir.join("scaled0-dev.json");
    std::fs::write(&path, template.to_json()).expect("the scaled template is written");
    let case = Case {
        file: "target/import-roundtrip/scaled0-dev.json".to_string(),
        path,
        service: "scaled".to_string(),
        app: "api".to_string(),
    };
    let started = std::time::Instant::now();
    let run = verdict::run(&[case], &Scratch::new(&workspace, "scaled"))
        .unwrap_or_else(|e| panic!("{e}"));
    println!("{}", verdict::report(&run, &Default::default()));
    println!(
        "import, build and synth of the scaled stack: {:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        verdict::failures(&run).is_empty(),
        "the scaled stack did not round-trip"
    );
}

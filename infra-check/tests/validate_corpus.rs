//! The cfn-lint fixture corpus (`tests/corpus/cfn-lint`, MIT-0, see
//! `tests/corpus/README.md`) against cfn-lint's own output on it
//! (`tests/corpus/cfn-lint-expected.json`, produced by `snapshot.sh`):
//! - every template cfn-lint passes without an error, we pass too;
//! - on the rest, the errors of the schema-level cfn-lint rules that we
//!   report (same file, same line +-1) do not fall below the recall measured
//!   when this test was written. Run with `--nocapture` for the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use infra_check::{FileOptions, Problem, validate_text};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// `(file, rule, line)` of every cfn-lint error.
fn expected() -> Vec<(String, String, u64)> {
    let text = std::fs::read_to_string(corpus().join("cfn-lint-expected.json")).expect("snapshot");
    let all: Vec<Value> = serde_json::from_str(&text).expect("snapshot JSON");
    all.iter()
        .filter(|m| m["level"] == "Error")
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap_or_default().to_owned();
            (s("file"), s("rule"), m["line"].as_u64().unwrap_or(0))
        })
        .collect()
}

/// Our problems on every corpus file, by relative path.
fn ours() -> BTreeMap<String, Vec<Problem>> {
    let root = corpus().join("cfn-lint");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&root)
            .expect("rel")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(entry.path()).expect("read");
        let opts = FileOptions {
            label: &rel,
            stack: None,
            given: true,
        };
        let report = validate_text(infra_check::default_types(), opts, &text);
        out.insert(rel, report.problems);
    }
    out
}

#[test]
fn corpus_matches_cfn_lint() {
    let expected = expected();
    let ours = ours();
    assert!(ours.len() >= 240, "{} files", ours.len());
    let flagged: BTreeSet<&str> = expected.iter().map(|e| e.0.as_str()).collect();
    let false_positives: Vec<String> = ours
        .iter()
        .filter(|(f, _)| !flagged.contains(f.as_str()))
        .flat_map(|(_, ps)| ps.iter().map(ToString::to_string))
        .collect();
    let clean = ours.len() - flagged.len();
    eprintln!(
        "{clean} templates cfn-lint passes clean: {} problem(s) from us",
        false_positives.len()
    );
    assert_eq!(false_positives, Vec::<String>::new());
    let recall = recall(&expected, &ours);
    for (rule, (hit, total)) in &recall {
        eprintln!("{rule} {hit}/{total}");
    }
    for (rule, floor) in FLOORS {
        let (hit, total) = recall.get(*rule).copied().unwrap_or_default();
        assert!(
            hit >= *floor,
            "{rule}: {hit}/{total} recalled, below {floor}"
        );
    }
}

/// Per cfn-lint rule: its errors that we report too (a problem on the same
/// line +-1 whose rule the catalogue maps to that cfn-lint rule), those we
/// report under another rule there, and all its errors.
fn recall(
    expected: &[(String, String, u64)],
    ours: &BTreeMap<String, Vec<Problem>>,
) -> BTreeMap<String, (usize, usize)> {
    let mut out: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (file, rule, line) in expected {
        let near = |p: &&Problem| {
            p.pos
                .is_some_and(|pos| u64::from(pos.line).abs_diff(*line) <= 1)
        };
        let same = |p: &&Problem| {
            infra_check::rule(p.rule).is_some_and(|r| r.cfn_lint.contains(&rule.as_str()))
        };
        let hit = ours
            .get(file)
            .into_iter()
            .flatten()
            .filter(near)
            .any(|p| same(&p));
        let e = out.entry(rule.clone()).or_default();
        e.0 += usize::from(hit);
        e.1 += 1;
    }
    out
}

/// The recall measured for the schema-level classes (hits of all cfn-lint
/// errors of the class in the corpus); see the README for the table.
const FLOORS: &[(&str, usize)] = &[
    ("E0000", 12),
    ("E1001", 10),
    ("E1005", 3),
    ("E1010", 4),
    ("E1011", 1),
    ("E1016", 2),
    ("E1017", 4),
    ("E1019", 3),
    ("E1020", 16),
    ("E1021", 8),
    ("E1028", 3),
    ("E1029", 6),
    ("E1032", 2),
    ("E1150", 9),
    ("E1151", 6),
    ("E1152", 23),
    ("E1154", 1),
    ("E1156", 1),
    ("E2001", 21),
    ("E2002", 1),
    ("E2015", 9),
    ("E3001", 8),
    ("E3002", 15),
    ("E3003", 27),
    ("E3004", 21),
    ("E3006", 2),
    ("E3007", 1),
    ("E3012", 8),
    ("E3014", 11),
    ("E3015", 2),
    ("E3017", 3),
    ("E3020", 15),
    ("E3021", 3),
    ("E3030", 6),
    ("E3031", 7),
    ("E3032", 1),
    ("E3033", 7),
    ("E3034", 1),
    ("E3035", 8),
    ("E3036", 8),
    ("E3037", 1),
    ("E3058", 2),
    ("E7001", 2),
    ("E8001", 4),
    ("E8003", 9),
    ("E8004", 8),
];

/// Unknown IAM actions (`E-iam-action`) are the ones cfn-lint warns about
/// with W3037 (same wheel, same catalogue): as many per file, none elsewhere.
/// cfn-lint puts them on the `Action:` key, we on each item of its list, so
/// each of ours is at most a few lines below one of theirs.
#[test]
fn iam_actions_match_cfn_lint_w3037() {
    let text = std::fs::read_to_string(corpus().join("cfn-lint-expected.json")).expect("snapshot");
    let all: Vec<Value> = serde_json::from_str(&text).expect("snapshot JSON");
    let theirs: Vec<(String, u64)> = all
        .iter()
        .filter(|m| m["rule"] == "W3037")
        .map(|m| {
            let file = m["file"].as_str().unwrap_or_default().to_owned();
            (file, m["line"].as_u64().unwrap_or(0))
        })
        .collect();
    let ours: Vec<(String, u64, String)> = ours()
        .into_iter()
        .flat_map(|(file, ps)| ps.into_iter().map(move |p| (file.clone(), p)))
        .filter(|(_, p)| p.rule == "E-iam-action")
        .map(|(file, p)| {
            (
                file,
                p.pos.map_or(0, |pos| u64::from(pos.line)),
                p.to_string(),
            )
        })
        .collect();
    for (.., p) in &ours {
        eprintln!("{p}");
    }
    let files = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(
        files(ours.iter().map(|o| &o.0).collect()),
        files(theirs.iter().map(|t| &t.0).collect())
    );
    for (file, line, p) in &ours {
        let near = |t: &&(String, u64)| &t.0 == file && (t.1..=t.1 + 5).contains(line);
        assert!(theirs.iter().any(|t| near(&t)), "no W3037 near {p}");
    }
}

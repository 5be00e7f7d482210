//! Import every case, build every imported stack in one scratch crate, compare
//! each synthesized template with its input, and tally the verdicts.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use infra_check::reader::{self, Format, Parsed};
use serde_json::Value;

use super::classify::{self, Excuse};
use super::corpus::Case;
use super::scratch::{Built, Module, Outcome, Scratch};

/// What became of one template.
#[derive(Debug)]
pub enum Verdict {
    /// Imported, compiled, synthesized, and equivalent to the input.
    RoundTrip,
    /// Refused, and the template is outside the promise (`Excuse`).
    Excused(Excuse, String),
    /// Anything else: the stage that failed and what it said.
    Failed(&'static str, String),
}

/// A case read and imported, waiting for the scratch build.
struct Pending {
    input: Value,
    module: String,
}

/// The verdict of every case, and the scratch build's outcomes by module.
#[derive(Debug)]
pub struct Run {
    pub verdicts: BTreeMap<String, Verdict>,
    pub built: Built,
    /// The case's module in the scratch crate, for cases that were imported.
    pub modules: BTreeMap<String, String>,
}

/// Imports `cases`, builds the imported ones in the scratch crate
/// `scratch`, and compares. `Err` only when the harness itself could not run.
pub fn run(cases: &[Case], scratch: &Scratch) -> Result<Run, String> {
    let mut verdicts = BTreeMap::new();
    let mut pending = BTreeMap::new();
    let mut modules: Vec<Module> = Vec::new();
    for case in cases {
        match import(case) {
            Ok((module, _)) if modules.iter().any(|m| m.name == module.name) => {
                let message = format!("module name {} taken by another case", module.name);
                verdicts.insert(case.file.clone(), Verdict::Failed("harness", message));
            }
            Ok((module, waiting)) => {
                modules.push(module);
                pending.insert(case.file.clone(), waiting);
            }
            Err(verdict) => {
                verdicts.insert(case.file.clone(), verdict);
            }
        }
    }
    let built = scratch.run(&modules)?;
    let mut by_module = BTreeMap::new();
    for (file, waiting) in pending {
        let verdict = compare(&waiting, built.outcomes.get(&waiting.module));
        by_module.insert(file.clone(), waiting.module);
        verdicts.insert(file, verdict);
    }
    Ok(Run {
        verdicts,
        built,
        modules: by_module,
    })
}

/// Reads and imports one case: its module, or the verdict that ends it here.
fn import(case: &Case) -> Result<(Module, Pending), Verdict> {
    let text =
        std::fs::read_to_string(&case.path).map_err(|e| Verdict::Failed("read", e.to_string()))?;
    let parsed = parse(&case.file, &text)?;
    let excuse = classify::excuse(&parsed.value);
    let options = infra_import::Options {
        app: case.app.clone(),
        service: case.service.clone(),
    };
    let imported = infra_import::import(&parsed, &options).map_err(|refusals| {
        let lines: Vec<String> = refusals
            .iter()
            .map(|r| format!("{}:{r}", case.file))
            .collect();
        match &excuse {
            Some(excuse) => Verdict::Excused(excuse.clone(), lines.join("\n")),
            None => Verdict::Failed("refused", lines.join("\n")),
        }
    })?;
    let module = Module {
        name: imported.module.clone(),
        struct_name: imported.struct_name,
        source: imported.source,
        features: imported.features,
    };
    let pending = Pending {
        input: parsed.value,
        module: imported.module,
    };
    Ok((module, pending))
}

fn parse(file: &str, text: &str) -> Result<Parsed, Verdict> {
    let parsed = reader::parse(text, Format::of(file, text))
        .map_err(|e| Verdict::Failed("read", format!("{file}:{e}")))?;
    match parsed.duplicates.first() {
        Some(d) => Err(Verdict::Failed(
            "read",
            format!("{file}:{}: duplicate key {}", d.pos, d.path),
        )),
        None => Ok(parsed),
    }
}

/// The verdict on an imported case from what its module became. An excused
/// template the importer accepted must round-trip too: what import cannot
/// represent it refuses up front.
fn compare(waiting: &Pending, outcome: Option<&Outcome>) -> Verdict {
    let json = match outcome {
        Some(Outcome::Template(json)) => json,
        Some(Outcome::CompileError(text)) => return Verdict::Failed("compile", text.clone()),
        Some(Outcome::Panic(text)) => return Verdict::Failed("panic", text.clone()),
        None => return Verdict::Failed("harness", "no outcome for its module".into()),
    };
    let output: Value = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(e) => return Verdict::Failed("synth", format!("not JSON: {e}")),
    };
    let differences = infra_check::equivalent(&waiting.input, &output);
    if differences.is_empty() {
        return Verdict::RoundTrip;
    }
    let lines: Vec<String> = differences.iter().map(ToString::to_string).collect();
    Verdict::Failed("differs", lines.join("\n"))
}

/// The report: every failure with its detail (`KNOWN` for those in `known`),
/// then n/N and the classes.
pub fn report(run: &Run, known: &BTreeSet<String>) -> String {
    let mut out = String::new();
    let mut refused: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut round_trips = 0;
    for (file, verdict) in &run.verdicts {
        match verdict {
            Verdict::RoundTrip => round_trips += 1,
            Verdict::Excused(excuse, refusals) => {
                *refused.entry(excuse.class()).or_default() += 1;
                let first = refusals.lines().next().unwrap_or_default();
                let _ = writeln!(out, "refused  {file}: {excuse}\n    import: {first}");
            }
            Verdict::Failed(stage, detail) => {
                *failed.entry(stage).or_default() += 1;
                let label = if known.contains(file) {
                    "KNOWN "
                } else {
                    "FAILED"
                };
                let _ = writeln!(out, "{label}   {file} ({stage}):\n{}", indent(detail));
            }
        }
    }
    let total = run.verdicts.len();
    let excused: usize = refused.values().sum();
    let _ = writeln!(
        out,
        "\nimport round trip: {round_trips}/{total} templates synthesize back equal \
         ({round_trips}/{} of those with only registry types and no macro, or imported anyway)",
        total - excused
    );
    let _ = writeln!(out, "refused, by class: {}", tally(&refused));
    let _ = writeln!(out, "failed, by stage: {}", tally(&failed));
    let builds: Vec<String> = run
        .built
        .builds
        .iter()
        .map(|d| format!("{:.1}s", d.as_secs_f64()))
        .collect();
    let _ = writeln!(out, "scratch crate builds: {}", builds.join(", "));
    out
}

/// The failures, for the assertion.
pub fn failures(run: &Run) -> BTreeSet<&str> {
    run.verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Failed(..)))
        .map(|(file, _)| file.as_str())
        .collect()
}

/// The files of `tests/corpus/import-known-failures.txt`: the first word of
/// each line that is not blank or a `#` comment.
pub fn known_failures(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}

fn tally(counts: &BTreeMap<&str, usize>) -> String {
    if counts.is_empty() {
        return "none".to_string();
    }
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    parts.join(", ")
}

/// The first lines of `text`, indented (a compile error can be pages long).
fn indent(text: &str) -> String {
    const LINES: usize = 40;
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(LINES)
        .map(|l| format!("    {l}"))
        .collect();
    if lines.len() > LINES {
        out.push(format!("    ... ({} more lines)", lines.len() - LINES));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pending(input: Value) -> Pending {
        Pending {
            input,
            module: "m".to_string(),
        }
    }

    #[test]
    fn a_synthesized_template_that_differs_fails_with_the_path() {
        let input = json!({"Resources": {"Q": {"Type": "AWS::SQS::Queue",
            "Properties": {"QueueName": "jobs"}}}});
        let output = json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {
            "Type": "AWS::SQS::Queue", "Properties": {"QueueName": "work"}}}});
        let outcome = Outcome::Template(output.to_string());
        match compare(&pending(input.clone()), Some(&outcome)) {
            Verdict::Failed("differs", text) => {
                assert!(text.contains("Resources.Q.Properties.QueueName"), "{text}")
            }
            other => panic!("{other:?}"),
        }
        let same = json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {
            "Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs"}}}});
        let outcome = Outcome::Template(same.to_string());
        assert!(matches!(
            compare(&pending(input), Some(&outcome)),
            Verdict::RoundTrip
        ));
    }

    #[test]
    fn compile_errors_and_panics_fail_at_their_stage() {
        let compile = Outcome::CompileError("error[E0308]".into());
        let panic = Outcome::Panic("boom".into());
        let input = json!({"Resources": {}});
        assert!(matches!(
            compare(&pending(input.clone()), Some(&compile)),
            Verdict::Failed("compile", _)
        ));
        assert!(matches!(
            compare(&pending(input.clone()), Some(&panic)),
            Verdict::Failed("panic", _)
        ));
        assert!(matches!(
            compare(&pending(input), None),
            Verdict::Failed("harness", _)
        ));
    }
}

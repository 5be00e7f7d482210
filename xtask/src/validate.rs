//! `cargo xtask validate [PATH]... [--format json]`: validates templates,
//! JSON or YAML, with `infra-check` and prints every problem at once. Without
//! PATH it validates the app's templates in `stacks/templates` (and export
//! names across them). Exit 0 when clean, 1 on problems, 2 when it could not
//! run (a missing path, an unreadable file, no template found).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use infra_check::{Candidate, FileOptions, Problem};

use crate::synth::TEMPLATES;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Template files or directories, searched recursively for .json, .yaml,
    /// .yml and .template (default: the app's templates in stacks/templates).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// What a run found.
#[derive(Debug, Default, serde::Serialize)]
pub struct Outcome {
    pub templates: usize,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let outcome = match collect(&args.paths) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("error: {err:#}");
            return Ok(ExitCode::from(2));
        }
    };
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&outcome)?),
        Format::Text => print_text(&outcome),
    }
    Ok(if outcome.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_text(outcome: &Outcome) {
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    for problem in &outcome.problems {
        println!("{problem} [{}]", problem.rule);
    }
    let n = outcome.templates;
    match outcome.problems.len() {
        0 => eprintln!("{n} template(s) valid"),
        p => eprintln!("{p} problem(s) in {n} template(s)"),
    }
}

/// Validates `paths`, or the app's templates when there are none.
pub fn collect(paths: &[PathBuf]) -> Result<Outcome> {
    if paths.is_empty() {
        return validate_app_dir(&crate::workspace::root()?.join(TEMPLATES));
    }
    let candidates = infra_check::find_templates(paths)?;
    let mut outcome = Outcome::default();
    for c in &candidates {
        let label = c.path.display().to_string();
        check_file(
            &mut outcome,
            c,
            FileOptions {
                label: &label,
                stack: None,
                given: c.given,
            },
        )?;
    }
    if outcome.templates == 0 {
        bail!("no CloudFormation templates found in {}", show_paths(paths));
    }
    Ok(outcome)
}

fn check_file(outcome: &mut Outcome, c: &Candidate, opts: FileOptions<'_>) -> Result<()> {
    let bytes =
        std::fs::read(&c.path).with_context(|| format!("cannot read {}", c.path.display()))?;
    let Ok(text) = String::from_utf8(bytes) else {
        if c.given {
            bail!("{} is not UTF-8 text", c.path.display());
        }
        outcome
            .notes
            .push(format!("{}: skipped, not UTF-8 text", opts.label));
        return Ok(());
    };
    let report = infra_check::validate_text(infra_check::default_types(), opts, &text);
    outcome.templates += usize::from(report.checked);
    outcome.problems.extend(report.problems);
    outcome.notes.extend(report.notes);
    Ok(())
}

/// The app's `*.json` templates, named by stack, plus export names unique
/// across them.
fn validate_app_dir(dir: &Path) -> Result<Outcome> {
    let files = crate::workspace::json_files(dir)?;
    if files.is_empty() {
        bail!(
            "no templates in {}: run `cargo xtask synth` first",
            dir.display()
        );
    }
    let mut outcome = Outcome::default();
    let mut stacks = Vec::new();
    for path in &files {
        let name = crate::workspace::stack_name(path);
        let c = Candidate {
            path: path.clone(),
            given: true,
        };
        check_file(
            &mut outcome,
            &c,
            FileOptions {
                label: &name,
                stack: Some(&name),
                given: true,
            },
        )?;
        let text = std::fs::read_to_string(path)?;
        if infra_check::inline_limit_exceeded(text.len()) {
            outcome.notes.push(format!(
                "{name} is {} bytes, over the 51,200-byte inline limit: deploy uploads it to S3",
                text.len()
            ));
        }
        if let Ok(value) = serde_json::from_str(&text) {
            stacks.push((name, value));
        }
    }
    outcome
        .problems
        .extend(infra_check::check_app_exports(&stacks));
    Ok(outcome)
}

fn show_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-validate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn reports_problems_of_every_template_with_positions() {
        let dir = temp_dir("files");
        std::fs::create_dir_all(dir.join("sub")).expect("sub");
        let t = "{\"Resources\":{\"T\":{\"Type\":\"AWS::SNS::Topic\",\n\"Properties\":{\"TopicName\":{\"Ref\":\"Nope\"}}}}}";
        std::fs::write(dir.join("a.json"), t).expect("write");
        std::fs::write(
            dir.join("sub/b.yaml"),
            "Resources:\n  B:\n    Type: AWS::S3::Buckett\n",
        )
        .expect("write");
        std::fs::write(dir.join("sub/config.yml"), "name: not a template\n").expect("write");
        let outcome = collect(std::slice::from_ref(&dir)).expect("validates");
        assert_eq!(outcome.templates, 2);
        let shown: Vec<String> = outcome
            .problems
            .iter()
            .map(|p| {
                format!(
                    "{} [{}]",
                    p.message,
                    p.pos.map(|p| p.to_string()).unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0].contains("is not a resource or parameter") && shown[0].ends_with("[2:28]"),
            "{shown:?}"
        );
        assert!(
            shown[1].contains("did you mean AWS::S3::Bucket?") && shown[1].ends_with("[3:5]"),
            "{shown:?}"
        );
        assert!(
            outcome
                .notes
                .iter()
                .any(|n| n.contains("config.yml: skipped")),
            "{:?}",
            outcome.notes
        );
    }

    #[test]
    fn a_file_given_directly_is_validated_and_missing_paths_are_errors() {
        let dir = temp_dir("given");
        let file = dir.join("t.template");
        std::fs::write(
            &file,
            "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}}, \"Resources\": {}}",
        )
        .expect("write");
        let outcome = collect(std::slice::from_ref(&file)).expect("validates");
        let shown: Vec<String> = outcome.problems.iter().map(ToString::to_string).collect();
        let file = file.display();
        assert_eq!(
            shown,
            [
                format!("{file}:1:2: Resources: is defined again below"),
                format!("{file}:1:51: Resources: is a duplicate key (first at line 1)"),
            ]
        );
        let err = collect(&[dir.join("nope")]).expect_err("missing");
        assert!(
            err.to_string().contains("no such file or directory"),
            "{err}"
        );
        std::fs::write(dir.join("t.template"), "a: 1\n").expect("write");
        assert!(collect(std::slice::from_ref(&dir)).is_err(), "no templates");
    }

    #[test]
    fn json_output_carries_rule_path_and_position() {
        let dir = temp_dir("json");
        let file = dir.join("t.yaml");
        std::fs::write(
            &file,
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Count: 2\n",
        )
        .expect("write");
        let outcome = collect(std::slice::from_ref(&file)).expect("validates");
        let json = serde_json::to_value(&outcome).expect("serializes");
        assert_eq!(json["templates"], 1);
        let p = &json["problems"][0];
        assert_eq!(
            (
                &p["rule"],
                &p["path"],
                &p["pos"]["line"],
                &p["pos"]["column"]
            ),
            (
                &"E-resource-attribute".into(),
                &"Resources.Q.Count".into(),
                &4.into(),
                &5.into()
            )
        );
    }
}

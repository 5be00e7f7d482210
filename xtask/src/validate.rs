//! `cargo xtask validate [DIR]`: checks every template in `stacks/templates`
//! (or DIR) with `infra-check` and prints all problems at once; exits 1 when
//! there is any.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::synth::TEMPLATES;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The directory of templates (default: stacks/templates).
    dir: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let dir = match args.dir {
        Some(dir) => dir,
        None => crate::workspace::root()?.join(TEMPLATES),
    };
    let (count, problems) = validate_dir(&dir)?;
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        eprintln!("{count} template(s) valid");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} problem(s) in {count} template(s)", problems.len());
        Ok(ExitCode::FAILURE)
    }
}

/// The number of templates in `dir` and every problem, printed form; a file
/// that is not JSON is a problem too. Notes go to standard error.
pub fn validate_dir(dir: &Path) -> Result<(usize, Vec<String>)> {
    let files = crate::workspace::json_files(dir)?;
    if files.is_empty() {
        bail!(
            "no templates in {}: run `cargo xtask synth` first",
            dir.display()
        );
    }
    let mut problems = Vec::new();
    let mut stacks: Vec<(String, Value)> = Vec::new();
    for path in &files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if infra_check::inline_limit_exceeded(text.len()) {
            eprintln!(
                "note: {name} is {} bytes, over the 51,200-byte inline limit: deploy uploads it to S3",
                text.len()
            );
        }
        match serde_json::from_str(&text) {
            Ok(value) => stacks.push((name, value)),
            Err(err) => problems.push(format!("{name}: not valid JSON: {err}")),
        }
    }
    problems.extend(
        infra_check::validate_app(&stacks)
            .iter()
            .map(ToString::to_string),
    );
    Ok((files.len(), problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_problems_of_every_template() {
        let dir = std::env::temp_dir().join(format!("xtask-validate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let t = r#"{"Resources":{"T":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":{"Ref":"Nope"}}}}}"#;
        std::fs::write(dir.join("a-dev.json"), t).expect("write");
        std::fs::write(dir.join("b-dev.json"), "{").expect("write");
        let (count, problems) = validate_dir(&dir).expect("validates");
        assert_eq!(count, 2);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("b-dev: not valid JSON"),
            "{problems:?}"
        );
        assert_eq!(
            problems[1],
            "a-dev: Resources.T.Properties.TopicName.Ref: \"Nope\" is not a resource or parameter of this stack"
        );
    }
}

//! `cargo xtask diff`: what deploying the templates in `stacks/templates`
//! would change, compared with the same folder at a git ref (default `HEAD`)
//! or in another directory. The diff itself is `infra_check::diff_stacks`;
//! this module finds the two sets of templates and prints. `--fail-on`
//! (repeatable) includes `broadening`, a security change that grants more;
//! `--format markdown` is a pull-request comment that also names the files
//! under `consumers/` that read a changed output.
//!
//! Exit codes: 0 no failure, 1 `--fail-on` triggered, 2 could not run.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use heck::ToShoutySnakeCase;
use infra_check::{Consumers, FailOn, StackDiff};
use serde_json::Value;

use crate::synth::TEMPLATES;
use crate::workspace::{self, stack_name};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A git ref, a directory of templates, or one template file (JSON or
    /// YAML; the old side of the stack its name names, `infra-prod.yaml`), to
    /// compare against.
    #[arg(long, default_value = "HEAD", value_name = "GIT-REF|DIR|FILE")]
    against: String,
    /// Exit with 1 on data loss, on any replacement (or breaking output, or
    /// unknown impact), on any change, or on a security change that grants
    /// more; repeatable (`--fail-on data-loss --fail-on broadening`).
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(["data-loss", "replace", "any", "broadening"]))]
    fail_on: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    /// A pull-request comment (GitHub Markdown).
    Markdown,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let outcome = crate::workspace::root()
        .and_then(|root| diff_and_print(&root, &root.join(TEMPLATES), &args));
    match outcome {
        Ok(failed) => Ok(ExitCode::from(u8::from(failed))),
        Err(err) => {
            eprintln!("error: {err:#}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Prints the diff; `true` when `--fail-on` triggers.
fn diff_and_print(root: &Path, new_dir: &Path, args: &Args) -> Result<bool> {
    let fail_on = args
        .fail_on
        .iter()
        .map(|f| f.parse::<FailOn>())
        .collect::<Result<Vec<_>, _>>()?;
    let diffs = diffs(root, new_dir, &args.against)?;
    match args.format {
        Format::Text => print!("{}", infra_check::render_text(&diffs, color())),
        Format::Json => println!("{}", serde_json::to_string_pretty(&diffs)?),
        Format::Markdown => print!(
            "{}",
            infra_check::render_markdown(&diffs, &consumers(root, &diffs)?)
        ),
    }
    let triggered: Vec<&String> = args
        .fail_on
        .iter()
        .zip(&fail_on)
        .filter(|(_, f)| f.should_fail(&diffs))
        .map(|(name, _)| name)
        .collect();
    for name in &triggered {
        eprintln!("diff: --fail-on {name} triggered");
    }
    Ok(!triggered.is_empty())
}

/// The diff of the templates in `new_dir` against `against`.
fn diffs(root: &Path, new_dir: &Path, against: &str) -> Result<Vec<StackDiff>> {
    let (old_side, old) = old_templates(root, against)?;
    let mut new = workspace::read_templates(new_dir)?;
    if Path::new(against).is_file() {
        // One stack's template: the other stacks are not being compared.
        new.retain(|name, _| old.contains_key(name));
    }
    let new_side = new_dir.display().to_string();
    Ok(infra_check::diff_stacks(&old_side, &old, &new_side, &new)?)
}

/// Files under `consumers/` that name a changed output, by its output name
/// (`${output:infra.newInviteTopicArn}`) or its constant in the outputs crate
/// (`NEW_INVITE_TOPIC_ARN`). A cheap text search, so a consumer is named
/// even when its reference is still correct today.
fn consumers(root: &Path, diffs: &[StackDiff]) -> Result<Consumers> {
    let mut files = Vec::new();
    walk(&root.join("consumers"), &mut files)?;
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let shown = f.strip_prefix(root).unwrap_or(f).display().to_string();
            Some((shown, text))
        })
        .collect();
    let mut out = Consumers::new();
    for d in diffs {
        for o in &d.outputs {
            let name = o.renamed_from.as_deref().unwrap_or(&o.name);
            let constant = name.to_shouty_snake_case();
            let readers: Vec<String> = texts
                .iter()
                .filter(|(_, text)| mentions(text, name) || mentions(text, &constant))
                .map(|(file, _)| file.clone())
                .collect();
            if !readers.is_empty() {
                out.insert((d.stack.clone(), name.to_owned()), readers);
            }
        }
    }
    Ok(out)
}

/// Every file below `dir` (none when it does not exist), skipping build
/// output and hidden entries, with the walker refs check uses (`ignore`).
/// Links are listed, never followed: a link to `..` made the walk endless.
fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | "node_modules")))
        .build();
    for entry in walker {
        let entry = entry?;
        if !entry.file_type().is_some_and(|t| t.is_dir()) {
            files.push(entry.into_path());
        }
    }
    Ok(())
}

/// Whether `word` occurs in `text` as a whole identifier.
fn mentions(text: &str, word: &str) -> bool {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word).any(|(at, _)| {
        !ident(text[..at].chars().next_back()) && !ident(text[at + word.len()..].chars().next())
    })
}

/// Colour only on a terminal, and never with `NO_COLOR` (anstream's rules).
fn color() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// The templates to compare against, with a name for messages: a directory
/// when `against` is one, else the templates folder at the git ref `against`.
fn old_templates(root: &Path, against: &str) -> Result<(String, BTreeMap<String, Value>)> {
    let dir = Path::new(against);
    if dir.is_dir() {
        return Ok((against.to_owned(), workspace::read_templates(dir)?));
    }
    if dir.is_file() {
        return Ok((against.to_owned(), template_file(dir)?));
    }
    let commit = format!("{against}^{{commit}}");
    if git(root, &["rev-parse", "--verify", "--quiet", &commit]).is_err() {
        bail!("no such directory or git ref: {against}");
    }
    let listing = git(
        root,
        &["ls-tree", "--name-only", against, &format!("{TEMPLATES}/")],
    )?;
    let side = format!("{against}:{TEMPLATES}");
    if listing.trim().is_empty() {
        bail!("git ref {against} has no {TEMPLATES} folder: nothing to compare with");
    }
    let mut out = BTreeMap::new();
    for path in listing.lines().filter(|p| p.ends_with(".json")) {
        let text = git(root, &["show", &format!("{against}:{path}")])?;
        let value =
            serde_json::from_str(&text).with_context(|| format!("{against}:{path} is not JSON"))?;
        out.insert(stack_name(Path::new(path)), value);
    }
    Ok((side, out))
}

/// One template file, JSON or YAML (short-form tags), as the old side of the
/// stack its file name names.
fn template_file(path: &Path) -> Result<BTreeMap<String, Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let shown = path.display().to_string();
    let format = infra_check::reader::Format::of(&shown, &text);
    let parsed = infra_check::reader::parse(&text, format)
        .map_err(|err| anyhow::anyhow!("{shown}:{err}"))?;
    if infra_serverless::import::is_manifest(&parsed.value) {
        bail!(
            "{shown} is a serverless.yml: compare with the template the Framework deploys (`serverless package` writes .serverless/cloudformation-template-update-stack.json), or with the deployed stack"
        );
    }
    Ok(BTreeMap::from([(stack_name(path), parsed.value)]))
}

/// The standard output of `git args` run in `root`.
fn git(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        bail!("git {} failed: {}", args.join(" "), stderr.trim());
    }
    String::from_utf8(out.stdout).context("git printed something that is not UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-diff-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    fn args(against: &Path) -> Args {
        Args {
            against: against.to_string_lossy().into_owned(),
            fail_on: vec!["data-loss".to_owned()],
            format: Format::Json,
        }
    }

    const BUCKET: &str =
        r#"{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"a"}}}}"#;

    /// Two links to `..` made the consumers walk take forever (each level
    /// doubles); links are listed as files, and a folder link is not read.
    #[cfg(unix)]
    #[test]
    fn the_consumers_walk_does_not_follow_folder_links() {
        let dir = temp_dir("walk");
        std::fs::create_dir_all(dir.join("app")).expect("dir");
        std::fs::write(dir.join("app/serverless.yml"), "x").expect("write");
        std::os::unix::fs::symlink("..", dir.join("app/up")).expect("link");
        let mut files = Vec::new();
        walk(&dir, &mut files).expect("walks");
        assert_eq!(files, [dir.join("app/serverless.yml"), dir.join("app/up")]);
    }

    #[test]
    fn diffs_two_directories() {
        let (old, new) = (temp_dir("old"), temp_dir("new"));
        std::fs::write(old.join("infra-dev.json"), BUCKET).expect("write");
        std::fs::write(new.join("infra-dev.json"), BUCKET.replace("\"a\"", "\"b\""))
            .expect("write");
        std::fs::write(new.join("media-dev.json"), r#"{"Resources":{}}"#).expect("write");
        std::fs::write(new.join("README.md"), "not a template").expect("write");
        assert!(diff_and_print(&old, &new, &args(&old)).expect("runs"));
    }

    /// The adoption check: the committed template, written in YAML short forms
    /// (as a person or another tool would), is no change; an edit to it is one.
    #[test]
    fn one_template_file_is_the_old_side_of_its_stack() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let templates = root.join(TEMPLATES);
        let dir = temp_dir("file");
        let yaml = dir.join("infra-prod.yaml");
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(templates.join("infra-prod.json")).expect("committed"),
        )
        .expect("JSON");
        let text = serde_norway::to_string(&json).expect("YAML").replace(
            "Value:\n      Fn::GetAtt:\n      - InvitesTable\n      - Arn",
            "Value: !GetAtt InvitesTable.Arn",
        );
        assert!(text.contains("!GetAtt InvitesTable.Arn"), "{text}");
        std::fs::write(&yaml, &text).expect("write");
        let against = yaml.to_string_lossy().into_owned();
        let found = diffs(&root, &templates, &against).expect("compares");
        assert_eq!(found.len(), 1, "only infra-prod is compared");
        assert!(found[0].is_empty(), "{found:?}");
        std::fs::write(
            &yaml,
            text.replace("infra-prod-invites", "infra-prod-invitations"),
        )
        .expect("write");
        let found = diffs(&root, &templates, &against).expect("compares");
        assert!(!found[0].is_empty());
        let manifest = dir.join("serverless.yml");
        std::fs::write(&manifest, "service: x\nprovider: {name: aws}\n").expect("write");
        let err = diffs(&root, &templates, &manifest.to_string_lossy()).expect_err("refused");
        assert!(
            format!("{err:#}").contains("is a serverless.yml"),
            "{err:#}"
        );
    }

    #[test]
    fn sides_that_cannot_be_compared_are_errors() {
        let (old, new) = (temp_dir("bad-old"), temp_dir("bad-new"));
        std::fs::write(new.join("infra-dev.json"), BUCKET).expect("write");
        let err = |a: &Args| format!("{:#}", diff_and_print(&old, &new, a).expect_err("fails"));
        assert!(err(&args(&old)).contains("holds no template"));
        std::fs::write(old.join("other-dev.json"), BUCKET).expect("write");
        assert!(err(&args(&old)).contains("no template of this app's stacks"));
        std::fs::write(old.join("infra-dev.json"), "[]").expect("write");
        assert!(err(&args(&old)).contains("is a JSON array"));
        let missing = args(Path::new("no-such-ref-xyz"));
        assert_eq!(
            err(&missing),
            "no such directory or git ref: no-such-ref-xyz"
        );
    }
}

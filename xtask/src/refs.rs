//! `cargo xtask refs check PATH...`: find the Serverless Framework variables that read our
//! stacks' outputs (`${state:infra.X}`, `${output:...:infra.X}`, `${cf:infra-prod.X}`) in
//! manifests that other services keep, and report every one whose output does not exist.
//!
//! The outputs come from the catalogue that `cargo xtask synth` writes
//! (`stacks/outputs/outputs.json`). Only references to our services are judged: a
//! `${state:}`/`${output:}` service named in the catalogue, or a `${cf:}` stack named
//! `{service}-{stage}` for one of them. A service that is one or two edits away from one of
//! ours (`infraa`) is reported too, since it is far more likely a typo than a real service.
//!
//! The scanner works on the raw text (no YAML parser), so it sees references in every
//! scalar style: plain, quoted, folded and literal blocks. In `.yml`/`.yaml` files it skips
//! comments. Exit status: 0 clean, 1 problems found, 2 usage or IO error.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// Arguments of `cargo xtask refs`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: RefsCommand,
}

#[derive(clap::Subcommand, Debug)]
enum RefsCommand {
    /// Report `${state:}`, `${output:}` and `${cf:}` references to outputs our stacks lack.
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// The outputs catalogue [default: stacks/outputs/outputs.json in this workspace].
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Files to check, or directories to search for serverless.yml, .yaml and .json.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Runs `refs check`: exit 0 when clean, 1 with problems, 2 when a file cannot be read.
pub fn run(args: Args) -> Result<ExitCode> {
    let RefsCommand::Check(args) = args.command;
    match check(&args) {
        Ok(report) => {
            print!("{}", report.render(args.format));
            eprintln!("{}", report.summary());
            Ok(ExitCode::from(u8::from(!report.findings.is_empty())))
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            Ok(ExitCode::from(2))
        }
    }
}

fn check(args: &CheckArgs) -> Result<Report> {
    let path = match &args.catalogue {
        Some(path) => path.clone(),
        None => crate::workspace::root()?.join(crate::outputs_crate::CATALOGUE),
    };
    let catalogue = Catalogue::load(&path)?;
    check_paths(&catalogue, &args.paths)
}

// ---------------------------------------------------------------------------------------
// The catalogue of outputs

/// `stacks/outputs/outputs.json`: every service of the app with its stages and outputs.
#[derive(Debug, Deserialize)]
pub struct Catalogue {
    pub app: String,
    pub services: Vec<ServiceOutputs>,
}

/// One service (one stack per stage, named `{service}-{stage}`).
#[derive(Debug, Deserialize)]
pub struct ServiceOutputs {
    pub service: String,
    #[serde(default)]
    pub stages: Vec<String>,
    pub outputs: Vec<OutputName>,
}

/// One output; the catalogue's other fields (description) are not needed here.
#[derive(Debug, Deserialize)]
pub struct OutputName {
    pub name: String,
}

impl Catalogue {
    /// Reads the catalogue that `cargo xtask synth` writes.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!(
                "reading the outputs catalogue {} (run `cargo xtask synth`)",
                path.display()
            )
        })?;
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
    }

    fn service(&self, name: &str) -> Option<&ServiceOutputs> {
        self.services.iter().find(|s| s.service == name)
    }

    /// The service whose stack this is: `{service}-{stage}`, the longest service name first
    /// so that `infra-worker-dev` belongs to `infra-worker` when both exist.
    fn stack_service(&self, stack: &str) -> Option<&ServiceOutputs> {
        let mut services: Vec<_> = self.services.iter().collect();
        services.sort_by_key(|s| std::cmp::Reverse(s.service.len()));
        services.into_iter().find(|s| {
            let stage = stack
                .strip_prefix(s.service.as_str())
                .and_then(|r| r.strip_prefix('-'));
            stage.is_some_and(|stage| s.is_stage(stage))
        })
    }
}

impl ServiceOutputs {
    /// A known stage, a variable such as `${sls:stage}`, or a literal without a dash: a
    /// dashed unknown stage (`worker-dev`) more likely names another service's stack.
    fn is_stage(&self, stage: &str) -> bool {
        !stage.is_empty()
            && (self.stages.iter().any(|s| s == stage) || !without_variables(stage).contains('-'))
    }

    fn has_output(&self, key: &str) -> bool {
        self.outputs.iter().any(|o| o.name == key)
    }
}

// ---------------------------------------------------------------------------------------
// Findings and the report

/// What is wrong with one reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// The service is ours, the output is not one of its outputs.
    UnknownOutput,
    /// The service is not ours but one or two edits away from one of ours.
    UnknownService,
}

/// One reference that names no output, where it is and what was probably meant.
#[derive(Debug, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub reference: String,
    pub problem: Problem,
    pub service: String,
    /// The output key for `unknown-output`, absent for `unknown-service`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    pub suggestion: Option<String>,
    pub message: String,
}

/// All findings of one run, in file order then position order.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// References to our services that were judged, good or bad.
    pub checked: usize,
    pub files: usize,
}

impl Report {
    /// `file:line:column: message` lines, or a JSON array of findings.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.findings.iter().map(|f| format!("{f}\n")).collect(),
            Format::Json => {
                let json = serde_json::to_string_pretty(&self.findings);
                json.unwrap_or_else(|_| "[]".to_owned()) + "\n"
            }
        }
    }

    /// One line for stderr.
    pub fn summary(&self) -> String {
        format!(
            "refs: {} reference(s) to our outputs in {} file(s), {} problem(s)",
            self.checked,
            self.files,
            self.findings.len()
        )
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

// ---------------------------------------------------------------------------------------
// Files

/// Checks files and, recursively, the `serverless.{yml,yaml,json}` files of directories.
pub fn check_paths(catalogue: &Catalogue, paths: &[PathBuf]) -> Result<Report> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, true, &mut files)?;
    }
    let mut report = Report::default();
    for file in &files {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let (findings, checked) =
            check_text(catalogue, &file.display().to_string(), &text, is_yaml(file));
        report.findings.extend(findings);
        report.checked += checked;
        report.files += 1;
    }
    Ok(report)
}

fn collect(path: &Path, explicit: bool, files: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if !meta.is_dir() {
        if explicit || is_manifest(path) {
            files.push(path.to_path_buf());
        }
        return Ok(());
    }
    if !explicit && is_skipped_dir(path) {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(path)
        .with_context(|| format!("listing {}", path.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("listing {}", path.display()))?;
    entries.sort();
    entries
        .iter()
        .try_for_each(|entry| collect(entry, false, files))
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        file_name(path),
        "serverless.yml" | "serverless.yaml" | "serverless.json"
    )
}

fn is_skipped_dir(path: &Path) -> bool {
    let name = file_name(path);
    name.starts_with('.') || name == "node_modules" || name == "target"
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml")
    )
}

// ---------------------------------------------------------------------------------------
// Scanning one text

/// The findings in one file's text and how many references to our services it holds.
pub fn check_text(
    catalogue: &Catalogue,
    file: &str,
    text: &str,
    yaml: bool,
) -> (Vec<Finding>, usize) {
    let comments = if yaml {
        yaml_comments(text)
    } else {
        Vec::new()
    };
    let lines = LineIndex::new(text);
    let mut findings = Vec::new();
    let mut checked = 0;
    for span in variables(text) {
        if comments.iter().any(|c| c.contains(&span.start)) {
            continue;
        }
        let body = &text[span.start + 2..span.end - 1];
        let Some(judged) = judge(catalogue, body) else {
            continue;
        };
        checked += 1;
        if let Some(wrong) = judged {
            let (line, column) = lines.position(text, span.start);
            let reference = fold_lines(&text[span.clone()]);
            findings.push(wrong.into_finding(file, line, column, reference, catalogue));
        }
    }
    (findings, checked)
}

/// The byte range of every `${...}`, nested ones included, with balanced braces.
fn variables(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    for start in 0..bytes.len().saturating_sub(1) {
        if bytes[start] == b'$'
            && bytes[start + 1] == b'{'
            && let Some(end) = matching_brace(bytes, start + 1)
        {
            spans.push(start..end + 1);
        }
    }
    spans
}

/// The index of the `}` that closes the `{` at `open`.
fn matching_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A reference that spans lines (a folded flow scalar) shown on one line.
fn fold_lines(reference: &str) -> String {
    let mut lines = reference.lines();
    let first = lines.next().unwrap_or_default().trim_end().to_owned();
    lines.fold(first, |acc, line| acc + " " + line.trim())
}

/// 1-based line and column (in characters) of byte offsets.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let newlines = text.match_indices('\n').map(|(i, _)| i + 1);
        Self {
            starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let column = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }
}

// ---------------------------------------------------------------------------------------
// YAML comments

/// Byte ranges of the comments of a YAML text, block scalars (`|`, `>`) excepted.
fn yaml_comments(text: &str) -> Vec<Range<usize>> {
    let mut comments = Vec::new();
    let mut block_parent: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_parent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_parent = None;
        }
        let comment = comment_start(line);
        if let Some(at) = comment {
            comments.push(start + at..start + line.len());
        }
        if opens_block_scalar(&line[..comment.unwrap_or(line.len())]) {
            block_parent = Some(indent);
        }
    }
    comments
}

/// Where a line's comment starts: a `#` at the start or after a space, outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev: Option<char> = None;
    let mut last_solid: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some('\''), '\'') if chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            (Some(q), _) if q == c => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if last_solid.is_none_or(|s| ":-[{,?".contains(s)) => {
                quote = Some(c);
            }
            (None, '#') if prev.is_none_or(char::is_whitespace) => return Some(i),
            _ => {}
        }
        prev = Some(c);
        if !c.is_whitespace() {
            last_solid = Some(c);
        }
    }
    None
}

/// Whether a line (comment removed) ends in a block scalar header: `key: |`, `- >-`, `|2`.
fn opens_block_scalar(code: &str) -> bool {
    let code = code.trim_end();
    let (before, header) = code.rsplit_once(' ').unwrap_or(("", code.trim_start()));
    let mut chars = header.chars();
    let indicator = matches!(chars.next(), Some('|' | '>'));
    let flags = header.len() <= 3 && chars.all(|c| c == '+' || c == '-' || c.is_ascii_digit());
    let before = before.trim_end();
    indicator && flags && (before.is_empty() || before.ends_with([':', '-', '?']))
}

// ---------------------------------------------------------------------------------------
// Judging one reference

/// A reference to one of our services that names no output of it.
#[derive(Debug)]
enum Wrong {
    Output { service: String, key: String },
    Service { service: String, meant: String },
}

/// `None` when the variable is not a reference to our outputs, `Some(None)` when it is
/// one and correct, `Some(Some(wrong))` when it names no output. `body` is the text
/// between `${` and `}`.
fn judge(catalogue: &Catalogue, body: &str) -> Option<Option<Wrong>> {
    let (expression, _default) = split_once_top(body, ',').unwrap_or((body, ""));
    let (source, address) = split_once_top(expression, ':')?;
    match source.trim() {
        "state" | "output" => judge_output(catalogue, address.trim()),
        "cf" => judge_cf(catalogue, address.trim()),
        s if s.starts_with("cf(") && s.ends_with(')') => judge_cf(catalogue, address.trim()),
        _ => None,
    }
}

/// `SERVICE.KEY`, `STAGE:REGION:SERVICE.KEY` or `APP:STAGE:REGION:SERVICE.KEY` (any part
/// may be empty, `KEY` may go on into nested values: `SERVICE.KEY.nested`).
fn judge_output(catalogue: &Catalogue, address: &str) -> Option<Option<Wrong>> {
    let parts = split_top(address, ':');
    let (last, scope) = parts.split_last()?;
    if scope.len() > 3 {
        return None;
    }
    if let [app, _, _] = scope {
        let app = app.trim();
        if !app.is_empty() && app != catalogue.app && !app.contains("${") {
            return None;
        }
    }
    let (service, path) = split_once_top(last, '.')?;
    let key = split_top(path, '.')
        .first()
        .copied()
        .unwrap_or_default()
        .trim();
    let service = service.trim();
    if service.contains("${") || key.is_empty() || key.contains("${") {
        return None;
    }
    match catalogue.service(service) {
        Some(ours) => Some(judge_key(ours, key)),
        None => similar_service(catalogue, service).map(|meant| {
            Some(Wrong::Service {
                service: service.to_owned(),
                meant,
            })
        }),
    }
}

/// `STACK.KEY` where `STACK` is `{service}-{stage}` and the stage may be a variable.
fn judge_cf(catalogue: &Catalogue, address: &str) -> Option<Option<Wrong>> {
    let (stack, key) = split_once_top(address, '.')?;
    let key = key.trim();
    if key.is_empty() || key.contains("${") {
        return None;
    }
    let ours = catalogue.stack_service(stack.trim())?;
    Some(judge_key(ours, key))
}

fn judge_key(service: &ServiceOutputs, key: &str) -> Option<Wrong> {
    (!service.has_output(key)).then(|| Wrong::Output {
        service: service.service.clone(),
        key: key.to_owned(),
    })
}

/// One of our services within two edits of `name` (`infraa`, `Infra`).
fn similar_service(catalogue: &Catalogue, name: &str) -> Option<String> {
    let nearest = catalogue
        .services
        .iter()
        .map(|s| (levenshtein(name, &s.service), &s.service))
        .min_by_key(|(distance, _)| *distance)?;
    (nearest.0 <= 2).then(|| nearest.1.clone())
}

impl Wrong {
    fn into_finding(
        self,
        file: &str,
        line: usize,
        column: usize,
        reference: String,
        catalogue: &Catalogue,
    ) -> Finding {
        let (problem, service, output, suggestion, message) = match self {
            Wrong::Output { service, key } => {
                let outputs = catalogue
                    .service(&service)
                    .map(|s| &s.outputs[..])
                    .unwrap_or(&[]);
                let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
                let suggestion = suggest(&key, &names);
                let hint = hint(suggestion, &names);
                let message =
                    format!("unknown output `{key}` of service `{service}` in {reference}{hint}");
                (
                    Problem::UnknownOutput,
                    service,
                    Some(key),
                    suggestion.map(str::to_owned),
                    message,
                )
            }
            Wrong::Service { service, meant } => {
                let message =
                    format!("unknown service `{service}` in {reference}; did you mean `{meant}`?");
                (Problem::UnknownService, service, None, Some(meant), message)
            }
        };
        let file = file.to_owned();
        Finding {
            file,
            line,
            column,
            reference,
            problem,
            service,
            output,
            suggestion,
            message,
        }
    }
}

fn hint(suggestion: Option<&str>, names: &[&str]) -> String {
    match suggestion {
        Some(name) => format!("; did you mean `{name}`?"),
        None if names.is_empty() => "; the service has no outputs".to_owned(),
        None => {
            let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("; expected one of {}", list.join(", "))
        }
    }
}

/// The nearest name within `max(2, len / 3)` edits, the first one on a tie.
fn suggest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    names
        .iter()
        .map(|candidate| (levenshtein(name, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance (insertions, deletions, substitutions) over characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

// ---------------------------------------------------------------------------------------
// Splitting outside nested `${...}`

/// Splits at every `sep` that is not inside braces.
fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((head, tail)) = split_once_top(rest, sep) {
        parts.push(head);
        rest = tail;
    }
    parts.push(rest);
    parts
}

/// Splits at the first `sep` that is not inside braces.
fn split_once_top(text: &str, sep: char) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if c == sep && depth == 0 => return Some((&text[..i], &text[i + c.len_utf8()..])),
            _ => {}
        }
    }
    None
}

/// The text with every top-level `${...}` replaced by `*`.
fn without_variables(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '$' if depth == 0 => out.push('*'),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use clap::Parser;

    use super::*;

    /// The fixture manifest's report, exactly: cargo runs tests in the package root, so
    /// paths print as given.
    const FIXTURE_REPORT: &str = "\
tests/fixtures/serverless.yml:13:25: unknown output `standupsTableArn` of service `infra` in ${state:infra.standupsTableArn}; expected one of `workspacesTableArn`, `invitesTableArn`, `invitesTableStreamArn`, `newS3AudioRecordingTopicArn`, `newS3TranscodedAudioRecordingTopicArn`, `newInviteTopicArn`, `deletedInviteTopicArn`, `recordingsBucketArn`, `transcodedRecordingsBucketArn`
tests/fixtures/serverless.yml:14:26: unknown output `invitesTableStreamArm` of service `infra` in ${state:infra.invitesTableStreamArm}; did you mean `invitesTableStreamArn`?
tests/fixtures/serverless.yml:16:31: unknown output `deletedInviteTopicArns` of service `infra` in ${output:api:prod:us-east-1:infra.deletedInviteTopicArns}; did you mean `deletedInviteTopicArn`?
tests/fixtures/serverless.yml:18:28: unknown output `transcodedRecordingBucketArn` of service `infra` in ${output:prod:eu-west-1:infra.transcodedRecordingBucketArn}; did you mean `transcodedRecordingsBucketArn`?
tests/fixtures/serverless.yml:20:15: unknown output `workspaceTableArn` of service `infra` in ${state:infra.workspaceTableArn, 'arn:aws:dynamodb:us-east-1:123456789012:table/x'}; did you mean `workspacesTableArn`?
tests/fixtures/serverless.yml:21:19: unknown service `infraa` in ${state:infraa.workspacesTableArn}; did you mean `infra`?
tests/fixtures/serverless.yml:23:38: unknown output `newInviteTopicArm` of service `infra` in ${state:infra.newInviteTopicArm}; did you mean `newInviteTopicArn`?
tests/fixtures/serverless.yml:32:15: unknown output `invitesTableArm` of service `infra` in ${cf(eu-west-1):infra-dev.invitesTableArm}; did you mean `invitesTableArn`?
tests/fixtures/serverless.yml:33:15: unknown output `workspacesTable` of service `infra` in ${cf:infra-${self:provider.stage}.workspacesTable}; did you mean `workspacesTableArn`?
tests/fixtures/serverless.yml:43:7: unknown output `newS3AudioRecordingTopic` of service `infra` in ${state:infra.newS3AudioRecordingTopic}; did you mean `newS3AudioRecordingTopicArn`?
tests/fixtures/serverless.yml:53:28: unknown output `deletedInviteTopic` of service `infra` in ${state:infra.deletedInviteTopic}; did you mean `deletedInviteTopicArn`?
tests/fixtures/serverless.yml:54:49: unknown output `newInviteTopic` of service `infra` in ${cf:infra-prod.newInviteTopic}; did you mean `newInviteTopicArn`?
tests/fixtures/serverless.yml:55:31: unknown output `recordingsBucketArm` of service `infra` in ${state:infra.recordingsBucketArm}; did you mean `recordingsBucketArn`?
tests/fixtures/serverless.yml:56:34: unknown output `transcodedRecordingsBucketArm` of service `infra` in ${state:infra.transcodedRecordingsBucketArm}; did you mean `transcodedRecordingsBucketArn`?
";

    const CATALOGUE: &str = "tests/fixtures/outputs.json";

    fn catalogue() -> Catalogue {
        Catalogue::load(Path::new(CATALOGUE)).expect("the fixture catalogue loads")
    }

    fn report(paths: &[&str]) -> Report {
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        check_paths(&catalogue(), &paths).expect("the fixtures are readable")
    }

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        refs: Args,
    }

    fn exit_code(args: &[&str]) -> ExitCode {
        let cli = Cli::try_parse_from(std::iter::once("refs").chain(args.iter().copied()));
        run(cli.expect("valid arguments").refs).expect("run reports errors as exit code 2")
    }

    #[test]
    fn fixture_report_is_exact() {
        let report = report(&["tests/fixtures/serverless.yml"]);
        assert_eq!(report.render(Format::Text), FIXTURE_REPORT);
        assert_eq!((report.checked, report.files), (25, 1));
    }

    #[test]
    fn json_report_is_an_array_of_findings() {
        let report = report(&["tests/fixtures/serverless.yml"]);
        let json: serde_json::Value =
            serde_json::from_str(&report.render(Format::Json)).expect("valid JSON");
        let findings = json.as_array().expect("an array");
        assert_eq!(findings.len(), 14);
        assert_eq!(
            findings[1],
            serde_json::json!({
                "file": "tests/fixtures/serverless.yml",
                "line": 14,
                "column": 26,
                "reference": "${state:infra.invitesTableStreamArm}",
                "problem": "unknown-output",
                "service": "infra",
                "output": "invitesTableStreamArm",
                "suggestion": "invitesTableStreamArn",
                "message": "unknown output `invitesTableStreamArm` of service `infra` in \
                            ${state:infra.invitesTableStreamArm}; did you mean `invitesTableStreamArn`?"
            })
        );
        assert_eq!(findings[5]["problem"], "unknown-service");
        assert_eq!(findings[5].get("output"), None);
    }

    #[test]
    fn directories_are_searched_for_manifests_only() {
        let report = report(&["tests/fixtures/tree"]);
        assert_eq!(
            report.render(Format::Text),
            "tests/fixtures/tree/a/serverless.yml:5:12: unknown output `invitesQueueArn` of service `infra` in ${cf:infra-${sls:stage}.invitesQueueArn}; did you mean `invitesTableArn`?\n\
             tests/fixtures/tree/b/serverless.json:6:40: unknown service `Infra` in ${state:Infra.recordingsBucketArn}; did you mean `infra`?\n"
        );
        assert_eq!((report.checked, report.files), (4, 2));
    }

    #[test]
    fn a_file_named_explicitly_is_scanned_whatever_its_name() {
        let report = report(&["tests/fixtures/tree/b/notes.md"]);
        assert_eq!(report.findings.len(), 1);
        assert_eq!(
            (report.findings[0].line, report.findings[0].column),
            (3, 37)
        );
    }

    #[test]
    fn exit_codes() {
        let catalogue = ["check", "--catalogue", CATALOGUE];
        let clean = [&catalogue[..], &["tests/fixtures/clean.yml"]].concat();
        assert_eq!(exit_code(&clean), ExitCode::SUCCESS);
        let dirty = [
            &catalogue[..],
            &["--format", "json", "tests/fixtures/serverless.yml"],
        ]
        .concat();
        assert_eq!(exit_code(&dirty), ExitCode::from(1));
        let missing = [&catalogue[..], &["tests/fixtures/missing.yml"]].concat();
        assert_eq!(exit_code(&missing), ExitCode::from(2));
        let no_catalogue = [
            "check",
            "--catalogue",
            "missing.json",
            "tests/fixtures/clean.yml",
        ];
        assert_eq!(exit_code(&no_catalogue), ExitCode::from(2));
        assert!(
            Cli::try_parse_from(["refs", "check"]).is_err(),
            "a PATH is required"
        );
    }

    #[test]
    fn suggestions_within_a_third_of_the_length() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("café", "cafe"), 1);
        let names = ["workspacesTableArn", "invitesTableArn"];
        assert_eq!(
            suggest("WorkspacesTableARN", &names),
            Some("workspacesTableArn")
        );
        assert_eq!(suggest("standupsTableArn", &names), None);
        assert_eq!(
            suggest("ab", &["xy"]),
            Some("xy"),
            "two edits are always close enough"
        );
    }

    #[test]
    fn stacks_are_service_dash_stage() {
        let catalogue: Catalogue = serde_json::from_value(serde_json::json!({
            "app": "api",
            "services": [
                { "service": "infra", "stages": ["dev", "pr-1"], "outputs": [] },
                { "service": "infra-worker", "outputs": [] }
            ]
        }))
        .expect("a catalogue");
        let service = |stack| catalogue.stack_service(stack).map(|s| s.service.as_str());
        assert_eq!(service("infra-dev"), Some("infra"));
        assert_eq!(service("infra-alice"), Some("infra"));
        assert_eq!(service("infra-pr-1"), Some("infra"));
        assert_eq!(service("infra-${sls:stage}"), Some("infra"));
        assert_eq!(service("infra-${opt:stage, 'dev'}"), Some("infra"));
        assert_eq!(service("infra-worker-dev"), Some("infra-worker"));
        assert_eq!(service("infra-other-dev"), None);
        assert_eq!(service("infra-"), None);
        assert_eq!(service("infra"), None);
        assert_eq!(service("billing-dev"), None);
    }

    #[test]
    fn variables_that_are_not_ours_are_ignored() {
        let catalogue = catalogue();
        for body in [
            "self:custom.x",
            "opt:stage, 'dev'",
            "state:billing.x",
            "output:billing:prod:us-east-1:infra.x",
            "state:${opt:service}.x",
            "state:infra.${opt:key}",
            "state:infra",
            "cf:billing-prod.x",
            "cf:infra-dev",
            "output:a:b:c:d:infra.x",
        ] {
            assert!(judge(&catalogue, body).is_none(), "{body}");
        }
        assert!(matches!(
            judge(&catalogue, "state:infra.workspacesTableArn.nested"),
            Some(None)
        ));
        assert!(matches!(
            judge(&catalogue, " state : infra.workspacesTableArn "),
            Some(None)
        ));
    }

    #[test]
    fn yaml_comments_and_block_scalars() {
        assert_eq!(comment_start("# all"), Some(0));
        assert_eq!(comment_start("a: b # c"), Some(5));
        assert_eq!(comment_start("a: b#c"), None);
        assert_eq!(comment_start(r#"a: "b # c" # d"#), Some(11));
        assert_eq!(comment_start(r#"a: "b \" # c""#), None);
        assert_eq!(comment_start("a: 'it''s # c'"), None);
        assert_eq!(comment_start("a: it's # c"), Some(8));
        assert!(opens_block_scalar("key: |"));
        assert!(opens_block_scalar("  - >-"));
        assert!(opens_block_scalar("key: |2+"));
        assert!(!opens_block_scalar("key: a | b"));
        assert!(!opens_block_scalar("key: >value"));
        let text = "a: |\n  # kept\n  x\nb: 1 # gone\n";
        let comments = yaml_comments(text);
        assert_eq!(comments.len(), 1);
        assert_eq!(&text[comments[0].clone()], "# gone");
    }

    #[test]
    fn references_spanning_lines_print_on_one() {
        let text = "a: \"${state:infra.\n  nope}\"\n";
        let (findings, checked) = check_text(&catalogue(), "f.yml", text, true);
        assert_eq!(checked, 1);
        assert_eq!(findings[0].reference, "${state:infra. nope}");
    }
}

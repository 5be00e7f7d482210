//! The check of the Serverless Framework variables that read our stacks' outputs
//! (`${state:infra.X}`, `${output:...:infra.X}`, `${cf:infra-prod.X}`) in the manifests
//! other services keep.
//!
//! Two questions per reference:
//! - does the output exist? Only references to our services are judged: a
//!   `${state:}`/`${output:}` service named in the [`Catalogue`], or a `${cf:}` stack named
//!   `{service}-{stage}` for one of them. A service one or two edits away from one of ours
//!   (`infraa`) is reported too: far more likely a typo than a real service.
//! - can the manifest's own Framework resolve it? Read from its `frameworkVersion` (see
//!   [`Framework`]): v3 has no `${state:}`, and its `${output:}` needs `org:`. Every such
//!   reference is reported, ours or not, with the `${cf:}` form that works.
//!
//! The scanner works on the raw text (no YAML parser), so it sees references in every
//! scalar style: plain, quoted, folded and literal blocks; in `.yml`/`.yaml` files it skips
//! comments. Every pass is linear in the size of the text.

mod catalogue;
mod env;
mod framework;
mod judge;
mod rust;
mod scan;
mod walk;

use std::path::PathBuf;

use serde::Serialize;

pub use catalogue::{Catalogue, CatalogueError, OutputEntry, ServiceOutputs};
pub use framework::{Framework, Source};
use judge::{Reference, Wrong};

/// Why a check could not run (exit status 2 in `cargo xtask refs check`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error("reading {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What is wrong with one reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// The service is ours, the output is not one of its outputs.
    UnknownOutput,
    /// The service is not ours but one or two edits away from one of ours.
    UnknownService,
    /// The manifest's `frameworkVersion` admits a Framework that cannot resolve the source.
    UnresolvableSource,
    /// An environment variable named for an output (`INFRA_X_ARN`) is set from another one.
    EnvFromOtherOutput,
    /// An environment variable named for an output is set from a literal or another source.
    EnvNotFromOutput,
    /// The consumer's Rust code reads an output whose variable its manifest never sets.
    OutputNotSet,
}

/// One reference that names no output, or that the manifest's Framework cannot resolve.
#[derive(Debug, Serialize)]
pub struct Finding {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub reference: String,
    pub problem: Problem,
    pub service: String,
    /// The output key, absent for `unknown-service`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The output meant, or for `unresolvable-source` the variable that works.
    pub suggestion: Option<String>,
    pub message: String,
}

/// How to print a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// All findings of one run, in file order then position order.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// References to our services that were judged, good or bad.
    pub checked: usize,
    pub files: usize,
    /// What was skipped, and why (links, a `frameworkVersion` that is no range).
    pub warnings: Vec<String>,
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

/// Checks files and, recursively, the `serverless.{yml,yaml,json}` files of directories.
pub fn check_paths(catalogue: &Catalogue, paths: &[PathBuf]) -> Result<Report, Error> {
    let mut report = Report::default();
    for file in walk::collect(paths, &mut report.warnings)? {
        let text = std::fs::read_to_string(&file).map_err(|source| Error::Read {
            path: file.clone(),
            source,
        })?;
        let name = file.display().to_string();
        let checked = check_text(catalogue, &name, &text, walk::is_yaml(&file));
        report.findings.extend(checked.findings);
        report.warnings.extend(checked.warnings);
        if walk::is_manifest(&file)
            && let Some(dir) = file.parent().filter(|d| d.join("Cargo.toml").is_file())
        {
            let env = checked.environment.unwrap_or_default();
            let found = unset_reads(catalogue, &name, dir, &env, &mut report.warnings);
            report.findings.extend(found);
        }
        report.checked += checked.checked;
        report.files += 1;
    }
    Ok(report)
}

/// The result of checking one text.
#[derive(Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub checked: usize,
    pub warnings: Vec<String>,
    /// The manifest's environment mappings, `None` when it is not YAML or JSON.
    environment: Option<env::Environment>,
}

/// Findings for the reads of outputs in the Rust code of the crate in `dir` whose
/// variables the manifest `manifest` (with environment `env`) never sets.
fn unset_reads(
    catalogue: &Catalogue,
    manifest: &str,
    dir: &std::path::Path,
    env: &env::Environment,
    warnings: &mut Vec<String>,
) -> Vec<Finding> {
    let Some(keys) = env.keys() else {
        let opaque = env.opaque.join(", ");
        warnings.push(format!(
            "{manifest}: {opaque} is not a mapping; the outputs its Rust code reads are not checked"
        ));
        return Vec::new();
    };
    let keys: Vec<&str> = keys.into_iter().collect();
    let reads = rust::reads(catalogue, dir, warnings);
    reads
        .into_iter()
        .filter_map(|read| {
            let var = infra_model::naming::output_env_var(&read.service, &read.output);
            (!keys.contains(&var.as_str())).then(|| unset_finding(manifest, read, &var, &keys))
        })
        .collect()
}

fn unset_finding(manifest: &str, read: rust::Read, var: &str, keys: &[&str]) -> Finding {
    let fix = format!("{var}: {}", env::cf_reference(&read.service, &read.output));
    // Two edits at most: output variables are long and alike (`INFRA_NEW_INVITE_TOPIC_ARN`,
    // `INFRA_DELETED_INVITE_TOPIC_ARN`), a third of their length would pair unrelated ones.
    let typo = keys
        .iter()
        .map(|key| (strsim::levenshtein(var, key), key))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map_or(String::new(), |(_, key)| {
            format!(" (it sets {key}: a typo?)")
        });
    Finding {
        file: read.file.display().to_string(),
        line: read.line,
        column: read.column,
        message: format!(
            "{} reads {var}, which {manifest} never sets{typo}; add `{fix}` under \
             provider.environment",
            read.shown
        ),
        reference: read.shown,
        problem: Problem::OutputNotSet,
        service: read.service,
        output: Some(read.output),
        suggestion: Some(fix),
    }
}

/// Checks one file's text; `yaml` skips its comments.
pub fn check_text(catalogue: &Catalogue, file: &str, text: &str, yaml: bool) -> Checked {
    let mut out = Checked::default();
    let framework = Framework::read(text, yaml).unwrap_or_else(|warning| {
        out.warnings.push(format!("{file}: {warning}"));
        Framework::default()
    });
    let comments = if yaml {
        scan::yaml_comments(text)
    } else {
        scan::Comments::default()
    };
    let mut positions = scan::Positions::new(text);
    for variable in scan::variables(text) {
        if comments.contain(variable.span.start) {
            continue;
        }
        let Some(reference) = judge::parse(&variable.flat) else {
            continue;
        };
        let ours = judge::judge_ours(catalogue, &reference);
        let unresolvable = framework.cannot_resolve(reference.source);
        if ours.is_none() && unresolvable.is_none() {
            continue;
        }
        out.checked += usize::from(ours.is_some());
        let at = Place {
            file,
            position: positions.position(variable.span.start),
            reference: scan::shown(&text[variable.span]),
        };
        if let Some(Some(wrong)) = ours {
            out.findings.push(wrong.into_finding(&at, catalogue));
        }
        if let Some(reason) = unresolvable {
            out.findings
                .push(unresolvable_finding(&at, &reference, &framework, reason));
        }
    }
    check_environment(catalogue, file, text, yaml, &mut out);
    out
}

/// The environment variables named for outputs, set from anything but that output.
fn check_environment(catalogue: &Catalogue, file: &str, text: &str, yaml: bool, out: &mut Checked) {
    use infra_check::reader::{self, Format};
    let format = if yaml { Format::Yaml } else { Format::Json };
    let parsed = match reader::parse(text, format) {
        Ok(parsed) => parsed,
        Err(err) => {
            out.warnings.push(format!(
                "{file}:{err}; its environment variables are not checked"
            ));
            return;
        }
    };
    let environment = env::read(&parsed);
    let found = env::check(catalogue, file, &parsed.value, &environment);
    out.findings.extend(found);
    // Stable: findings at one place keep the order they were found in.
    out.findings.sort_by_key(|f| (f.line, f.column));
    out.environment = Some(environment);
}

/// Where a reference is, and its text as shown.
struct Place<'a> {
    file: &'a str,
    position: (usize, usize),
    reference: String,
}

impl Place<'_> {
    fn finding(&self, problem: Problem, service: &str, output: Option<&str>) -> Finding {
        Finding {
            file: self.file.to_owned(),
            line: self.position.0,
            column: self.position.1,
            reference: self.reference.clone(),
            problem,
            service: service.to_owned(),
            output: output.map(str::to_owned),
            suggestion: None,
            message: String::new(),
        }
    }
}

fn unresolvable_finding(
    at: &Place<'_>,
    reference: &Reference<'_>,
    framework: &Framework,
    reason: &str,
) -> Finding {
    let version = framework.version.as_deref().unwrap_or_default();
    let cf = judge::cf_form(reference);
    let hint = match &cf {
        Some(cf) => format!("; use {cf}"),
        None => format!("; read the stack output with ${{{}:STACK.KEY}}", Source::Cf),
    };
    let mut finding = at.finding(
        Problem::UnresolvableSource,
        reference.target,
        Some(reference.key),
    );
    finding.message = format!(
        "{} cannot be resolved with frameworkVersion {version:?}: {reason}{hint}",
        at.reference
    );
    finding.suggestion = cf;
    finding
}

impl Wrong {
    fn into_finding(self, at: &Place<'_>, catalogue: &Catalogue) -> Finding {
        let reference = &at.reference;
        match self {
            Wrong::Output { service, key } => {
                let outputs = catalogue
                    .service(&service)
                    .map(|s| &s.outputs[..])
                    .unwrap_or(&[]);
                let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
                let suggestion = judge::suggest(&key, &names);
                let hint = hint(suggestion, &names);
                let mut finding = at.finding(Problem::UnknownOutput, &service, Some(&key));
                finding.message =
                    format!("unknown output `{key}` of service `{service}` in {reference}{hint}");
                finding.suggestion = suggestion.map(str::to_owned);
                finding
            }
            Wrong::Service { service, meant } => {
                let mut finding = at.finding(Problem::UnknownService, &service, None);
                finding.message =
                    format!("unknown service `{service}` in {reference}; did you mean `{meant}`?");
                finding.suggestion = Some(meant);
                finding
            }
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

#[cfg(test)]
mod tests;

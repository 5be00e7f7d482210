//! The environment a consumer's manifest sets from our outputs.
//!
//! A variable named like an output's (`INFRA_WORKSPACES_TABLE_ARN`,
//! `infra_model::naming::output_env_var`, what `Output::value()` reads) is a promise: the
//! consumer's Rust code reads it as that output. So under `provider.environment` and each
//! `functions.<name>.environment` such a key must be set from that same output, through a
//! `${cf:}`, `${state:}` or `${output:}` reference, directly or through `${self:...}`
//! (followed in the same file); another output, a literal or another source is reported.

use std::collections::{BTreeMap, BTreeSet};

use infra_check::reader::{Parsed, Pos};
use infra_model::naming;
use serde_json::Value as Json;

use super::catalogue::{self, Catalogue};
use super::framework::Source;
use super::{Finding, Problem, judge, scan};

/// How deep `${self:...}` indirections are followed (a cycle stops here too).
const SELF_DEPTH: usize = 10;

/// One `KEY: value` of an `environment` mapping.
#[derive(Debug)]
pub(super) struct Entry {
    pub key: String,
    pub value: Json,
    pub pos: Pos,
}

/// The environment mappings of a manifest.
#[derive(Debug, Default)]
pub(super) struct Environment {
    pub entries: Vec<Entry>,
    /// Mappings that are no mapping (`environment: ${file(env.yml)}`): their keys are unknown.
    pub opaque: Vec<String>,
}

impl Environment {
    /// The keys set anywhere, or `None` when some mapping cannot be read.
    pub fn keys(&self) -> Option<BTreeSet<&str>> {
        self.opaque
            .is_empty()
            .then(|| self.entries.iter().map(|e| e.key.as_str()).collect())
    }
}

/// `provider.environment` and every `functions.<name>.environment` of a parsed manifest.
pub(super) fn read(parsed: &Parsed) -> Environment {
    let mut env = Environment::default();
    let doc = &parsed.value;
    let mut add = |path: String, value: Option<&Json>| match value {
        None | Some(Json::Null) => {}
        Some(Json::Object(map)) => env.entries.extend(map.iter().map(|(key, value)| {
            Entry {
                key: key.clone(),
                value: value.clone(),
                pos: parsed
                    .spans
                    .find(&format!("{path}.{key}"))
                    .unwrap_or_default(),
            }
        })),
        Some(_) => env.opaque.push(path),
    };
    add(
        "provider.environment".to_owned(),
        doc.pointer("/provider/environment"),
    );
    if let Some(Json::Object(functions)) = doc.get("functions") {
        for (name, function) in functions {
            add(
                format!("functions.{name}.environment"),
                function.get("environment"),
            );
        }
    }
    env
}

/// The output each environment variable name stands for: `(service, output)` by variable.
pub(super) fn variables(catalogue: &Catalogue) -> BTreeMap<String, (&str, &str)> {
    let mut out = BTreeMap::new();
    for service in &catalogue.services {
        for o in &service.outputs {
            let var = naming::output_env_var(&service.service, &o.name);
            out.insert(var, (service.service.as_str(), o.name.as_str()));
        }
    }
    out
}

/// The `${cf:}` reference that reads `output` of `service` at the deploy's stage; it
/// works on every Framework version.
pub(super) fn cf_reference(service: &str, output: &str) -> String {
    let stack = naming::stack_name(service, "${sls:stage}");
    format!("${{{}:{stack}.{output}}}", Source::Cf)
}

/// A finding for each variable named like an output and set from anything else.
pub(super) fn check(
    catalogue: &Catalogue,
    file: &str,
    doc: &Json,
    env: &Environment,
) -> Vec<Finding> {
    let variables = variables(catalogue);
    let mut findings = Vec::new();
    for entry in &env.entries {
        let Some(&(service, output)) = variables.get(&entry.key) else {
            continue;
        };
        let problem = match source(catalogue, doc, &entry.value) {
            Set::Output(s, o) if (s.as_str(), o.as_str()) == (service, output) => continue,
            Set::Unknown => continue,
            Set::Output(s, o) => (
                Problem::EnvFromOtherOutput,
                format!("output `{o}` of service `{s}`"),
            ),
            Set::Other(what) => (Problem::EnvNotFromOutput, what),
        };
        let fix = cf_reference(service, output);
        findings.push(Finding {
            file: file.to_owned(),
            line: entry.pos.line as usize,
            column: entry.pos.column as usize,
            reference: shown(&entry.value),
            problem: problem.0,
            service: service.to_owned(),
            output: Some(output.to_owned()),
            message: format!(
                "{} is set from {}, but the name promises output `{output}` of service `{service}` \
                 (what infra_outputs reads as {}); set it to {fix}",
                entry.key,
                problem.1,
                naming::output_const(output),
            ),
            suggestion: Some(fix),
        });
    }
    findings
}

/// Where an environment value comes from.
enum Set {
    Output(String, String),
    Other(String),
    /// A variable names the service or the key: nothing to judge.
    Unknown,
}

fn source(catalogue: &Catalogue, doc: &Json, value: &Json) -> Set {
    let mut value = value;
    for _ in 0..SELF_DEPTH {
        let Json::String(text) = value else {
            return Set::Other(format!("the literal {}", scan::shown(&value.to_string())));
        };
        let Some(body) = whole_variable(text) else {
            let what = if text.contains("${") {
                "value"
            } else {
                "literal"
            };
            return Set::Other(format!("the {what} {}", scan::shown(&value.to_string())));
        };
        match self_path(&body) {
            Some(path) => match lookup(doc, path) {
                Some(next) => value = next,
                None => return Set::Other(format!("{text}, which names nothing in this file")),
            },
            None => return reference(catalogue, &body, text),
        }
    }
    Set::Unknown
}

/// The flat body of `text` when `text` is one `${...}` variable and nothing else.
fn whole_variable(text: &str) -> Option<String> {
    let text = text.trim();
    let first = scan::variables(text).into_iter().next()?;
    (first.span == (0..text.len())).then_some(first.flat)
}

fn reference(catalogue: &Catalogue, body: &str, text: &str) -> Set {
    let Some(r) = judge::parse(body) else {
        return Set::Other(text.trim().to_owned());
    };
    // A variable in a `${cf:}` stack name is the stage (`infra-${sls:stage}`), told apart
    // by `stack_service`; anywhere else it hides the service or the key.
    if r.key.contains("${") || (r.source != Source::Cf && r.target.contains("${")) {
        return Set::Unknown;
    }
    if let [app, _, _] = r.scope[..]
        && !app.is_empty()
        && app != catalogue.app
    {
        return Set::Other(text.trim().to_owned());
    }
    let service = match r.source {
        Source::Cf => catalogue::stack_service(catalogue, r.target),
        Source::State | Source::Output => catalogue.service(r.target),
    };
    match service {
        Some(s) => Set::Output(s.service.clone(), r.key.to_owned()),
        // `${cf:${self:custom.stack}.x}`: the stack is not known here.
        None if r.target.contains("${") => Set::Unknown,
        None => Set::Other(text.trim().to_owned()),
    }
}

/// `custom.tableArn` of `${self:custom.tableArn}` (a default after a comma is ignored).
fn self_path(body: &str) -> Option<&str> {
    let body = judge::split_once_top(body, ',').map_or(body, |(head, _)| head);
    let path = body.trim().strip_prefix("self:")?.trim();
    (!path.contains("${")).then_some(path)
}

fn lookup<'a>(doc: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(doc, |value, key| match value {
        Json::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => value.get(key),
    })
}

/// A value on one line for messages.
fn shown(value: &Json) -> String {
    match value {
        Json::String(s) => scan::shown(s),
        other => scan::shown(&other.to_string()),
    }
}

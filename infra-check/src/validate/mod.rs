//! Template validation: every rule is a small function that adds to one list
//! of [`Problem`]s, so a run reports all problems at once.

mod constraints;
mod graph;
mod limits;
mod refs;
mod services;

use std::collections::HashMap;

use infra_model::ResourceMeta;
use regress::Regex;
use serde_json::{Map, Value};

use crate::json::Refs;
use crate::problem::Problem;
use crate::registry::Registry;

pub use limits::{INLINE_BODY_LIMIT, S3_BODY_LIMIT, body_size, inline_limit_exceeded};

/// All problems of the template of `stack`, checked against the generated registry.
/// Never panics, whatever the JSON.
pub fn validate(stack: &str, template: &Value) -> Vec<Problem> {
    validate_with(Registry::aws(), stack, template)
}

/// [`validate`] with the metadata of `registry`.
pub fn validate_with(registry: Registry<'_>, stack: &str, template: &Value) -> Vec<Problem> {
    let mut cx = Cx::new(stack);
    let Some(doc) = Doc::read(registry, template, &mut cx) else {
        return cx.problems;
    };
    limits::check_counts(&mut cx, &doc);
    limits::check_size(&mut cx, template);
    limits::check_names(&mut cx, &doc);
    constraints::check(&mut cx, &doc);
    services::check(&mut cx, &doc);
    refs::check(&mut cx, &doc);
    graph::check_cycles(&mut cx, &doc);
    limits::check_exports(&mut cx, &doc);
    cx.problems
}

/// [`validate`] for every stack of an app, plus export names unique across stacks.
pub fn validate_app(stacks: &[(String, Value)]) -> Vec<Problem> {
    validate_app_with(Registry::aws(), stacks)
}

/// [`validate_app`] with the metadata of `registry`.
pub fn validate_app_with(registry: Registry<'_>, stacks: &[(String, Value)]) -> Vec<Problem> {
    let mut problems: Vec<Problem> = stacks
        .iter()
        .flat_map(|(stack, template)| validate_with(registry, stack, template))
        .collect();
    problems.extend(limits::check_app_exports(stacks));
    problems
}

/// The state of one validation run.
pub(crate) struct Cx<'s> {
    pub stack: &'s str,
    pub problems: Vec<Problem>,
    regexes: HashMap<&'static str, Option<Regex>>,
}

impl<'s> Cx<'s> {
    fn new(stack: &'s str) -> Self {
        Cx {
            stack,
            problems: Vec::new(),
            regexes: HashMap::new(),
        }
    }

    /// A problem of rule `rule` at `path`, to complete with `value`/`allowed`.
    pub(crate) fn problem(
        &self,
        rule: &'static str,
        logical_id: Option<&str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            stack: self.stack.to_owned(),
            logical_id: logical_id.map(str::to_owned),
            path: path.into(),
            value: None,
            message: message.into(),
            allowed: None,
            rule,
        }
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// The compiled `pattern`, `None` when the `regex` crate cannot compile it
    /// (look-around, back-references): such patterns are skipped.
    pub(crate) fn regex(&mut self, pattern: &'static str) -> Option<&Regex> {
        self.regexes
            .entry(pattern)
            .or_insert_with(|| Regex::new(pattern).ok())
            .as_ref()
    }
}

impl Problem {
    pub(crate) fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub(crate) fn with_allowed(mut self, allowed: impl Into<String>) -> Self {
        self.allowed = Some(allowed.into());
        self
    }
}

/// One entry of `Resources`, read once.
pub(crate) struct Res<'t> {
    pub id: &'t str,
    pub entry: &'t Map<String, Value>,
    pub type_name: &'t str,
    pub meta: Option<&'t ResourceMeta>,
    /// `Properties`, when it is an object.
    pub properties: Option<&'t Map<String, Value>>,
    /// References made by `Properties`.
    pub refs: Refs,
}

impl Res<'_> {
    pub(crate) fn path(&self) -> String {
        format!("Resources.{}", self.id)
    }

    pub(crate) fn property(&self, name: &str) -> Option<&Value> {
        self.properties?.get(name)
    }
}

/// The parts of a template the rules read.
pub(crate) struct Doc<'t> {
    pub resources: Vec<Res<'t>>,
    pub parameters: Option<&'t Map<String, Value>>,
    pub conditions: Option<&'t Map<String, Value>>,
    pub outputs: Option<&'t Map<String, Value>>,
    /// Index of each logical ID in `resources`.
    pub index: HashMap<&'t str, usize>,
}

impl<'t> Doc<'t> {
    /// Reads `template`, reporting what is too malformed to check further.
    fn read(registry: Registry<'t>, template: &'t Value, cx: &mut Cx<'_>) -> Option<Self> {
        let Some(top) = template.as_object() else {
            cx.push(cx.problem("E-structure", None, "", "a template must be a JSON object"));
            return None;
        };
        let resources = match top.get("Resources") {
            Some(Value::Object(map)) if !map.is_empty() => map,
            _ => {
                let message = "a template needs a Resources object with at least one resource";
                cx.push(cx.problem("E-structure", None, "Resources", message));
                return None;
            }
        };
        let resources: Vec<Res<'t>> = resources
            .iter()
            .filter_map(|(id, entry)| read_resource(registry, id, entry, cx))
            .collect();
        Some(Doc {
            index: resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id, i))
                .collect(),
            resources,
            parameters: section(top, "Parameters", cx),
            conditions: section(top, "Conditions", cx),
            outputs: section(top, "Outputs", cx),
        })
    }

    pub(crate) fn is_parameter(&self, name: &str) -> bool {
        self.parameters.is_some_and(|p| p.contains_key(name))
    }

    pub(crate) fn is_condition(&self, name: &str) -> bool {
        self.conditions.is_some_and(|c| c.contains_key(name))
    }

    pub(crate) fn resource(&self, id: &str) -> Option<&Res<'t>> {
        self.index.get(id).map(|&i| &self.resources[i])
    }
}

/// An optional top-level section, which must be an object when present.
fn section<'t>(
    top: &'t Map<String, Value>,
    name: &str,
    cx: &mut Cx<'_>,
) -> Option<&'t Map<String, Value>> {
    match top.get(name)? {
        Value::Object(map) => Some(map),
        _ => {
            let message = format!("{name} must be an object");
            cx.push(cx.problem("E-structure", None, name, message));
            None
        }
    }
}

/// One resource, or `None` (reported) when it has no object form or no `Type`.
fn read_resource<'t>(
    registry: Registry<'t>,
    id: &'t str,
    entry: &'t Value,
    cx: &mut Cx<'_>,
) -> Option<Res<'t>> {
    let path = format!("Resources.{id}");
    let Some(entry) = entry.as_object() else {
        cx.push(cx.problem(
            "E-structure",
            Some(id),
            path,
            "a resource must be an object",
        ));
        return None;
    };
    let Some(type_name) = entry.get("Type").and_then(Value::as_str) else {
        let message = "a resource needs a Type string";
        cx.push(cx.problem("E-structure", Some(id), path + ".Type", message));
        return None;
    };
    let properties = match entry.get("Properties") {
        None => None,
        Some(Value::Object(map)) => Some(map),
        Some(_) => {
            let message = "Properties must be an object";
            cx.push(cx.problem("E-structure", Some(id), path + ".Properties", message));
            None
        }
    };
    let mut refs = Refs::default();
    if let Some(props) = entry.get("Properties") {
        let mut props_path = format!("Resources.{id}.Properties");
        refs.collect(props, &mut props_path, false);
    }
    Some(Res {
        id,
        entry,
        type_name,
        meta: registry.lookup(type_name),
        properties,
        refs,
    })
}

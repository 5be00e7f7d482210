//! Template validation: every rule is a small function that adds to one list
//! of [`Problem`]s, so a run reports all problems at once.

mod graph;
mod iam;
mod limits;
mod refs;
mod resources;
mod schema;
mod sections;
mod services;
mod shared_policy;
mod types;

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::json::Refs;
use crate::problem::Problem;
use crate::reader::Parsed;

pub use limits::{
    INLINE_BODY_LIMIT, S3_BODY_LIMIT, body_size, check_app_exports, inline_limit_exceeded,
};
pub use types::{RegistryTypes, TypeSource, default_types};

/// All problems of the template of `stack`, checked against the registry.
/// Never panics, whatever the JSON.
pub fn validate(stack: &str, template: &Value) -> Vec<Problem> {
    validate_with(default_types(), stack, template)
}

/// [`validate`] with the type knowledge of `types`.
pub fn validate_with(types: &dyn TypeSource, stack: &str, template: &Value) -> Vec<Problem> {
    validate_noting(types, stack, template).0
}

/// [`validate`], and the notes on what was skipped (transforms).
pub fn validate_noting(
    types: &dyn TypeSource,
    stack: &str,
    template: &Value,
) -> (Vec<Problem>, Vec<String>) {
    run(Cx::new(stack, Some(stack), types), template)
}

/// Every rule on `template`.
fn run(mut cx: Cx<'_>, template: &Value) -> (Vec<Problem>, Vec<String>) {
    sections::check_top(&mut cx, template);
    let Some(doc) = Doc::read(template, &mut cx) else {
        return (cx.problems, cx.notes);
    };
    sections::check(&mut cx, &doc, template);
    resources::check(&mut cx, &doc);
    limits::check_counts(&mut cx, &doc);
    limits::check_size(&mut cx, template);
    limits::check_names(&mut cx, &doc);
    services::check(&mut cx, &doc);
    iam::check(&mut cx, &doc);
    shared_policy::check(&mut cx, &doc);
    refs::check(&mut cx, &doc);
    graph::check_cycles(&mut cx, &doc);
    limits::check_exports(&mut cx, &doc);
    (cx.problems, cx.notes)
}

/// A file read by [`crate::reader`]: its duplicate keys and every problem
/// of its template, each located by line and column; and the notes.
/// `stack` is the stack name `AWS::StackName` stands for, when known.
pub fn validate_parsed(
    types: &dyn TypeSource,
    file: &str,
    stack: Option<&str>,
    parsed: &Parsed,
) -> (Vec<Problem>, Vec<String>) {
    let duplicate = |path: &str, pos, message: String| Problem {
        stack: file.to_owned(),
        logical_id: None,
        path: path.to_owned(),
        value: None,
        message,
        allowed: None,
        rule: "E-duplicate-key",
        pos: Some(pos),
    };
    let mut problems = Vec::new();
    for (i, d) in parsed.duplicates.iter().enumerate() {
        if !parsed.duplicates[..i].iter().any(|e| e.path == d.path) {
            let message = "is defined again below".to_owned();
            problems.push(duplicate(&d.path, d.first, message));
        }
        let message = format!("is a duplicate key (first at line {})", d.first.line);
        problems.push(duplicate(&d.path, d.pos, message));
    }
    let (found, notes) = run(Cx::new(file, stack, types), &parsed.value);
    problems.extend(found.into_iter().map(|mut p| {
        p.pos = parsed.spans.find(&p.path);
        p
    }));
    (problems, notes)
}

/// [`validate`] for every stack of an app, plus export names unique across stacks.
pub fn validate_app(stacks: &[(String, Value)]) -> Vec<Problem> {
    validate_app_with(default_types(), stacks)
}

/// [`validate_app`] with the type knowledge of `types`.
pub fn validate_app_with(types: &dyn TypeSource, stacks: &[(String, Value)]) -> Vec<Problem> {
    let mut problems: Vec<Problem> = stacks
        .iter()
        .flat_map(|(stack, template)| validate_with(types, stack, template))
        .collect();
    problems.extend(limits::check_app_exports(stacks));
    problems
}

/// The state of one validation run.
pub(crate) struct Cx<'s> {
    /// How problems name the template: its stack or its file.
    pub stack: &'s str,
    /// The stack name `AWS::StackName` gives, when known.
    pub stack_name: Option<&'s str>,
    pub types: &'s dyn TypeSource,
    pub problems: Vec<Problem>,
    /// What was skipped and why, for the user.
    pub notes: Vec<String>,
}

impl<'s> Cx<'s> {
    fn new(stack: &'s str, stack_name: Option<&'s str>, types: &'s dyn TypeSource) -> Self {
        Cx {
            stack,
            stack_name,
            types,
            problems: Vec::new(),
            notes: Vec::new(),
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
            pos: None,
        }
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
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

/// The transforms a template declares that change what it means.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Transforms {
    /// `AWS::Serverless-2016-10-31`: SAM types and the resources SAM adds.
    pub sam: bool,
    /// `AWS::LanguageExtensions`: `Fn::ForEach`, `Fn::Length`, ... .
    pub language: bool,
    /// Any other transform (a macro): anything may change.
    pub other: bool,
    /// A module (`X::Y::Z::MODULE`) is used: it adds resources.
    pub modules: bool,
}

impl Transforms {
    /// Whether names may appear that the template does not declare.
    pub(crate) fn adds_names(&self) -> bool {
        self.sam || self.language || self.other || self.modules
    }
}

/// The parts of a template the rules read.
pub(crate) struct Doc<'t> {
    pub resources: Vec<Res<'t>>,
    pub parameters: Option<&'t Map<String, Value>>,
    pub conditions: Option<&'t Map<String, Value>>,
    pub mappings: Option<&'t Map<String, Value>>,
    pub outputs: Option<&'t Map<String, Value>>,
    pub transforms: Transforms,
    /// Index of each logical ID in `resources`.
    pub index: HashMap<&'t str, usize>,
}

impl<'t> Doc<'t> {
    /// Reads `template`, reporting what is too malformed to check further.
    fn read(template: &'t Value, cx: &mut Cx<'_>) -> Option<Self> {
        let Some(top) = template.as_object() else {
            cx.push(cx.problem("E-structure", None, "", "a template must be a JSON object"));
            return None;
        };
        let transforms = transforms(top.get("Transform"), cx);
        let resources = match top.get("Resources") {
            Some(Value::Object(map)) => map,
            _ => {
                let message = "a template needs a Resources object with at least one resource";
                cx.push(cx.problem("E-structure", None, "Resources", message));
                return None;
            }
        };
        if resources.is_empty() {
            let note = format!(
                "{}: Resources is empty; CloudFormation refuses a template without resources",
                cx.stack
            );
            cx.notes.push(note);
        }
        let mut read = Vec::new();
        for (id, entry) in resources {
            if !for_each(id, transforms, cx)
                && let Some(res) = read_resource(id, entry, cx)
            {
                read.push(res);
            }
        }
        let resources = read;
        let mut transforms = transforms;
        transforms.modules = resources.iter().any(|r| r.type_name.ends_with("::MODULE"));
        Some(Doc {
            index: resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id, i))
                .collect(),
            resources,
            parameters: section(top, "Parameters", cx),
            conditions: section(top, "Conditions", cx),
            mappings: section(top, "Mappings", cx),
            outputs: section(top, "Outputs", cx),
            transforms,
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

/// The transforms of `Transform` (a name, a list, or `{Name: ...}` entries).
fn transforms(v: Option<&Value>, cx: &mut Cx<'_>) -> Transforms {
    let mut t = Transforms::default();
    let names: Vec<&Value> = match v {
        None => return t,
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    for (i, name) in names.into_iter().enumerate() {
        let form = name.is_string()
            || name.as_object().is_some_and(|m| {
                m.get("Name").is_some_and(Value::is_string)
                    && m.keys().all(|k| k == "Name" || k == "Parameters")
            });
        if !form {
            let path = if v.is_some_and(Value::is_array) {
                format!("Transform[{i}]")
            } else {
                "Transform".to_owned()
            };
            let message = "is not a transform: a name, or {Name, Parameters}";
            cx.push(
                cx.problem("E-transform", None, path, message)
                    .with_value(crate::problem::show(name)),
            );
        }
        match name.as_str().or_else(|| name.get("Name")?.as_str()) {
            Some("AWS::Serverless-2016-10-31") => t.sam = true,
            Some("AWS::LanguageExtensions") => t.language = true,
            _ => t.other = true,
        }
    }
    if t.adds_names() {
        cx.notes.push(format!(
            "{}: the template uses a transform; references to names it does not declare are not checked{}",
            cx.stack,
            if t.sam { ", nor the SAM resource types (AWS::Serverless::*)" } else { "" }
        ));
    }
    t
}

/// `Fn::ForEach::Name` entries of `AWS::LanguageExtensions`: collections
/// that expand into resources or outputs at deploy; they are not checked.
pub(crate) fn for_each(key: &str, transforms: Transforms, cx: &mut Cx<'_>) -> bool {
    if !key.starts_with("Fn::ForEach::") {
        return false;
    }
    if !transforms.language {
        let message = "Fn::ForEach needs the AWS::LanguageExtensions transform";
        cx.push(cx.problem("E-transform", None, format!("Resources.{key}"), message));
    }
    true
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
fn read_resource<'t>(id: &'t str, entry: &'t Value, cx: &mut Cx<'_>) -> Option<Res<'t>> {
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
        properties,
        refs,
    })
}

//! Runtime support for generated code (`#[derive(Stack)]` expansions and the
//! generated resource types). Not a public API: it may change at any time.

pub use serde;
pub use serde_json;

use crate::intrinsic::sub;
use crate::resource::{Handle, Resource};
use crate::stack::OutputSpec;
use crate::template::{
    DeletionPolicy, Export, Output, ResourceEntry, Template, UpdateReplacePolicy,
};
use crate::value::Json;

/// Resource attributes declared on a stack field with `#[resource(..)]`.
#[derive(Debug, Default)]
pub struct ResourceOptions {
    pub depends_on: &'static [&'static str],
    pub deletion_policy: Policy<DeletionPolicy>,
    pub update_replace_policy: Policy<UpdateReplacePolicy>,
    pub condition: Option<&'static str>,
}

/// A policy as a field declares it.
#[derive(Debug, Default, Clone, Copy)]
pub enum Policy<P> {
    /// Not said: the house default applies.
    #[default]
    Default,
    /// `"absent"`: no attribute in the template, whatever the default.
    Absent,
    /// A value.
    Set(P),
}

impl<P> Policy<P> {
    /// The policy written to the template; `default` when not said.
    fn or(self, default: Option<P>) -> Option<P> {
        match self {
            Policy::Default => default,
            Policy::Absent => None,
            Policy::Set(p) => Some(p),
        }
    }
}

/// Builds a stack's template field by field, applying the house defaults.
#[derive(Debug)]
pub struct TemplateBuilder {
    template: Template,
}

impl TemplateBuilder {
    pub fn new(description: Option<&str>) -> Self {
        let template = Template {
            description: description.map(str::to_owned),
            ..Template::default()
        };
        TemplateBuilder { template }
    }

    /// Adds `resource` as `logical_id`. A type that holds data gets `Retain`
    /// for both policies unless the field says otherwise; an unsaid
    /// `UpdateReplacePolicy` follows the `DeletionPolicy` (absent with it).
    pub fn resource<R: Resource>(&mut self, logical_id: &str, resource: &R, opts: ResourceOptions) {
        let default = R::HOLDS_DATA.then_some(DeletionPolicy::Retain);
        let mut properties = to_json(resource);
        let mut depends_on: Vec<String> = opts.depends_on.iter().map(|s| (*s).to_owned()).collect();
        take_after(&mut properties, &mut depends_on);
        let mut entry = ResourceEntry::new(resource.type_name(), properties);
        entry.depends_on = depends_on;
        entry.deletion_policy = opts.deletion_policy.or(default);
        entry.update_replace_policy = opts
            .update_replace_policy
            .or(entry.deletion_policy.map(UpdateReplacePolicy::from));
        entry.condition = opts.condition.map(str::to_owned);
        self.template.resources.insert(logical_id.to_owned(), entry);
    }

    /// Adds an output exported as `{stack name}-{output name}`, unique per
    /// account and region because stack names are.
    pub fn output(&mut self, spec: &OutputSpec, value: Json) {
        let export = Export {
            name: sub(crate::naming::export_name("${AWS::StackName}", spec.name)).into(),
        };
        let output = Output {
            description: (!spec.description.is_empty()).then(|| spec.description.to_owned()),
            condition: None,
            value,
            export: Some(export),
        };
        self.template.outputs.insert(spec.name.to_owned(), output);
    }

    pub fn finish(self) -> Template {
        self.template
    }
}

/// Replaces each [`Intrinsic::After`](crate::Intrinsic::After) marker in
/// `json` with its value and appends its logical IDs to `depends_on` (each once,
/// in the order met): the dependencies a value carries become the `DependsOn`
/// of the resource that holds it.
pub fn take_after(json: &mut Json, depends_on: &mut Vec<String>) {
    if let Some((ids, value)) = after_marker(json) {
        for id in ids {
            if !depends_on.contains(&id) {
                depends_on.push(id);
            }
        }
        *json = value;
        return take_after(json, depends_on);
    }
    match json {
        Json::Array(items) => items.iter_mut().for_each(|v| take_after(v, depends_on)),
        Json::Object(map) => map.values_mut().for_each(|v| take_after(v, depends_on)),
        _ => {}
    }
}

/// [`take_after`] for every resource of `template`: what a stack's
/// `customize` hook added resolves like what its fields hold.
pub fn resolve_after(template: &mut Template) {
    for entry in template.resources.values_mut() {
        take_after(&mut entry.properties, &mut entry.depends_on);
    }
}

/// The IDs and value of `{"Infra::After": [[ids], value]}`.
fn after_marker(json: &Json) -> Option<(Vec<String>, Json)> {
    let map = json.as_object().filter(|m| m.len() == 1)?;
    let [ids, value] = map.get(crate::intrinsic::AFTER_KEY)?.as_array()?.as_slice() else {
        return None;
    };
    let ids = ids
        .as_array()?
        .iter()
        .map(|id| id.as_str().map(str::to_owned));
    Some((ids.collect::<Option<_>>()?, value.clone()))
}

/// Serializes generated resource properties. Generated types have string keys
/// only, so this cannot fail.
pub fn to_json<T: serde::Serialize>(value: &T) -> Json {
    serde_json::to_value(value).expect("generated resource types serialize to JSON")
}

/// `<T as IsResource>::Type` is `T` when `T` is a resource type. `#[derive(Stack)]`
/// spells every field type this way, spanned on the type: a field that is not a
/// resource is then one error (the `Resource` trait's own message) on its type,
/// instead of one per place the expansion uses it.
pub trait IsResource {
    type Type: Resource;
}

impl<R: Resource> IsResource for R {
    type Type = R;
}

// Handle operations as free functions: called with a checked type that is
// not a resource, a method call would fail with an error of its own, while
// these are silenced by the one `IsResource` error.

/// `Handle::new`.
pub const fn handle<R: Resource>(logical_id: &'static str) -> Handle<R> {
    Handle::new(logical_id)
}

/// The value of an output that reads the GetAtt `attribute` of `logical_id`.
pub fn get_att(logical_id: &str, attribute: &str) -> Json {
    crate::Intrinsic::GetAtt(logical_id.to_owned(), Box::new(attribute.into())).into()
}

/// The value of an output that reads the `Ref` of `logical_id`.
pub fn r#ref(logical_id: &str) -> Json {
    crate::Intrinsic::Ref(logical_id.to_owned()).into()
}

/// The GetAtt name of the attribute `key` (as written in `#[output(key = ..)]`)
/// of `R`, or `None` when `R` has no such attribute; `key` itself for a type
/// that accepts any attribute. A `const fn`, so that `#[derive(Stack)]` checks
/// keys at compile time.
pub const fn attribute<R: Resource>(key: &'static str) -> Option<&'static str> {
    if R::ANY_ATTRIBUTE {
        return Some(key);
    }
    let mut i = 0;
    while i < R::ATTRIBUTES.len() {
        let (k, name) = R::ATTRIBUTES[i];
        if str_eq(k, key) {
            return Some(name);
        }
        i += 1;
    }
    None
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

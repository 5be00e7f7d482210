//! From a CloudFormation template to Rust: one `#[derive(Stack)]` struct on
//! the typed model (`Table::new(key_schema).table_name(..)`), typed handles for
//! references between its resources, typed intrinsics for the rest, and a
//! `customize` hook that adds parameters, rules, mappings, conditions,
//! metadata and outputs exactly as the input has them. Nothing is inlined or
//! evaluated: the stack synthesizes back to the input.
//!
//! What cannot be represented (macros, `Fn::ForEach`, Rain directives, types
//! outside the registry) is refused up front, every instance at once, each
//! with its template path and position. A registry resource whose value the
//! typed builders cannot express falls back, for that resource only, to
//! `Untyped`, with a note naming the property.

mod emit;
mod expr;
mod names;
mod refuse;
mod resource;
mod sections;

use std::collections::BTreeSet;

use infra_check::reader::Parsed;

/// What to call the imported stack.
#[derive(Clone, Debug)]
pub struct Options {
    /// The app the stack belongs to (`api`).
    pub app: String,
    /// The service, kebab-case (`billing`): the module, the struct and the stack name.
    pub service: String,
}

/// An imported stack: the Rust file and what it needs.
#[derive(Clone, Debug)]
pub struct Imported {
    /// `billing`: the file `stacks/src/billing.rs`, `pub mod billing;`.
    pub module: String,
    /// `Billing`; its constructor is `Billing::new(&StackContext) -> Self`.
    pub struct_name: String,
    /// The whole formatted `.rs` file.
    pub source: String,
    /// The `infra-model` features it needs besides `derive` (`sqs`, ...).
    pub features: BTreeSet<String>,
    /// What the user should know: fallbacks to `Untyped`, anything left out.
    pub notes: Vec<String>,
}

/// Why a template, or a part of it, cannot be imported.
pub use infra_check::reader::Refusal;

/// Imports `template` as the stack `opts.service` of `opts.app`.
pub fn import(template: &Parsed, opts: &Options) -> Result<Imported, Vec<Refusal>> {
    let names = names::StackNames::new(&opts.service).map_err(|message| {
        vec![Refusal {
            path: String::new(),
            pos: None,
            message,
        }]
    })?;
    let mut refusals = refuse::scan(&template.value);
    let resources = resource::plan(&template.value, &mut refusals);
    sections::check(&template.value, &mut refusals);
    if !refusals.is_empty() {
        for r in &mut refusals {
            r.pos = template.spans.find(&r.path);
        }
        refusals.sort_by(|a, b| (a.pos, &a.path).cmp(&(b.pos, &b.path)));
        return Err(refusals);
    }
    Ok(emit::file(&template.value, opts, &names, &resources))
}

/// A refusal at `path`, located later from the template's spans.
fn refusal(path: &str, message: impl Into<String>) -> Refusal {
    Refusal {
        path: path.to_owned(),
        pos: None,
        message: message.into(),
    }
}

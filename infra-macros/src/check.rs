//! Checks across attributes and fields, on the parsed model: names that
//! CloudFormation would reject, duplicates, `depends_on` targets.

use std::collections::HashMap;

use proc_macro2::Span;
use syn::LitStr;

use crate::ast::{Field, Stack};
use crate::attr::list;
use crate::ctxt::Ctxt;

/// Runs every check; each problem is one error in `cx`.
pub fn check(cx: &Ctxt, stack: &Stack<'_>) {
    stack_names(cx, stack);
    logical_ids(cx, stack);
    output_names(cx, stack);
    for field in &stack.fields {
        depends_on(cx, stack, field);
        if let Some(condition) = &field.opts.condition {
            condition_name(cx, &condition.value(), condition.span());
        }
    }
}

/// `app` and `service` are required and end up in stack and resource names.
fn stack_names(cx: &Ctxt, stack: &Stack<'_>) {
    let attrs = &stack.attrs;
    if attrs.app.is_none() && attrs.service.is_none() {
        let msg = "missing #[stack(app = \"..\", service = \"..\")]";
        return cx.error_spanned_by(stack.ident, msg);
    }
    for (key, value) in [("app", &attrs.app), ("service", &attrs.service)] {
        match value {
            Some(lit) => kebab(cx, key, lit),
            None => cx.error_spanned_by(stack.ident, format!("missing `{key}` in #[stack(..)]")),
        }
    }
}

/// Lowercase letters, digits and `-`, as in `infra-prod`.
fn kebab(cx: &Ctxt, key: &str, lit: &LitStr) {
    let value = lit.value();
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if value.is_empty() || !value.chars().all(ok) {
        let msg = format!("invalid {key} `{value}`, expected lowercase letters, digits and `-`");
        cx.error_spanned_by(lit, msg);
    }
}

/// Logical IDs are valid and unique; the later of two duplicates is the error.
fn logical_ids(cx: &Ctxt, stack: &Stack<'_>) {
    let mut seen: HashMap<String, &Field<'_>> = HashMap::new();
    for field in &stack.fields {
        let id = field.logical_id();
        alphanumeric(cx, "logical id", &id, field.logical_id_span());
        if let Some(first) = seen.insert(id.clone(), field) {
            let msg = format!(
                "duplicate logical id `{id}`, also used by field `{}`",
                first.ident
            );
            cx.error_at(field.logical_id_span(), msg);
        }
    }
}

/// Output names are a contract with consumers: valid and unique in the stack.
fn output_names(cx: &Ctxt, stack: &Stack<'_>) {
    let mut seen = HashMap::new();
    for (_, output) in stack.outputs() {
        let name = output.name.value();
        alphanumeric(cx, "output name", &name, output.name.span());
        if seen.insert(name.clone(), ()).is_some() {
            cx.error_spanned_by(&output.name, format!("duplicate output name `{name}`"));
        }
    }
}

/// `depends_on` names other fields of the same struct.
fn depends_on(cx: &Ctxt, stack: &Stack<'_>, field: &Field<'_>) {
    for target in &field.opts.depends_on {
        if target == field.ident {
            cx.error_spanned_by(target, "a resource cannot depend on itself");
        } else if stack.field(target).is_none() {
            let others = stack.fields.iter().filter(|f| f.ident != field.ident);
            let fields: Vec<String> = others.map(|f| f.ident.to_string()).collect();
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            let msg = format!(
                "unknown field `{target}` in depends_on, expected one of {}",
                list(&fields)
            );
            cx.error_spanned_by(target, msg);
        }
    }
}

/// CloudFormation's rule for logical IDs and output names:
/// 1 to 255 ASCII letters and digits.
fn alphanumeric(cx: &Ctxt, what: &str, value: &str, span: Span) {
    let ok = (1..=255).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric());
    if !ok {
        let msg = format!("invalid {what} `{value}`, expected 1 to 255 ASCII letters and digits");
        cx.error_at(span, msg);
    }
}

/// Condition names are looser than logical IDs: CloudFormation also accepts `&`
/// and `_` (AWS's own VPC Quick Start deploys `PrivateSubnets&3AZCondition`);
/// this is cfn-lint's pattern for the Conditions section (E8001,
/// `schemas/other/conditions/conditions.json`: `^[a-zA-Z0-9&_]{1,255}$`).
fn condition_name(cx: &Ctxt, value: &str, span: Span) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '&' | '_');
    if !(1..=255).contains(&value.len()) || !value.chars().all(allowed) {
        let msg = format!(
            "invalid condition name `{value}`, expected 1 to 255 ASCII letters, digits, `&` and `_`"
        );
        cx.error_at(span, msg);
    }
}

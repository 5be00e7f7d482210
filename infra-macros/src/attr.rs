//! Parsing of the helper attributes `#[stack]`, `#[output]` and `#[resource]`.
//!
//! A malformed key ends the parse of its attribute (the rest of it cannot be
//! trusted); a well-formed key with a bad value is reported and parsing goes on.

use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitStr, Path};

use crate::ast::{OutputDecl, ResourceOpts, StackAttrs};
use crate::ctxt::Ctxt;

const STACK_KEYS: &[&str] = &["app", "service", "description", "customize"];
const RESOURCE_KEYS: &[&str] = &[
    "logical_id",
    "depends_on",
    "deletion_policy",
    "update_replace_policy",
    "condition",
];
/// The variants of `infra_model::DeletionPolicy`, and `absent`: no attribute
/// at all, not even the house `Retain` of a resource that holds data.
const DELETION_POLICIES: &[&str] = &[
    "Delete",
    "Retain",
    "RetainExceptOnCreate",
    "Snapshot",
    ABSENT,
];
/// The variants of `infra_model::UpdateReplacePolicy` (CloudFormation has no
/// `RetainExceptOnCreate` for replacements), and `absent`.
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot", ABSENT];
/// The policy value that leaves the attribute out of the template.
pub const ABSENT: &str = "absent";

/// `#[stack(..)]` attributes of the struct; the helpers of fields are misplaced here.
pub fn stack_attrs(cx: &Ctxt, attrs: &[Attribute]) -> StackAttrs {
    let mut out = StackAttrs::default();
    for attr in attrs {
        if attr.path().is_ident("stack") {
            let parsed = attr.parse_nested_meta(|meta| stack_key(cx, &mut out, &meta));
            parsed.unwrap_or_else(|e| cx.syn_error(e));
        } else if is_field_helper(attr) {
            misplaced(cx, attr, "a field");
        }
    }
    out
}

fn stack_key(cx: &Ctxt, out: &mut StackAttrs, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    let slot = match key(meta).as_str() {
        "app" => &mut out.app,
        "service" => &mut out.service,
        "description" => &mut out.description,
        "customize" => return set(cx, meta, &mut out.customize, meta.value()?.parse()?),
        _ => return Err(unknown_key(meta, "stack", STACK_KEYS)),
    };
    set(cx, meta, slot, meta.value()?.parse()?)
}

/// `#[output(..)]` and `#[resource(..)]` attributes of a field.
pub fn field_attrs(cx: &Ctxt, attrs: &[Attribute]) -> (Vec<OutputDecl>, ResourceOpts) {
    let mut outputs = Vec::new();
    let mut opts = ResourceOpts::default();
    for attr in attrs {
        if attr.path().is_ident("output") {
            outputs.extend(output(cx, attr));
        } else if attr.path().is_ident("resource") {
            let parsed = attr.parse_nested_meta(|meta| resource_key(cx, &mut opts, &meta));
            parsed.unwrap_or_else(|e| cx.syn_error(e));
        } else if attr.path().is_ident("stack") {
            misplaced(cx, attr, "the struct");
        }
    }
    (outputs, opts)
}

/// The outputs of one `#[output(Attr = "name", .., description = "..")]`.
fn output(cx: &Ctxt, attr: &Attribute) -> Vec<OutputDecl> {
    let mut pairs: Vec<(Ident, LitStr)> = Vec::new();
    let mut description: Option<(Path, LitStr)> = None;
    let parsed = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("description") {
            let value = meta.value()?.parse()?;
            return set(cx, &meta, &mut description, (meta.path.clone(), value));
        }
        let key = output_key(&meta)?;
        pairs.push((key, meta.value()?.parse()?));
        Ok(())
    });
    if let Err(e) = parsed {
        cx.syn_error(e);
        return Vec::new();
    }
    check_output_shape(cx, attr, &pairs, description.as_ref().map(|d| &d.0));
    let description = description.map(|d| d.1);
    let decl = |(key, name)| OutputDecl {
        key,
        name,
        description: description.clone(),
    };
    pairs.into_iter().map(decl).collect()
}

/// An output key names a GetAtt attribute (`Arn`) or `Ref`: a PascalCase
/// ident. Whether the resource type has it is checked by the compiler.
fn output_key(meta: &ParseNestedMeta<'_>) -> syn::Result<Ident> {
    let ident = meta.path.get_ident().filter(|i| starts_uppercase(i));
    ident.cloned().ok_or_else(|| {
        let key = path_string(&meta.path);
        meta.error(format!(
            "unknown key `{key}` in #[output], expected `Ref`, a GetAtt attribute of the resource type such as `Arn`, or `description`"
        ))
    })
}

fn starts_uppercase(ident: &Ident) -> bool {
    ident
        .to_string()
        .starts_with(|c: char| c.is_ascii_uppercase())
}

/// One output at least; a description belongs to exactly one output.
fn check_output_shape(
    cx: &Ctxt,
    attr: &Attribute,
    pairs: &[(Ident, LitStr)],
    description: Option<&Path>,
) {
    if pairs.is_empty() {
        let msg = "#[output] needs an output, such as #[output(Arn = \"tableArn\")]";
        cx.error_spanned_by(attr, msg);
    } else if let (Some(description), true) = (description, pairs.len() > 1) {
        let msg = "a description belongs to one output: write one #[output(..)] per output";
        cx.error_spanned_by(description, msg);
    }
}

fn resource_key(cx: &Ctxt, opts: &mut ResourceOpts, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    match key(meta).as_str() {
        "logical_id" => set(cx, meta, &mut opts.logical_id, meta.value()?.parse()?),
        "condition" => set(cx, meta, &mut opts.condition, meta.value()?.parse()?),
        "deletion_policy" => policy(cx, meta, DELETION_POLICIES, &mut opts.deletion_policy),
        "update_replace_policy" => policy(
            cx,
            meta,
            UPDATE_REPLACE_POLICIES,
            &mut opts.update_replace_policy,
        ),
        "depends_on" => meta.parse_nested_meta(|target| {
            opts.depends_on.push(target.path.require_ident()?.clone());
            Ok(())
        }),
        _ => Err(unknown_key(meta, "resource", RESOURCE_KEYS)),
    }
}

/// A policy name out of `allowed`, kept as the variant ident spanned on the string.
fn policy(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    allowed: &[&str],
    slot: &mut Option<Ident>,
) -> syn::Result<()> {
    let value: LitStr = meta.value()?.parse()?;
    if !allowed.contains(&value.value().as_str()) {
        let mut msg = format!(
            "unknown {} `{}`, expected one of {}",
            key(meta),
            value.value(),
            list(allowed)
        );
        if let Some(close) = closest(&value.value(), allowed) {
            msg.push_str(&format!("; did you mean `{close}`?"));
        }
        cx.error_spanned_by(&value, msg);
        return Ok(());
    }
    set(cx, meta, slot, Ident::new(&value.value(), value.span()))
}

/// The allowed value `value` most likely misspells: the same but for case,
/// or one or two edits away (`absnet`, `Retian`).
fn closest<'a>(value: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let lower = value.to_lowercase();
    let distance = |a: &str| strsim::damerau_levenshtein(&lower, &a.to_lowercase());
    let best = allowed.iter().copied().min_by_key(|a| distance(a))?;
    (distance(best) <= 2.min(best.len() / 3)).then_some(best)
}

/// Stores the value of a key that may appear once.
fn set<T>(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    slot: &mut Option<T>,
    value: T,
) -> syn::Result<()> {
    if slot.is_some() {
        cx.error_spanned_by(&meta.path, format!("duplicate `{}`", key(meta)));
    } else {
        *slot = Some(value);
    }
    Ok(())
}

fn is_field_helper(attr: &Attribute) -> bool {
    attr.path().is_ident("output") || attr.path().is_ident("resource")
}

fn misplaced(cx: &Ctxt, attr: &Attribute, place: &str) {
    let name = path_string(attr.path());
    cx.error_spanned_by(attr, format!("#[{name}] belongs on {place}"));
}

fn unknown_key(meta: &ParseNestedMeta<'_>, attr: &str, allowed: &[&str]) -> syn::Error {
    let key = path_string(&meta.path);
    meta.error(format!(
        "unknown key `{key}` in #[{attr}], expected one of {}",
        list(allowed)
    ))
}

fn key(meta: &ParseNestedMeta<'_>) -> String {
    path_string(&meta.path)
}

fn path_string(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// `` `a`, `b`, `c` ``
pub fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    quoted.join(", ")
}

//! What no Rust stack can say, refused before anything is generated: macros
//! (`Transform`, `Fn::Transform`), `Fn::ForEach` and the other language
//! extensions, Rain directives, sections and functions CloudFormation does
//! not have. Every instance is reported, not only the first.

use infra_check::TEMPLATE_SECTIONS as SECTIONS;
use serde_json::Value as Json;

use crate::{Refusal, refusal};

/// The intrinsic functions import writes as typed helpers (or, inside
/// free-form JSON, as they are).
pub const FUNCTIONS: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::ImportValue",
    "Fn::If",
    "Fn::Equals",
    "Fn::Not",
    "Fn::And",
    "Fn::Or",
    "Fn::GetAZs",
    "Fn::Base64",
    "Fn::FindInMap",
    "Fn::Cidr",
    "Fn::GetStackOutput",
];

/// The one transform import keeps: SAM's, whose resource types are `Untyped`
/// and which CloudFormation applies to the template as written.
pub const SAM: &str = "AWS::Serverless-2016-10-31";

/// Every construct of `template` that cannot be imported.
pub fn scan(template: &Json) -> Vec<Refusal> {
    let mut out = Vec::new();
    let Some(sections) = template.as_object() else {
        out.push(refusal("", "a template is a mapping of sections"));
        return out;
    };
    for (name, value) in sections {
        match name.as_str() {
            "Transform" if is_sam(value) => {}
            "Transform" => out.push(refusal(
                name,
                format!(
                    "`Transform` ({}) runs a macro at deploy time: the template CloudFormation \
                     deploys is not this one; import the processed template instead \
                     (`import --stack` reads it); only `{SAM}` is kept as written",
                    compact(value)
                ),
            )),
            "Rain" => out.push(refusal(name, rain())),
            "Globals" => out.push(refusal(
                name,
                "SAM's `Globals` section has no place in the template model; move its \
                 settings into the resources, or import the processed template",
            )),
            s if SECTIONS.contains(&s) => walk(value, name, s == "Rules", &mut out),
            other => out.push(refusal(
                name,
                format!(
                    "unknown template section `{other}`, expected one of {}",
                    SECTIONS.join(", ")
                ),
            )),
        }
    }
    out
}

/// Refuses the constructs below `value` at `path`; `rules` allows the rule
/// functions (`Fn::Contains`, `Fn::ValueOf`...) that only `Rules` accepts.
fn walk(value: &Json, path: &str, rules: bool, out: &mut Vec<Refusal>) {
    match value {
        Json::Object(map) => {
            for (key, v) in map {
                let here = format!("{path}.{key}");
                if let Some(message) = refused_key(key, map.len(), rules) {
                    out.push(refusal(&here, message));
                    continue;
                }
                walk(v, &here, rules, out);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &format!("{path}[{i}]"), rules, out);
            }
        }
        _ => {}
    }
}

/// Why `key` (of a mapping with `len` keys) cannot be imported, if it cannot.
fn refused_key(key: &str, len: usize, rules: bool) -> Option<String> {
    if key == "Fn::Transform" {
        return Some(
            "`Fn::Transform` runs a macro at deploy time; import the processed template instead"
                .into(),
        );
    }
    if key.starts_with("Fn::ForEach") {
        return Some(
            "`Fn::ForEach` is a language extension (AWS::LanguageExtensions) expanded at deploy \
             time; write the loop in Rust, or import the processed template"
                .into(),
        );
    }
    if key.starts_with("Rain::") || key.starts_with("Fn::Rain::") {
        return Some(rain());
    }
    let function = len == 1 && key.starts_with("Fn::");
    if function && !rules && !FUNCTIONS.contains(&key) {
        return Some(format!(
            "`{key}` is not an intrinsic function import can write (a language extension or \
             unknown), expected one of {}",
            FUNCTIONS.join(", ")
        ));
    }
    None
}

/// `Transform: AWS::Serverless-2016-10-31` (alone, or the only one of a list).
fn is_sam(value: &Json) -> bool {
    match value {
        Json::String(s) => s == SAM,
        Json::Array(items) => items.iter().all(|i| *i == SAM) && !items.is_empty(),
        _ => false,
    }
}

fn rain() -> String {
    "Rain directives are expanded by `rain` before deploy; import the template `rain pkg` \
     writes instead"
        .into()
}

/// A short JSON form of `value` for messages.
fn compact(value: &Json) -> String {
    let text = value.to_string();
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

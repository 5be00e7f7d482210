//! CloudFormation registry metadata of every resource type of the pinned
//! registry, as embedded data: GetAtt attributes, what `Ref` returns,
//! create-only paths, handler permissions, property schemas, and the curated
//! data-holding list.
//!
//! The data is written by `cargo xtask codegen` into `data/`. Linking this
//! crate costs the same whatever the registry size: nothing is compiled per
//! type, and a lookup inflates and parses only the type asked for, once.
//!
//! ```
//! let table = infra_registry::lookup("AWS::DynamoDB::Table").unwrap();
//! assert!(table.has_attribute("StreamArn"));
//! assert!(table.holds_data.is_some());
//! assert_eq!(infra_registry::suggest("AWS::S3::Buckett"), Some("AWS::S3::Bucket"));
//! ```

mod extract;
mod holding;
mod meta;
mod store;

pub use extract::{GetAttRules, property_schema, service_of};
pub use meta::{Attribute, DataHolding, Permissions, TypeMeta};
pub use store::DecodeError;

/// Metadata of a type, or None for a type the registry does not know.
pub fn lookup(type_name: &str) -> Option<&'static TypeMeta> {
    store::get(type_name)
}

/// Every type name, sorted.
pub fn type_names() -> impl Iterator<Item = &'static str> {
    store::names()
}

/// The closest known type name to an unknown `type_name`, for "did you
/// mean": compared without case, the most Jaro-Winkler-similar names are
/// kept when their edit distance relative to length says they are at least
/// 80% alike (Jaro-Winkler alone rewards the shared `AWS::` prefix too much).
/// A SAM or custom type gets no suggestion.
pub fn suggest(type_name: &str) -> Option<&'static str> {
    // Registry names are under 80 characters; a longer input is no typo of
    // one, and comparing it would cost time proportional to its length.
    if type_name.len() > 160 {
        return None;
    }
    let wanted = type_name.trim().to_lowercase();
    let mut by_jw: Vec<(f64, &'static str, String)> = type_names()
        .map(|n| {
            let lower = n.to_lowercase();
            (strsim::jaro_winkler(&wanted, &lower), n, lower)
        })
        .collect();
    by_jw.sort_by(|a, b| b.0.total_cmp(&a.0));
    by_jw
        .into_iter()
        .take(16)
        .map(|(jw, n, lower)| {
            (
                strsim::normalized_damerau_levenshtein(&wanted, &lower),
                jw,
                n,
            )
        })
        .filter(|(alike, _, _)| *alike >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, n)| n)
}

/// The curated data-holding list, by type name.
pub fn data_holding() -> impl Iterator<Item = (&'static str, &'static DataHolding)> {
    holding::list().iter().map(|(k, v)| (k.as_str(), v))
}

/// Builds metadata from a registry schema (the wheel's JSON), as codegen
/// does; `holds_data` comes from the curated list. For codegen and for tests
/// that need a type the registry does not have.
pub fn from_registry_schema(schema: &serde_json::Value, rules: &GetAttRules) -> TypeMeta {
    let mut meta = extract::type_meta(schema, rules);
    meta.holds_data = holding::reason(&meta.type_name);
    meta
}

/// Codegen's side of the stored form.
#[doc(hidden)]
pub mod codegen {
    pub use crate::store::{encode, pack, verify_all};

    /// The committed data-holding list, for checks.
    pub fn data_holding_text() -> &'static str {
        crate::holding::text()
    }

    /// Parses a data-holding list text.
    pub fn parse_data_holding(
        text: &str,
    ) -> Result<std::collections::BTreeMap<String, crate::DataHolding>, serde_json::Error> {
        crate::holding::parse(text)
    }
}

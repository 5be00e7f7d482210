//! Rust names: the stack's module and struct from the service, fields from
//! logical IDs (with the derive's own rule for going back, so that
//! `#[resource(logical_id = "..")]` is written only where it is needed).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// The names a generated file may import besides the service modules: a
/// stack struct of one of these names would clash.
const IMPORTED: &[&str] = &[
    "Json",
    "Output",
    "Parameter",
    "Stack",
    "StackContext",
    "Template",
    "Untyped",
    "BTreeMap",
];

/// The module and struct of the imported stack.
#[derive(Debug)]
pub struct StackNames {
    pub service: String,
    pub module: String,
    pub struct_name: String,
}

impl StackNames {
    /// From a kebab-case service name (`billing-api`: module `billing_api`,
    /// struct `BillingApi`).
    pub fn new(service: &str) -> Result<Self, String> {
        let kebab = !service.is_empty()
            && service.starts_with(|c: char| c.is_ascii_lowercase())
            && service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !service.ends_with('-')
            && !service.contains("--");
        if !kebab {
            return Err(format!(
                "service `{service}` is not kebab-case: lowercase letters, digits and single \
                 `-`, starting with a letter (such as `billing` or `billing-api`)"
            ));
        }
        let module = service.replace('-', "_");
        if is_keyword(&module) {
            return Err(format!(
                "service `{service}` would be the Rust keyword `{module}` as a module name"
            ));
        }
        let struct_name = module.to_upper_camel_case();
        if IMPORTED.contains(&struct_name.as_str()) {
            return Err(format!(
                "service `{service}` would name the stack struct `{struct_name}`, which the \
                 generated file imports from infra_model; choose another service name"
            ));
        }
        Ok(StackNames {
            service: service.to_owned(),
            struct_name,
            module,
        })
    }
}

/// The field for `logical_id`, unique in `taken`; and whether the derive's
/// field -> logical ID rule gives the ID back (else the field needs
/// `#[resource(logical_id = "..")]`).
pub fn field(logical_id: &str, taken: &mut BTreeSet<String>) -> (String, bool) {
    let mut base = logical_id.to_snake_case();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base = format!("resource_{base}");
    }
    if is_keyword(&base) {
        base.push('_');
    }
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    let round_trips = pascal_case(&name) == logical_id;
    (name, round_trips)
}

/// The derive's rule (infra-macros `ast.rs`): each `_`-separated word with
/// its first letter upper-cased, the rest kept.
fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The handle constant the derive generates for `field`.
pub fn handle(field: &str) -> Ident {
    ident(&field.to_uppercase())
}

/// An identifier; `r#name` as a raw one (codegen's names of keywords).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(bare) => Ident::new_raw(bare, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

fn is_keyword(s: &str) -> bool {
    syn::parse_str::<Ident>(s).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_or_say_so() {
        let mut taken = BTreeSet::new();
        assert_eq!(
            field("NewS3AudioRecordingTopic", &mut taken),
            ("new_s3_audio_recording_topic".into(), true)
        );
        assert_eq!(field("MyVPC", &mut taken), ("my_vpc".into(), false));
        assert_eq!(field("MyVpc", &mut taken), ("my_vpc_2".into(), false));
        // The derive drops the empty word after the trailing `_`.
        assert_eq!(field("Type", &mut taken), ("type_".into(), true));
        assert_eq!(
            field("1Bucket", &mut taken),
            ("resource_1bucket".into(), false)
        );
    }

    #[test]
    fn services_must_be_kebab_case() {
        let n = StackNames::new("billing-api").expect("kebab-case");
        assert_eq!(
            (n.module.as_str(), n.struct_name.as_str()),
            ("billing_api", "BillingApi")
        );
        for bad in [
            "",
            "Billing",
            "billing_api",
            "-x",
            "x-",
            "a--b",
            "9lives",
            "self",
        ] {
            assert!(StackNames::new(bad).is_err(), "{bad}");
        }
    }
}

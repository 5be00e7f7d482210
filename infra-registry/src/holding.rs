//! The curated data-holding list (`data/data-holding.json`): every registry
//! type whose deletion or replacement destroys customer data, with the reason.
//! It is the one home of that rule: diff, deploy and the DSL's default
//! `Retain` read it through [`crate::TypeMeta::holds_data`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::meta::DataHolding;

static TEXT: &str = include_str!("../data/data-holding.json");

#[derive(Deserialize)]
struct List {
    types: BTreeMap<String, DataHolding>,
}

/// Every listed type with its reason, sorted by type name.
pub fn list() -> &'static BTreeMap<String, DataHolding> {
    static LIST: OnceLock<BTreeMap<String, DataHolding>> = OnceLock::new();
    LIST.get_or_init(|| {
        // The crate's tests parse this committed file, so an error here is a
        // broken build, not user input.
        serde_json::from_str::<List>(TEXT)
            .map(|l| l.types)
            .unwrap_or_default()
    })
}

/// Why `type_name` holds data, when it is on the list.
pub fn reason(type_name: &str) -> Option<DataHolding> {
    list().get(type_name).cloned()
}

/// Parses the list text; for the test that the committed file is valid.
pub fn parse(text: &str) -> Result<BTreeMap<String, DataHolding>, serde_json::Error> {
    serde_json::from_str::<List>(text).map(|l| l.types)
}

/// The committed list text.
pub fn text() -> &'static str {
    TEXT
}

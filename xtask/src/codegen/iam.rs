//! `infra-iam/src/actions.rs`: the IAM action catalogue of the pinned wheel
//! (`cfnlint/data/AdditionalSpecs/Policies.json`) as one module of constants
//! per IAM service prefix, plus the table `Action::parse` and validation search.
//!
//! `Policies.json` spells actions in lowercase (IAM compares them
//! case-insensitively). Policies conventionally spell them in CamelCase
//! (`sqs:SendMessage`) and the constants need word boundaries
//! (`SEND_MESSAGE`), so the spelling comes from the same wheel: the actions
//! the registry schemas' handlers name keep theirs (about 9,700 of 22,000),
//! and the others are split into the words those spellings use.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, ensure};
use heck::ToSnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::schemas::{self, Schema};
use crate::workspace::Generated;

/// The generated module, relative to the workspace root.
pub const OUT: &str = "infra-iam/src/actions.rs";

/// One action of the catalogue: its spelling and whether it has resource types.
struct Entry {
    spelled: String,
    words: Vec<String>,
    resource_types: Vec<String>,
}

/// The generated module, from the pinned wheel (downloaded if needed).
pub fn generate(root: &Path) -> anyhow::Result<Generated> {
    let pin = schemas::read_pin(root)?;
    let dir = schemas::fetch(root, &pin)?;
    let path = dir.join("../AdditionalSpecs/Policies.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let policies: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let (_, loaded) = schemas::load(&dir)?;
    let spelling = Spelling::from_schemas(&loaded);
    let catalogue = catalogue(&policies, &spelling)?;
    let file = syn::parse2(emit(&catalogue)?).context("the generated IAM module does not parse")?;
    Ok(Generated {
        path: OUT.into(),
        contents: prettyplease::unparse(&file),
    })
}

/// Service prefix -> its actions, sorted by lowercase name (as `Policies.json`).
fn catalogue(
    policies: &serde_json::Value,
    spelling: &Spelling,
) -> anyhow::Result<BTreeMap<String, Vec<Entry>>> {
    let services = policies
        .as_object()
        .context("Policies.json is not an object")?;
    let mut out = BTreeMap::new();
    for (service, body) in services {
        let actions = body["Actions"]
            .as_object()
            .with_context(|| format!("Policies.json: `{service}` has no Actions"))?;
        let mut entries: Vec<Entry> = actions
            .iter()
            .map(|(name, action)| spelling.entry(service, name, action))
            .collect();
        entries.sort_by_key(|e| e.spelled.to_ascii_lowercase());
        out.insert(service.clone(), entries);
    }
    Ok(out)
}

/// How actions are spelled: the exact spellings the registry schemas use, and
/// the words they are made of, with each word's most common spelling and how
/// often it occurs (a split prefers frequent words).
#[derive(Default)]
struct Spelling {
    /// `sqs:sendmessage` -> `sqs:SendMessage`.
    exact: HashMap<String, String>,
    /// `message` -> (`Message`, occurrences), `db` -> (`DB`, ..).
    words: HashMap<String, (String, usize)>,
    /// All occurrences of all words.
    total: usize,
}

impl Spelling {
    fn from_schemas(schemas: &[Schema]) -> Self {
        let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
        let mut exact = HashMap::new();
        // Property names (`ReceiveMessageWaitTimeSeconds`) teach the words
        // that no handler's action uses (`Receive`).
        for name in schemas.iter().flat_map(|s| property_names(&s.json)) {
            count_words(&mut counts, name);
        }
        for name in schemas.iter().flat_map(|s| handler_permissions(&s.json)) {
            let Some((_, action)) = name.split_once(':') else {
                continue;
            };
            // `listRegexPatternSets`-style outliers would teach the wrong case.
            if count_words(&mut counts, action) {
                exact.insert(name.to_ascii_lowercase(), name.to_owned());
            }
        }
        let words: HashMap<String, (String, usize)> = counts
            .into_iter()
            .map(|(lower, seen)| {
                let total = seen.values().sum();
                let best = seen
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
                (lower, (best.map(|(w, _)| w).unwrap_or_default(), total))
            })
            .collect();
        let total = words.values().map(|(_, n)| n).sum();
        Spelling {
            exact,
            words,
            total,
        }
    }

    fn entry(&self, service: &str, lower: &str, action: &serde_json::Value) -> Entry {
        let resource_types = action["Resources"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|t| t.as_str())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let (spelled, words) = match self.exact.get(&format!("{service}:{lower}")) {
            Some(known) => {
                let action = known.split_once(':').map_or("", |(_, a)| a);
                (
                    action.to_owned(),
                    camel_words(action).map(str::to_owned).collect(),
                )
            }
            None => self.split(lower),
        };
        Entry {
            spelled: format!("{service}:{spelled}"),
            words,
            resource_types,
        }
    }

    /// Spells an action the schemas do not name, from the words they use;
    /// `-`-separated parts (one action has one) are split separately.
    fn split(&self, lower: &str) -> (String, Vec<String>) {
        let parts: Vec<Vec<String>> = lower.split('-').map(|p| self.segment(p)).collect();
        let spelled = parts
            .iter()
            .map(|p| p.concat())
            .collect::<Vec<_>>()
            .join("-");
        (spelled, parts.into_iter().flatten().collect())
    }

    /// The most likely split of `lower` into words (Norvig's segmentation:
    /// a word costs `ln(total / occurrences)`, a plural one more, an unknown
    /// run a cost growing with its length), each spelled as the schemas
    /// spell it most often. Measured on the 9,700 actions whose spelling is
    /// known, holding out 1,500: 97.5% split as AWS splits them.
    fn segment(&self, lower: &str) -> Vec<String> {
        let n = lower.len();
        // best[i]: cost and start of the last word of the best split of lower[..i].
        let mut best: Vec<(f64, usize)> = vec![(0.0, 0); n + 1];
        for i in 1..=n {
            best[i] = (0..i)
                .map(|j| (best[j].0 + self.cost(&lower[j..i]), j))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .unwrap_or((0.0, 0));
        }
        let mut words = Vec::new();
        let mut end = n;
        while end > 0 {
            let start = best[end].1;
            words.push(self.spell(&lower[start..end]));
            end = start;
        }
        words.reverse();
        words
    }

    fn cost(&self, word: &str) -> f64 {
        let total = self.total.max(1) as f64;
        let known = |w: &str| self.words.get(w).map(|(_, n)| (total / *n as f64).ln());
        let plural = || word.strip_suffix('s').and_then(known).map(|c| c + 1.0);
        known(word)
            .or_else(plural)
            .unwrap_or_else(|| total.ln() + 2.3 * word.len() as f64)
    }

    fn spell(&self, word: &str) -> String {
        if let Some((spelled, _)) = self.words.get(word) {
            return spelled.clone();
        }
        if let Some((spelled, _)) = word.strip_suffix('s').and_then(|w| self.words.get(w)) {
            return format!("{spelled}s");
        }
        let mut chars = word.chars();
        chars.next().map_or_else(String::new, |c| {
            c.to_ascii_uppercase().to_string() + chars.as_str()
        })
    }
}

/// Counts each word of the CamelCase `name` under its lowercase form; false
/// (and nothing counted) when `name` is not CamelCase.
fn count_words(counts: &mut HashMap<String, HashMap<String, usize>>, name: &str) -> bool {
    if !name.starts_with(|c: char| c.is_ascii_uppercase())
        || !name.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return false;
    }
    for word in camel_words(name) {
        let seen = counts.entry(word.to_ascii_lowercase()).or_default();
        *seen.entry(word.to_owned()).or_default() += 1;
    }
    true
}

/// The property names of a registry schema, its definitions' included.
fn property_names(schema: &serde_json::Value) -> impl Iterator<Item = &str> {
    let definitions = schema["definitions"]
        .as_object()
        .into_iter()
        .flat_map(|d| d.values());
    std::iter::once(schema)
        .chain(definitions)
        .filter_map(|d| d["properties"].as_object())
        .flat_map(|p| p.keys().map(String::as_str))
}

/// The actions a registry schema's handlers list (`handlers.*.permissions`).
fn handler_permissions(schema: &serde_json::Value) -> impl Iterator<Item = &str> {
    schema["handlers"]
        .as_object()
        .into_iter()
        .flat_map(|h| h.values())
        .filter_map(|h| h["permissions"].as_array())
        .flatten()
        .filter_map(|p| p.as_str())
}

/// The words of a CamelCase name as slices of it (`DescribeDBClusters` ->
/// `Describe`, `DB`, `Clusters`), with heck's word boundaries.
fn camel_words(name: &str) -> impl Iterator<Item = &str> {
    let snake = name.to_snake_case();
    let mut rest = name;
    snake
        .split('_')
        .map(str::len)
        .collect::<Vec<_>>()
        .into_iter()
        .map(move |len| {
            let (word, tail) = rest.split_at(len.min(rest.len()));
            rest = tail;
            word
        })
}

/// The module: one submodule per service prefix, then the lookup table.
fn emit(catalogue: &BTreeMap<String, Vec<Entry>>) -> anyhow::Result<TokenStream> {
    let mut modules = Vec::new();
    let mut table = Vec::new();
    let mut errors = Vec::new();
    for (service, entries) in catalogue {
        let module = module_ident(service);
        let consts = const_idents(service, entries, &mut errors);
        let items = entries.iter().zip(&consts).map(|(e, ident)| {
            let (name, doc) = (&e.spelled, doc(e));
            quote! { #[doc = #doc] pub const #ident: Action = Action::catalogued(#name); }
        });
        let doc = format!("The actions of the IAM service prefix `{service}`.");
        modules.push(quote! { #[doc = #doc] pub mod #module { use crate::Action; #(#items)* } });
        let names = |scoped: bool| {
            let local = |e: &Entry| e.spelled.split_once(':').map_or("", |(_, a)| a).to_owned();
            let names = entries
                .iter()
                .filter(|e| e.resource_types.is_empty() != scoped);
            names.map(local).collect::<Vec<_>>().join(" ")
        };
        let (scoped, unscoped) = (names(true), names(false));
        table.push(quote! { (#service, #scoped, #unscoped) });
    }
    ensure!(
        errors.is_empty(),
        "IAM codegen failed:\n{}",
        errors.join("\n")
    );
    Ok(quote! {
        //! Generated by cargo xtask codegen, do not edit.
        //!
        //! The IAM actions of `cfnlint/data/AdditionalSpecs/Policies.json` in the
        //! pinned cfn-lint wheel, one module per IAM service prefix.
        #(#modules)*
        /// Service prefix -> its actions with resource types and those without,
        /// each `' '`-separated. Strings, not the constants: a table of 22,000
        /// constants costs a second of compile time and megabytes of metadata.
        pub(crate) const SERVICES: &[(&str, &str, &str)] = &[#(#table),*];
    })
}

fn doc(e: &Entry) -> String {
    match e.resource_types.as_slice() {
        [] => format!(" `{}` (no resource types: `Resource: \"*\"`)", e.spelled),
        types => format!(" `{}` on {}", e.spelled, types.join(", ")),
    }
}

/// `access-analyzer` -> `access_analyzer`; keywords get `r#`.
fn module_ident(service: &str) -> Ident {
    let name = service.replace('-', "_");
    syn::parse_str::<Ident>(&name).unwrap_or_else(|_| Ident::new_raw(&name, Span::call_site()))
}

/// `SEND_MESSAGE` for each entry; two entries of a service with the same
/// constant are an error (it would not compile).
fn const_idents(service: &str, entries: &[Entry], errors: &mut Vec<String>) -> Vec<Ident> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    entries
        .iter()
        .map(|e| {
            let name = e.words.join("_").to_ascii_uppercase();
            if let Some(other) = seen.insert(name.clone(), &e.spelled) {
                errors.push(format!(
                    "{service}: `{other}` and `{}` are both {name}",
                    e.spelled
                ));
            }
            format_ident!("{}", name)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelling() -> Spelling {
        let mut s = Spelling::default();
        for (lower, word) in [
            ("send", "Send"),
            ("message", "Message"),
            ("batch", "Batch"),
            ("db", "DB"),
        ] {
            s.words.insert(lower.into(), (word.into(), 10));
        }
        s.words.insert("sen".into(), ("Sen".into(), 1));
        s.total = 41;
        s
    }

    #[test]
    fn unknown_actions_are_split_into_known_words() {
        let s = spelling();
        assert_eq!(s.split("sendmessagebatch").0, "SendMessageBatch");
        assert_eq!(s.split("describedbmessage").0, "DescribeDBMessage");
        assert_eq!(s.split("send-message").1, ["Send", "Message"]);
        assert_eq!(s.split("sendmessages").0, "SendMessages");
    }

    #[test]
    fn camel_words_keep_acronyms() {
        let words: Vec<&str> = camel_words("DescribeDBClusters").collect();
        assert_eq!(words, ["Describe", "DB", "Clusters"]);
    }
}

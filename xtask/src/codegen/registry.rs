//! The registry metadata of every type of the pinned registry, written as
//! data into `infra-registry/data/` (the format and the extraction rules live
//! in `infra-registry`; this module reads the wheel and writes the files).
//!
//! `registry.lock` records the pin, a hash of the inputs and a hash of each
//! output, so freshness is checkable without the wheel (and without network):
//! see [`check_offline`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail, ensure};
use sha2::{Digest, Sha256};

use super::schemas::{self, Pin};
use crate::workspace;

#[cfg(test)]
const DATA: &str = "infra-registry/data";
const INDEX: &str = "infra-registry/data/index.tsv";
const BLOB: &str = "infra-registry/data/types.bin";
const LOCK: &str = "infra-registry/data/registry.lock";
/// cfn-lint's GetAtt rules, a Python source with two literal tables.
const GETATTS: &str = "cfnlint/schema/_getatts.py";

/// One output file: its path relative to the root and its bytes.
#[derive(Debug)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Regenerates the data; with `check`, writes nothing and returns the stale paths.
pub fn apply(root: &Path, check: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for out in generate(root)? {
        let path = root.join(&out.path);
        if std::fs::read(&path).ok().as_deref() == Some(&out.bytes[..]) {
            continue;
        }
        stale.push(out.path.clone());
        if !check {
            workspace::write_atomic(&path, &out.bytes)?;
        }
    }
    Ok(stale)
}

/// Every file this module owns, with its contents.
pub fn generate(root: &Path) -> anyhow::Result<Vec<Output>> {
    let pin = schemas::read_pin(root)?;
    let schemas_dir = schemas::fetch(root, &pin)?;
    let wheel = schemas_dir
        .ancestors()
        .nth(3)
        .context("the schemas folder has no wheel root")?;
    let mut inputs = Sha256::new();
    let rules = getatt_rules(&wheel.join(GETATTS), &mut inputs)?;
    let (date, types) = load_all(&schemas_dir, &rules, &mut inputs)?;
    let (index, blob) = infra_registry::codegen::pack(&types)?;
    let lock = render_lock(&pin, &date, types.len(), &inputs.finalize(), &index, &blob);
    Ok(vec![
        Output {
            path: INDEX.into(),
            bytes: index.into_bytes(),
        },
        Output {
            path: BLOB.into(),
            bytes: blob,
        },
        Output {
            path: LOCK.into(),
            bytes: lock.into_bytes(),
        },
    ])
}

/// Every us-east-1 type of the wheel, sorted by name; all problems at once.
fn load_all(
    dir: &Path,
    rules: &infra_registry::GetAttRules,
    inputs: &mut Sha256,
) -> anyhow::Result<(String, Vec<infra_registry::TypeMeta>)> {
    let providers: BTreeMap<String, String> = read_json(&dir.join("providers/us-east-1.json"))?;
    let version: serde_json::Value = read_json(&dir.join("version.json"))?;
    let date = version["schema_date"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut types = Vec::new();
    let mut problems = Vec::new();
    for (type_name, hash) in &providers {
        let file = dir.join("resources").join(format!("{hash}.json"));
        match load_one(&file, type_name, rules, inputs) {
            Ok(meta) => types.push(meta),
            Err(e) => problems.push(format!("{type_name}: {e:#}")),
        }
    }
    if !problems.is_empty() {
        bail!(
            "registry codegen failed for {} types:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    Ok((date, types))
}

fn load_one(
    file: &Path,
    type_name: &str,
    rules: &infra_registry::GetAttRules,
    inputs: &mut Sha256,
) -> anyhow::Result<infra_registry::TypeMeta> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    inputs.update(&bytes);
    let json: serde_json::Value =
        serde_json::from_slice(&bytes).with_context(|| format!("parsing {}", file.display()))?;
    ensure!(
        json["typeName"] == type_name,
        "{} declares typeName {}",
        file.display(),
        json["typeName"]
    );
    Ok(infra_registry::from_registry_schema(&json, rules))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Reads `_all_property_types = [...]` and `_exceptions = {...}` from
/// cfn-lint's GetAtt source: literal tables of quoted names, so a scan of
/// quoted strings suffices; a changed shape fails loudly.
fn getatt_rules(path: &Path, inputs: &mut Sha256) -> anyhow::Result<infra_registry::GetAttRules> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    inputs.update(text.as_bytes());
    let list = block(&text, "_all_property_types = [", "\n]")
        .with_context(|| format!("{}: no `_all_property_types` list", path.display()))?;
    let table = block(&text, "_exceptions = {", "\n}")
        .with_context(|| format!("{}: no `_exceptions` table", path.display()))?;
    let all_properties: BTreeSet<String> = quoted(list).collect();
    let mut extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for s in quoted(table) {
        if s.contains("::") {
            current = Some(s.clone());
            extra.entry(s).or_default();
        } else if let Some(t) = &current {
            extra.entry(t.clone()).or_default().push(s);
        }
    }
    ensure!(
        all_properties.contains("AWS::SNS::Topic") && extra.len() > 10,
        "{}: the GetAtt tables changed shape",
        path.display()
    );
    Ok(infra_registry::GetAttRules {
        all_properties,
        extra,
    })
}

fn block<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn quoted(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split('"').skip(1).step_by(2).map(str::to_owned)
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn render_lock(
    pin: &Pin,
    date: &str,
    count: usize,
    inputs: &[u8],
    index: &str,
    blob: &[u8],
) -> String {
    let inputs: String = inputs.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "# Generated by cargo xtask codegen, do not edit.\n\
         # What infra-registry/data was generated from, and the hash of each output,\n\
         # so that freshness is checked without the wheel.\n\
         package cfn-lint {}\nwheel-sha256 {}\nschema-date {date}\ntypes {count}\n\
         inputs-sha256 {inputs}\noutput {INDEX} {}\noutput {BLOB} {}\n",
        pin.version,
        pin.sha256,
        sha256_hex(index.as_bytes()),
        sha256_hex(blob),
    )
}

// Used by the freshness test; `codegen --check` regenerates instead.
#[cfg_attr(not(test), allow(dead_code))]
/// Without the wheel: the committed outputs are those the lock records, and
/// the lock was made from the pinned wheel. Returns the problems found.
pub fn check_offline(root: &Path) -> anyhow::Result<Vec<String>> {
    let lock =
        std::fs::read_to_string(root.join(LOCK)).with_context(|| format!("reading {LOCK}"))?;
    let pin = schemas::read_pin(root)?;
    let mut problems = Vec::new();
    for (key, want) in [
        ("package cfn-lint ", &pin.version),
        ("wheel-sha256 ", &pin.sha256),
    ] {
        if !lock
            .lines()
            .any(|l| l.strip_prefix(key) == Some(want.as_str()))
        {
            problems.push(format!(
                "{LOCK} was not made from the pinned wheel ({key}{want})"
            ));
        }
    }
    let outputs: Vec<(&str, &str)> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("output ")?.split_once(' '))
        .collect();
    if outputs.len() != 2 {
        problems.push(format!(
            "{LOCK} lists {} outputs, expected 2",
            outputs.len()
        ));
    }
    for (path, want) in outputs {
        match std::fs::read(root.join(path)) {
            Ok(bytes) if sha256_hex(&bytes) == want => {}
            Ok(_) => problems.push(format!("{path} differs from what codegen wrote")),
            Err(e) => problems.push(format!("{path}: {e}")),
        }
    }
    Ok(problems)
}

#[cfg_attr(not(test), allow(dead_code))]
/// Whether the pinned wheel is already extracted (no download needed).
pub fn wheel_cached(root: &Path) -> bool {
    schemas::read_pin(root)
        .map(|pin| {
            root.join(".cache")
                .join(format!("cfn-lint-{}", pin.version))
                .join("extracted")
                .exists()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed registry data is what the pinned wheel gives. With the
    /// wheel in `.cache/` the data is regenerated and compared; without it
    /// (a fresh clone, no network) the outputs are checked against the lock.
    #[test]
    fn registry_data_is_fresh() {
        let root = workspace::root().expect("workspace root");
        if wheel_cached(&root) {
            let stale = apply(&root, true).expect("registry codegen runs");
            assert!(
                stale.is_empty(),
                "stale: {stale:?}; run `cargo xtask codegen`"
            );
        }
        let problems = check_offline(&root).expect("reading the lock");
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(root.join(DATA).join("data-holding.json").exists());
    }

    #[test]
    fn offline_check_notices_an_edited_output() {
        let root = workspace::root().expect("workspace root");
        let dir = std::env::temp_dir().join(format!("registry-lock-{}", std::process::id()));
        let data = dir.join(DATA);
        std::fs::create_dir_all(&data).expect("temp dir");
        std::fs::create_dir_all(dir.join("infra-model/codegen")).expect("temp dir");
        std::fs::copy(root.join(schemas::LOCK), dir.join(schemas::LOCK)).expect("copy");
        for f in [LOCK, INDEX, BLOB] {
            std::fs::copy(root.join(f), dir.join(f)).expect("copy");
        }
        assert_eq!(check_offline(&dir).expect("check"), Vec::<String>::new());
        let mut index = std::fs::read_to_string(dir.join(INDEX)).expect("index");
        index.push_str("AWS::Fake::Type\t0\t1\n");
        std::fs::write(dir.join(INDEX), index).expect("write");
        let problems = check_offline(&dir).expect("check");
        std::fs::remove_dir_all(&dir).expect("cleanup");
        assert_eq!(
            problems,
            [format!("{INDEX} differs from what codegen wrote")]
        );
    }
}

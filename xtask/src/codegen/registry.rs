//! The registry metadata of every type of the pinned registry, written as
//! data into `infra-registry/data/` (the format and the extraction rules live
//! in `infra-registry`; this module reads the wheel and writes the files).
//!
//! `registry.lock` records where the data came from (pin, schema date, type
//! count, a hash of every input); `xtask/codegen.lock` holds the output hashes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, bail, ensure};
use sha2::{Digest, Sha256};

use super::lock::Output;
use super::schemas::{self, Pin};

const INDEX: &str = "infra-registry/data/index.tsv";
const BLOB: &str = "infra-registry/data/types.bin";
const LOCK: &str = "infra-registry/data/registry.lock";
/// cfn-lint's GetAtt rules, a Python source with two literal tables.
const GETATTS: &str = "cfnlint/schema/_getatts.py";

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
    let lock = render_lock(&pin, &date, types.len(), &inputs.finalize());
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
    let providers_file = dir.join("providers/us-east-1.json");
    inputs.update(std::fs::read(&providers_file).context("reading the provider list")?);
    let providers: BTreeMap<String, String> = read_json(&providers_file)?;
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

/// cfn-lint's GetAtt rules from the pinned wheel, for the typed model.
pub fn getatt_rules_of(root: &Path) -> anyhow::Result<infra_registry::GetAttRules> {
    let schemas_dir = schemas::fetch(root, &schemas::read_pin(root)?)?;
    let wheel = schemas_dir
        .ancestors()
        .nth(3)
        .context("the schemas folder has no wheel root")?;
    getatt_rules(&wheel.join(GETATTS), &mut Sha256::new())
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

fn render_lock(pin: &Pin, date: &str, count: usize, inputs: &[u8]) -> String {
    let inputs: String = inputs.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "# Generated by cargo xtask codegen, do not edit.\n\
         # What infra-registry/data was generated from; the outputs' hashes are\n\
         # in xtask/codegen.lock.\n\
         package cfn-lint {}\nwheel-sha256 {}\nschema-date {date}\ntypes {count}\n\
         inputs-sha256 {inputs}\n",
        pin.version, pin.sha256,
    )
}

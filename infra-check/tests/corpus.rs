//! The diff corpus: one-change variants of `stacks/templates/infra-prod.json`
//! generated from the registry metadata (every create-only property of every
//! resource, the service rules, renames, renames with edits, deletions,
//! policy flips, innocuous updates, output changes, reorderings of unordered
//! arrays, names written another way), each with the verdict it must get.
//! Prints the figures (`cargo test -p infra-check --test corpus -- --nocapture`).

use std::collections::BTreeMap;

use infra_check::{ChangeKind, FailOn, Impact, Registry, StackDiff, diff};
use serde_json::{Map, Value, json};

const STACK: &str = "infra-prod";

fn base() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../stacks/templates/infra-prod.json"
    );
    let text = std::fs::read_to_string(path).expect("the committed prod template");
    serde_json::from_str(&text).expect("the prod template is JSON")
}

/// What a variant must get.
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    /// `Replace` (not `MayReplace`) on this logical ID.
    Replace(String),
    /// `Replace` or `MayReplace` on this logical ID.
    MayReplace(String),
    /// `DataLoss` somewhere.
    DataLoss,
    /// `Breaking` on this output.
    Breaking(String),
    /// Changes, none of them marked: `--fail-on replace` passes.
    Innocuous,
    /// No change at all.
    Nothing,
}

struct Variant {
    category: &'static str,
    name: String,
    old: Value,
    new: Value,
    expect: Expect,
}

fn variant(
    category: &'static str,
    name: String,
    old: &Value,
    new: Value,
    expect: Expect,
) -> Variant {
    Variant {
        category,
        name,
        old: old.clone(),
        new,
        expect,
    }
}

fn resources(t: &Value) -> Vec<(String, String)> {
    let map = t["Resources"].as_object().expect("Resources");
    map.iter()
        .map(|(id, r)| (id.clone(), r["Type"].as_str().unwrap_or("").to_owned()))
        .collect()
}

fn props_mut<'a>(t: &'a mut Value, id: &str) -> &'a mut Value {
    let r = &mut t["Resources"][id];
    if r.get("Properties").is_none() {
        r["Properties"] = json!({});
    }
    &mut r["Properties"]
}

/// A value that differs from `v`, changed at its first leaf.
fn mutate(v: &Value) -> Value {
    match v {
        Value::String(s) => json!(format!("{s}-changed")),
        Value::Bool(b) => json!(!b),
        Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + 1.0),
        Value::Array(items) if !items.is_empty() && !is_intrinsic(v) => {
            let mut items = items.clone();
            items[0] = mutate(&items[0]);
            Value::Array(items)
        }
        Value::Object(map) if !map.is_empty() && !is_intrinsic(v) => {
            let mut map = map.clone();
            let key = map.keys().next().cloned().unwrap_or_default();
            let changed = mutate(&map[&key]);
            map.insert(key, changed);
            Value::Object(map)
        }
        _ => json!("changed"),
    }
}

fn is_intrinsic(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|m| m.len() == 1 && m.keys().all(|k| k == "Ref" || k.starts_with("Fn::")))
}

/// The path of the first leaf [`mutate`] changes, below `Properties`.
fn mutated_path(v: &Value, path: &mut Vec<String>) {
    match v {
        Value::Array(items) if !items.is_empty() && !is_intrinsic(v) => {
            path.push("*".to_owned());
            mutated_path(&items[0], path);
        }
        Value::Object(map) if !map.is_empty() && !is_intrinsic(v) => {
            let (key, item) = map.iter().next().expect("non-empty");
            path.push(key.clone());
            mutated_path(item, path);
        }
        _ => {}
    }
}

/// Sets the registry path `pointer` (`/properties/A/*/B`) in `props` to a
/// different value, creating what is missing (`*` is the first item).
fn change_at(props: &mut Value, pointer: &str) {
    let rest = pointer.strip_prefix("/properties/").unwrap_or(pointer);
    let segs: Vec<&str> = rest.split('/').collect();
    let mut slot = props;
    for seg in segs {
        slot = if seg == "*" {
            if slot.as_array().is_none_or(|a| a.is_empty()) {
                *slot = json!([{}]);
            }
            &mut slot[0]
        } else {
            if !slot.is_object() {
                *slot = json!({});
            }
            slot.as_object_mut()
                .expect("object")
                .entry(seg)
                .or_insert(Value::Null)
        };
    }
    let changed = match &*slot {
        Value::Null => json!("changed"),
        other => mutate(other),
    };
    *slot = changed;
}

/// `t` with `from` renamed to `to`, references included.
fn rename(t: &Value, from: &str, to: &str) -> Value {
    let text = serde_json::to_string(t).expect("json");
    let text = text
        .replace(&format!("\"{from}\""), &format!("\"{to}\""))
        .replace(&format!("\"{from}."), &format!("\"{to}."))
        .replace(&format!("${{{from}}}"), &format!("${{{to}}}"))
        .replace(&format!("${{{from}."), &format!("${{{to}."));
    serde_json::from_str(&text).expect("json")
}

/// Whether the registry path `pattern` is at, above or below `path`.
fn overlaps(pattern: &str, path: &[String]) -> bool {
    let rest = pattern.strip_prefix("/properties/").unwrap_or(pattern);
    rest.split('/')
        .zip(path)
        .all(|(p, s)| p == "*" || s == "*" || p == s)
}

/// Paths where a change replaces (or may): registry create-only paths and
/// the paths of the service rules.
fn replacing_paths(type_name: &str) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    if let Some(meta) = Registry::aws().lookup(type_name) {
        paths.extend(meta.create_only.iter().map(|p| (*p).to_owned()));
        paths.extend(meta.conditional_create_only.iter().map(|p| (*p).to_owned()));
    }
    let rules: Value =
        serde_json::from_str(include_str!("../data/service-rules.json")).expect("rules parse");
    let of_type = rules["replacement"].as_array().into_iter().flatten();
    let of_type = of_type.filter(|r| r["type"] == type_name);
    paths.extend(
        of_type
            .filter_map(|r| r["path"].as_str())
            .map(str::to_owned),
    );
    paths
}

/// The paths of the service rules of `type_name` (`infra-check/data/service-rules.json`).
fn replacing_paths_of(type_name: &str) -> Vec<String> {
    let rules: Value =
        serde_json::from_str(include_str!("../data/service-rules.json")).expect("rules parse");
    let of_type = rules["replacement"].as_array().into_iter().flatten();
    let of_type = of_type.filter(|r| r["type"] == type_name);
    of_type
        .filter_map(|r| r["path"].as_str())
        .map(str::to_owned)
        .collect()
}

/// Whether the provider of `type_name` decides what an update does (custom
/// resources): its property changes have unknown impact, none is innocuous.
fn provider_decides(type_name: &str) -> bool {
    let rules: Value =
        serde_json::from_str(include_str!("../data/service-rules.json")).expect("rules parse");
    let patterns = rules["handler_decides"].as_array().into_iter().flatten();
    let mut types = patterns.flat_map(|r| r["types"].as_array().into_iter().flatten());
    types.any(|t| match t.as_str().unwrap_or("").strip_suffix('*') {
        Some(prefix) => type_name.starts_with(prefix),
        None => t == type_name,
    })
}

fn create_only_variants(t: &Value, out: &mut Vec<Variant>) {
    for (id, type_name) in resources(t) {
        let Some(meta) = Registry::aws().lookup(&type_name) else {
            continue;
        };
        for (pointers, conditional) in [
            (meta.create_only, false),
            (meta.conditional_create_only, true),
        ] {
            for pointer in pointers {
                let mut new = t.clone();
                change_at(props_mut(&mut new, &id), pointer);
                let (category, expect) = if conditional {
                    ("conditional create-only", Expect::MayReplace(id.clone()))
                } else {
                    ("create-only", Expect::Replace(id.clone()))
                };
                out.push(variant(category, format!("{id} {pointer}"), t, new, expect));
            }
        }
    }
}

fn table_ids(t: &Value) -> Vec<String> {
    let tables = resources(t)
        .into_iter()
        .filter(|(_, ty)| ty == "AWS::DynamoDB::Table");
    tables.map(|(id, _)| id).collect()
}

/// `t` with the table `id` changed by `f`.
fn table_edit(t: &Value, id: &str, f: impl Fn(&mut Value)) -> Value {
    let mut new = t.clone();
    f(props_mut(&mut new, id));
    new
}

fn add_attribute(props: &mut Value, name: &str) {
    let defs = props["AttributeDefinitions"].as_array_mut().expect("defs");
    defs.push(json!({"AttributeName": name, "AttributeType": "S"}));
}

/// The service rules of DynamoDB tables: LSI added, removed, changed; a key
/// attribute's type changed; the key schema changed.
fn service_rule_variants(t: &Value, out: &mut Vec<Variant>) {
    for id in table_ids(t) {
        let hash = t["Resources"][&id]["Properties"]["KeySchema"][0]["AttributeName"].clone();
        let with_lsi = table_edit(t, &id, |p| {
            p["LocalSecondaryIndexes"] = json!([{
                "IndexName": "bySort",
                "KeySchema": [{"AttributeName": hash, "KeyType": "HASH"}, {"AttributeName": "sort", "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"}
            }]);
            add_attribute(p, "sort");
        });
        let lsi_changed = table_edit(&with_lsi, &id, |p| {
            p["LocalSecondaryIndexes"][0]["Projection"] = json!({"ProjectionType": "KEYS_ONLY"});
        });
        let key_type = table_edit(t, &id, |p| {
            p["AttributeDefinitions"][0]["AttributeType"] = json!("N");
        });
        let key_schema = table_edit(t, &id, |p| {
            p["KeySchema"][0]["AttributeName"] = json!("otherKey");
            add_attribute(p, "otherKey");
        });
        let cases = [
            ("add LSI", t, with_lsi.clone()),
            ("remove LSI", &with_lsi, t.clone()),
            ("change LSI", &with_lsi, lsi_changed),
            ("key AttributeType", t, key_type),
            ("KeySchema", t, key_schema),
        ];
        for (what, old, new) in cases {
            let expect = Expect::Replace(id.clone());
            out.push(variant(
                "service rule",
                format!("{id} {what}"),
                old,
                new,
                expect,
            ));
        }
    }
}

/// The innocuous edits of `id`: every property that is neither create-only
/// nor under a service rule, changed at its first leaf.
fn innocuous_edits(t: &Value, id: &str, type_name: &str) -> Vec<(String, Value)> {
    let replacing = replacing_paths(type_name);
    let props = t["Resources"][id]["Properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for (key, value) in &props {
        let mut path = vec![key.clone()];
        mutated_path(value, &mut path);
        if replacing.iter().any(|p| overlaps(p, &path)) {
            continue;
        }
        let mut new = t.clone();
        props_mut(&mut new, id)[key] = mutate(value);
        out.push((format!("{id} {}", path.join("/")), new));
    }
    out
}

fn rename_variants(t: &Value, out: &mut Vec<Variant>) {
    for (id, type_name) in resources(t) {
        let to = format!("{id}Renamed");
        let renamed = rename(t, &id, &to);
        let expect = Expect::Replace(to.clone());
        out.push(variant(
            "rename",
            format!("{id} -> {to}"),
            t,
            renamed.clone(),
            expect.clone(),
        ));
        for (name, edited) in innocuous_edits(&renamed, &to, &type_name) {
            out.push(variant("rename + edit", name, t, edited, expect.clone()));
        }
        let mut tagged = renamed.clone();
        props_mut(&mut tagged, &to)["Tags"] = json!([{"Key": "team", "Value": "voice"}]);
        out.push(variant(
            "rename + edit",
            format!("{to} +Tags"),
            t,
            tagged,
            expect.clone(),
        ));
        let Some(meta) = Registry::aws().lookup(&type_name) else {
            continue;
        };
        for pointer in meta.create_only {
            let mut new = renamed.clone();
            change_at(props_mut(&mut new, &to), pointer);
            out.push(variant(
                "rename + edit",
                format!("{to} {pointer}"),
                t,
                new,
                expect.clone(),
            ));
        }
    }
}

fn holds_data(type_name: &str) -> bool {
    infra_check::retention::holds_data(type_name) == Some(true)
}

fn deletion_variants(t: &Value, out: &mut Vec<Variant>) {
    for (id, type_name) in resources(t) {
        let mut new = t.clone();
        new["Resources"]
            .as_object_mut()
            .expect("Resources")
            .remove(&id);
        let retained = t["Resources"][&id]["DeletionPolicy"] == "Retain";
        let expect = if holds_data(&type_name) && !retained {
            Expect::DataLoss
        } else {
            Expect::Innocuous
        };
        out.push(variant(
            "deletion",
            format!("delete {id}"),
            t,
            new.clone(),
            expect,
        ));
        if holds_data(&type_name) {
            let mut unprotected = t.clone();
            unprotected["Resources"][&id]["DeletionPolicy"] = json!("Delete");
            let name = format!("delete {id} (DeletionPolicy Delete)");
            out.push(variant(
                "deletion",
                name,
                &unprotected,
                new,
                Expect::DataLoss,
            ));
        }
    }
}

fn policy_variants(t: &Value, out: &mut Vec<Variant>) {
    for (id, type_name) in resources(t) {
        for (attribute, value) in [
            ("DeletionPolicy", "Delete"),
            ("UpdateReplacePolicy", "Delete"),
            ("DeletionPolicy", "Snapshot"),
        ] {
            let mut new = t.clone();
            new["Resources"][&id][attribute] = json!(value);
            out.push(variant(
                "policy flip",
                format!("{id} {attribute} {value}"),
                t,
                new,
                Expect::Innocuous,
            ));
        }
        let Some(meta) = Registry::aws().lookup(&type_name) else {
            continue;
        };
        let Some(pointer) = meta.create_only.first() else {
            continue;
        };
        for (policy, loses) in [("Delete", true), ("Snapshot", true), ("Retain", false)] {
            let mut new = t.clone();
            new["Resources"][&id]["UpdateReplacePolicy"] = json!(policy);
            change_at(props_mut(&mut new, &id), pointer);
            let expect = if loses && holds_data(&type_name) {
                Expect::DataLoss
            } else {
                Expect::Replace(id.clone())
            };
            let name = format!("{id} {pointer} with UpdateReplacePolicy {policy}");
            out.push(variant("policy + replace", name, t, new, expect));
        }
    }
}

fn innocuous_variants(t: &Value, out: &mut Vec<Variant>) {
    for (id, type_name) in resources(t) {
        for (name, new) in innocuous_edits(t, &id, &type_name) {
            out.push(variant("innocuous update", name, t, new, Expect::Innocuous));
        }
        let mut tagged = t.clone();
        props_mut(&mut tagged, &id)["Tags"] = json!([{"Key": "team", "Value": "voice"}]);
        if !replacing_paths(&type_name)
            .iter()
            .any(|p| p == "/properties/Tags")
        {
            out.push(variant(
                "innocuous update",
                format!("{id} +Tags"),
                t,
                tagged,
                Expect::Innocuous,
            ));
        }
        let mut meta = t.clone();
        meta["Resources"][&id]["Metadata"] = json!({"owner": "voice"});
        out.push(variant(
            "innocuous update",
            format!("{id} +Metadata"),
            t,
            meta,
            Expect::Innocuous,
        ));
    }
    let mut described = t.clone();
    described["Description"] = json!("another description");
    out.push(variant(
        "innocuous update",
        "template Description".to_owned(),
        t,
        described,
        Expect::Nothing,
    ));
}

fn reorder_variants(t: &Value, out: &mut Vec<Variant>) {
    for (id, type_name) in resources(t) {
        unordered_array_variants(t, &id, &type_name, out);
        if let Some(deps) = t["Resources"][&id]["DependsOn"].as_array() {
            let mut old = t.clone();
            let mut more = deps.clone();
            more.push(json!("NewInviteTopic"));
            old["Resources"][&id]["DependsOn"] = Value::Array(more.clone());
            let mut new = old.clone();
            new["Resources"][&id]["DependsOn"] = Value::Array(more.into_iter().rev().collect());
            out.push(variant(
                "reordering",
                format!("{id} DependsOn"),
                &old,
                new,
                Expect::Nothing,
            ));
        }
    }
    let reversed = reverse_keys(t);
    out.push(variant(
        "reordering",
        "object keys".to_owned(),
        t,
        reversed,
        Expect::Nothing,
    ));
}

/// Each unordered array path of the type, given two items, then reversed.
fn unordered_array_variants(t: &Value, id: &str, type_name: &str, out: &mut Vec<Variant>) {
    let Some(meta) = Registry::aws().lookup(type_name) else {
        return;
    };
    for path in meta.unordered {
        let last = path.rsplit('/').next().unwrap_or(path);
        let items = if last == "Tags" {
            vec![
                json!({"Key": "a", "Value": "1"}),
                json!({"Key": "b", "Value": "2"}),
            ]
        } else {
            vec![json!("a"), json!("b")]
        };
        let (mut old, mut new) = (t.clone(), t.clone());
        set_array(props_mut(&mut old, id), path, items.clone());
        set_array(
            props_mut(&mut new, id),
            path,
            items.into_iter().rev().collect(),
        );
        out.push(variant(
            "reordering",
            format!("{id} {path}"),
            &old,
            new,
            Expect::Nothing,
        ));
    }
}

fn set_array(props: &mut Value, path: &str, items: Vec<Value>) {
    let mut slot = props;
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if !slot.is_object() {
            *slot = json!({});
        }
        slot = slot
            .as_object_mut()
            .expect("object")
            .entry(seg)
            .or_insert(Value::Null);
    }
    *slot = Value::Array(items);
}

fn reverse_keys(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let entries: Vec<(String, Value)> = map
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), reverse_keys(v)))
                .collect();
            Value::Object(entries.into_iter().collect::<Map<String, Value>>())
        }
        Value::Array(items) => Value::Array(items.iter().map(reverse_keys).collect()),
        _ => v.clone(),
    }
}

/// Physical names written as `Fn::Join`, `Fn::Sub` with a variable map, and
/// resolved literals: the same name, so no change.
fn spelling_variants(t: &Value, out: &mut Vec<Variant>) {
    for (id, _) in resources(t) {
        let props = t["Resources"][&id]["Properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (key, value) in props.iter().filter(|(k, _)| k.ends_with("Name")) {
            for (how, spelled) in respellings(value) {
                let mut new = t.clone();
                props_mut(&mut new, &id)[key] = spelled;
                out.push(variant(
                    "same name spelled otherwise",
                    format!("{id} {key} as {how}"),
                    t,
                    new,
                    Expect::Nothing,
                ));
            }
        }
    }
}

fn respellings(v: &Value) -> Vec<(&'static str, Value)> {
    let literal = match v {
        Value::String(s) => s.clone(),
        _ => match v.get("Fn::Sub").and_then(Value::as_str) {
            Some(s) if !s.contains("${AWS::StackName}") => return vec![],
            Some(s) => s.replace("${AWS::StackName}", STACK),
            None => return vec![],
        },
    };
    if literal.contains("${") {
        return vec![];
    }
    let (head, tail) = literal.split_once('-').unwrap_or((&literal, ""));
    vec![
        ("literal", json!(literal)),
        ("Fn::Join", json!({"Fn::Join": ["-", [head, tail]]})),
        (
            "Fn::Sub with a map",
            json!({"Fn::Sub": ["${a}-${b}", {"a": head, "b": tail}]}),
        ),
        (
            "Fn::Sub of the stack name",
            json!({"Fn::Sub": literal.replacen(STACK, "${AWS::StackName}", 1)}),
        ),
        (
            "Fn::Join with Ref AWS::StackName",
            json!({"Fn::Join": ["", [{"Ref": "AWS::StackName"}, literal.strip_prefix(STACK).unwrap_or(&literal)]]}),
        ),
    ]
}

/// `t` with its outputs changed by `f`.
fn outputs_edit(t: &Value, f: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let mut new = t.clone();
    f(new["Outputs"].as_object_mut().expect("Outputs"));
    new
}

fn output_variants(t: &Value, out: &mut Vec<Variant>) {
    let outputs = t["Outputs"].as_object().cloned().unwrap_or_default();
    for (name, o) in &outputs {
        breaking_output_variants(t, name, o, out);
        innocuous_output_variants(t, name, o, out);
    }
    let added = outputs_edit(t, |m| {
        m.insert(
            "extraOutput".to_owned(),
            json!({"Value": {"Ref": "NewInviteTopic"}}),
        );
    });
    out.push(variant(
        "output (innocuous)",
        "add an output".to_owned(),
        t,
        added,
        Expect::Innocuous,
    ));
}

/// A resource other than the one output `o` reads.
fn other_resource(t: &Value, o: &Value) -> String {
    let target = o["Value"]
        .get("Fn::GetAtt")
        .and_then(|g| g[0].as_str())
        .unwrap_or("");
    let ids = resources(t).into_iter().map(|(id, _)| id);
    ids.into_iter().find(|id| id != target).unwrap_or_default()
}

/// Removed, renamed, re-exported, and an exported value pointing elsewhere.
fn breaking_output_variants(t: &Value, name: &str, o: &Value, out: &mut Vec<Variant>) {
    let to = format!("{name}Renamed");
    let other = other_resource(t, o);
    let cases = [
        (
            "remove",
            outputs_edit(t, |m| {
                m.remove(name);
            }),
            name.to_owned(),
        ),
        (
            "rename",
            outputs_edit(t, |m| {
                let v = m.remove(name).expect("output");
                m.insert(to.clone(), v);
            }),
            to.clone(),
        ),
        (
            "export name of",
            outputs_edit(t, |m| {
                m[name]["Export"]["Name"] = json!(format!("other-{name}"));
            }),
            name.to_owned(),
        ),
        (
            "exported value of",
            outputs_edit(t, |m| {
                m[name]["Value"] = json!({"Ref": other});
            }),
            name.to_owned(),
        ),
    ];
    for (what, new, shown) in cases {
        out.push(variant(
            "output",
            format!("{what} {name}"),
            t,
            new,
            Expect::Breaking(shown),
        ));
    }
}

/// A new description, and a new value of an output that is not exported.
fn innocuous_output_variants(t: &Value, name: &str, o: &Value, out: &mut Vec<Variant>) {
    let described = outputs_edit(t, |m| m[name]["Description"] = json!("reworded"));
    out.push(variant(
        "output (innocuous)",
        format!("{name} description"),
        t,
        described,
        Expect::Innocuous,
    ));
    let private = outputs_edit(t, |m| {
        m[name].as_object_mut().expect("output").remove("Export");
    });
    let other = other_resource(t, o);
    let private_new = outputs_edit(&private, |m| m[name]["Value"] = json!({"Ref": other}));
    let what = format!("{name} unexported value");
    out.push(variant(
        "output (innocuous)",
        what,
        &private,
        private_new,
        Expect::Innocuous,
    ));
}

fn corpus() -> Vec<Variant> {
    let t = base();
    let mut out = Vec::new();
    create_only_variants(&t, &mut out);
    service_rule_variants(&t, &mut out);
    rename_variants(&t, &mut out);
    deletion_variants(&t, &mut out);
    policy_variants(&t, &mut out);
    innocuous_variants(&t, &mut out);
    reorder_variants(&t, &mut out);
    spelling_variants(&t, &mut out);
    output_variants(&t, &mut out);
    out
}

/// Whether the diff gives the variant its expected verdict.
fn verdict(d: &StackDiff, expect: &Expect) -> bool {
    let impacts_of = |id: &str| {
        d.resources
            .iter()
            .find(|r| r.logical_id == id)
            .map(|r| r.impacts.clone())
    };
    match expect {
        Expect::Replace(id) => impacts_of(id).is_some_and(|i| i.contains(&Impact::Replace)),
        Expect::MayReplace(id) => impacts_of(id)
            .is_some_and(|i| i.contains(&Impact::Replace) || i.contains(&Impact::MayReplace)),
        Expect::DataLoss => d.impacts().contains(&Impact::DataLoss),
        Expect::Breaking(name) => d
            .outputs
            .iter()
            .any(|o| &o.name == name && o.impacts.contains(&Impact::Breaking)),
        Expect::Innocuous => !FailOn::Replace.should_fail(std::slice::from_ref(d)) && !d.is_empty(),
        Expect::Nothing => d.is_empty(),
    }
}

/// `(as expected, total)` by category, and the variants that missed.
type Tally = BTreeMap<&'static str, (usize, usize)>;

/// The tally key of an expectation, next to the categories.
fn expectation(expect: &Expect) -> &'static str {
    match expect {
        Expect::Replace(_) => "expect: REPLACE",
        Expect::MayReplace(_) => "expect: MAY REPLACE",
        Expect::DataLoss => "expect: DATA LOSS",
        Expect::Breaking(_) => "expect: BREAKING",
        Expect::Innocuous => "expect: unmarked change",
        Expect::Nothing => "expect: no change",
    }
}

fn run(corpus: &[Variant]) -> (Tally, Vec<String>) {
    let mut tally = Tally::new();
    let mut misses = Vec::new();
    for v in corpus {
        let d = diff(STACK, Some(&v.old), Some(&v.new));
        let ok = verdict(&d, &v.expect);
        for key in [v.category, expectation(&v.expect)] {
            let entry = tally.entry(key).or_default();
            entry.0 += usize::from(ok);
            entry.1 += 1;
        }
        if !ok {
            misses.push(format!(
                "{}: {} (expected {:?})\n{:#?}",
                v.category, v.name, v.expect, d
            ));
        }
    }
    (tally, misses)
}

fn sum(tally: &Tally, categories: &[&str]) -> (usize, usize) {
    let counts = categories.iter().filter_map(|c| tally.get(c));
    counts.fold((0, 0), |(a, b), (ok, n)| (a + ok, b + n))
}

#[test]
fn corpus_recall_and_false_positives() {
    let corpus = corpus();
    let (tally, misses) = run(&corpus);
    println!(
        "diff corpus: {} one-change variants of stacks/templates/infra-prod.json",
        corpus.len()
    );
    for (category, (ok, n)) in &tally {
        println!("  {category:<28} {ok}/{n} as expected");
    }
    let (lost, losing) = sum(&tally, &["expect: DATA LOSS"]);
    let (broke, breaking) = sum(&tally, &["expect: BREAKING"]);
    println!("  data loss recall: {lost}/{losing}; breaking output recall: {broke}/{breaking}");
    let (caught, replacing) = sum(
        &tally,
        &["create-only", "service rule", "rename", "rename + edit"],
    );
    let quiet = [
        "innocuous update",
        "policy flip",
        "reordering",
        "same name spelled otherwise",
        "output (innocuous)",
    ];
    let (quiet, innocuous) = sum(&tally, &quiet);
    println!("  replacement recall (create-only, service rules, renames): {caught}/{replacing}");
    println!(
        "  innocuous edits flagged: {}/{innocuous}",
        innocuous - quiet
    );
    assert!(
        misses.is_empty(),
        "{} variants missed:\n{}",
        misses.len(),
        misses.join("\n")
    );
    assert!(
        replacing > 50 && innocuous > 20,
        "the corpus is too small to mean anything"
    );
}

#[test]
fn a_rename_that_keeps_a_custom_name_says_creation_fails() {
    let t = base();
    let new = rename(&t, "InvitesTable", "InvitationsTable");
    let d = diff(STACK, Some(&t), Some(&new));
    let r = d.resource("InvitationsTable").expect("renamed");
    assert_eq!(
        (r.kind, r.renamed_from.as_deref()),
        (ChangeKind::Renamed, Some("InvitesTable"))
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("will fail to create InvitationsTable")),
        "{r:#?}"
    );
    let mut renamed_too = new.clone();
    renamed_too["Resources"]["InvitationsTable"]["Properties"]["TableName"] =
        json!("infra-prod-invitations");
    let d = diff(STACK, Some(&t), Some(&renamed_too));
    let r = d.resource("InvitationsTable").expect("renamed");
    assert_eq!(r.kind, ChangeKind::Renamed);
    assert!(!r.notes.iter().any(|n| n.contains("will fail")), "{r:#?}");
}

/// Counts over the registry: create-only paths that replace, conditional
/// ones that replace or may, innocuous properties flagged; and the misses.
#[derive(Default)]
struct Counts {
    caught: usize,
    replacing: usize,
    conditional_ok: usize,
    conditional: usize,
    flagged: usize,
    innocuous: usize,
    misses: Vec<String>,
}

/// The impacts on a bare resource of `type_name` when `pointer` changes.
fn impacts_of_change(type_name: &str, pointer: &str) -> Vec<Impact> {
    let old = json!({"Resources": {"R": {"Type": type_name, "Properties": {}}}});
    let mut new = old.clone();
    change_at(props_mut(&mut new, "R"), pointer);
    let d = diff(STACK, Some(&old), Some(&new));
    d.resource("R")
        .map(|r| r.impacts.clone())
        .unwrap_or_default()
}

fn count_type(type_name: &str, c: &mut Counts) {
    let meta = infra_registry::lookup(type_name).expect("listed types resolve");
    for pointer in &meta.create_only {
        c.replacing += 1;
        if impacts_of_change(type_name, pointer).contains(&Impact::Replace) {
            c.caught += 1;
        } else {
            c.misses.push(format!("{type_name} {pointer}: not REPLACE"));
        }
    }
    for pointer in &meta.conditional_create_only {
        c.conditional += 1;
        let impacts = impacts_of_change(type_name, pointer);
        let ok = impacts.contains(&Impact::Replace) || impacts.contains(&Impact::MayReplace);
        c.conditional_ok += usize::from(ok);
    }
    if provider_decides(type_name) {
        return;
    }
    let mut excluded: Vec<String> = replacing_paths_of(type_name);
    excluded.extend(
        meta.create_only
            .iter()
            .chain(&meta.conditional_create_only)
            .cloned(),
    );
    excluded.extend(meta.read_only.iter().cloned());
    for (name, _) in meta.schema()["properties"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if excluded
            .iter()
            .any(|p| overlaps(p, std::slice::from_ref(name)))
        {
            continue;
        }
        c.innocuous += 1;
        let impacts = impacts_of_change(type_name, &format!("/properties/{name}"));
        if !impacts.is_empty() {
            c.flagged += 1;
            c.misses
                .push(format!("{type_name} {name}: innocuous but {impacts:?}"));
        }
    }
}

/// Every create-only path of every registry type (1,854 types), changed on a
/// bare resource, replaces; every conditional one replaces or may; adding a
/// top-level property that no create-only path, service rule or read-only
/// path touches replaces nothing.
#[test]
fn every_registry_type() {
    let types: Vec<&str> = infra_registry::type_names().collect();
    let mut c = Counts::default();
    for type_name in &types {
        count_type(type_name, &mut c);
    }
    println!("every registry type: {} types", types.len());
    println!(
        "  create-only paths that replace: {}/{}",
        c.caught, c.replacing
    );
    let (ok, n) = (c.conditional_ok, c.conditional);
    println!("  conditional create-only paths that replace or may: {ok}/{n}");
    println!(
        "  innocuous top-level properties flagged: {}/{}",
        c.flagged, c.innocuous
    );
    assert!(types.len() >= 1800, "the whole registry");
    assert!(
        c.misses.is_empty(),
        "{} misses:\n{}",
        c.misses.len(),
        c.misses.join("\n")
    );
    assert_eq!(ok, n);
}

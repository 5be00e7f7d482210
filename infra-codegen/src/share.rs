//! Property types shared by several resource types of a service (the `Tag`
//! of every EC2 type, the thousands of definitions QuickSight's dashboards,
//! analyses and templates have in common) are generated once, in the
//! service's `shared` module, and re-exported by each type's module.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Item, ResourceType, Ty};

/// Moves the items that at least two of `types` have, identical and with
/// identical dependencies, out of them; returns those items, sorted by name.
pub fn share(types: &mut [ResourceType]) -> Vec<Item> {
    let keys: Vec<BTreeMap<String, String>> = types.iter().map(item_keys).collect();
    let common = most_common(&keys);
    let mut shared: Vec<BTreeSet<String>> = keys
        .iter()
        .map(|k| {
            k.iter()
                .filter(|(name, key)| common.get(*name) == Some(key))
                .map(|(name, _)| name.clone())
                .collect()
        })
        .collect();
    // Dropping an item used once can leave another shared one naming it: repeat.
    loop {
        close_over_references(types, &mut shared);
        let uses = count_uses(&shared);
        let before: usize = shared.iter().map(BTreeSet::len).sum();
        for names in &mut shared {
            names.retain(|n| uses[n] >= 2);
        }
        if shared.iter().map(BTreeSet::len).sum::<usize>() == before {
            break;
        }
    }
    let mut out: BTreeMap<String, Item> = BTreeMap::new();
    for (t, names) in types.iter_mut().zip(&shared) {
        let (moved, kept): (Vec<Item>, Vec<Item>) = std::mem::take(&mut t.items)
            .into_iter()
            .partition(|i| names.contains(item_name(i)));
        t.items = kept;
        for item in moved {
            t.shared.push(item_name(&item).to_owned());
            out.entry(item_name(&item).to_owned()).or_insert(item);
        }
    }
    out.into_values().collect()
}

fn item_name(item: &Item) -> &str {
    match item {
        Item::Struct(s) => &s.name,
        Item::Enum(e) => &e.name,
    }
}

/// Name -> a key that is equal exactly when two items render the same.
fn item_keys(t: &ResourceType) -> BTreeMap<String, String> {
    t.items
        .iter()
        .map(|i| (item_name(i).to_owned(), format!("{i:?}")))
        .collect()
}

/// For each name, the content at least two types have (the most frequent).
fn most_common(keys: &[BTreeMap<String, String>]) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for k in keys {
        for (name, key) in k {
            *counts.entry((name, key)).or_default() += 1;
        }
    }
    let mut best: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for ((name, key), n) in counts.into_iter().filter(|(_, n)| *n >= 2) {
        let entry = best.entry(name.to_owned()).or_insert((0, String::new()));
        if n > entry.0 {
            *entry = (n, key.to_owned());
        }
    }
    best.into_iter()
        .map(|(name, (_, key))| (name, key))
        .collect()
}

/// Keeps an item shared for a type only if everything it names is shared too.
fn close_over_references(types: &[ResourceType], shared: &mut [BTreeSet<String>]) {
    for (t, names) in types.iter().zip(shared.iter_mut()) {
        let refs: BTreeMap<&str, Vec<String>> = t
            .items
            .iter()
            .map(|i| (item_name(i), references(i)))
            .collect();
        loop {
            let drop: Vec<String> = names
                .iter()
                .filter(|n| {
                    refs.get(n.as_str())
                        .is_some_and(|r| r.iter().any(|d| !names.contains(d)))
                })
                .cloned()
                .collect();
            if drop.is_empty() {
                break;
            }
            for d in drop {
                names.remove(&d);
            }
        }
    }
}

fn count_uses(shared: &[BTreeSet<String>]) -> BTreeMap<String, usize> {
    let mut uses = BTreeMap::new();
    for names in shared {
        for n in names {
            *uses.entry(n.clone()).or_insert(0) += 1;
        }
    }
    uses
}

/// The property types an item's fields name.
fn references(item: &Item) -> Vec<String> {
    let Item::Struct(s) = item else {
        return vec![];
    };
    let mut out = Vec::new();
    for f in &s.fields {
        named(&f.ty, &mut out);
    }
    out
}

fn named(ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Enum(n) | Ty::Struct(n) => out.push(n.clone()),
        Ty::List(t) | Ty::Map(t) => named(t, out),
        Ty::Leaf(_) | Ty::Typed(_) => {}
    }
}

//! Prints every type's GetAtt attributes as JSON lines (`{"type":..,"attributes":[[name,is_array]..]}`),
//! for cross-checks against other tools (cfn-lint's GetAtt tables).
//!
//! `cargo run -p infra-registry --example dump_attributes > attributes.jsonl`

fn main() {
    for name in infra_registry::type_names() {
        let Some(meta) = infra_registry::lookup(name) else {
            continue;
        };
        let attributes: Vec<(&str, bool)> = meta
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.is_array))
            .collect();
        let line = serde_json::json!({ "type": name, "attributes": attributes });
        println!("{line}");
    }
}

//! Lookup latency, cold (first lookup in the process: index parse, inflate,
//! metadata parse) and warm (cached), plus the first `schema()` parse.
//!
//! `cargo run --release -p infra-registry --example lookup_latency [TYPE...]`
//! With `--all`, decodes every type once and reports the total; `--noop` (a
//! baseline) and `--quiet TYPE...` (lookups only) are for whole-process timings.

use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Baseline for whole-process timings: the same binary, no lookup.
    if args.iter().any(|a| a == "--noop") {
        return;
    }
    if args.iter().any(|a| a == "--quiet") {
        let found = args
            .iter()
            .filter(|t| infra_registry::lookup(t).is_some())
            .count();
        std::process::exit(if found > 0 { 0 } else { 1 });
    }
    if args.iter().any(|a| a == "--all") {
        let start = Instant::now();
        let n = infra_registry::type_names()
            .filter(|t| infra_registry::lookup(t).is_some_and(|m| !m.schema().is_null()))
            .count();
        println!("decoded {n} types with schemas in {:?}", start.elapsed());
        return;
    }
    let types: Vec<&str> = if args.is_empty() {
        vec![
            "AWS::DynamoDB::Table",
            "AWS::EC2::Instance",
            "AWS::QuickSight::Dashboard",
        ]
    } else {
        args.iter().map(String::as_str).collect()
    };
    let (count, index) = time(|| infra_registry::type_names().count());
    println!("index of {count} types parsed in {index:?}");
    for t in types {
        let (meta, cold) = time(|| infra_registry::lookup(t));
        let Some(meta) = meta else {
            println!(
                "{t}: unknown (did you mean {:?}?)",
                infra_registry::suggest(t)
            );
            continue;
        };
        let (_, warm) = time(|| infra_registry::lookup(t));
        let (_, schema) = time(|| meta.schema());
        let (_, schema_warm) = time(|| meta.schema());
        println!(
            "{t}: lookup cold {cold:?} warm {warm:?}; schema() first {schema:?} then {schema_warm:?}; {} attributes",
            meta.attributes.len()
        );
    }
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

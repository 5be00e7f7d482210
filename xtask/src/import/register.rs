//! The edits an import makes to the stacks crate: the module file, `pub mod x;`
//! and `.stack(x::X::new)` in `stacks/src/lib.rs`, the `infra-model` features
//! in `stacks/Cargo.toml`. Each edit is idempotent (a re-import of a service
//! changes nothing but its module), and each is a pure function of the current
//! text, so the staged copy and the real crate get exactly the same edits.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};

/// What the first lines of a module import wrote say: a module without it is a
/// person's, and is not replaced without `--force`.
pub const MARKER: &str = "Imported by `cargo xtask import`";

/// Module names that are files of the crate itself, never a stack.
const RESERVED: &[&str] = &["lib", "main", "bin", "mod"];

/// The module file as written: the engine's source under the marker line.
pub fn module_file(source: &str, origin: &str) -> String {
    format!("//! {MARKER} from {origin}; re-importing the service replaces this file.\n{source}")
}

/// Refuses to replace `current` (the existing file of `module`, if any) unless
/// import wrote it or `force`.
pub fn check_owner(module: &str, current: Option<&str>, force: bool) -> Result<()> {
    if RESERVED.contains(&module) {
        bail!(
            "stacks/src/{module}.rs is part of the stacks crate itself: import the stack under another name with --service NAME"
        );
    }
    let ours = current.is_none_or(|text| head(text).contains(MARKER));
    if !ours && !force {
        bail!(
            "stacks/src/{module}.rs exists and was not written by import: choose another name with --service NAME, or replace it with --force"
        );
    }
    Ok(())
}

/// The leading comment lines of a file.
fn head(text: &str) -> String {
    let lines = text
        .lines()
        .take_while(|l| l.trim_start().starts_with("//"));
    lines.collect::<Vec<_>>().join("\n")
}

/// `lib` with `pub mod module;` and `.stack(module::Struct::new)` at the end
/// of the chain `app()` returns.
pub fn register_in_lib(lib: &str, module: &str, struct_name: &str) -> Result<String> {
    let with_mod = add_mod(lib, module);
    add_stack(&with_mod, &format!(".stack({module}::{struct_name}::new)"))
}

fn add_mod(lib: &str, module: &str) -> String {
    let declared = |l: &str| l == format!("pub mod {module};") || l == format!("mod {module};");
    if lib.lines().any(|l| declared(l.trim_end())) {
        return lib.to_owned();
    }
    let lines: Vec<&str> = lib.lines().collect();
    let last_mod = lines
        .iter()
        .rposition(|l| l.starts_with("pub mod ") || l.starts_with("mod "));
    let at = last_mod.map_or_else(|| first_item(&lines), |i| i + 1);
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    out.insert(at, format!("pub mod {module};"));
    out.join("\n") + "\n"
}

/// The line after the crate's inner doc comment and attributes.
fn first_item(lines: &[&str]) -> usize {
    lines
        .iter()
        .position(|l| !(l.starts_with("//!") || l.starts_with("#![") || l.trim().is_empty()))
        .unwrap_or(lines.len())
}

fn add_stack(lib: &str, call: &str) -> Result<String> {
    if lib.contains(call) {
        return Ok(lib.to_owned());
    }
    let (start, end) = app_body(lib).context(
        "stacks/src/lib.rs has no `fn app() -> App { ... }` whose last expression is the app: add the stack to it by hand",
    )?;
    let tail = lib[start..end].trim_end();
    if tail.ends_with(';') || !tail.contains(".stack(") && !tail.contains("App::new(") {
        bail!(
            "the body of `fn app()` in stacks/src/lib.rs does not end in the app's `.stack(..)` chain: add `{call}` to it by hand"
        );
    }
    let at = start + tail.len();
    Ok(format!("{}\n        {call}{}", &lib[..at], &lib[at..]))
}

/// The byte range inside the braces of `fn app()`.
fn app_body(lib: &str) -> Option<(usize, usize)> {
    let f = lib.find("pub fn app()")?;
    let open = f + lib[f..].find('{')?;
    let mut depth = 0usize;
    for (i, c) in lib[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((open + 1, open + i));
                }
            }
            _ => {}
        }
    }
    None
}

/// `cargo_toml` (the stacks crate's) with `features` (and `derive`) in the
/// `infra-model` dependency's one-line `features = [..]`.
pub fn add_features(cargo_toml: &str, features: &BTreeSet<String>) -> Result<String> {
    let mut out = Vec::new();
    let mut found = false;
    for line in cargo_toml.lines() {
        if line.starts_with("infra-model") && !found {
            found = true;
            out.push(with_features(line, features)?);
        } else {
            out.push(line.to_owned());
        }
    }
    if !found {
        bail!(
            "stacks/Cargo.toml has no `infra-model = {{ .. }}` dependency line to add the features {features:?} to"
        );
    }
    Ok(out.join("\n") + "\n")
}

fn with_features(line: &str, features: &BTreeSet<String>) -> Result<String> {
    let list = line
        .find("features = [")
        .map(|i| i + "features = [".len())
        .and_then(|start| Some((start, start + line[start..].find(']')?)))
        .with_context(|| {
            format!("stacks/Cargo.toml: `{line}` has no one-line `features = [..]`: add {features:?} by hand")
        })?;
    let mut have: Vec<String> = line[list.0..list.1]
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| !f.is_empty())
        .collect();
    let wanted = std::iter::once("derive").chain(features.iter().map(String::as_str));
    for feature in wanted {
        if !have.iter().any(|h| h == feature) {
            have.push(feature.to_owned());
        }
    }
    let quoted: Vec<String> = have.iter().map(|f| format!("\"{f}\"")).collect();
    Ok(format!(
        "{}{}{}",
        &line[..list.0],
        quoted.join(", "),
        &line[list.1..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIB: &str = "//! The stacks.\n\npub mod infra;\nmod naming;\n#[doc(hidden)]\npub mod scale;\n\nuse infra_model::App;\n\n/// The app.\npub fn app() -> App {\n    App::new(\"api\", &[\"dev\", \"prod\"]).stack(infra::Infra::new)\n}\n";

    #[test]
    fn registers_once() {
        let once = register_in_lib(LIB, "billing", "Billing").expect("registers");
        assert!(
            once.contains("pub mod scale;\npub mod billing;\n"),
            "{once}"
        );
        assert!(
            once.contains(".stack(infra::Infra::new)\n        .stack(billing::Billing::new)\n}"),
            "{once}"
        );
        assert_eq!(
            register_in_lib(&once, "billing", "Billing").expect("again"),
            once
        );
    }

    #[test]
    fn an_app_that_is_not_a_chain_is_refused() {
        let odd = "pub fn app() -> App {\n    let app = make();\n    app;\n}\n";
        assert!(register_in_lib(odd, "b", "B").is_err());
        assert!(register_in_lib("pub fn other() {}\n", "b", "B").is_err());
    }

    #[test]
    fn features_are_added_once_in_order() {
        let toml = "[dependencies]\ninfra-model = { workspace = true, features = [\"derive\", \"dynamodb\"] }\nserde_json.workspace = true\n";
        let features: BTreeSet<String> = ["sqs".into(), "dynamodb".into()].into();
        let out = add_features(toml, &features).expect("adds");
        assert!(
            out.contains("features = [\"derive\", \"dynamodb\", \"sqs\"] }"),
            "{out}"
        );
        assert_eq!(add_features(&out, &features).expect("again"), out);
        assert!(add_features("[dependencies]\ninfra-model.workspace = true\n", &features).is_err());
    }

    #[test]
    fn only_imported_modules_are_replaced_without_force() {
        let ours = module_file("pub struct B;\n", "b.json");
        assert!(check_owner("b", Some(&ours), false).is_ok());
        assert!(check_owner("b", None, false).is_ok());
        assert!(check_owner("infra", Some("//! The infra stack.\n"), false).is_err());
        assert!(check_owner("infra", Some("//! The infra stack.\n"), true).is_ok());
        assert!(check_owner("lib", None, true).is_err());
    }
}

//! One generated scratch crate for many generated stack modules: a module per
//! stack and a `main` that prints every stack's template as JSON. It is built
//! once, with its own target dir under the workspace's `target/` (so the cargo
//! inside a test never waits on the lock of the cargo that runs the test), and
//! with the union of the modules' features. A module that does not compile is
//! reported with rustc's message and left out, and the rest is built again: one
//! bad module must not hide the others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use quote::{format_ident, quote};

/// A generated stack module: `src/<name>.rs` holding `pub struct <struct_name>`
/// with `fn new(&StackContext) -> Self` and a `#[derive(Stack)]`.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub struct_name: String,
    pub source: String,
    /// infra-model features the module needs ("sqs"; "derive" is always on).
    pub features: BTreeSet<String>,
}

/// What became of one module.
#[derive(Debug)]
pub enum Outcome {
    /// The template it synthesized (`Template::to_json`, byte for byte).
    Template(String),
    /// rustc's rendered errors in this module.
    CompileError(String),
    /// Its constructor or synthesis panicked, with the panic message.
    Panic(String),
}

/// The result of one scratch build.
#[derive(Debug)]
pub struct Built {
    pub outcomes: BTreeMap<String, Outcome>,
    /// Wall time of each `cargo build` run (the first is the full build).
    pub builds: Vec<Duration>,
}

/// A scratch crate at `dir/<name>/`, built into `dir/target/`.
#[derive(Debug)]
pub struct Scratch {
    pub crate_dir: PathBuf,
    pub target_dir: PathBuf,
    pub workspace: PathBuf,
    pub stage: String,
}

impl Scratch {
    /// `target/import-roundtrip/<name>` of `workspace`, sharing one target dir.
    pub fn new(workspace: &Path, name: &str) -> Scratch {
        let dir = workspace.join("target/import-roundtrip");
        Scratch {
            crate_dir: dir.join(name),
            target_dir: dir.join("target"),
            workspace: workspace.to_path_buf(),
            stage: "prod".to_string(),
        }
    }

    /// Writes the crate, builds it (leaving out modules that fail to compile)
    /// and runs it. Harness failures (cargo missing, a dependency that fails,
    /// an error no module can be blamed for) are `Err`.
    pub fn run(&self, modules: &[Module]) -> Result<Built, String> {
        let mut outcomes = BTreeMap::new();
        let mut builds = Vec::new();
        let mut live: Vec<&Module> = modules.iter().collect();
        loop {
            self.write(&live)?;
            let started = Instant::now();
            let errors = self.build()?;
            builds.push(started.elapsed());
            if errors.is_empty() {
                break;
            }
            let blamed = blame(&errors, &live)?;
            live.retain(|m| !blamed.contains_key(&m.name));
            outcomes.extend(
                blamed
                    .into_iter()
                    .map(|(name, text)| (name, Outcome::CompileError(text))),
            );
        }
        outcomes.extend(self.execute()?);
        Ok(Built { outcomes, builds })
    }

    /// Writes `Cargo.toml`, `Cargo.lock`, `src/main.rs` and the modules,
    /// touching only files whose content changed (a warm build stays warm)
    /// and removing modules of earlier runs.
    fn write(&self, modules: &[&Module]) -> Result<(), String> {
        let src = self.crate_dir.join("src");
        std::fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
        let lock = std::fs::read_to_string(self.workspace.join("Cargo.lock"))
            .map_err(|e| format!("the workspace's Cargo.lock: {e}"))?;
        // The workspace's versions, so that the scratch crate builds what CI built.
        write_if_changed(&self.crate_dir.join("Cargo.lock"), &lock)?;
        write_if_changed(&self.crate_dir.join("Cargo.toml"), &self.manifest(modules))?;
        write_if_changed(&src.join("main.rs"), &main_rs(modules, &self.stage))?;
        for module in modules {
            write_if_changed(&src.join(format!("{}.rs", module.name)), &module.source)?;
        }
        remove_stale(&src, modules)
    }

    fn manifest(&self, modules: &[&Module]) -> String {
        let features: BTreeSet<&str> = std::iter::once("derive")
            .chain(
                modules
                    .iter()
                    .flat_map(|m| m.features.iter().map(String::as_str)),
            )
            .collect();
        let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        let model = self.workspace.join("infra-model");
        // An empty [workspace]: the crate lies inside the workspace's directory
        // but is not one of its members. No debug info: only the JSON matters.
        format!(
            "[package]\nname = \"import-roundtrip\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\ninfra-model = {{ path = {model:?}, features = [{}] }}\n\
             serde_json = \"1\"\n\n[workspace]\n\n[profile.dev]\ndebug = false\n",
            features.join(", "),
            model = model.display().to_string(),
        )
    }

    /// `cargo build`; the compiler errors it reported (empty when it built).
    fn build(&self) -> Result<Vec<Diagnostic>, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .arg("build")
            .arg("--message-format=json")
            .arg("--manifest-path")
            .arg(self.crate_dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &self.target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|e| format!("running cargo: {e}"))?;
        let errors = diagnostics(&String::from_utf8_lossy(&output.stdout));
        if !output.status.success() && errors.is_empty() {
            return Err(format!(
                "cargo build of {} failed without a compiler error:\n{}",
                self.crate_dir.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(errors)
    }

    /// Runs the built binary: `{"templates": {module: json}, "panics": {module: message}}`.
    fn execute(&self) -> Result<BTreeMap<String, Outcome>, String> {
        let bin = self.target_dir.join("debug/import-roundtrip");
        let output = Command::new(&bin)
            .output()
            .map_err(|e| format!("running {}: {e}", bin.display()))?;
        if !output.status.success() {
            return Err(format!(
                "{} failed: {}",
                bin.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let report: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_slice(&output.stdout).map_err(|e| format!("its output: {e}"))?;
        let mut outcomes = BTreeMap::new();
        for (kind, entries) in report {
            for (module, text) in entries {
                let outcome = match kind.as_str() {
                    "templates" => Outcome::Template(text),
                    _ => Outcome::Panic(text),
                };
                outcomes.insert(module, outcome);
            }
        }
        Ok(outcomes)
    }
}

/// One compiler error: the files its spans point into, the source lines they
/// cover, and rustc's rendering.
#[derive(Debug)]
pub struct Diagnostic {
    files: Vec<String>,
    lines: Vec<String>,
    rendered: String,
}

/// The errors among cargo's JSON messages (warnings are not our business here).
fn diagnostics(stdout: &str) -> Vec<Diagnostic> {
    let messages = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok());
    messages
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
        .map(|m| {
            let spans = m["message"]["spans"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let text = |s: &serde_json::Value| -> Vec<String> {
                let lines = s["text"].as_array().cloned().unwrap_or_default();
                lines
                    .iter()
                    .filter_map(|l| l["text"].as_str().map(String::from))
                    .collect()
            };
            Diagnostic {
                files: spans
                    .iter()
                    .filter_map(|s| s["file_name"].as_str().map(String::from))
                    .collect(),
                lines: spans.iter().flat_map(text).collect(),
                rendered: m["message"]["rendered"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            }
        })
        .collect()
}

/// The modules each error belongs to: by file (`src/<module>.rs`), or for an
/// error in `main.rs`, by the module its line names. An error that points at
/// neither (a dependency, a summary line such as "aborting due to ...") is
/// blamed on nobody; if nobody is blamed at all, the harness itself failed.
fn blame(errors: &[Diagnostic], live: &[&Module]) -> Result<BTreeMap<String, String>, String> {
    let mut blamed: BTreeMap<String, String> = BTreeMap::new();
    for error in errors {
        for module in live.iter().filter(|m| concerns(error, m)) {
            let text = blamed.entry(module.name.clone()).or_default();
            text.push_str(&error.rendered);
        }
    }
    if blamed.is_empty() {
        let all: Vec<&str> = errors.iter().map(|e| e.rendered.as_str()).collect();
        return Err(format!(
            "the scratch crate failed to build:\n{}",
            all.join("\n")
        ));
    }
    Ok(blamed)
}

fn concerns(error: &Diagnostic, module: &Module) -> bool {
    let file = format!("src/{}.rs", module.name);
    error.files.iter().any(|f| f == &file)
        || (error.files.iter().any(|f| f == "src/main.rs")
            && error.lines.iter().any(|l| names_path(l, &module.name)))
}

/// Whether `line` holds the path `module::...` (not merely `other_module::`).
fn names_path(line: &str, module: &str) -> bool {
    let path = format!("{module}::");
    line.match_indices(&path).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// `main.rs`: every module, and a `main` that synthesizes each stack at the
/// given stage, catching panics so one bad stack does not hide the others.
fn main_rs(modules: &[&Module], stage: &str) -> String {
    let mods = modules.iter().map(|m| format_ident!("{}", m.name));
    let calls = modules.iter().map(|m| {
        let name = &m.name;
        let module = format_ident!("{}", m.name);
        let ty = format_ident!("{}", m.struct_name);
        quote! { run(&mut report, #name, #module::#ty::new); }
    });
    let file: syn::File = syn::parse_quote! {
        //! Generated by the import round-trip test (tests/tests/roundtrip/scratch.rs).
        #(mod #mods;)*

        use std::collections::BTreeMap;
        use infra_model::{Stack, StackContext};

        type Report = BTreeMap<&'static str, BTreeMap<&'static str, String>>;

        fn run<S: Stack>(report: &mut Report, name: &'static str, build: fn(&StackContext) -> S) {
            let ctx = StackContext::new(S::APP, S::SERVICE, #stage);
            let synth = std::panic::catch_unwind(|| build(&ctx).to_template(&ctx).to_json());
            let (kind, text) = match synth {
                Ok(json) => ("templates", json),
                Err(panic) => ("panics", panic_message(panic.as_ref())),
            };
            report.entry(kind).or_default().insert(name, text);
        }

        fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
            if let Some(text) = panic.downcast_ref::<&str>() {
                return text.to_string();
            }
            panic.downcast_ref::<String>().cloned().unwrap_or_else(|| "a panic".to_string())
        }

        fn main() {
            let mut report = Report::new();
            #(#calls)*
            println!("{}", serde_json::to_string(&report).expect("strings serialize"));
        }
    };
    prettyplease::unparse(&file)
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Removes `src/*.rs` files of modules no longer in the crate.
fn remove_stale(src: &Path, modules: &[&Module]) -> Result<(), String> {
    let keep: BTreeSet<String> = modules
        .iter()
        .map(|m| format!("{}.rs", m.name))
        .chain(["main.rs".to_string()])
        .collect();
    let entries = std::fs::read_dir(src).map_err(|e| format!("{}: {e}", src.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep.contains(&name) {
            std::fs::remove_file(entry.path()).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    Ok(())
}

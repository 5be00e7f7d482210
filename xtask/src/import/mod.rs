//! `cargo xtask import FILE... | --stack NAME`: an existing template, a
//! serverless.yml's `resources:` or a deployed stack's template into a Rust
//! stack in `stacks/src/`, registered in the app.
//!
//! The engine (template -> Rust) is `infra_import`; this module reads the
//! inputs, and proves the round trip before it writes: the new modules are
//! staged in a copy of the workspace (`stage`), compiled and synthesized there,
//! and each synthesized template must be `infra_check::equivalent` to its
//! input. Only then are the files written, each through a temporary file and a
//! rename, the renames last and together.
//!
//! Exit codes: 0 imported; 1 the round trip differs (each difference printed by
//! template path; nothing written); 2 could not run (a refusal, with
//! `file:line:col: path: message`; a module import does not own; a compile
//! failure of the generated code; arguments).

mod engine;
mod input;
mod register;
mod stack;
mod stage;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use infra_model::app::Manifest;

use crate::workspace::{self, Generated};
use input::{Input, Refused};

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["files", "stack"])))]
pub struct Args {
    /// Templates (JSON or YAML) or serverless.yml manifests, one stack each.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The service name (kebab-case) of the one stack imported; by default the
    /// file name or the manifest's `service:`, without a `-{stage}` suffix.
    #[arg(long)]
    service: Option<String>,
    /// The stage whose synthesized template must equal the input; by default the
    /// stage the name carries (`infra-prod.json`), else every configured stage.
    #[arg(long)]
    stage: Option<String>,
    /// Replace a module of `stacks/src/` that import did not write.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    stack: stack::StackArgs,
}

/// One input and what the engine made of it.
struct Planned {
    input: Input,
    imported: engine::Imported,
    stages: Vec<String>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    match import(&args) {
        Ok(code) => Ok(code),
        Err(err) => {
            match err.downcast_ref::<Refused>() {
                Some(refused) => eprintln!("{refused}"),
                None => eprintln!("error: {err:#}"),
            }
            Ok(ExitCode::from(2))
        }
    }
}

fn import(args: &Args) -> Result<ExitCode> {
    input::check_args(&args.files, args.service.as_deref())?;
    let root = workspace::root()?;
    let app = crate::manifest::synthesize(&root, &[]).context("synthesizing the app as it is")?;
    let configured = app.catalogue.stages();
    if let Some(stage) = args.stage.as_ref().filter(|s| !configured.contains(s)) {
        bail!(
            "unknown stage `{stage}`: the app configures {}",
            configured.join(", ")
        );
    }
    let inputs = read_inputs(&root, args, &configured)?;
    let planned = plan(inputs, &app, args, &configured)?;
    let edits = edits(&root, &planned, args.force)?;
    let stage = stage::Stage::new(&root, &edits)?;
    let all: BTreeSet<String> = planned
        .iter()
        .flat_map(|p| p.stages.iter().cloned())
        .collect();
    let manifest = match stage.synth(&all.into_iter().collect::<Vec<_>>())? {
        Ok(manifest) => manifest,
        Err(stage::Failed::Compile(messages)) => {
            eprintln!("{messages}");
            eprintln!(
                "error: the imported stack does not compile (staged in {}); nothing was written",
                stage.dir.display()
            );
            return Ok(ExitCode::from(2));
        }
    };
    if !round_trips(&planned, &manifest) {
        eprintln!(
            "error: the imported stack does not synthesize back to its input; nothing was written"
        );
        return Ok(ExitCode::FAILURE);
    }
    write(&root, &edits)?;
    report(&planned);
    Ok(ExitCode::SUCCESS)
}

fn read_inputs(root: &Path, args: &Args, stages: &[String]) -> Result<Vec<Input>> {
    if let Some(name) = &args.stack.stack {
        let body = stack::template(root, &args.stack)?;
        return Ok(vec![input::from_stack(
            name,
            &body,
            args.service.as_deref(),
            stages,
        )?]);
    }
    let mut inputs = Vec::new();
    let mut refused = Vec::new();
    for file in &args.files {
        match input::from_file(file, args.service.as_deref(), stages) {
            Ok(input) => inputs.push(input),
            Err(err) => match err.downcast::<Refused>() {
                Ok(Refused(lines)) => refused.extend(lines),
                Err(err) => return Err(err),
            },
        }
    }
    if !refused.is_empty() {
        bail!(Refused(refused));
    }
    Ok(inputs)
}

/// Runs the engine on every input; all refusals at once.
fn plan(
    inputs: Vec<Input>,
    app: &Manifest,
    args: &Args,
    configured: &[String],
) -> Result<Vec<Planned>> {
    let mut planned = Vec::new();
    let mut refused = Vec::new();
    let mut services = BTreeSet::new();
    for input in inputs {
        if !services.insert(input.service.clone()) {
            refused.push(format!(
                "{}: service {:?} is imported twice in one run",
                input.origin, input.service
            ));
            continue;
        }
        let opts = engine::Options {
            app: app.catalogue.app.clone(),
            service: input.service.clone(),
        };
        match engine::import(&input.parsed, &opts) {
            Ok(imported) => {
                let stages = match args.stage.clone().or_else(|| input.stage.clone()) {
                    Some(stage) => vec![stage],
                    None => configured.to_vec(),
                };
                planned.push(Planned {
                    input,
                    imported,
                    stages,
                });
            }
            Err(refusals) => {
                refused.extend(refusals.iter().map(|r| format!("{}:{r}", input.origin)))
            }
        }
    }
    if !refused.is_empty() {
        bail!(Refused(refused));
    }
    Ok(planned)
}

/// The files an import writes, with their new contents, relative to the root.
fn edits(root: &Path, planned: &[Planned], force: bool) -> Result<Vec<Generated>> {
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).with_context(|| format!("cannot read {path}"))
    };
    let mut lib = read("stacks/src/lib.rs")?;
    let mut cargo_toml = read("stacks/Cargo.toml")?;
    let mut out = Vec::new();
    for p in planned {
        let module = &p.imported.module;
        let path = format!("stacks/src/{module}.rs");
        let current = std::fs::read_to_string(root.join(&path)).ok();
        register::check_owner(module, current.as_deref(), force)?;
        out.push(Generated {
            path: path.into(),
            contents: register::module_file(&p.imported.source, &p.input.origin),
        });
        lib = register::register_in_lib(&lib, module, &p.imported.struct_name)?;
        cargo_toml = register::add_features(&cargo_toml, &p.imported.features)?;
    }
    out.push(Generated {
        path: "stacks/src/lib.rs".into(),
        contents: workspace::rustfmt(&lib)?,
    });
    out.push(Generated {
        path: "stacks/Cargo.toml".into(),
        contents: cargo_toml,
    });
    Ok(out)
}

/// Whether every imported stack synthesizes, at each of its stages, to a
/// template equivalent to its input; prints each difference.
fn round_trips(planned: &[Planned], manifest: &Manifest) -> bool {
    let mut equal = true;
    for p in planned {
        for stage in &p.stages {
            let found = manifest
                .stacks
                .iter()
                .find(|s| s.service == p.input.service && &s.stage == stage);
            let Some(synth) = found else {
                eprintln!(
                    "{}: the app has no stack of service {} at stage {stage} after the import",
                    p.input.origin, p.input.service
                );
                equal = false;
                continue;
            };
            let template: serde_json::Value = match serde_json::from_str(&synth.template) {
                Ok(t) => t,
                Err(err) => {
                    eprintln!(
                        "{}: the synthesized template of {} is not JSON: {err}",
                        p.input.origin, synth.stack_name
                    );
                    equal = false;
                    continue;
                }
            };
            for d in infra_check::equivalent(&p.input.parsed.value, &template) {
                eprintln!("{}: {} ({stage}): {d}", p.input.origin, synth.stack_name);
                equal = false;
            }
        }
    }
    equal
}

/// Writes every file through a temporary file first, then renames them all,
/// with SIGINT and SIGTERM held off meanwhile: the stacks crate is
/// either as it was or fully imported.
fn write(root: &Path, files: &[Generated]) -> Result<()> {
    let _held = stack::Held::new()?;
    let mut staged = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        let tmp = path.with_extension("import~");
        staged.push((tmp.clone(), path));
        if let Err(err) = std::fs::write(&tmp, &file.contents) {
            staged
                .iter()
                .for_each(|(tmp, _)| drop(std::fs::remove_file(tmp)));
            return Err(err).with_context(|| format!("writing {}", tmp.display()));
        }
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    }
    Ok(())
}

fn report(planned: &[Planned]) {
    for p in planned {
        for note in p.input.notes.iter().chain(&p.imported.notes) {
            eprintln!("{}: note: {note}", p.input.origin);
        }
        eprintln!(
            "imported {} as stacks/src/{}.rs ({}), equal to its input at {}; run `cargo xtask synth`, then `cargo xtask diff`",
            p.input.origin,
            p.imported.module,
            p.imported.struct_name,
            p.stages.join(", ")
        );
    }
}

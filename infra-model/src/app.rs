//! An app: the stacks of one repository and the stages they deploy to. The
//! stacks crate's `synth` binary is a thin `App::main`; `cargo xtask synth`
//! runs it and writes what it prints.

use std::process::ExitCode;

use serde::Serialize;

use crate::stack::{OutputSpec, Stack, StackContext};
use crate::template::Template;

type Build = Box<dyn Fn(&StackContext) -> Template + Send + Sync>;

/// The stacks of an app and its stages.
pub struct App {
    name: &'static str,
    stages: Vec<String>,
    stacks: Vec<StackDef>,
}

struct StackDef {
    service: &'static str,
    outputs: &'static [OutputSpec],
    build: Build,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let services: Vec<&str> = self.stacks.iter().map(|s| s.service).collect();
        f.debug_struct("App")
            .field("name", &self.name)
            .field("stages", &self.stages)
            .field("stacks", &services)
            .finish()
    }
}

/// What one synth run produced, as `cargo xtask synth` reads it.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub app: &'static str,
    pub stages: Vec<String>,
    pub stacks: Vec<SynthStack>,
}

/// One synthesized stack at one stage.
#[derive(Debug, Serialize)]
pub struct SynthStack {
    pub app: &'static str,
    pub service: &'static str,
    pub stage: String,
    pub stack_name: String,
    /// The template, already rendered to its deterministic JSON text.
    pub template: String,
    pub outputs: Vec<OutputRecord>,
}

/// An output as the manifest carries it.
#[derive(Debug, Serialize)]
pub struct OutputRecord {
    pub name: &'static str,
    pub description: &'static str,
    pub logical_id: &'static str,
    pub attribute: &'static str,
}

impl App {
    /// An app named `name` deployed to `stages` (the first is the default).
    pub fn new(name: &'static str, stages: &[&str]) -> Self {
        App {
            name,
            stages: stages.iter().map(|s| (*s).to_owned()).collect(),
            stacks: Vec::new(),
        }
    }

    /// Adds the stack that `build` makes for a context.
    pub fn stack<S: Stack + 'static>(self, build: fn(&StackContext) -> S) -> Self {
        self.template(S::SERVICE, S::OUTPUTS, move |ctx| {
            build(ctx).to_template(ctx)
        })
    }

    /// Adds a stack given as a template builder, for stacks assembled without
    /// `#[derive(Stack)]` (the benchmarks' scaled app).
    #[doc(hidden)]
    pub fn template(
        mut self,
        service: &'static str,
        outputs: &'static [OutputSpec],
        build: impl Fn(&StackContext) -> Template + Send + Sync + 'static,
    ) -> Self {
        self.stacks.push(StackDef {
            service,
            outputs,
            build: Box::new(build),
        });
        self
    }

    /// The app's configured stages.
    pub fn stages(&self) -> &[String] {
        &self.stages
    }

    /// Synthesizes every stack at each of `stages` (all stages when empty).
    /// Stacks are independent, so they are built on all cores; the manifest
    /// keeps stage-then-declaration order whatever the scheduling.
    pub fn synth(&self, stages: &[String]) -> Manifest {
        let stages = if stages.is_empty() {
            self.stages.clone()
        } else {
            stages.to_vec()
        };
        let jobs: Vec<(&str, &StackDef)> = stages
            .iter()
            .flat_map(|stage| self.stacks.iter().map(move |def| (stage.as_str(), def)))
            .collect();
        let stacks = parallel_map(&jobs, |(stage, def)| self.synth_one(def, stage));
        Manifest {
            app: self.name,
            stages,
            stacks,
        }
    }

    fn synth_one(&self, def: &StackDef, stage: &str) -> SynthStack {
        let ctx = StackContext::new(self.name, def.service, stage);
        let template = (def.build)(&ctx).to_json();
        let outputs = def
            .outputs
            .iter()
            .map(|o| OutputRecord {
                name: o.name,
                description: o.description,
                logical_id: o.logical_id,
                attribute: o.attribute,
            })
            .collect();
        SynthStack {
            app: self.name,
            service: def.service,
            stage: stage.to_owned(),
            stack_name: ctx.stack_name(),
            template,
            outputs,
        }
    }

    /// The synth binary's entry point: `[--stage S]...`, prints the manifest
    /// as JSON on stdout.
    pub fn main(self) -> ExitCode {
        match parse_stages(std::env::args().skip(1)) {
            Ok(stages) => {
                println!(
                    "{}",
                    crate::template::to_pretty_json(&self.synth(&stages)).trim_end()
                );
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("error: {msg}\nusage: synth [--stage STAGE]...");
                ExitCode::from(2)
            }
        }
    }
}

/// `f` over `items` on up to one thread per core, results in input order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let chunk = items.len().div_ceil(threads).max(1);
    let mut parts = items.chunks(chunk);
    let first = parts.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        // The calling thread takes the first share: a one-stack app spawns nothing.
        let mut out: Vec<R> = first.iter().map(&f).collect();
        for handle in handles {
            // A panic in a stack's builder is a bug in that stack: re-raise it as is.
            out.extend(
                handle
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            );
        }
        out
    })
}

fn parse_stages(mut args: impl Iterator<Item = String>) -> Result<Vec<String>, String> {
    let mut stages = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--stage" => stages.push(stage(args.next())?),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(stages)
}

/// A stage name goes into stack, table, topic and bucket names, so it is
/// limited to what all of them accept.
fn stage(value: Option<String>) -> Result<String, String> {
    let stage = value.ok_or("--stage needs a value")?;
    let valid = !stage.is_empty()
        && stage.len() <= 16
        && stage
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !stage.starts_with('-');
    if valid {
        Ok(stage)
    } else {
        Err(format!(
            "invalid stage `{stage}`: use 1 to 16 lowercase letters, digits and hyphens"
        ))
    }
}

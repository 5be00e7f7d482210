//! An app: the stacks of one repository and the stages they deploy to. The
//! stacks crate's `synth` binary is a thin `App::main`; `cargo xtask synth`
//! runs it and writes what it prints.

use std::process::ExitCode;

use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, OutputEntry, ServiceOutputs, UnknownStage};
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

/// What one synth run produced, as the synth binary prints it and
/// `cargo xtask synth` reads it: the catalogue of the whole app (every
/// configured stage, whatever stages were synthesized) and the stacks built.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub catalogue: Catalogue,
    pub stacks: Vec<SynthStack>,
}

/// One synthesized stack at one stage.
#[derive(Debug, Serialize, Deserialize)]
pub struct SynthStack {
    pub app: String,
    pub service: String,
    pub stage: String,
    pub stack_name: String,
    /// The template, already rendered to its deterministic JSON text.
    pub template: String,
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

    /// The catalogue of the whole app: every service at every configured stage.
    pub fn catalogue(&self) -> Catalogue {
        let services = self.stacks.iter().map(|def| ServiceOutputs {
            outputs: def
                .outputs
                .iter()
                .map(|o| OutputEntry {
                    description: o.description.to_owned(),
                    name: o.name.to_owned(),
                })
                .collect(),
            service: def.service.to_owned(),
            stages: self.stages.clone(),
        });
        let mut services: Vec<ServiceOutputs> = services.collect();
        services.sort_by(|a, b| a.service.cmp(&b.service));
        Catalogue {
            app: self.name.to_owned(),
            services,
        }
    }

    /// `Ok` when the app configures `stage`; the error lists the stages it does.
    pub fn check_stage(&self, stage: &str) -> Result<(), UnknownStage> {
        self.catalogue().check_stage(stage)
    }

    /// Synthesizes every stack at each of `stages` (all stages when empty).
    /// A stage the app does not configure is an error: its templates would be
    /// debris that no catalogue or deploy knows. Stacks are independent, so
    /// they are built on all cores; the manifest keeps stage-then-declaration
    /// order whatever the scheduling.
    pub fn synth(&self, stages: &[String]) -> Result<Manifest, UnknownStage> {
        for stage in stages {
            self.check_stage(stage)?;
        }
        if stages.is_empty() {
            return Ok(self.synth_all());
        }
        // `--stage dev --stage dev` synthesizes dev once.
        let mut unique: Vec<String> = Vec::new();
        for stage in stages {
            if !unique.contains(stage) {
                unique.push(stage.clone());
            }
        }
        Ok(Manifest {
            catalogue: self.catalogue(),
            stacks: self.synth_stages(&unique),
        })
    }

    /// Synthesizes every stack at every configured stage.
    pub fn synth_all(&self) -> Manifest {
        Manifest {
            catalogue: self.catalogue(),
            stacks: self.synth_stages(&self.stages),
        }
    }

    fn synth_stages(&self, stages: &[String]) -> Vec<SynthStack> {
        let jobs: Vec<(&str, &StackDef)> = stages
            .iter()
            .flat_map(|stage| self.stacks.iter().map(move |def| (stage.as_str(), def)))
            .collect();
        parallel_map(&jobs, |(stage, def)| self.synth_one(def, stage))
    }

    fn synth_one(&self, def: &StackDef, stage: &str) -> SynthStack {
        let ctx = StackContext::new(self.name, def.service, stage);
        SynthStack {
            app: self.name.to_owned(),
            service: def.service.to_owned(),
            stage: stage.to_owned(),
            stack_name: ctx.stack_name(),
            template: (def.build)(&ctx).to_json(),
        }
    }

    /// The synth binary's entry point: `[--stage S]...`, prints the manifest
    /// as JSON on stdout.
    pub fn main(self) -> ExitCode {
        let stages = match parse_stages(std::env::args().skip(1)) {
            Ok(stages) => stages,
            Err(msg) => {
                eprintln!("error: {msg}\nusage: synth [--stage STAGE]...");
                return ExitCode::from(2);
            }
        };
        match self.synth(&stages) {
            Ok(manifest) => {
                println!("{}", crate::template::to_pretty_json(&manifest).trim_end());
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::from(2)
            }
        }
    }
}

/// The stack of each synth thread. Rust gives spawned threads 2 MiB, the main
/// thread has 8 MiB: a debug build of a large stack's builder (an imported
/// 220-resource stack, each resource a big struct of options that an
/// unoptimized frame does not share slots for) overflowed 2 MiB. Only the
/// pages a thread touches are committed, so the reservation costs nothing.
const STACK_SIZE: usize = 64 * 1024 * 1024;

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
            .map(|part| {
                let work = || part.iter().map(&f).collect::<Vec<R>>();
                let builder = std::thread::Builder::new().stack_size(STACK_SIZE);
                builder.spawn_scoped(scope, work).map_err(|_| part)
            })
            .collect();
        // The calling thread takes the first share: a one-stack app spawns nothing.
        let mut out: Vec<R> = first.iter().map(&f).collect();
        for handle in handles {
            // A thread the system would not give us: its share runs here.
            let handle = match handle {
                Ok(handle) => handle,
                Err(part) => {
                    out.extend(part.iter().map(&f));
                    continue;
                }
            };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A stack builder with a deep frame (3 MiB here, a few times that in a
    /// debug build's copies: a debug build of a 220-resource stack needs more
    /// than 2 MiB) runs on a synth thread too. The caller plays the main
    /// thread; with Rust's 2 MiB default for spawned threads the test process
    /// aborts on a stack overflow.
    #[test]
    fn synth_threads_have_room_for_deep_builders() {
        const FRAME: usize = 3 * 1024 * 1024;
        let deep = |seed: &u8| {
            let frame = std::hint::black_box([*seed; FRAME]);
            frame.iter().map(|b| usize::from(*b)).sum::<usize>()
        };
        let main = std::thread::Builder::new().stack_size(64 << 20);
        let sums = main.spawn(move || parallel_map(&[1u8, 2, 3, 4], deep));
        let sums = sums.expect("a thread").join().expect("no panic");
        assert_eq!(sums, [1, 2, 3, 4].map(|n| n * FRAME));
    }

    const OUTPUTS: &[OutputSpec] = &[OutputSpec {
        name: "topicArn",
        description: "The topic.",
        logical_id: "Topic",
        attribute: "Ref",
    }];

    fn app() -> App {
        App::new("api", &["dev", "prod"]).template("infra", OUTPUTS, |_| Template::default())
    }

    /// `synth --stage dev` must not narrow what the catalogue says about prod.
    #[test]
    fn one_stage_keeps_the_whole_catalogue() {
        let one = app().synth(&["dev".to_owned()]).expect("dev is configured");
        let all = app().synth_all();
        assert_eq!(one.catalogue, all.catalogue);
        assert_eq!(one.catalogue.services[0].stages, ["dev", "prod"]);
        let names: Vec<&str> = one.stacks.iter().map(|s| s.stack_name.as_str()).collect();
        assert_eq!(names, ["infra-dev"]);
        assert_eq!(all.stacks.len(), 2);
    }

    #[test]
    fn a_repeated_stage_is_synthesized_once() {
        let manifest = app()
            .synth(&["dev".to_owned(), "dev".to_owned()])
            .expect("dev");
        assert_eq!(manifest.stacks.len(), 1);
    }

    #[test]
    fn an_unconfigured_stage_is_an_error() {
        let err = app()
            .synth(&["a-dev".to_owned()])
            .expect_err("not configured");
        assert_eq!(
            err.to_string(),
            "unknown stage `a-dev`: the app `api` configures `dev`, `prod`"
        );
    }

    #[test]
    fn the_manifest_round_trips_through_json() {
        let manifest = app().synth_all();
        let text = crate::template::to_pretty_json(&manifest);
        let back: Manifest = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back.catalogue, manifest.catalogue);
        assert_eq!(back.stacks[1].stack_name, "infra-prod");
    }
}

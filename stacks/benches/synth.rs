//! The synth step without compilation: building the stacks' templates and
//! rendering their JSON. Run with `cargo bench -p stacks --bench synth`.
//!
//! `infra` is the real app (both stages); `scaled` is N copies of the infra
//! resource set (10 resources each), 22 sets per stack. divan reports the
//! median and spread over samples, and with `AllocProfiler` the bytes
//! allocated and the peak (`max alloc`) of each run.

use divan::AllocProfiler;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

/// The real app: infra at dev and prod, rendered to JSON.
#[divan::bench]
fn infra() -> usize {
    let manifest = stacks::app().synth(&[]);
    manifest.stacks.iter().map(|s| s.template.len()).sum()
}

/// N sets of the infra resources (N x 10 resources), rendered to JSON.
#[divan::bench(args = [1, 10, 100, 1000], sample_count = 10)]
fn scaled(n: usize) -> usize {
    let manifest = stacks::scale::app(n).synth(&[]);
    manifest.stacks.iter().map(|s| s.template.len()).sum()
}

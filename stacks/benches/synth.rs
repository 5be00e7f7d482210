//! The synth step without compilation: building the stacks' templates and
//! rendering their JSON, as `App::synth` does for `cargo xtask synth`.
//! Run with `cargo bench -p stacks --bench synth`.
//!
//! - `infra`: the real app (the infra stack at dev and prod);
//! - `scaled`: N copies of the infra resource set, as many sets per stack as
//!   the quotas allow (`stacks::scale::sets_per_stack`), built and rendered on all cores;
//! - `baseline_render`: the same templates already built as JSON values, only
//!   rendered by `serde_json`, single-threaded: the floor synth is measured against.
//!
//! divan reports the fastest, slowest, median and mean of its samples. Peak
//! memory is a whole-process figure: `/usr/bin/time -v` on the
//! `scaled_synth` example (allocation profilers here would miss the worker threads).

use divan::Bencher;

fn main() {
    divan::main();
}

#[divan::bench]
fn infra() -> usize {
    let manifest = stacks::app().synth_all();
    manifest.stacks.iter().map(|s| s.template.len()).sum()
}

#[divan::bench(args = [1, 10, 100, 1000], sample_count = 10)]
fn scaled(n: usize) -> usize {
    let manifest = stacks::scale::app(n).synth_all();
    manifest.stacks.iter().map(|s| s.template.len()).sum()
}

#[divan::bench(args = [1, 10, 100, 1000], sample_count = 10)]
fn baseline_render(bencher: Bencher<'_, '_>, n: usize) {
    let values: Vec<serde_json::Value> = stacks::scale::layout(n)
        .into_iter()
        .enumerate()
        .map(|(s, sets)| {
            serde_json::to_value(stacks::scale::stack(s, sets)).expect("templates are JSON")
        })
        .collect();
    bencher.bench_local(|| {
        values
            .iter()
            .map(|v| serde_json::to_string_pretty(v).map_or(0, |s| s.len()))
            .sum::<usize>()
    });
}

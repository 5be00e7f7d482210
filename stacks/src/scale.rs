//! A scaled app for benchmarks: N copies of the infra resource set, as many sets
//! per stack as CloudFormation's output and resource quotas allow (derived from
//! `Infra::OUTPUTS` and the size of one set, so a new output or resource in the
//! infra stack resizes the stacks instead of breaking them).
//! Each copy is the real `Infra` stack for its own service name, with its
//! logical IDs suffixed so that copies can share a template.

use infra_model::limits::{MAX_OUTPUTS, MAX_RESOURCES};
use infra_model::{App, Export, Json, Stack, StackContext, Template, intrinsic};

use crate::infra::Infra;

/// Sets of the infra resources per stack: the most that keep a stack within
/// CloudFormation's output and resource quotas.
pub fn sets_per_stack() -> usize {
    let resources = stack(0, 1).resources.len().max(1);
    let outputs = Infra::OUTPUTS.len().max(1);
    (MAX_OUTPUTS / outputs)
        .min(MAX_RESOURCES / resources)
        .max(1)
}

/// How many sets each stack of an app of `sets` sets holds, stack by stack.
pub fn layout(sets: usize) -> Vec<usize> {
    let per_stack = sets_per_stack();
    (0..sets.div_ceil(per_stack))
        .map(|s| (sets - s * per_stack).min(per_stack))
        .collect()
}

/// An app with `sets` copies of the infra resource set, synthesized by the
/// same `App::synth` as the real app.
pub fn app(sets: usize) -> App {
    let layout = layout(sets);
    layout
        .into_iter()
        .enumerate()
        .fold(App::new("api", &["dev"]), |app, (s, count)| {
            // Service names live as long as the benchmark process.
            let service: &'static str = Box::leak(format!("scaled{s}").into_boxed_str());
            app.template(service, &[], move |_| stack(s, count))
        })
}

/// One stack of the scaled app holding `sets` copies.
pub fn stack(index: usize, sets: usize) -> Template {
    let mut merged = Template {
        description: Some(format!("scaled stack {index}")),
        ..Template::default()
    };
    for set in 0..sets {
        let ctx = StackContext::new("api", format!("infra{index}x{set}"), "dev");
        let template = Infra::new(&ctx).to_template(&ctx);
        let suffix = format!("S{set}");
        for (id, mut entry) in template.resources {
            suffix_refs(&mut entry.properties, &suffix);
            entry
                .depends_on
                .iter_mut()
                .for_each(|d| d.push_str(&suffix));
            merged.resources.insert(format!("{id}{suffix}"), entry);
        }
        for (name, mut output) in template.outputs {
            let name = format!("{name}{suffix}");
            suffix_refs(&mut output.value, &suffix);
            // Export names must stay unique per account and region, like output names.
            let export =
                intrinsic::sub(infra_model::naming::export_name("${AWS::StackName}", &name));
            output.export = Some(Export {
                name: export.into(),
            });
            merged.outputs.insert(name, output);
        }
    }
    merged
}

/// Renames the logical IDs that `Ref` and `Fn::GetAtt` name inside `json`.
fn suffix_refs(json: &mut Json, suffix: &str) {
    match json {
        Json::Object(map) => {
            if let Some(Json::String(id)) = map.get_mut("Ref")
                && !id.starts_with("AWS::")
            {
                id.push_str(suffix);
            }
            if let Some(Json::String(id)) = map.get_mut("Fn::GetAtt").and_then(|v| v.get_mut(0)) {
                id.push_str(suffix);
            }
            map.values_mut().for_each(|v| suffix_refs(v, suffix));
        }
        Json::Array(items) => items.iter_mut().for_each(|v| suffix_refs(v, suffix)),
        _ => {}
    }
}

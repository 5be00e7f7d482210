//! A scaled app for benchmarks: N copies of the infra resource set, 22 sets per
//! stack (22 x 9 = 198 outputs, under CloudFormation's 200-output limit).
//! Each copy is the real `Infra` stack for its own service name, with its
//! logical IDs suffixed so that copies can share a template.

use infra_model::{App, Export, Json, Stack, StackContext, Template, intrinsic};

use crate::infra::Infra;

/// Sets of the infra resources per stack.
pub const SETS_PER_STACK: usize = 22;

/// An app with `sets` copies of the infra resource set, synthesized by the
/// same `App::synth` as the real app.
pub fn app(sets: usize) -> App {
    let stacks = sets.div_ceil(SETS_PER_STACK);
    (0..stacks).fold(App::new("api", &["dev"]), |app, s| {
        let count = (sets - s * SETS_PER_STACK).min(SETS_PER_STACK);
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

//! Which stacks a command acts on, and in which order.
//!
//! The stacks come from the app manifest the stacks crate's `synth` binary prints
//! ([`infra_model::app::Manifest`]): exactly the stacks the app defines at the stage,
//! never files that happen to match a name; a stage the app does not configure is
//! refused by the catalogue's own check ([`infra_model::Catalogue::check_stage`]).
//! Their order comes from the templates: a stack that `Fn::ImportValue`s another
//! stack's export depends on it, as does a stack a target's `depends_on` names (the
//! hook for explicit stack dependencies; `infra_model::App` declares none yet).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use infra_model::app::{Manifest, SynthStack};
use serde_json::Value;

use crate::cli::Selection;
use crate::error::{Error, Result};
use crate::template::LocalTemplate;

/// A stack a command acts on.
#[derive(Debug, Clone)]
pub struct Target {
    pub stack: String,
    pub service: Option<String>,
    /// The template to deploy (none for `outputs --stack-name`).
    pub template: Option<LocalTemplate>,
    /// Where the template came from, for messages and the change set description.
    pub origin: String,
    /// Output names the stack must have.
    pub expect: Vec<String>,
    depends_on: Vec<String>,
}

/// The targets in an order that respects every dependency, and each one's
/// dependencies (indexes into `targets`).
#[derive(Debug)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub deps: Vec<BTreeSet<usize>>,
}

/// Reads `path`, the synth binary's output.
pub fn read_manifest(path: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| Error::ManifestJson {
        path: path.to_owned(),
        source,
    })
}

/// The plan for `selection`: one stack, or the app's stacks at the stage in dependency
/// order, narrowed to `--stack` names (with their dependencies unless `--exclusively`).
pub fn plan(selection: &Selection) -> Result<Plan> {
    if let Some(stack) = &selection.stack_name {
        let target = single(stack, selection.template.as_deref())?;
        let deps = vec![BTreeSet::new()];
        return Ok(Plan {
            targets: vec![target],
            deps,
        });
    }
    let (Some(path), Some(stage)) = (&selection.app, &selection.stage) else {
        return Err(Error::NoSelection);
    };
    let targets = stage_targets(&read_manifest(path)?, stage, path)?;
    let plan = order(targets)?;
    narrow(plan, &selection.stack, selection.exclusively)
}

fn single(stack: &str, template: Option<&Path>) -> Result<Target> {
    Ok(Target {
        stack: stack.to_owned(),
        service: None,
        template: template.map(LocalTemplate::read).transpose()?,
        origin: template.map_or_else(String::new, |p| p.display().to_string()),
        expect: Vec::new(),
        depends_on: Vec::new(),
    })
}

/// The stacks of `stage`, or an error listing the configured stages.
pub fn stage_targets(manifest: &Manifest, stage: &str, path: &Path) -> Result<Vec<Target>> {
    manifest.catalogue.check_stage(stage)?;
    let stacks = manifest.stacks.iter().filter(|s| s.stage == stage);
    stacks.map(|s| manifest_target(manifest, s, path)).collect()
}

fn manifest_target(manifest: &Manifest, stack: &SynthStack, path: &Path) -> Result<Target> {
    let service = manifest.catalogue.service(&stack.service);
    let outputs = service.into_iter().flat_map(|s| &s.outputs);
    let template =
        LocalTemplate::parse(stack.template.clone()).map_err(|source| Error::TemplateJson {
            path: PathBuf::from(format!("{} (stack {})", path.display(), stack.stack_name)),
            source,
        })?;
    Ok(Target {
        stack: stack.stack_name.clone(),
        service: Some(stack.service.clone()),
        template: Some(template),
        origin: format!("app manifest, stack {}", stack.stack_name),
        expect: outputs.map(|o| o.name.clone()).collect(),
        depends_on: Vec::new(),
    })
}

/// Sorts `targets` so that every stack comes after the stacks it depends on (ties keep
/// the app's order); a dependency cycle is an error naming its stacks.
pub fn order(targets: Vec<Target>) -> Result<Plan> {
    let deps = dependencies(&targets);
    let mut done: Vec<Option<usize>> = vec![None; targets.len()];
    let mut sequence = Vec::new();
    while sequence.len() < targets.len() {
        let next = (0..targets.len())
            .find(|&i| done[i].is_none() && deps[i].iter().all(|d| done[*d].is_some()));
        let Some(i) = next else {
            let stacks = (0..targets.len()).filter(|&i| done[i].is_none());
            let stacks = stacks.map(|i| targets[i].stack.clone()).collect();
            return Err(Error::Cycle { stacks });
        };
        done[i] = Some(sequence.len());
        sequence.push(i);
    }
    let position = |i: usize| done[i].unwrap_or_default();
    let deps = sequence
        .iter()
        .map(|&i| deps[i].iter().map(|&d| position(d)).collect())
        .collect();
    let mut slots: Vec<Option<Target>> = targets.into_iter().map(Some).collect();
    let targets = sequence.iter().filter_map(|&i| slots[i].take()).collect();
    Ok(Plan { targets, deps })
}

/// For each target, the targets it depends on: the exporters of what it imports, and the
/// stacks its `depends_on` names.
fn dependencies(targets: &[Target]) -> Vec<BTreeSet<usize>> {
    let mut exporters: BTreeMap<String, usize> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        for name in t
            .template
            .iter()
            .flat_map(|tpl| exports(tpl.json(), &t.stack))
        {
            exporters.insert(name, i);
        }
    }
    let named = |name: &String| {
        targets
            .iter()
            .position(|t| &t.stack == name || t.service.as_ref() == Some(name))
    };
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let imports = t
                .template
                .iter()
                .flat_map(|tpl| imports(tpl.json(), &t.stack));
            let by_import = imports.filter_map(|name| exporters.get(&name).copied());
            let by_name = t.depends_on.iter().filter_map(named);
            by_import.chain(by_name).filter(|&d| d != i).collect()
        })
        .collect()
}

/// The export names of a template's outputs that can be worked out before deploying.
pub fn exports(template: &Value, stack: &str) -> Vec<String> {
    let outputs = template.get("Outputs").and_then(Value::as_object);
    let names = outputs.into_iter().flat_map(|o| o.values());
    names
        .filter_map(|o| resolve(o.get("Export")?.get("Name")?, stack))
        .collect()
}

/// The export names a template imports with `Fn::ImportValue`.
pub fn imports(template: &Value, stack: &str) -> Vec<String> {
    let mut found = Vec::new();
    collect_imports(template, stack, &mut found);
    found
}

fn collect_imports(value: &Value, stack: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map.get("Fn::ImportValue").and_then(|v| resolve(v, stack)) {
                found.push(name);
            }
            map.values().for_each(|v| collect_imports(v, stack, found));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_imports(v, stack, found)),
        _ => {}
    }
}

/// A literal string, or an `Fn::Sub` whose only variable is `${AWS::StackName}`.
/// Anything else (parameters, other intrinsics) is only known at deploy time.
fn resolve(value: &Value, stack: &str) -> Option<String> {
    let text = match value {
        Value::String(s) => return Some(s.clone()),
        Value::Object(map) if map.len() == 1 => match map.get("Fn::Sub")? {
            Value::String(s) => s,
            Value::Array(items) if items.len() == 2 => items[0].as_str()?,
            _ => return None,
        },
        _ => return None,
    };
    let text = text.replace("${AWS::StackName}", stack);
    (!text.contains("${")).then_some(text)
}

/// The stacks `only` names (stack or service names), with their dependencies unless
/// `exclusively`; all of the plan when `only` is empty.
fn narrow(plan: Plan, only: &[String], exclusively: bool) -> Result<Plan> {
    if only.is_empty() {
        return Ok(plan);
    }
    let mut keep = BTreeSet::new();
    for name in only {
        let found = plan
            .targets
            .iter()
            .position(|t| &t.stack == name || t.service.as_ref() == Some(name));
        let Some(i) = found else {
            let available = plan.targets.iter().map(|t| t.stack.clone()).collect();
            return Err(Error::UnknownStack {
                name: name.clone(),
                available,
            });
        };
        keep.insert(i);
    }
    if !exclusively {
        // Targets are in dependency order, so one backwards sweep closes the set.
        for i in (0..plan.targets.len()).rev() {
            if keep.contains(&i) {
                keep.extend(plan.deps[i].iter().copied());
            }
        }
    }
    let index: BTreeMap<usize, usize> = keep.iter().enumerate().map(|(n, &i)| (i, n)).collect();
    let deps = keep
        .iter()
        .map(|&i| {
            plan.deps[i]
                .iter()
                .filter_map(|d| index.get(d).copied())
                .collect()
        })
        .collect();
    let targets = plan
        .targets
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, t)| t)
        .collect();
    Ok(Plan { targets, deps })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(stack: &str, template: Value) -> Target {
        Target {
            stack: stack.to_owned(),
            service: Some(stack.trim_end_matches("-dev").to_owned()),
            template: Some(LocalTemplate::parse(template.to_string()).expect("JSON")),
            origin: String::new(),
            expect: Vec::new(),
            depends_on: Vec::new(),
        }
    }

    fn exporting(stack: &str, export: &str, import: Option<Value>) -> Target {
        let mut template = json!({"Outputs": {"X": {"Value": "v",
            "Export": {"Name": {"Fn::Sub": format!("${{AWS::StackName}}-{export}")}}}}});
        if let Some(import) = import {
            template["Resources"] = json!({"R": {"Type": "AWS::SNS::Topic",
                "Properties": {"TopicName": {"Fn::ImportValue": import}}}});
        }
        target(stack, template)
    }

    fn names(plan: &Plan) -> Vec<&str> {
        plan.targets.iter().map(|t| t.stack.as_str()).collect()
    }

    #[test]
    fn importers_follow_their_exporters() {
        let plan = order(vec![
            exporting("c-dev", "c", Some(json!("b-dev-b"))),
            exporting("b-dev", "b", Some(json!({"Fn::Sub": "a-dev-a"}))),
            exporting("a-dev", "a", None),
            exporting("d-dev", "d", Some(json!("external-export"))),
        ])
        .expect("no cycle");
        assert_eq!(names(&plan), ["a-dev", "b-dev", "c-dev", "d-dev"]);
        assert_eq!(plan.deps[2], BTreeSet::from([1]));
        assert!(plan.deps[3].is_empty());
    }

    #[test]
    fn a_cycle_names_its_stacks() {
        let err = order(vec![
            exporting("a-dev", "a", Some(json!("b-dev-b"))),
            exporting("b-dev", "b", Some(json!("a-dev-a"))),
            exporting("c-dev", "c", None),
        ])
        .expect_err("cycle");
        assert!(matches!(err, Error::Cycle { stacks } if stacks == ["a-dev", "b-dev"]));
    }

    #[test]
    fn explicit_dependencies_count_and_narrowing_keeps_them() {
        let mut api = exporting("api-dev", "x", None);
        api.depends_on = vec!["infra".to_owned()];
        let plan = order(vec![api, exporting("infra-dev", "i", None)]).expect("order");
        assert_eq!(names(&plan), ["infra-dev", "api-dev"]);
        let only = ["api-dev".to_owned()];
        let with = narrow(order_again(&plan), &only, false).expect("known");
        assert_eq!(names(&with), ["infra-dev", "api-dev"]);
        let alone = narrow(order_again(&plan), &only, true).expect("known");
        assert_eq!(names(&alone), ["api-dev"]);
        let err = narrow(order_again(&plan), &["apu".to_owned()], false).expect_err("unknown");
        assert!(err.to_string().contains("infra-dev, api-dev"), "{err}");
    }

    fn order_again(plan: &Plan) -> Plan {
        order(plan.targets.clone()).expect("order")
    }

    fn manifest(stacks: &[(&str, &str)]) -> Manifest {
        let text = serde_json::json!({
            "catalogue": {"app": "api", "services": [{"service": "infra",
                "stages": ["dev", "a-dev"], "outputs": [{"name": "o", "description": "d"}]}]},
            "stacks": stacks.iter().map(|(name, stage)| serde_json::json!({"app": "api",
                "service": "infra", "stage": stage, "stack_name": name, "template": "{}"}))
                .collect::<Vec<_>>()});
        serde_json::from_value(text).expect("a manifest")
    }

    #[test]
    fn an_unconfigured_stage_lists_the_configured_ones() {
        let err = stage_targets(&manifest(&[]), "prdo", Path::new("m.json")).expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown stage `prdo`: the app `api` configures `a-dev`, `dev`"
        );
    }

    #[test]
    fn only_the_stacks_of_the_stage_are_chosen() {
        let manifest = manifest(&[("infra-dev", "dev"), ("infra-a-dev", "a-dev")]);
        let targets = stage_targets(&manifest, "dev", Path::new("m.json")).expect("dev");
        let stacks: Vec<&str> = targets.iter().map(|t| t.stack.as_str()).collect();
        assert_eq!(stacks, ["infra-dev"]);
        assert_eq!(targets[0].expect, ["o"]);
    }
}

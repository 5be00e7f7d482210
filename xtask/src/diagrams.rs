//! The diagram chores of `cargo xtask synth`: a page per stack in
//! `docs/stacks/<stack>.md` and the README's diagram between its markers.
//! The diagrams themselves come from `infra_check::diagram`.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::manifest::Manifest;
use crate::workspace::Generated;

/// Where the diagram pages live.
pub const PAGES: &str = "docs/stacks";

/// The README marker opens with this, then the stack's name: `... infra-dev -->`.
const BEGIN: &str = "<!-- BEGIN GENERATED DIAGRAM: cargo xtask synth, stack ";
const END: &str = "<!-- END GENERATED DIAGRAM -->";

/// `docs/stacks/<stack>.md` for every stack of `manifest`.
pub fn pages(manifest: &Manifest) -> anyhow::Result<Vec<Generated>> {
    manifest
        .stacks
        .iter()
        .map(|s| {
            let template = serde_json::from_str(&s.template)
                .with_context(|| format!("parsing the template of {}", s.stack_name))?;
            Ok(Generated {
                path: page_path(&s.stack_name),
                contents: infra_check::diagram::page(&s.stack_name, &template),
            })
        })
        .collect()
}

pub fn page_path(stack: &str) -> PathBuf {
    Path::new(PAGES).join(format!("{stack}.md"))
}

/// `readme` with the diagram of the stack its marker names regenerated;
/// `None` without a marker, or when `--stage` left that stack out
/// (`all_stages` false).
pub fn readme(
    readme: &str,
    manifest: &Manifest,
    all_stages: bool,
) -> anyhow::Result<Option<String>> {
    let Some(open) = readme.find(BEGIN) else {
        return Ok(None);
    };
    let rest = &readme[open + BEGIN.len()..];
    let Some((stack, _)) = rest.split_once(" -->") else {
        bail!("README.md: the diagram marker `{BEGIN}<stack> -->` is not closed");
    };
    let start = open + BEGIN.len() + stack.len() + " -->".len();
    let Some(end) = readme[start..].find(END).map(|e| e + start) else {
        bail!("README.md: `{BEGIN}{stack} -->` has no `{END}` after it");
    };
    let Some(found) = manifest.stacks.iter().find(|s| s.stack_name == stack) else {
        // `--stage` left the stack out: the README keeps its diagram.
        if !all_stages {
            return Ok(None);
        }
        let names: Vec<&str> = manifest
            .stacks
            .iter()
            .map(|s| s.stack_name.as_str())
            .collect();
        bail!("README.md: the diagram marker names stack `{stack}`, which is none of {names:?}");
    };
    let template = serde_json::from_str(&found.template)
        .with_context(|| format!("parsing the template of {stack}"))?;
    let diagram = infra_check::diagram::mermaid(&template);
    Ok(Some(format!(
        "{}\n```mermaid\n{diagram}```\n{}",
        &readme[..start],
        &readme[end..]
    )))
}

/// Pages of stacks that no longer exist: removed, or with `check` reported.
pub fn leftovers(root: &Path, files: &[Generated], check: bool) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let Ok(dir) = std::fs::read_dir(root.join(PAGES)) else {
        return Ok(found);
    };
    for entry in dir {
        let path = Path::new(PAGES).join(entry?.file_name());
        let is_page = path.extension().is_some_and(|e| e == "md");
        if is_page && !files.iter().any(|f| f.path == path) {
            if !check {
                std::fs::remove_file(root.join(&path))
                    .with_context(|| format!("removing {}", path.display()))?;
            }
            found.push(path);
        }
    }
    Ok(found)
}

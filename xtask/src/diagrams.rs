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

/// `readme` with the diagram of the stack each marker names regenerated
/// (a README may show several stacks); `None` without a marker, or when
/// `--stage` left every marked stack out (`all_stages` false).
pub fn readme(
    readme: &str,
    manifest: &Manifest,
    all_stages: bool,
) -> anyhow::Result<Option<String>> {
    let (mut out, mut rest, mut changed) = (String::new(), readme, false);
    while let Some(open) = rest.find(BEGIN) {
        let (start, end, stack) = marked(rest, open)?;
        out.push_str(&rest[..start]);
        match diagram(stack, manifest, all_stages)? {
            Some(diagram) => {
                out.push_str(&format!("\n```mermaid\n{diagram}```\n"));
                changed = true;
            }
            None => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    Ok(changed.then_some(out))
}

/// The marked region of the marker at `open`: where its diagram starts and
/// ends in `text`, and the stack it names.
fn marked(text: &str, open: usize) -> anyhow::Result<(usize, usize, &str)> {
    let after = &text[open + BEGIN.len()..];
    let Some((stack, _)) = after.split_once(" -->") else {
        bail!("README.md: the diagram marker `{BEGIN}<stack> -->` is not closed");
    };
    let start = open + BEGIN.len() + stack.len() + " -->".len();
    let Some(end) = text[start..].find(END).map(|e| e + start) else {
        bail!("README.md: `{BEGIN}{stack} -->` has no `{END}` after it");
    };
    if text[start..end].contains(BEGIN) {
        bail!("README.md: `{BEGIN}{stack} -->` opens again before its `{END}`");
    }
    Ok((start, end, stack))
}

/// The Mermaid diagram of `stack`; `None` when `--stage` left it out.
fn diagram(stack: &str, manifest: &Manifest, all_stages: bool) -> anyhow::Result<Option<String>> {
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
    Ok(Some(infra_check::diagram::mermaid(&template)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        let template = r#"{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}"#;
        let stack = |name: &str| {
            serde_json::json!({"app": "api", "service": "infra", "stage": name,
                "stack_name": format!("infra-{name}"), "template": template})
        };
        serde_json::from_value(serde_json::json!({
            "catalogue": {"app": "api", "services": [{"service": "infra",
                "stages": ["dev", "prod"], "outputs": []}]},
            "stacks": [stack("dev"), stack("prod")],
        }))
        .expect("manifest")
    }

    fn marker(stack: &str) -> String {
        format!("{BEGIN}{stack} -->\nstale\n{END}\n")
    }

    /// Every marker is refreshed, not only the first: a README showing two
    /// stacks kept the second diagram stale, and `synth --check` passed.
    #[test]
    fn every_marked_diagram_is_regenerated() {
        let readme = format!("a\n{}b\n{}c\n", marker("infra-dev"), marker("infra-prod"));
        let out = super::readme(&readme, &manifest(), true)
            .expect("renders")
            .expect("changed");
        assert!(!out.contains("stale"), "{out}");
        assert_eq!(out.matches("```mermaid").count(), 2, "{out}");
        assert!(out.starts_with(&format!("a\n{BEGIN}infra-dev -->\n```mermaid\n")));
        assert!(out.ends_with(&format!("```\n{END}\nc\n")), "{out}");
    }

    /// `--stage dev` refreshes dev's diagram and keeps prod's as it is.
    #[test]
    fn a_narrowed_synth_keeps_the_other_diagrams() {
        let readme = format!("{}{}", marker("infra-dev"), marker("infra-prod"));
        let mut manifest = manifest();
        manifest.stacks.truncate(1);
        let out = super::readme(&readme, &manifest, false)
            .expect("renders")
            .expect("changed");
        assert_eq!(out.matches("stale").count(), 1, "{out}");
        assert!(out.ends_with(&marker("infra-prod")), "{out}");
    }

    #[test]
    fn a_marker_opened_twice_is_an_error() {
        let readme = format!("{BEGIN}infra-dev -->\n{}", marker("infra-prod"));
        let err = super::readme(&readme, &manifest(), true).expect_err("nested");
        assert!(err.to_string().contains("opens again before"), "{err}");
    }
}

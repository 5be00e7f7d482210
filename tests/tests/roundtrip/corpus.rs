//! The templates of the round trip (provenance in `tests/corpus/README.md`).

use std::path::{Path, PathBuf};

/// The corpus directories, relative to the workspace, and the prefix of their
/// service names.
const DIRS: &[(&str, &str)] = &[
    ("tests/corpus/cdk-from-cfn", "cdk"),
    ("infra-check/tests/corpus/cfn-lint/good", "good"),
];

/// One template of the corpus.
#[derive(Clone, Debug)]
pub struct Case {
    /// The path relative to the workspace, as the report prints it.
    pub file: String,
    pub path: PathBuf,
    /// A kebab-case service name unique in the corpus (`good-functions-sub-yaml`).
    pub service: String,
}

/// Every template file (`.json`, `.yaml`, `.yml`, `.template`), sorted.
pub fn cases(workspace: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for (dir, prefix) in DIRS {
        let root = workspace.join(dir);
        let mut files = Vec::new();
        walk(&root, &mut files);
        files.sort();
        for path in files {
            let relative = path.strip_prefix(&root).unwrap_or(&path);
            let service = kebab(&format!("{prefix}-{}", relative.display()));
            let file = path
                .strip_prefix(workspace)
                .unwrap_or(&path)
                .display()
                .to_string();
            cases.push(Case {
                file,
                path,
                service,
            });
        }
    }
    cases
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() {
            walk(&path, files);
        } else if has_template_extension(&path) {
            files.push(path);
        }
    }
}

fn has_template_extension(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    infra_check::TEMPLATE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
}

/// `good/functions/sub.yaml` -> `good-functions-sub-yaml`.
fn kebab(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}

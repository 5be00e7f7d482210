//! Which files `refs check` reads: the files named, and the `serverless.{yml,yaml,json}`
//! manifests under the directories named.
//!
//! Directories are walked with the `ignore` crate (ripgrep's walker): `.gitignore`,
//! `.ignore` and `.git/info/exclude` are honoured (in a git checkout or not), hidden
//! entries are skipped, and links are never followed. A link inside the tree is read only
//! when it resolves to a file inside the tree; a dangling link, a loop or a link out of
//! the tree is skipped with a warning, and a link to a directory of the tree is not
//! walked again (the directory itself is).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Error;

/// The files to check, in a stable order, each at most once; warnings for what was skipped.
pub(super) fn collect(
    paths: &[PathBuf],
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>, Error> {
    let mut files = Files::default();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut files, warnings)?;
        } else {
            files.add(path.clone(), path);
        }
    }
    Ok(files.list)
}

/// Files in order of discovery, deduplicated by their real path (a file and a link to it).
#[derive(Default)]
struct Files {
    list: Vec<PathBuf>,
    seen: BTreeSet<PathBuf>,
}

impl Files {
    fn add(&mut self, shown: PathBuf, real: &Path) {
        let real = std::fs::canonicalize(real).unwrap_or_else(|_| real.to_path_buf());
        if self.seen.insert(real) {
            self.list.push(shown);
        }
    }
}

fn walk(dir: &Path, files: &mut Files, warnings: &mut Vec<String>) -> Result<(), Error> {
    let root = std::fs::canonicalize(dir).map_err(|source| Error::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                warnings.push(format!("skipped: {err}"));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() {
            // Every link is resolved, manifest-named or not, so a bad one is reported.
            if let Some(target) = link_target(&root, path, warnings)
                && target.is_file()
                && is_manifest(path)
            {
                files.add(path.to_path_buf(), &target);
            }
        } else if entry.file_type().is_some_and(|t| t.is_file()) && is_manifest(path) {
            files.add(path.to_path_buf(), path);
        }
    }
    Ok(())
}

/// Where a link inside the tree `root` leads, when that is inside the tree and no loop.
fn link_target(root: &Path, link: &Path, warnings: &mut Vec<String>) -> Option<PathBuf> {
    let shown = link.display();
    let target = match std::fs::canonicalize(link) {
        Ok(target) => target,
        Err(err) => {
            warnings.push(format!(
                "skipped {shown}: a dangling link or a link loop ({err})"
            ));
            return None;
        }
    };
    if !target.starts_with(root) {
        let target = target.display();
        warnings.push(format!(
            "skipped {shown}: it leads out of the scanned tree, to {target}"
        ));
        return None;
    }
    let parent = link.parent().and_then(|p| std::fs::canonicalize(p).ok());
    if target.is_dir() && parent.is_some_and(|p| p.starts_with(&target)) {
        warnings.push(format!(
            "skipped {shown}: a link loop (it leads to a directory that holds it)"
        ));
        return None;
    }
    Some(target)
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}

/// Whether a file is named like a Serverless manifest.
pub(super) fn is_manifest(path: &Path) -> bool {
    matches!(
        file_name(path),
        "serverless.yml" | "serverless.yaml" | "serverless.json"
    )
}

/// Whether a file is read as YAML (its comments skipped).
pub(super) fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yml" | "yaml")
    )
}

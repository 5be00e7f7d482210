//! `refs check DIR` on a real tree: `.gitignore` honoured, links never followed out of the
//! tree, dangling links and loops skipped with a warning, never an abort.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use infra_serverless::refs::{Catalogue, check_paths};

const BAD: &str = "provider:\n  environment:\n    X: ${state:infra.nopeArn}\n";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
    std::fs::write(path, text).expect("a file");
}

fn catalogue() -> Catalogue {
    Catalogue::load(Path::new("tests/fixtures/outputs.json")).expect("the fixture catalogue")
}

/// `tree/` with one manifest to read and every kind of entry to skip, `outside/` next to it.
fn tree(dir: &Path) -> PathBuf {
    let tree = dir.join("tree");
    write(&tree.join("a/serverless.yml"), BAD);
    write(&tree.join(".gitignore"), "ignored/\nnode_modules/\n");
    write(&tree.join("ignored/serverless.yml"), BAD);
    write(&tree.join("node_modules/dep/serverless.yml"), BAD);
    write(&tree.join(".hidden/serverless.yml"), BAD);
    write(&dir.join("outside/serverless.yml"), BAD);
    std::fs::create_dir_all(tree.join("links")).expect("dir");
    let links = tree.join("links");
    symlink("../../outside", links.join("out-dir")).expect("link");
    std::fs::create_dir_all(links.join("out-file")).expect("dir");
    symlink(
        "../../../outside/serverless.yml",
        links.join("out-file/serverless.yml"),
    )
    .expect("link");
    std::fs::create_dir_all(links.join("dangling")).expect("dir");
    symlink("nowhere.yml", links.join("dangling/serverless.yml")).expect("link");
    std::fs::create_dir_all(links.join("self")).expect("dir");
    symlink("serverless.yml", links.join("self/serverless.yml")).expect("link");
    symlink("..", links.join("up")).expect("link");
    std::fs::create_dir_all(links.join("same")).expect("dir");
    symlink("../../a/serverless.yml", links.join("same/serverless.yml")).expect("link");
    tree
}

#[test]
fn walks_the_tree_and_only_the_tree() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tree = tree(dir.path());
    let report =
        check_paths(&catalogue(), std::slice::from_ref(&tree)).expect("the scan does not abort");
    let files: Vec<String> = report.findings.iter().map(|f| f.file.clone()).collect();
    let a = tree.join("a/serverless.yml").display().to_string();
    assert_eq!(
        files,
        [a],
        "only a/serverless.yml, once (links/same leads to it)"
    );
    assert_eq!(report.files, 1);
    let warnings = report.warnings.join("\n");
    let warned = |path: &str, why: &str| {
        let path = tree.join(path).display().to_string();
        report
            .warnings
            .iter()
            .any(|w| w.contains(&path) && w.contains(why))
    };
    assert!(
        warned("links/out-dir", "out of the scanned tree"),
        "{warnings}"
    );
    assert!(
        warned("links/out-file/serverless.yml", "out of the scanned tree"),
        "{warnings}"
    );
    assert!(
        warned(
            "links/dangling/serverless.yml",
            "dangling link or a link loop"
        ),
        "{warnings}"
    );
    assert!(
        warned("links/self/serverless.yml", "dangling link or a link loop"),
        "{warnings}"
    );
    assert!(warned("links/up", "a link loop"), "{warnings}");
    assert_eq!(report.warnings.len(), 5, "{warnings}");
}

#[test]
fn a_git_ignored_tree_inside_a_checkout() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tree = tree(dir.path());
    std::fs::create_dir(tree.join(".git")).expect("a .git");
    write(&tree.join("a/b/.gitignore"), "serverless.yml\n");
    write(&tree.join("a/b/serverless.yml"), BAD);
    let report = check_paths(&catalogue(), &[tree]).expect("the scan does not abort");
    assert_eq!(report.files, 1, "a nested .gitignore is honoured too");
}

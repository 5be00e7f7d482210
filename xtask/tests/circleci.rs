//! `.circleci/config.yml` runs only `cargo xtask` commands that exist, and releases only
//! from `main`, after an approval, with credentials from a context.

use std::path::Path;

use serde_json::Value;

fn workspace_file(path: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn config() -> Value {
    serde_norway::from_str(&workspace_file(".circleci/config.yml")).expect("valid YAML")
}

/// The variants of `enum Command` in xtask's main.rs, kebab-cased as clap names them.
fn subcommands(main_rs: &str) -> Vec<String> {
    let start = main_rs
        .find("enum Command {")
        .expect("main.rs has an `enum Command`");
    let body = &main_rs[start + "enum Command {".len()..];
    let mut depth = 0i32;
    let mut names = Vec::new();
    for line in body.lines() {
        let code = line.split("//").next().unwrap_or_default().trim();
        let variant: String = code
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if depth == 0 && variant.starts_with(|c: char| c.is_ascii_uppercase()) {
            names.push(kebab_case(&variant));
        }
        for c in code.chars() {
            match c {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => depth -= 1,
                _ => {}
            }
        }
        if depth < 0 {
            return names;
        }
    }
    panic!("`enum Command` is not closed");
}

fn kebab_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Every `run` command of every job.
fn run_commands(config: &Value) -> Vec<String> {
    let jobs = config["jobs"].as_object().expect("jobs");
    let steps = jobs
        .values()
        .flat_map(|job| job["steps"].as_array().into_iter().flatten());
    steps
        .filter_map(|step| match &step["run"] {
            Value::String(command) => Some(command.clone()),
            run => run["command"].as_str().map(str::to_owned),
        })
        .collect()
}

/// The word after each `cargo xtask` in a shell command.
fn xtask_commands(command: &str) -> Vec<&str> {
    command
        .split("cargo xtask")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .collect()
}

#[test]
fn every_xtask_command_exists() {
    let known = subcommands(&workspace_file("xtask/src/main.rs"));
    let commands = run_commands(&config());
    let used: Vec<&str> = commands.iter().flat_map(|c| xtask_commands(c)).collect();
    for expected in ["synth", "validate", "refs", "ci", "deploy"] {
        assert!(
            used.contains(&expected),
            "CI does not run `cargo xtask {expected}`"
        );
    }
    for command in used {
        assert!(
            known.iter().any(|k| k == command),
            "`cargo xtask {command}` is not in {known:?}"
        );
    }
}

#[test]
fn the_enum_parser_reads_variants_only() {
    let main_rs = r#"
        enum Command {
            /// Doc with Words(and parens).
            Codegen(codegen::Args),
            #[command(about = "x")]
            CfnRole { #[arg(long)] json: bool },
            Refs(
                refs::Args,
            ),
            Ci, // Trailing
        }
        enum Other { Nope }
    "#;
    assert_eq!(subcommands(main_rs), ["codegen", "cfn-role", "refs", "ci"]);
}

#[test]
fn release_is_gated() {
    let config = config();
    assert_eq!(config["version"], 2.1);
    let jobs = config["workflows"]["infra"]["jobs"]
        .as_array()
        .expect("workflow jobs");
    let job = |name: &str| {
        jobs.iter()
            .find_map(|j| j.get(name).or_else(|| (j == name).then_some(j)))
            .unwrap_or_else(|| panic!("no `{name}` job in the workflow"))
    };
    assert_eq!(
        job("lint"),
        "lint",
        "lint runs on every branch, without filters"
    );
    assert_eq!(job("hold")["type"], "approval");
    assert_eq!(job("hold")["filters"]["branches"]["only"], "main");
    let release = job("release");
    assert_eq!(release["requires"], serde_json::json!(["hold"]));
    assert_eq!(release["filters"]["branches"]["only"], "main");
    assert_eq!(release["context"], "aws-prod");
}

#[test]
fn no_credentials_in_the_config() {
    let text = workspace_file(".circleci/config.yml");
    for secret in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AKIA",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} belongs in the `aws-prod` context"
        );
    }
    let image = &config()["executors"]["rust"]["docker"][0]["image"];
    assert!(
        image.as_str().is_some_and(|i| i.starts_with("rust:1.95")),
        "{image}"
    );
}

#[test]
fn release_deploys_to_the_region_of_the_pipeline_parameter() {
    let config = config();
    let region = &config["parameters"]["aws-region"];
    assert_eq!(region["type"], "string");
    assert!(region["default"].as_str().is_some_and(|r| !r.is_empty()));
    let steps = config["jobs"]["release"]["steps"]
        .as_array()
        .expect("steps");
    let deploy = steps
        .iter()
        .filter_map(|s| s["run"]["command"].as_str())
        .find(|c| c.contains("cargo xtask deploy"))
        .expect("the release job deploys");
    assert!(
        deploy.contains(r#"--region "<< pipeline.parameters.aws-region >>""#),
        "{deploy}"
    );
}

#[test]
fn the_venv_is_cached_by_its_requirements() {
    let config = config();
    let steps = |command: &str| config["commands"][command]["steps"].clone();
    let key = r#"venv-v1-{{ checksum "tools/requirements.txt" }}"#;
    let saved = steps("save-cargo");
    let saves = saved.as_array().expect("save steps");
    assert!(saves.iter().any(|s| s["save_cache"]["key"] == key
        && s["save_cache"]["paths"] == serde_json::json!([".venv"])));
    let restored = steps("restore-cargo");
    let restores = restored.as_array().expect("restore steps");
    assert!(
        restores
            .iter()
            .any(|s| s["restore_cache"]["keys"] == serde_json::json!([key]))
    );
}

/// The `run` steps of one job, in order, and all its steps.
fn job_steps<'a>(config: &'a Value, job: &str) -> &'a Vec<Value> {
    config["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in job {job}"))
}

#[test]
fn lint_publishes_the_markdown_diff_and_fails_on_data_loss_and_broadening() {
    let config = config();
    let steps = job_steps(&config, "lint");
    let commands = run_commands(&config);
    let diff = commands
        .iter()
        .find(|c| c.contains("cargo xtask diff"))
        .expect("lint runs cargo xtask diff");
    for arg in [
        "--against origin/main",
        "--format markdown",
        "$FAIL_ON > /tmp/infra-diff/diff.md || status=$?",
        "cat /tmp/infra-diff/diff.md",
        "echo \"$status\" > /tmp/infra-diff/status",
    ] {
        assert!(diff.contains(arg), "`{arg}` missing from:\n{diff}");
    }
    // Both failures by default; the approval parameter drops only broadening.
    let default = diff
        .lines()
        .find(|l| l.starts_with("FAIL_ON="))
        .expect("a default FAIL_ON");
    assert_eq!(
        default,
        "FAIL_ON=\"--fail-on data-loss --fail-on broadening\""
    );
    assert!(
        diff.contains("if [ \"<< pipeline.parameters.broadening-approved >>\" = \"true\" ]; then")
    );
    assert!(diff.contains("\n  FAIL_ON=\"--fail-on data-loss\"\n"));
    let parameter = &config["parameters"]["broadening-approved"];
    assert_eq!(parameter["type"], "boolean");
    assert_eq!(parameter["default"], false);
    // The artifact is kept before the job fails on the diff's exit status.
    let at = |pred: &dyn Fn(&Value) -> bool| steps.iter().position(pred);
    let command = |s: &Value| s["run"]["command"].as_str().unwrap_or_default().to_owned();
    let diff_at = at(&|s| command(s).contains("cargo xtask diff")).expect("diff step");
    let store_at = at(&|s| s.get("store_artifacts").is_some()).expect("a store_artifacts step");
    let fail_at = at(&|s| command(s) == "exit \"$(cat /tmp/infra-diff/status)\"")
        .expect("a step failing on the status");
    assert!(
        diff_at < store_at && store_at < fail_at,
        "{diff_at} {store_at} {fail_at}"
    );
    assert_eq!(
        steps[store_at]["store_artifacts"]["path"],
        "/tmp/infra-diff/diff.md"
    );
    // `cargo xtask ci` runs the mermaid check: the job installs Node.js.
    assert!(
        steps.iter().any(|s| s.get("node/install").is_some()),
        "the lint job installs Node.js (the node orb)"
    );
}

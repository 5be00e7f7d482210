//! End-to-end: an app of several stacks deployed from its manifest in import order, and
//! the faults of issue 12 (unknown stage, silent endpoint, missing credentials or
//! region, Ctrl-C, a busy stack). The moto tests share one server (`Moto::shared`) and
//! use distinct stack names; the others need no server at all.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::{
    Moto, REGION, dummy_credentials, infra_deploy, infra_deploy_command, no_credentials, path_str,
    run, s3_client, sdk_config, stderr, stdout, write_json,
};
use serde_json::{Value, json};

/// A stack with a topic whose ARN it exports as `<stack>-arn`, and one topic per stack
/// it imports from, whose display name is that stack's exported ARN.
fn stack_template(imports: &[String]) -> Value {
    let mut resources = json!({"Topic": {"Type": "AWS::SNS::Topic"}});
    for from in imports {
        let id = format!("From{}", from.replace('-', ""));
        resources[id] = json!({"Type": "AWS::SNS::Topic", "Properties": {
            "DisplayName": {"Fn::ImportValue": format!("{from}-arn")}}});
    }
    json!({"Resources": resources, "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"},
        "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-arn"}}}}})
}

/// Services and the services they import from: three independent roots, a chain of
/// three, and a stack importing two.
const SERVICES: &[(&str, &[&str])] = &[
    ("web", &["api"]),
    ("api", &["data", "net"]),
    ("data", &["base"]),
    ("base", &[]),
    ("net", &[]),
    ("solo", &[]),
];

/// The manifest of an app with [`SERVICES`] configured at dev, qa and prod, with the
/// stacks of `stages` listed in an order that is NOT the dependency order (the shape of
/// `infra_model::app::Manifest`).
fn manifest(stages: &[&str]) -> Value {
    let mut stacks = Vec::new();
    for stage in stages {
        for (service, imports) in SERVICES {
            let imports: Vec<String> = imports.iter().map(|s| format!("{s}-{stage}")).collect();
            stacks.push(json!({"app": "api", "service": service, "stage": stage,
                "stack_name": format!("{service}-{stage}"),
                "template": stack_template(&imports).to_string()}));
        }
    }
    let services: Vec<Value> = SERVICES
        .iter()
        .map(|(service, _)| {
            json!({"service": service, "stages": ["dev", "qa", "prod"],
            "outputs": [{"name": "TopicArn", "description": "the topic"}]})
        })
        .collect();
    json!({"catalogue": {"app": "api", "services": services}, "stacks": stacks})
}

fn write_manifest(dir: &Path) -> String {
    let path = write_json(dir, "manifest.json", &manifest(&["dev", "qa", "prod"]));
    path_str(&path).to_owned()
}

/// The line index where `needle` first appears in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

/// The summary row of `stack`.
fn summary_row<'a>(text: &'a str, stack: &str) -> &'a str {
    let header = line_of(text, "stack  ");
    text.lines()
        .skip(header)
        .find(|l| l.starts_with(&format!("{stack} ")))
        .unwrap_or_else(|| panic!("no summary row for {stack} in:\n{text}"))
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn an_app_deploys_every_stack_after_the_stacks_it_imports_from() {
    let moto = Moto::shared();
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = write_manifest(dir.path());
    let outputs = dir.path().join("outputs");
    let args = ["deploy", "--app", &manifest, "--stage", "dev", "--yes"];
    let out = infra_deploy(
        &moto,
        &[&args[..], &["--outputs-dir", path_str(&outputs)]].concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for (service, imports) in SERVICES {
        let stack = format!("{service}-dev");
        let started = line_of(&text, &format!("on stack {stack}"));
        for from in *imports {
            let done = line_of(&text, &format!("stack {from}-dev: CREATE_COMPLETE"));
            assert!(
                done < started,
                "{stack} started before {from}-dev was created"
            );
        }
        assert!(summary_row(&text, &stack).contains("CREATE_COMPLETE"));
        assert!(outputs.join(format!("{stack}.json")).exists());
    }
    // Every import resolved to its exporter's value, which moto only does in this order.
    let config = sdk_config(&moto).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let exports = cfn.list_exports().send().await.expect("exports");
    let sns = aws_sdk_sns::Client::new(&config);
    let topics = sns.list_topics().send().await.expect("topics");
    let mut display_names = Vec::new();
    for topic in topics.topics().iter().filter_map(|t| t.topic_arn()) {
        let attributes = sns.get_topic_attributes().topic_arn(topic).send().await;
        let attributes = attributes.expect("attributes");
        let name = attributes
            .attributes()
            .and_then(|a| a.get("DisplayName"))
            .cloned();
        display_names.extend(name);
    }
    for name in ["base-dev-arn", "net-dev-arn", "data-dev-arn", "api-dev-arn"] {
        let export = exports.exports().iter().find(|e| e.name() == Some(name));
        let value = export.and_then(|e| e.value()).expect("exported");
        assert!(
            display_names.iter().any(|d| d == value),
            "{name} was not imported"
        );
    }
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_named_stack_brings_its_dependencies_unless_exclusively() {
    let moto = Moto::shared();
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = write_manifest(dir.path());
    let args = [
        "deploy", "--app", &manifest, "--stage", "qa", "--yes", "--stack", "api",
    ];
    let out = infra_deploy(&moto, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for stack in ["api-qa", "data-qa", "base-qa", "net-qa"] {
        assert!(summary_row(&text, stack).contains("CREATE_COMPLETE"));
    }
    assert!(
        !text.contains("web-qa") && !text.contains("solo-qa"),
        "{text}"
    );

    let alone = [&args[..], &["--stack", "web-qa", "--exclusively"]].concat();
    let out = infra_deploy(&moto, &alone[..]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(summary_row(&text, "web-qa").contains("CREATE_COMPLETE"));
    assert!(summary_row(&text, "api-qa").contains("no changes"));
    assert!(!text.contains("base-qa"), "{text}");
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_failed_stack_stops_its_dependents_not_its_siblings() {
    let moto = Moto::shared();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = manifest(&["prod"]);
    // data-prod's bucket name is taken: moto refuses to execute its change set.
    let taken = "taken-by-someone-else";
    s3_client(&sdk_config(&moto).await)
        .create_bucket()
        .bucket(taken)
        .send()
        .await
        .expect("bucket");
    let data = app["stacks"]
        .as_array_mut()
        .and_then(|s| s.iter_mut().find(|s| s["stack_name"] == "data-prod"))
        .expect("data-prod");
    let mut template: Value =
        serde_json::from_str(data["template"].as_str().unwrap_or("{}")).expect("template");
    template["Resources"]["Bucket"] =
        json!({"Type": "AWS::S3::Bucket", "Properties": {"BucketName": taken}});
    data["template"] = Value::from(template.to_string());
    let manifest = write_json(dir.path(), "manifest.json", &app);
    let args = [
        "deploy",
        "--app",
        path_str(&manifest),
        "--stage",
        "prod",
        "--yes",
    ];
    let out = infra_deploy(&moto, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(summary_row(&text, "data-prod").contains("failed"));
    for dependent in ["api-prod", "web-prod"] {
        let row = summary_row(&text, dependent);
        assert!(row.contains("skipped"), "{row}");
    }
    assert!(summary_row(&text, "api-prod").contains("depends on data-prod"));
    for sibling in ["base-prod", "net-prod", "solo-prod"] {
        assert!(summary_row(&text, sibling).contains("CREATE_COMPLETE"));
    }
    assert!(stderr(&out).contains("BucketAlreadyExists"));
    // The refused change set and the empty stack it created are gone.
    let cfn = aws_sdk_cloudformation::Client::new(&sdk_config(&moto).await);
    let gone = cfn.describe_stacks().stack_name("data-prod").send().await;
    assert!(gone.is_err(), "data-prod is left behind: {gone:?}");
}

#[test]
fn a_stage_the_app_does_not_configure_is_refused_with_the_configured_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = write_manifest(dir.path());
    for command in ["deploy", "outputs"] {
        let args = [command, "--app", &manifest, "--stage", "prdo"];
        let out = run(
            &mut infra_deploy_command(&args, &dummy_credentials()),
            command,
        );
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(
            err.starts_with(
                "error: unknown stage `prdo`: the app `api` configures `dev`, `prod`, `qa`"
            ),
            "{err}"
        );
    }
}

/// A listener on 127.0.0.1 that accepts connections and never answers.
fn silent_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    url
}

fn against(url: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, Duration) {
    let mut cmd = infra_deploy_command(args, env);
    cmd.args(["--endpoint-url", url]);
    let started = Instant::now();
    let out = run(&mut cmd, &args.join(" "));
    (out, started.elapsed())
}

#[test]
fn a_silent_endpoint_times_out_saying_what_timed_out() {
    let url = silent_endpoint();
    let dir = tempfile::tempdir().expect("temp dir");
    let template = write_json(dir.path(), "t.json", &stack_template(&[]));
    let deploy = [
        "deploy",
        "--template",
        path_str(&template),
        "--stack-name",
        "x-dev",
    ];
    let outputs = ["outputs", "--stack-name", "x-dev"];
    let cases = [
        (&deploy[..], "while reading the status of stack x-dev"),
        (&outputs[..], "while reading stack x-dev"),
    ];
    for (args, what) in cases {
        let args = [args, &["--timeout-secs", "3", "--yes"][..]].concat();
        let args = if args[0] == "outputs" {
            &args[..args.len() - 1]
        } else {
            &args[..]
        };
        let (out, took) = against(&url, args, &dummy_credentials());
        assert_eq!(out.status.code(), Some(2));
        assert!(took < Duration::from_secs(20), "took {took:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("timed out after 3 s {what}")),
            "{err}"
        );
        assert!(err.contains("hint: raise --timeout-secs"), "{err}");
    }
}

#[test]
fn a_silent_endpoint_fails_each_call_at_the_call_timeout() {
    let url = silent_endpoint();
    let args = ["outputs", "--stack-name", "x-dev", "--region", REGION];
    let args = [
        &args[..],
        &["--call-timeout-secs", "2", "--timeout-secs", "120"],
    ]
    .concat();
    let (out, took) = against(&url, &args, &dummy_credentials());
    assert_eq!(out.status.code(), Some(2));
    assert!(took < Duration::from_secs(20), "took {took:?}");
    let err = stderr(&out);
    assert!(
        err.starts_with("error: DescribeStacks: no answer within --call-timeout-secs"),
        "{err}"
    );
}

/// Arguments, environment, what the error says, what the hint says.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str, &'a str);

#[test]
fn aws_failures_are_one_line_and_a_hint() {
    let closed = format!("http://127.0.0.1:{}", common::free_port());
    let args = ["outputs", "--stack-name", "x-dev", "--region", REGION];
    let keys = [("AWS_ACCESS_KEY_ID", "k"), ("AWS_SECRET_ACCESS_KEY", "s")];
    let with_keys = [&no_credentials()[..], &keys[..]].concat();
    let no_region = ["outputs", "--stack-name", "x-dev"];
    let cases: [Case<'_>; 3] = [
        (
            &args,
            &with_keys,
            "the endpoint refused the connection",
            "--endpoint-url",
        ),
        (
            &args,
            &no_credentials(),
            "no AWS credentials were found",
            "AWS_PROFILE",
        ),
        (
            &no_region,
            &with_keys,
            "no AWS region is configured",
            "--region REGION or set AWS_REGION",
        ),
    ];
    for (args, env, what, todo) in cases {
        let (out, _) = against(&closed, args, env);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(what),
            "{err}"
        );
        assert!(
            lines[1].starts_with("  hint: ") && lines[1].contains(todo),
            "{err}"
        );
        assert!(lines.len() <= 3, "{err}");
        assert!(
            !err.contains("DispatchFailure") && !err.contains("ConnectorError"),
            "{err}"
        );
        let verbose = [args, &["-v"][..]].concat();
        let (out, _) = against(&closed, &verbose, env);
        assert!(stderr(&out).contains("caused by: "), "{}", stderr(&out));
    }
}

/// Lines a child prints, read on a thread.
fn lines_of(child: &mut Child) -> Receiver<String> {
    let (send, receive) = channel();
    let stdout = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        // A prompt has no newline: split on '?' too, so "[y/N]" arrives at once.
        while reader.read_until(b' ', &mut buf).is_ok_and(|n| n > 0) {
            let _ = send.send(String::from_utf8_lossy(&buf).into_owned());
            buf.clear();
        }
    });
    receive
}

/// Everything read until a chunk contains `needle`.
fn wait_for(lines: &Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = String::new();
    while Instant::now() < deadline {
        if let Ok(chunk) = lines.recv_timeout(Duration::from_millis(200)) {
            seen.push_str(&chunk);
            if seen.contains(needle) {
                return seen;
            }
        }
    }
    panic!("no {needle:?} in:\n{seen}");
}

fn wait_with_timeout(child: &mut Child, lines: &Receiver<String>) -> (i32, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            std::thread::sleep(Duration::from_millis(200));
            let rest: String = lines.try_iter().collect();
            return (status.code().unwrap_or(-1), rest);
        }
        assert!(Instant::now() < deadline, "the deploy did not stop");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn ctrl_c_at_the_prompt_deletes_the_change_set_and_the_new_stack() {
    let moto = Moto::shared();
    let dir = tempfile::tempdir().expect("temp dir");
    let template = write_json(dir.path(), "t.json", &stack_template(&[]));
    let outputs = dir.path().join("outputs");
    std::fs::create_dir_all(&outputs).expect("outputs dir");
    let previous = outputs.join("sigint-dev.json");
    std::fs::write(&previous, "{\"kept\": \"as it was\"}\n").expect("previous outputs");
    let bin = env!("CARGO_BIN_EXE_infra-deploy");
    let inner = format!(
        "{bin} deploy --template {} --stack-name sigint-dev --outputs-dir {} --endpoint-url {} --region {REGION}",
        path_str(&template),
        path_str(&outputs),
        moto.url
    );
    // `script` gives the deploy a terminal, so it prompts; ^C on that terminal is what
    // a person's Ctrl-C is: SIGINT to the foreground process.
    let mut child = Command::new("script")
        .args(["-qfec", &inner, "/dev/null"])
        .envs(dummy_credentials())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    let lines = lines_of(&mut child);
    let before = wait_for(&lines, "[y/N]");
    assert!(before.contains("(CREATE) on stack sigint-dev"), "{before}");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"\x03").expect("^C");
    let (code, after) = wait_with_timeout(&mut child, &lines);
    assert_eq!(code, 130, "{after}");
    assert!(after.contains("SIGINT: stopping"), "{after}");
    assert!(after.contains("deleted change set"), "{after}");
    assert!(
        after.contains("deleted the empty stack sigint-dev"),
        "{after}"
    );
    let cfn = aws_sdk_cloudformation::Client::new(&sdk_config(&moto).await);
    let gone = cfn.describe_stacks().stack_name("sigint-dev").send().await;
    assert!(gone.is_err(), "sigint-dev is left behind: {gone:?}");
    let kept = std::fs::read_to_string(&previous).expect("outputs file");
    assert_eq!(kept, "{\"kept\": \"as it was\"}\n");
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_stack_with_another_runs_change_set_is_refused_waited_for_or_left_on_sigterm() {
    let moto = Moto::shared();
    let dir = tempfile::tempdir().expect("temp dir");
    let v1 = write_json(dir.path(), "v1.json", &stack_template(&[]));
    let base = [
        "deploy",
        "--template",
        path_str(&v1),
        "--stack-name",
        "lock-dev",
        "--yes",
    ];
    assert_eq!(infra_deploy(&moto, &base).status.code(), Some(0));
    let cfn = aws_sdk_cloudformation::Client::new(&sdk_config(&moto).await);
    let mut v2 = stack_template(&[]);
    v2["Resources"]["Other"] = json!({"Type": "AWS::SNS::Topic"});
    let other = "infra-deploy-1700000000-1-other-0";
    let pending = cfn
        .create_change_set()
        .stack_name("lock-dev")
        .change_set_name(other)
        .template_body(v2.to_string())
        .send()
        .await;
    pending.expect("another run's change set");

    let refused = infra_deploy(&moto, &base);
    assert_eq!(refused.status.code(), Some(2));
    let err = stderr(&refused);
    assert!(
        err.contains("stack lock-dev is busy: infra-deploy-1700000000-1-other-0"),
        "{err}"
    );
    assert!(err.contains("--wait-for-lock"), "{err}");

    // Waiting, then SIGTERM: this run leaves the other run's change set alone.
    let mut waiting = spawn_deploy(&moto, &[&base[..], &["--wait-for-lock"]].concat());
    let lines = lines_of(&mut waiting);
    wait_for(&lines, "waiting:");
    let kill = Command::new("kill")
        .args(["-TERM", &waiting.id().to_string()])
        .status();
    assert!(kill.expect("kill runs").success());
    let (code, after) = wait_with_timeout(&mut waiting, &lines);
    assert_eq!(code, 130, "{after}");
    assert!(after.contains("nothing to undo"), "{after}");
    let still = cfn
        .describe_change_set()
        .stack_name("lock-dev")
        .change_set_name(other)
        .send();
    still
        .await
        .expect("the other run's change set is still there");

    // Waiting, then the other run goes away: this one deploys.
    let mut waiting = spawn_deploy(&moto, &[&base[..], &["--wait-for-lock"]].concat());
    let lines = lines_of(&mut waiting);
    wait_for(&lines, "waiting:");
    let delete = cfn
        .delete_change_set()
        .stack_name("lock-dev")
        .change_set_name(other)
        .send();
    delete.await.expect("deleted");
    let (code, after) = wait_with_timeout(&mut waiting, &lines);
    assert_eq!(code, 0, "{after}");
}

fn spawn_deploy(moto: &Moto, args: &[&str]) -> Child {
    let mut cmd = infra_deploy_command(args, &dummy_credentials());
    cmd.args(["--endpoint-url", &moto.url, "--region", REGION]);
    // stderr is piped too (a few lines, well under a pipe's buffer) for the race test.
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("infra-deploy starts")
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn a_stack_stuck_in_progress_is_refused_not_updated() {
    let moto = Moto::shared();
    let config = sdk_config(&moto).await;
    let taken = "stuck-bucket-name";
    let s3 = s3_client(&config);
    s3.create_bucket()
        .bucket(taken)
        .send()
        .await
        .expect("bucket");
    // moto leaves a stack whose create failed in CREATE_IN_PROGRESS for good.
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let body = json!({"Resources": {"B": {"Type": "AWS::S3::Bucket",
        "Properties": {"BucketName": taken}}}});
    let create = cfn
        .create_stack()
        .stack_name("stuck-dev")
        .template_body(body.to_string());
    let _ = create.send().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let template = write_json(dir.path(), "t.json", &stack_template(&[]));
    let args = [
        "deploy",
        "--template",
        path_str(&template),
        "--stack-name",
        "stuck-dev",
        "--yes",
    ];
    let refused = infra_deploy(&moto, &args);
    assert_eq!(refused.status.code(), Some(2));
    let err = stderr(&refused);
    assert!(
        err.contains("stack stuck-dev is busy: it is CREATE_IN_PROGRESS"),
        "{err}"
    );
    let wait = [&args[..], &["--wait-for-lock", "--timeout-secs", "4"]].concat();
    let waited = infra_deploy(&moto, &wait);
    assert_eq!(waited.status.code(), Some(2));
    let err = stderr(&waited);
    assert!(
        err.contains("timed out after 4 s while waiting for stack stuck-dev to be free"),
        "{err}"
    );
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn removing_a_log_group_is_refused_as_data_loss() {
    let moto = Moto::shared();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut with_group = stack_template(&[]);
    with_group["Resources"]["Logs"] = json!({"Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": "logs-dev-app", "RetentionInDays": 7}});
    let v1 = write_json(dir.path(), "v1.json", &with_group);
    let v2 = write_json(dir.path(), "v2.json", &stack_template(&[]));
    let args = |t: &Path| {
        let t = path_str(t).to_owned();
        vec![
            "deploy".to_owned(),
            "--template".to_owned(),
            t,
            "--stack-name".to_owned(),
            "logs-dev".to_owned(),
            "--yes".to_owned(),
        ]
    };
    let first = args(&v1);
    let first: Vec<&str> = first.iter().map(String::as_str).collect();
    assert_eq!(infra_deploy(&moto, &first).status.code(), Some(0));
    let second = args(&v2);
    let second: Vec<&str> = second.iter().map(String::as_str).collect();
    let refused = infra_deploy(&moto, &second);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(
        stdout(&refused).contains("Remove   Logs"),
        "{}",
        stdout(&refused)
    );
    assert!(stdout(&refused).contains("DATA LOSS"));
    assert!(
        stderr(&refused).contains("Logs (AWS::Logs::LogGroup)"),
        "{}",
        stderr(&refused)
    );
}

#[tokio::test]
#[ignore = "needs moto: run via cargo xtask ci"]
async fn two_deploys_at_once_never_share_a_change_set_or_fail_on_each_other() {
    let moto = Moto::shared();
    let dir = tempfile::tempdir().expect("temp dir");
    let v1 = write_json(dir.path(), "v1.json", &stack_template(&[]));
    let args = [
        "deploy",
        "--template",
        path_str(&v1),
        "--stack-name",
        "race-dev",
        "--yes",
    ];
    assert_eq!(infra_deploy(&moto, &args).status.code(), Some(0));
    let mut v2 = stack_template(&[]);
    v2["Resources"]["Second"] = json!({"Type": "AWS::SNS::Topic"});
    let v2 = write_json(dir.path(), "v2.json", &v2);
    let update = [
        "deploy",
        "--template",
        path_str(&v2),
        "--stack-name",
        "race-dev",
        "--yes",
    ];
    for _ in 0..3 {
        let mut runs: Vec<Child> = (0..2).map(|_| spawn_deploy(&moto, &update)).collect();
        let outputs: Vec<Output> = runs
            .drain(..)
            .map(|c| c.wait_with_output().expect("deploy ends"))
            .collect();
        let mut names = Vec::new();
        for out in &outputs {
            let (text, err) = (stdout(out), stderr(out));
            eprintln!("{text}{err}");
            match out.status.code() {
                Some(0) => {}
                Some(2) => assert!(err.contains("stack race-dev is busy"), "{text}\n{err}"),
                code => panic!("exit {code:?}: {err}"),
            }
            names.extend(text.lines().filter_map(|l| {
                let rest = l.strip_prefix("change set ")?;
                rest.split(' ').next().map(str::to_owned)
            }));
        }
        let unique: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(
            unique.len(),
            names.len(),
            "a change set name was shared: {names:?}"
        );
        assert!(outputs.iter().any(|o| o.status.success()));
    }
    let cfn = aws_sdk_cloudformation::Client::new(&sdk_config(&moto).await);
    let sets = cfn.list_change_sets().stack_name("race-dev").send().await;
    let pending = sets
        .expect("listed")
        .summaries()
        .iter()
        .filter(|s| {
            s.execution_status() == Some(&aws_sdk_cloudformation::types::ExecutionStatus::Available)
        })
        .count();
    assert_eq!(pending, 0, "a change set was left behind");
}

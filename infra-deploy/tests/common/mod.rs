//! What the end-to-end tests share: a moto server on a free 127.0.0.1 port, stopped by
//! its process id, and `infra-deploy` runs against it with dummy credentials.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use aws_config::BehaviorVersion;
use serde_json::Value;

pub const REGION: &str = "us-east-1";
/// moto's default account.
pub const ACCOUNT: &str = "123456789012";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is in the workspace")
}

/// A moto server, killed by its pid on drop.
pub struct Moto {
    child: Child,
    pub url: String,
}

impl Moto {
    /// A server for one test.
    pub fn start() -> Moto {
        Moto::spawn(Command::new(venv_bin("moto_server")))
    }

    /// A server whose executed change sets compute outputs and exports, as
    /// CloudFormation's do (`tests/support/moto_with_exports.py`, docs/moto.md).
    pub fn start_with_exports() -> Moto {
        let mut cmd = Command::new(venv_bin("python"));
        cmd.arg(root().join("infra-deploy/tests/support/moto_with_exports.py"));
        Moto::spawn(cmd)
    }

    /// A server whose CloudFormation also creates what the wiring helpers emit
    /// and moto skips: SNS subscriptions and topic policies, SQS queue policies,
    /// bucket notifications (`tests/support/moto_with_wiring.py`, docs/moto.md).
    pub fn start_with_wiring() -> Moto {
        let mut cmd = Command::new(venv_bin("python"));
        cmd.arg(root().join("infra-deploy/tests/support/moto_with_wiring.py"));
        Moto::spawn(cmd)
    }

    fn spawn(mut cmd: Command) -> Moto {
        let port = free_port();
        let child = cmd
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(dummy_credentials())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server starts");
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        wait_for_port(port);
        moto
    }

    /// One server (with exports) shared by the tests of a file that run at the same
    /// time (they use distinct stack names); it stops when the last of them drops it.
    pub fn shared() -> Arc<Moto> {
        static SHARED: Mutex<Weak<Moto>> = Mutex::new(Weak::new());
        let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(moto) = slot.upgrade() {
            return moto;
        }
        let moto = Arc::new(Moto::start_with_exports());
        *slot = Arc::downgrade(&moto);
        moto
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn venv_bin(name: &str) -> std::path::PathBuf {
    let bin = root().join(".venv/bin").join(name);
    assert!(
        bin.exists(),
        "{} is missing: run `cargo xtask ci`, which installs tools/requirements.txt",
        bin.display()
    );
    bin
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

fn wait_for_port(port: u16) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "moto_server did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Dummy credentials, and no shared config that could point anywhere else.
pub fn dummy_credentials() -> Vec<(&'static str, &'static str)> {
    let mut env = no_credentials();
    env.extend([
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_SESSION_TOKEN", "testing"),
        ("AWS_REGION", REGION),
        ("AWS_DEFAULT_REGION", REGION),
    ]);
    env
}

/// No region, no credentials and no config files: only what a test passes.
pub fn no_credentials() -> Vec<(&'static str, &'static str)> {
    vec![
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
}

/// The variables [`infra_deploy_command`] removes so the test's own are the only ones.
const AWS_VARS: &[&str] = &[
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
];

/// `infra-deploy <args>` with a clean AWS environment plus `env`, no standard input.
pub fn infra_deploy_command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_infra-deploy"));
    // Outputs files default to `.infra/outputs` under the working directory: keep the
    // ones of the tests out of the repository.
    let cwd = std::env::temp_dir().join("infra-deploy-e2e");
    std::fs::create_dir_all(&cwd).expect("a working directory for the deploys");
    cmd.args(args).stdin(Stdio::null()).current_dir(cwd);
    for var in AWS_VARS {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd
}

/// Runs `cmd`, echoing what it printed (shown when the test fails).
pub fn run(cmd: &mut Command, label: &str) -> Output {
    let output = cmd.output().expect("infra-deploy runs");
    eprintln!(
        "$ infra-deploy {label}\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs `infra-deploy <args> --endpoint-url <moto> --region` with dummy credentials.
pub fn infra_deploy(moto: &Moto, args: &[&str]) -> Output {
    let mut cmd = infra_deploy_command(args, &dummy_credentials());
    cmd.args(["--endpoint-url", &moto.url, "--region", REGION]);
    run(&mut cmd, &args.join(" "))
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("template exists");
    serde_json::from_str(&text).expect("template is JSON")
}

/// Writes `value` as JSON into `dir` and returns its path.
pub fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    let text = serde_json::to_string_pretty(value).expect("serializes");
    std::fs::write(&path, text).expect("file written");
    path
}

pub async fn sdk_config(moto: &Moto) -> aws_config::SdkConfig {
    let credentials =
        aws_sdk_cloudformation::config::Credentials::new("testing", "testing", None, None, "e2e");
    aws_config::defaults(BehaviorVersion::latest())
        .region(aws_config::Region::new(REGION))
        .endpoint_url(&moto.url)
        .credentials_provider(credentials)
        .load()
        .await
}

pub fn s3_client(config: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

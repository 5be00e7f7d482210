//! The worker as a real process: what a missing output prints when `main` returns it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed expectation is a failed test

use std::process::{Command, Output};

const VARS: [&str; 3] = [
    "INFRA_INVITES_TABLE_ARN",
    "INFRA_INVITES_TABLE_STREAM_ARN",
    "INFRA_NEW_INVITE_TOPIC_ARN",
];

fn worker(env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_invites-worker"));
    VARS.iter().for_each(|var| {
        command.env_remove(var);
    });
    command.envs(env.iter().copied());
    command.output().expect("the worker runs")
}

#[test]
fn a_missing_output_exits_1_with_its_message() {
    let out = worker(&[("INFRA_INVITES_TABLE_ARN", "arn:table")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "Error: output `invitesTableStreamArn` of service `infra` is not set: \
         export INFRA_INVITES_TABLE_STREAM_ARN (the stack output \
         ${state:infra.invitesTableStreamArn})\n"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn every_output_set_exits_0() {
    let env: Vec<(&str, &str)> = VARS.iter().map(|v| (*v, "arn:x")).collect();
    let out = worker(&env);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("invites_table_arn: \"arn:x\""));
}

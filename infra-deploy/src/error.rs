//! What can go wrong, and the process exit code each failure maps to.

use std::path::PathBuf;

/// A failed or refused deploy.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a JSON template: {source}")]
    TemplateJson {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "the template is {bytes} bytes, over the 51,200 bytes CloudFormation accepts inline: \
         pass --template-bucket BUCKET to upload it to S3 first"
    )]
    NeedsTemplateBucket { bytes: usize },
    #[error("{operation} failed: {message}")]
    Aws {
        operation: &'static str,
        message: String,
    },
    #[error("change set {name} failed: {reason}")]
    ChangeSetFailed { name: String, reason: String },
    #[error(
        "refusing to deploy: the change set would lose the data of {}; set DeletionPolicy and \
         UpdateReplacePolicy to Retain, or pass --allow-data-loss if this is intended \
         (the change set was deleted)",
        .resources.join(", ")
    )]
    DataLoss { resources: Vec<String> },
    #[error(
        "standard input is not a terminal, so there is no one to confirm the change set: \
         pass --yes to execute it without a prompt (the change set was deleted)"
    )]
    NeedsYes,
    #[error("deploy cancelled: the change set was deleted")]
    Declined,
    #[error("stack {stack} ended in {status}{}", failures_suffix(.failures))]
    StackFailed {
        stack: String,
        status: String,
        failures: Vec<String>,
    },
    #[error(
        "stack {stack} did not settle within {secs} s (last status {status}); the operation goes \
         on in CloudFormation"
    )]
    Timeout {
        stack: String,
        secs: u64,
        status: String,
    },
    #[error("stack {stack} does not exist")]
    NoStack { stack: String },
    #[error("stack {stack} lacks the expected outputs: {}", .missing.join(", "))]
    MissingOutputs { stack: String, missing: Vec<String> },
}

fn failures_suffix(failures: &[String]) -> String {
    if failures.is_empty() {
        String::new()
    } else {
        format!("; failed resources:\n  {}", failures.join("\n  "))
    }
}

impl Error {
    /// The process exit code: 3 for a refused data loss, 2 for a missing `--yes`,
    /// 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::DataLoss { .. } => 3,
            Error::NeedsYes => 2,
            _ => 1,
        }
    }

    /// An SDK error with its full chain of causes.
    pub fn aws<E: std::error::Error>(operation: &'static str, err: E) -> Self {
        Error::Aws {
            operation,
            message: aws_sdk_cloudformation::error::DisplayErrorContext(err).to_string(),
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

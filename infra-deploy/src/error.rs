//! What can go wrong, told as one line of what failed ([`Error`]'s `Display`), one of
//! what to do ([`Error::hint`]) and, for `-v`, the full chain of causes
//! ([`Error::detail`]); and the process exit code each failure maps to.

use std::path::PathBuf;

use aws_sdk_cloudformation::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// Why an AWS call failed, as far as the person at the terminal can act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsKind {
    NoCredentials,
    NoRegion,
    ConnectionRefused,
    /// The endpoint did not answer in time (connect or operation timeout).
    Timeout,
    Network,
    /// The service answered with an error code.
    Service {
        code: String,
    },
    Other,
}

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
    #[error("{path} is not an app manifest (the synth binary's output): {source}")]
    ManifestJson {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "no stacks named: pass --template FILE --stack-name NAME, or --app MANIFEST --stage STAGE"
    )]
    NoSelection,
    #[error(transparent)]
    UnknownStage(#[from] infra_model::UnknownStage),
    #[error("no stack `{name}` at this stage (stacks: {})", .available.join(", "))]
    UnknownStack {
        name: String,
        available: Vec<String>,
    },
    #[error("the stacks {} import each other's exports in a cycle", .stacks.join(", "))]
    Cycle { stacks: Vec<String> },
    #[error(
        "the template is {bytes} bytes, over the 51,200 bytes CloudFormation accepts inline: \
         pass --template-bucket BUCKET to upload it to S3 first"
    )]
    NeedsTemplateBucket { bytes: usize },
    #[error("{summary}")]
    Aws {
        operation: &'static str,
        kind: AwsKind,
        summary: String,
        chain: String,
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
    #[error("timed out after {secs} s {doing}")]
    Timeout { secs: u64, doing: String },
    #[error("stack {stack} is busy: {reason}")]
    Busy { stack: String, reason: String },
    #[error(
        "stack {stack} is ROLLBACK_COMPLETE: its first create failed and rolled back, nothing \
         was kept, and CloudFormation cannot update it"
    )]
    RolledBack { stack: String },
    #[error(
        "stack {stack} is UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback, \
         so CloudFormation accepts no change until the rollback is finished"
    )]
    RollbackFailed { stack: String },
    #[error("stack {stack} is {status} and cannot be deployed to")]
    Unusable { stack: String, status: String },
    #[error("skipped: it depends on {dependency}, which did not deploy")]
    DependencyFailed { dependency: String },
    #[error("stack {stack} does not exist")]
    NoStack { stack: String },
    #[error("stack {stack} lacks the expected outputs: {}", .missing.join(", "))]
    MissingOutputs { stack: String, missing: Vec<String> },
    #[error("interrupted")]
    Interrupted,
}

fn failures_suffix(failures: &[String]) -> String {
    if failures.is_empty() {
        String::new()
    } else {
        format!("; failed resources:\n  {}", failures.join("\n  "))
    }
}

impl Error {
    /// The process exit code: 130 interrupted, 3 a refused data loss, 1 a stack that
    /// failed, was declined or skipped, or an error AWS answered with; 2 could not run
    /// (arguments, state, credentials, region, network, timeout, no one to confirm).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Interrupted => 130,
            Error::DataLoss { .. } => 3,
            Error::StackFailed { .. }
            | Error::ChangeSetFailed { .. }
            | Error::DependencyFailed { .. }
            | Error::MissingOutputs { .. }
            | Error::NoStack { .. }
            | Error::Declined
            | Error::Aws {
                kind: AwsKind::Service { .. },
                ..
            } => 1,
            _ => 2,
        }
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        let hint = match self {
            Error::Aws { kind, .. } => return aws_hint(kind),
            Error::UnknownStage(_) => {
                "add the stage to the app (stacks/src/lib.rs) or pick a configured one"
            }
            Error::Busy { .. } => "pass --wait-for-lock to wait until it is free",
            Error::RolledBack { stack } => {
                return Some(format!(
                    "look at why it failed (aws cloudformation describe-stack-events \
                     --stack-name {stack}), fix the template, then pass --replace-failed-stack \
                     to delete it and create it again"
                ));
            }
            Error::RollbackFailed { stack } => {
                return Some(format!(
                    "fix what blocks the rollback, then run `aws cloudformation \
                     continue-update-rollback --stack-name {stack}` (with --resources-to-skip \
                     for resources that cannot roll back) and deploy again"
                ));
            }
            Error::Unusable { stack, .. } => {
                return Some(format!(
                    "see aws cloudformation describe-stack-events --stack-name {stack}; a \
                     stack that failed to delete must be deleted by hand"
                ));
            }
            Error::Timeout { .. } => "raise --timeout-secs, or check the network or endpoint",
            _ => return None,
        };
        Some(hint.to_owned())
    }

    /// The full chain of causes of an AWS error, for `-v`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Error::Aws { chain, .. } => Some(chain),
            _ => None,
        }
    }

    /// An SDK error, classified: its message says what failed in one line.
    pub fn aws<E, R>(operation: &'static str, err: SdkError<E, R>) -> Self
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
        R: std::fmt::Debug,
    {
        let chain = DisplayErrorContext(&err).to_string();
        let kind = classify(&err, &chain);
        let summary = match &kind {
            AwsKind::NoCredentials => format!("{operation}: no AWS credentials were found"),
            AwsKind::NoRegion => format!("{operation}: no AWS region is configured"),
            AwsKind::ConnectionRefused => {
                format!("{operation}: the endpoint refused the connection")
            }
            AwsKind::Timeout => format!("{operation}: no answer within --call-timeout-secs"),
            AwsKind::Network => format!("{operation}: network error: {}", root_cause(&err)),
            AwsKind::Service { code } => {
                let message = err.message().unwrap_or("no message");
                format!("{operation} failed: {code}: {message}")
            }
            AwsKind::Other => format!("{operation} failed: {}", root_cause(&err)),
        };
        Error::Aws {
            operation,
            kind,
            summary,
            chain,
        }
    }
}

fn classify<E, R>(err: &SdkError<E, R>, chain: &str) -> AwsKind
where
    E: ProvideErrorMetadata,
{
    let lower = chain.to_ascii_lowercase();
    match err {
        SdkError::ServiceError(_) => AwsKind::Service {
            code: err.code().unwrap_or("UnknownError").to_owned(),
        },
        SdkError::TimeoutError(_) => AwsKind::Timeout,
        SdkError::DispatchFailure(d) if d.is_timeout() => AwsKind::Timeout,
        _ if lower.contains("connection refused") => AwsKind::ConnectionRefused,
        _ if lower.contains("credentials") => AwsKind::NoCredentials,
        _ if lower.contains("region") => AwsKind::NoRegion,
        SdkError::DispatchFailure(d) if d.is_io() => AwsKind::Network,
        _ => AwsKind::Other,
    }
}

/// The innermost cause's message, which is the informative one for SDK errors.
fn root_cause(err: &dyn std::error::Error) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn aws_hint(kind: &AwsKind) -> Option<String> {
    let hint = match kind {
        AwsKind::NoCredentials => {
            "pass --profile NAME or set AWS_PROFILE (run `aws sso login` for SSO), or set \
             AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        }
        AwsKind::NoRegion => "pass --region REGION or set AWS_REGION",
        AwsKind::ConnectionRefused => {
            "check --endpoint-url (is the emulator running?), the proxy and the network"
        }
        AwsKind::Timeout => {
            "check --endpoint-url, the proxy and the network; raise --call-timeout-secs \
             for a slow link"
        }
        AwsKind::Network => "check the network, the proxy and --endpoint-url",
        AwsKind::Service { code } if code.contains("AccessDenied") => {
            "the caller lacks a permission: see the message for the action"
        }
        AwsKind::Service { code } if code.contains("Expired") => {
            "the credentials expired: refresh them (`aws sso login`)"
        }
        AwsKind::Service { .. } | AwsKind::Other => return None,
    };
    Some(hint.to_owned())
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

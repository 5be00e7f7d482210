//! The stack's status, read before anything is created: whether to create or update it,
//! wait for it or refuse it (another operation or another deploy's change set), or
//! delete it first (`--replace-failed-stack` on a ROLLBACK_COMPLETE stack).

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::primitives::DateTimeFormat;
use aws_sdk_cloudformation::types::{ChangeSetStatus, ExecutionStatus};

use crate::deploy::StackDeploy;
use crate::error::{Error, Result};
use crate::outputs;

/// Every change set this tool creates starts so; other runs' pending ones lock the stack.
pub const CHANGE_SET_PREFIX: &str = "infra-deploy-";

/// How often a busy or deleting stack is polled.
const POLL: Duration = Duration::from_secs(2);

/// How the change set treats the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// A `CREATE` change set; `exists` when an earlier review left the stack
    /// REVIEW_IN_PROGRESS (then it is not this run's to delete).
    Create {
        exists: bool,
    },
    Update,
}

/// What to do with a stack in a given state.
#[derive(Debug)]
pub enum Decision {
    Go(Start),
    /// Another operation or deploy holds the stack: refuse, or wait with --wait-for-lock.
    Busy(String),
    /// Delete the failed stack, then create it.
    Replace,
    Refuse(Error),
}

/// The decision for `stack` in `status` (none: it does not exist) with `pending`, the
/// change sets of other runs that wait for execution.
pub fn decide(stack: &str, status: Option<&str>, pending: &[String], replace: bool) -> Decision {
    let stack = stack.to_owned();
    if let Some(first) = pending.first() {
        return Decision::Busy(format!(
            "{first} of another deploy is pending; if that run is gone, delete it with \
             `aws cloudformation delete-change-set --stack-name {stack} --change-set-name {}`",
            first.split(' ').next().unwrap_or(first)
        ));
    }
    match status {
        None | Some("DELETE_COMPLETE") => Decision::Go(Start::Create { exists: false }),
        Some("REVIEW_IN_PROGRESS") => Decision::Go(Start::Create { exists: true }),
        Some("ROLLBACK_COMPLETE") if replace => Decision::Replace,
        Some("ROLLBACK_COMPLETE") => Decision::Refuse(Error::RolledBack { stack }),
        Some("UPDATE_ROLLBACK_FAILED") => Decision::Refuse(Error::RollbackFailed { stack }),
        Some(s @ ("ROLLBACK_FAILED" | "DELETE_FAILED")) => Decision::Refuse(Error::Unusable {
            stack,
            status: s.to_owned(),
        }),
        Some(s) if s.ends_with("_IN_PROGRESS") => {
            Decision::Busy(format!("it is {s}: another operation is running"))
        }
        Some(_) => Decision::Go(Start::Update),
    }
}

/// Reads the stack until it can be deployed to, following [`decide`].
pub async fn prepare(d: &StackDeploy<'_>) -> Result<Start> {
    let (cfn, stack, args) = (&d.run.clients.cfn, d.target.stack.as_str(), &d.run.args);
    let mut waiting = false;
    loop {
        set_doing(d, format!("reading the status of stack {stack}"));
        let described = outputs::describe(cfn, stack).await?;
        let status = described.and_then(|s| s.stack_status().map(|s| s.as_str().to_owned()));
        let pending = match status {
            Some(_) => pending_change_sets(cfn, stack).await?,
            None => Vec::new(),
        };
        match decide(
            stack,
            status.as_deref(),
            &pending,
            args.replace_failed_stack,
        ) {
            Decision::Go(start) => return Ok(start),
            Decision::Refuse(err) => return Err(err),
            Decision::Replace => delete_failed_stack(d).await?,
            Decision::Busy(reason) if !args.wait_for_lock => {
                return Err(Error::Busy {
                    stack: stack.to_owned(),
                    reason,
                });
            }
            Decision::Busy(reason) => {
                if !waiting {
                    d.run.progress.say(stack, &format!("waiting: {reason}"));
                    waiting = true;
                }
                set_doing(
                    d,
                    format!("waiting for stack {stack} to be free ({reason})"),
                );
                tokio::time::sleep(POLL).await;
            }
        }
    }
}

fn set_doing(d: &StackDeploy<'_>, what: String) {
    let mut tracks = d.tracks.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(track) = tracks.get_mut(d.index) {
        track.doing = what;
    }
}

/// A change set of this tool that waits for execution.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pending {
    /// Seconds and nanoseconds since the epoch, first: the older change set wins.
    created: (i64, u32),
    pub name: String,
}

impl Pending {
    /// `name (created <time>)`.
    fn describe(&self) -> String {
        let time = aws_sdk_cloudformation::primitives::DateTime::from_secs(self.created.0);
        let time = time.fmt(DateTimeFormat::DateTime).unwrap_or_default();
        format!("{} (created {time})", self.name)
    }
}

/// `name (created <time>)` of each change set of this tool that waits for execution.
async fn pending_change_sets(cfn: &Client, stack: &str) -> Result<Vec<String>> {
    let pending = pending(cfn, stack).await?;
    Ok(pending.iter().map(Pending::describe).collect())
}

/// Every change set of this tool on `stack` that waits for execution, oldest first.
pub async fn pending(cfn: &Client, stack: &str) -> Result<Vec<Pending>> {
    let out = cfn.list_change_sets().stack_name(stack).send().await;
    let out = out.map_err(|e| Error::aws("ListChangeSets", e))?;
    let mut pending: Vec<Pending> = out
        .summaries()
        .iter()
        .filter(|s| {
            // CloudFormation lists only `stack`'s change sets; moto lists every stack's.
            let this_stack = s.stack_name().is_none_or(|n| n == stack);
            let waiting = matches!(
                s.execution_status(),
                Some(ExecutionStatus::Available | ExecutionStatus::Unavailable)
            );
            let alive = !matches!(
                s.status(),
                Some(ChangeSetStatus::Failed | ChangeSetStatus::DeleteComplete)
            );
            this_stack && waiting && alive
        })
        .filter_map(|s| {
            let name = s.change_set_name()?;
            let time = s
                .creation_time()
                .map_or((0, 0), |t| (t.secs(), t.subsec_nanos()));
            name.starts_with(CHANGE_SET_PREFIX).then(|| Pending {
                created: time,
                name: name.to_owned(),
            })
        })
        .collect();
    pending.sort();
    Ok(pending)
}

/// Two runs that read the stack at the same instant both create a change set; each then
/// looks again, and the one whose change set is not the oldest gives way. Returns the
/// other run's change set this run must give way to.
pub fn gives_way_to(pending: &[Pending], own: &str) -> Option<String> {
    let first = pending.first()?;
    (first.name != own).then(|| first.describe())
}

/// Deletes a ROLLBACK_COMPLETE stack (nothing in it was kept) and waits until it is gone.
async fn delete_failed_stack(d: &StackDeploy<'_>) -> Result<()> {
    let (cfn, stack) = (&d.run.clients.cfn, d.target.stack.as_str());
    d.run.progress.say(
        stack,
        "deleting the ROLLBACK_COMPLETE stack (--replace-failed-stack)",
    );
    set_doing(d, format!("deleting the failed stack {stack}"));
    let out = cfn.delete_stack().stack_name(stack).send().await;
    out.map_err(|e| Error::aws("DeleteStack", e))?;
    loop {
        let described = outputs::describe(cfn, stack).await?;
        let status = described.and_then(|s| s.stack_status().map(|s| s.as_str().to_owned()));
        match status.as_deref() {
            None | Some("DELETE_COMPLETE") => return Ok(()),
            Some("DELETE_FAILED") => {
                return Err(Error::Unusable {
                    stack: stack.to_owned(),
                    status: "DELETE_FAILED".to_owned(),
                });
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(status: Option<&str>, pending: &[&str], replace: bool) -> Decision {
        let pending: Vec<String> = pending.iter().map(|s| (*s).to_owned()).collect();
        decide("infra-dev", status, &pending, replace)
    }

    #[test]
    fn new_and_reviewed_stacks_are_created_settled_ones_updated() {
        assert!(matches!(
            decision(None, &[], false),
            Decision::Go(Start::Create { exists: false })
        ));
        assert!(matches!(
            decision(Some("REVIEW_IN_PROGRESS"), &[], false),
            Decision::Go(Start::Create { exists: true })
        ));
        for settled in [
            "CREATE_COMPLETE",
            "UPDATE_COMPLETE",
            "UPDATE_ROLLBACK_COMPLETE",
        ] {
            assert!(matches!(
                decision(Some(settled), &[], false),
                Decision::Go(Start::Update)
            ));
        }
    }

    #[test]
    fn operations_in_progress_and_pending_change_sets_make_the_stack_busy() {
        for busy in [
            "CREATE_IN_PROGRESS",
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "DELETE_IN_PROGRESS",
        ] {
            let Decision::Busy(reason) = decision(Some(busy), &[], false) else {
                panic!("{busy} is not busy");
            };
            assert!(reason.contains(busy));
        }
        let other = ["infra-deploy-1-2-3-0 (created 2026-11-26T13:00:00Z)"];
        let Decision::Busy(reason) = decision(Some("UPDATE_COMPLETE"), &other, false) else {
            panic!("a pending change set does not lock");
        };
        assert!(
            reason.contains("--change-set-name infra-deploy-1-2-3-0`"),
            "{reason}"
        );
    }

    #[test]
    fn the_older_change_set_wins_a_race() {
        let set = |secs, name: &str| Pending {
            created: (secs, 0),
            name: name.to_owned(),
        };
        let mut both = vec![set(20, "infra-deploy-b"), set(10, "infra-deploy-a")];
        both.sort();
        assert_eq!(gives_way_to(&both, "infra-deploy-a"), None);
        let winner = gives_way_to(&both, "infra-deploy-b").expect("b gives way");
        assert!(winner.starts_with("infra-deploy-a (created 1970-01-01T00:00:10Z)"));
        let mut tie = vec![set(10, "infra-deploy-z"), set(10, "infra-deploy-y")];
        tie.sort();
        assert_eq!(gives_way_to(&tie, "infra-deploy-y"), None);
    }

    #[test]
    fn failed_states_are_explained() {
        let Decision::Refuse(err) = decision(Some("ROLLBACK_COMPLETE"), &[], false) else {
            panic!("ROLLBACK_COMPLETE deployed to");
        };
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("--replace-failed-stack"))
        );
        assert!(matches!(
            decision(Some("ROLLBACK_COMPLETE"), &[], true),
            Decision::Replace
        ));
        let Decision::Refuse(err) = decision(Some("UPDATE_ROLLBACK_FAILED"), &[], true) else {
            panic!("UPDATE_ROLLBACK_FAILED deployed to");
        };
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("continue-update-rollback"))
        );
    }
}

//! `infra-deploy deploy`: the planned stacks in dependency order, independent ones at
//! the same time (`--concurrency`), a failed stack stopping its dependents only; the
//! whole run bounded by `--timeout-secs` and stopped cleanly by SIGINT or SIGTERM; a
//! summary table at the end.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::task::JoinSet;

use crate::app::{self, Plan};
use crate::cli::DeployArgs;
use crate::client::Clients;
use crate::deploy::{self, Outcome, Run, StackDeploy, Track, Tracks};
use crate::error::{Error, Result};
use crate::progress::Progress;

/// Cleaning up after an interrupt or a timeout may take this long at most.
const CLEANUP: Duration = Duration::from_secs(30);

/// SIGINT and SIGTERM, caught from the start so that no prompt or wait can be killed
/// half-way.
#[derive(Debug)]
pub struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    pub fn install() -> std::io::Result<Self> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// The name of the next signal.
    pub async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}

/// How one stack's deploy ended, and how long it took.
#[derive(Debug)]
pub struct Finished {
    pub result: Result<Outcome>,
    pub secs: u64,
}

/// Why the run stopped before its stacks finished.
#[derive(Debug, Clone, Copy)]
enum Stop {
    Signal(&'static str),
    Timeout(u64),
}

/// Deploys the plan of `args`; returns the process exit code.
pub async fn deploy(args: DeployArgs, verbose: bool, signals: &mut Signals) -> Result<u8> {
    let plan = app::plan(&args.selection)?;
    let secs = args.connect.timeout_secs;
    let connect = tokio::time::timeout(Duration::from_secs(secs), Clients::new(&args.connect));
    let clients = tokio::select! {
        clients = connect => clients.map_err(|_| Error::Timeout {
            secs,
            doing: "while loading the AWS configuration".to_owned(),
        })??,
        _ = signals.recv() => return Err(Error::Interrupted),
    };
    let progress = Progress::new(plan.targets.len());
    let run = Arc::new(Run {
        clients,
        args,
        progress,
        run_id: deploy::run_id(),
        prompt: tokio::sync::Mutex::new(()),
        verbose,
    });
    let tracks: Tracks = Arc::new(Mutex::new(vec![Track::default(); plan.targets.len()]));
    let started = Instant::now();
    let mut results: Vec<Option<Finished>> = plan.targets.iter().map(|_| None).collect();
    let stop = tokio::select! {
        () = schedule(&run, &plan, &tracks, &mut results) => None,
        name = signals.recv() => Some(Stop::Signal(name)),
        () = tokio::time::sleep(Duration::from_secs(secs)) => Some(Stop::Timeout(secs)),
    };
    if let Some(stop) = stop {
        abort(&run, &plan, &tracks, stop, &mut results, signals).await;
        // A stopped stack ran (or waited) from the start to the stop.
        let secs = started.elapsed().as_secs();
        for finished in results.iter_mut().flatten().filter(|f| stopped(&f.result)) {
            finished.secs = secs;
        }
    }
    let results: Vec<Finished> = results
        .into_iter()
        .map(|r| r.unwrap_or_else(not_started))
        .collect();
    println!("{}", summary(&plan, &results));
    Ok(exit_code(&results))
}

fn stopped(result: &Result<Outcome>) -> bool {
    matches!(result, Err(Error::Interrupted | Error::Timeout { .. }))
}

fn not_started() -> Finished {
    Finished {
        result: Err(Error::Interrupted),
        secs: 0,
    }
}

/// Runs every stack whose dependencies deployed, up to `--concurrency` at a time, and
/// marks the dependents of a failed stack as skipped.
async fn schedule(run: &Arc<Run>, plan: &Plan, tracks: &Tracks, results: &mut [Option<Finished>]) {
    let limit = usize::from(run.args.concurrency);
    let mut started = vec![false; plan.targets.len()];
    let mut running: JoinSet<(usize, Finished)> = JoinSet::new();
    loop {
        skip_dependents(plan, &mut started, results);
        for (i, deps) in plan.deps.iter().enumerate() {
            if running.len() >= limit {
                break;
            }
            if !started[i] && deps.iter().all(|&d| deployed(&results[d])) {
                started[i] = true;
                running.spawn(one_stack(Arc::clone(run), plan, tracks, i));
            }
        }
        let Some(joined) = running.join_next().await else {
            return;
        };
        match joined {
            Ok((i, finished)) => {
                report(run, &plan.targets[i].stack, &finished.result);
                results[i] = Some(finished);
            }
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            Err(_) => {}
        }
    }
}

fn one_stack(
    run: Arc<Run>,
    plan: &Plan,
    tracks: &Tracks,
    index: usize,
) -> impl Future<Output = (usize, Finished)> + Send + 'static {
    let target = plan.targets[index].clone();
    let tracks = Arc::clone(tracks);
    async move {
        let started = Instant::now();
        let result = StackDeploy {
            run: &run,
            target: &target,
            tracks,
            index,
        }
        .run()
        .await;
        run.progress.finished(&target.stack);
        let secs = started.elapsed().as_secs();
        (index, Finished { result, secs })
    }
}

fn deployed(result: &Option<Finished>) -> bool {
    result.as_ref().is_some_and(|f| f.result.is_ok())
}

/// A stack not started whose dependency did not deploy is skipped (dependencies come
/// first in the plan, so one forward pass reaches every transitive dependent).
fn skip_dependents(plan: &Plan, started: &mut [bool], results: &mut [Option<Finished>]) {
    for i in 0..plan.targets.len() {
        let failed = plan.deps[i]
            .iter()
            .find(|&&d| results[d].as_ref().is_some_and(|f| f.result.is_err()));
        if let (false, Some(&d)) = (started[i], failed) {
            started[i] = true;
            results[i] = Some(Finished {
                result: Err(Error::DependencyFailed {
                    dependency: plan.targets[d].stack.clone(),
                }),
                secs: 0,
            });
        }
    }
}

/// Prints a stack's error when it happens: what failed, what to do, and with `-v` why.
fn report(run: &Run, stack: &str, result: &Result<Outcome>) {
    if let Err(err) = result {
        run.progress.warn(stack, &error_text(err, run.verbose));
    }
}

/// `error: ...`, then `  hint: ...` and, verbose, `  caused by: ...`.
pub fn error_text(err: &Error, verbose: bool) -> String {
    let mut text = format!("error: {err}");
    if let Some(hint) = err.hint() {
        text.push_str(&format!("\n  hint: {hint}"));
    }
    match err.detail() {
        Some(detail) if verbose => text.push_str(&format!("\n  caused by: {detail}")),
        Some(_) => text.push_str("\n  (-v shows the full error)"),
        None => {}
    }
    text
}

/// After an interrupt or the timeout: each stack that was not executed yet loses its
/// change set (and the empty stack that change set created); a stack CloudFormation is
/// already changing is left alone, with how to follow it.
async fn abort(
    run: &Run,
    plan: &Plan,
    tracks: &Tracks,
    stop: Stop,
    results: &mut [Option<Finished>],
    signals: &mut Signals,
) {
    let heading = match stop {
        Stop::Signal(name) => format!("{name}: stopping"),
        Stop::Timeout(secs) => format!("--timeout-secs {secs} reached: stopping"),
    };
    run.progress.say("-", &heading);
    let cleanup = async {
        for (i, target) in plan.targets.iter().enumerate() {
            if results[i].is_some() {
                continue;
            }
            let track = track_of(tracks, i);
            let text = stop_stack(run, tracks, i, &target.stack, &track).await;
            run.progress.say(&target.stack, &text);
            let result = Err(stop_error(stop, &track));
            if matches!(stop, Stop::Timeout(_)) {
                report(run, &target.stack, &result);
            }
            results[i] = Some(Finished { result, secs: 0 });
        }
    };
    tokio::select! {
        () = cleanup => {}
        name = signals.recv() => eprintln!("{name} again: cleanup abandoned"),
        () = tokio::time::sleep(CLEANUP) => eprintln!("cleanup took over {} s: abandoned", CLEANUP.as_secs()),
    }
}

fn track_of(tracks: &Tracks, index: usize) -> Track {
    let tracks = tracks.lock().unwrap_or_else(|e| e.into_inner());
    tracks.get(index).cloned().unwrap_or_default()
}

async fn stop_stack(run: &Run, tracks: &Tracks, i: usize, stack: &str, track: &Track) -> String {
    if track.executing {
        return goes_on(stack);
    }
    let said = deploy::discard(&run.clients.cfn, tracks, i, stack).await;
    if said.is_empty() {
        "stopped before creating a change set: nothing to undo".to_owned()
    } else {
        said.join("\n")
    }
}

/// What to tell about a stack CloudFormation is changing when this run stops.
fn goes_on(stack: &str) -> String {
    format!(
        "CloudFormation goes on with the operation on {stack}: this run leaves the stack as it \
         is. Follow it with `aws cloudformation describe-stack-events --stack-name {stack}` \
         (or in the console), and deploy again once it settles."
    )
}

fn stop_error(stop: Stop, track: &Track) -> Error {
    match stop {
        Stop::Signal(_) => Error::Interrupted,
        Stop::Timeout(secs) if track.doing.is_empty() => Error::Timeout {
            secs,
            doing: "before this stack started".to_owned(),
        },
        Stop::Timeout(secs) => Error::Timeout {
            secs,
            doing: format!("while {}", track.doing),
        },
    }
}

/// One row per stack: its result, its time, and the error when there is one.
pub fn summary(plan: &Plan, results: &[Finished]) -> String {
    let width = plan
        .targets
        .iter()
        .map(|t| t.stack.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut table = format!("{:<width$}  {:<32} {:>6}\n", "stack", "result", "time");
    for (target, finished) in plan.targets.iter().zip(results) {
        let (result, note) = match &finished.result {
            Ok(Outcome::NoChanges) => ("no changes".to_owned(), String::new()),
            Ok(Outcome::Deployed { status, changes }) => {
                (format!("{status} ({changes} change(s))"), String::new())
            }
            Err(err) => (result_word(err).to_owned(), first_line(err)),
        };
        let row = format!(
            "{:<width$}  {result:<22} {:>4} s  {note}",
            target.stack, finished.secs
        );
        table.push_str(row.trim_end());
        table.push('\n');
    }
    table.trim_end().to_owned()
}

fn result_word(err: &Error) -> &'static str {
    match err {
        Error::DependencyFailed { .. } => "skipped",
        Error::Interrupted => "interrupted",
        Error::Timeout { .. } => "timed out",
        Error::DataLoss { .. } | Error::NeedsYes | Error::Declined => "refused",
        Error::Busy { .. } => "busy",
        _ => "failed",
    }
}

fn first_line(err: &Error) -> String {
    err.to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// 130 when interrupted; otherwise 1 when a stack failed or was skipped, 3 when a
/// change set was refused for data loss, 2 when a stack could not be deployed at all
/// (busy, bad state, credentials, timeout), 0 when every stack deployed or was unchanged.
pub fn exit_code(results: &[Finished]) -> u8 {
    let codes: Vec<u8> = results
        .iter()
        .filter_map(|f| f.result.as_ref().err())
        .map(Error::exit_code)
        .collect();
    [130, 1, 3, 2]
        .into_iter()
        .find(|c| codes.contains(c))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(result: Result<Outcome>) -> Finished {
        Finished { result, secs: 0 }
    }

    #[test]
    fn the_exit_code_says_what_happened() {
        let ok = || finished(Ok(Outcome::NoChanges));
        let loss = || {
            finished(Err(Error::DataLoss {
                resources: Vec::new(),
            }))
        };
        let failed = || {
            let dependency = "a".to_owned();
            finished(Err(Error::DependencyFailed { dependency }))
        };
        assert_eq!(exit_code(&[ok(), ok()]), 0);
        assert_eq!(exit_code(&[ok(), loss()]), 3);
        assert_eq!(exit_code(&[loss(), failed()]), 1);
        assert_eq!(
            exit_code(&[failed(), finished(Err(Error::Interrupted))]),
            130
        );
    }

    #[test]
    fn a_stop_says_what_it_stopped() {
        let executing = Track {
            doing: "waiting for stack a-dev to settle".to_owned(),
            executing: true,
            ..Track::default()
        };
        let err = stop_error(Stop::Timeout(9), &executing);
        assert_eq!(
            err.to_string(),
            "timed out after 9 s while waiting for stack a-dev to settle"
        );
        assert!(matches!(
            stop_error(Stop::Signal("SIGTERM"), &executing),
            Error::Interrupted
        ));
        assert!(goes_on("a-dev").contains("describe-stack-events --stack-name a-dev"));
    }
}

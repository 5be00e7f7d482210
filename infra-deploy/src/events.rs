//! Following a stack operation through its events until the stack settles.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::primitives::DateTimeFormat;
use aws_sdk_cloudformation::types::StackEvent;

use crate::error::{Error, Result};

/// How often the stack is polled.
const POLL: Duration = Duration::from_secs(2);
/// At most this many pages of events are read per poll (100 events a page).
const MAX_PAGES: usize = 20;

/// Remembers which events were printed, and the failures among them.
#[derive(Debug, Default)]
pub struct EventWatcher {
    stack: String,
    newest: Option<String>,
    /// `LogicalId (Type) STATUS: reason` of every failed resource seen.
    pub failures: Vec<String>,
}

impl EventWatcher {
    /// A watcher that skips the events `stack` already has.
    pub async fn start(cfn: &Client, stack: &str) -> Result<Self> {
        let mut watcher = EventWatcher {
            stack: stack.to_owned(),
            ..EventWatcher::default()
        };
        let page = cfn.describe_stack_events().stack_name(stack).send().await;
        let page = page.map_err(|e| Error::aws("DescribeStackEvents", e))?;
        watcher.newest = page
            .stack_events()
            .first()
            .and_then(|e| e.event_id().map(str::to_owned));
        Ok(watcher)
    }

    /// The events since the last call, oldest first.
    pub async fn poll(&mut self, cfn: &Client) -> Result<Vec<StackEvent>> {
        let mut fresh = Vec::new();
        let mut token = None;
        'pages: for _ in 0..MAX_PAGES {
            let request = cfn.describe_stack_events().stack_name(&self.stack);
            let page = request.set_next_token(token).send().await;
            let page = page.map_err(|e| Error::aws("DescribeStackEvents", e))?;
            for event in page.stack_events() {
                if event.event_id().is_some() && event.event_id() == self.newest.as_deref() {
                    break 'pages;
                }
                fresh.push(event.clone());
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        if let Some(newest) = fresh.first() {
            self.newest = newest.event_id().map(str::to_owned);
        }
        fresh.reverse();
        self.failures.extend(fresh.iter().filter_map(failure_line));
        Ok(fresh)
    }
}

/// `RecordingsBucket (AWS::S3::Bucket) CREATE_FAILED: reason` for a failed event.
fn failure_line(event: &StackEvent) -> Option<String> {
    let status = event.resource_status()?.as_str();
    if !status.ends_with("_FAILED") {
        return None;
    }
    Some(format!(
        "{} ({}) {status}: {}",
        event.logical_resource_id().unwrap_or("?"),
        event.resource_type().unwrap_or("?"),
        event.resource_status_reason().unwrap_or("no reason given"),
    ))
}

/// One plain line per event.
pub fn event_line(event: &StackEvent) -> String {
    let time = event
        .timestamp()
        .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
        .unwrap_or_default();
    let mut line = format!(
        "{time}  {:<28} {:<40} {}",
        event.resource_status().map_or("?", |s| s.as_str()),
        event.logical_resource_id().unwrap_or("?"),
        event.resource_type().unwrap_or("?"),
    );
    if let Some(reason) = event.resource_status_reason() {
        line = format!("{line}  {reason}");
    }
    line
}

/// The stack's current status, such as `UPDATE_IN_PROGRESS`.
pub async fn stack_status(cfn: &Client, stack: &str) -> Result<String> {
    let out = cfn.describe_stacks().stack_name(stack).send().await;
    let out = out.map_err(|e| Error::aws("DescribeStacks", e))?;
    let status = out.stacks().first().and_then(|s| s.stack_status());
    Ok(status.map_or("UNKNOWN", |s| s.as_str()).to_owned())
}

/// Prints events as they arrive until the stack leaves every `*_IN_PROGRESS` status or
/// `timeout` passes; returns the final status. A one-line progress status is kept at the
/// bottom when standard output is a terminal.
pub async fn follow(cfn: &Client, watcher: &mut EventWatcher, timeout: Duration) -> Result<String> {
    let started = Instant::now();
    let tty = std::io::stdout().is_terminal();
    loop {
        let status = stack_status(cfn, &watcher.stack).await?;
        let events = watcher.poll(cfn).await?;
        if tty {
            print!("\r\x1b[2K");
        }
        for event in &events {
            println!("{}", event_line(event));
        }
        if !status.ends_with("_IN_PROGRESS") {
            return Ok(status);
        }
        if started.elapsed() >= timeout {
            return Err(Error::Timeout {
                stack: watcher.stack.clone(),
                secs: timeout.as_secs(),
                status,
            });
        }
        if tty {
            print!(
                "{} {status} ({} s)",
                watcher.stack,
                started.elapsed().as_secs()
            );
            let _ = std::io::stdout().flush();
        }
        tokio::time::sleep(POLL).await;
    }
}

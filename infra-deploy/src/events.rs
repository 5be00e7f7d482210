//! Following a stack operation through its events until the stack settles.

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::primitives::DateTimeFormat;
use aws_sdk_cloudformation::types::StackEvent;

use crate::error::{Error, Result};
use crate::progress::Progress;

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

/// Prints events as they arrive until the stack leaves every `*_IN_PROGRESS` status;
/// returns the final status. The whole command's `--timeout-secs` bounds the wait.
pub async fn follow(
    cfn: &Client,
    watcher: &mut EventWatcher,
    progress: &Progress,
) -> Result<String> {
    loop {
        let status = stack_status(cfn, &watcher.stack).await?;
        let events = watcher.poll(cfn).await?;
        let lines: Vec<String> = events.iter().map(event_line).collect();
        if !lines.is_empty() {
            progress.say(&watcher.stack, &lines.join("\n"));
        }
        if !status.ends_with("_IN_PROGRESS") {
            return Ok(status);
        }
        progress.status(&watcher.stack, &status);
        tokio::time::sleep(POLL).await;
    }
}

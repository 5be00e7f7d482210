//! One stack through a change set: read the stack's status (refuse, wait or replace as
//! it requires), create a change set under this run's unique name, print its changes
//! with replacement and data loss marked, refuse data loss unless allowed, confirm,
//! execute, follow the events, write the outputs.
//!
//! Every step records what it is doing in the stack's [`Track`], so that an interrupt
//! or the command's timeout can say what it stopped, and undo what was not executed
//! ([`discard`]).

use std::io::{BufRead, IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{Capability, ChangeSetStatus, ChangeSetType, TemplateStage};

use crate::app::Target;
use crate::changes::{self, PlannedChange};
use crate::cli::DeployArgs;
use crate::client::Clients;
use crate::error::{Error, Result};
use crate::events::{self, EventWatcher};
use crate::outputs;
use crate::progress::Progress;
use crate::status::{self, Start};
use crate::template::{INLINE_LIMIT, LocalTemplate};

/// How often a change set being created is polled.
const POLL: Duration = Duration::from_secs(2);

/// What every stack of one run shares.
#[derive(Debug)]
pub struct Run {
    pub clients: Clients,
    pub args: DeployArgs,
    pub progress: Progress,
    /// Unique per run, so that concurrent deploys never share a change set name.
    pub run_id: String,
    /// One prompt at a time.
    pub prompt: tokio::sync::Mutex<()>,
    /// Errors carry their full chain of causes.
    pub verbose: bool,
}

/// Where one stack's deploy is, for interrupts and timeouts.
#[derive(Debug, Default, Clone)]
pub struct Track {
    /// `waiting for change set X`, to finish "timed out after N s ...".
    pub doing: String,
    /// The change set this run created and has not executed or deleted.
    pub change_set: Option<String>,
    /// This run's change set created the stack (it is REVIEW_IN_PROGRESS and empty).
    pub created_stack: bool,
    /// The change set was executed: CloudFormation owns the stack now.
    pub executing: bool,
    pub finished: bool,
}

/// The tracks of a run's stacks, by target index.
pub type Tracks = Arc<Mutex<Vec<Track>>>;

/// How a stack's deploy ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    NoChanges,
    Deployed { status: String, changes: usize },
}

/// Where the template goes: inline, or uploaded to S3.
#[derive(Debug)]
enum Source {
    Body(String),
    Url(String),
}

/// A stack's deploy, its steps recorded in `tracks[index]`.
#[derive(Debug)]
pub struct StackDeploy<'a> {
    pub run: &'a Run,
    pub target: &'a Target,
    pub tracks: Tracks,
    pub index: usize,
}

impl StackDeploy<'_> {
    fn cfn(&self) -> &Client {
        &self.run.clients.cfn
    }

    fn stack(&self) -> &str {
        &self.target.stack
    }

    fn track(&self, f: impl FnOnce(&mut Track)) {
        let mut tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(track) = tracks.get_mut(self.index) {
            f(track);
        }
    }

    fn doing(&self, what: String) {
        self.track(|t| t.doing = what);
    }

    fn say(&self, text: &str) {
        self.run.progress.say(self.stack(), text);
    }

    /// The whole deploy of the stack; see the module docs. Whatever fails before the
    /// change set runs, the change set (and the empty stack it created) is removed.
    pub async fn run(&self) -> Result<Outcome> {
        let result = self.deploy().await;
        if result.is_err() && !self.executing() {
            let said = discard(self.cfn(), &self.tracks, self.index, self.stack()).await;
            self.say(&said.join("\n"));
        }
        self.track(|t| t.finished = true);
        result
    }

    async fn deploy(&self) -> Result<Outcome> {
        let template = self.target.template.as_ref().ok_or(Error::NoSelection)?;
        let (start, id) = self.claim(template).await?;
        let deployed = match start {
            Start::Update => self.deployed_template().await?,
            Start::Create { .. } => None,
        };
        self.review_and_execute(template, deployed.as_ref(), &id)
            .await
    }

    /// Waits until the stack is free and creates this run's change set. Two runs that
    /// found it free at the same instant both get this far: the one whose change set is
    /// younger gives way (then waits, with --wait-for-lock, or refuses as busy).
    async fn claim(&self, template: &LocalTemplate) -> Result<(Start, String)> {
        let own = change_set_name(&self.run.run_id, self.index);
        loop {
            let start = status::prepare(self).await?;
            let id = self.create_change_set(template, &start).await?;
            let pending = status::pending(self.cfn(), self.stack()).await?;
            let Some(other) = status::gives_way_to(&pending, &own) else {
                return Ok((start, id));
            };
            // The other run's change set lives on the stack: never delete the stack.
            self.track(|t| t.created_stack = false);
            let said = discard(self.cfn(), &self.tracks, self.index, self.stack()).await;
            self.say(&said.join("\n"));
            let reason = format!("{other} of another deploy was created first");
            if !self.run.args.wait_for_lock {
                let stack = self.stack().to_owned();
                return Err(Error::Busy { stack, reason });
            }
        }
    }

    fn executing(&self) -> bool {
        let tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        tracks.get(self.index).is_some_and(|t| t.executing)
    }

    async fn review_and_execute(
        &self,
        template: &LocalTemplate,
        deployed: Option<&LocalTemplate>,
        id: &str,
    ) -> Result<Outcome> {
        let Some(mut changes) = self.wait_for_change_set(id).await? else {
            self.say("no changes");
            discard(self.cfn(), &self.tracks, self.index, self.stack()).await;
            self.save_outputs().await?;
            return Ok(Outcome::NoChanges);
        };
        changes::assess(
            &mut changes,
            template,
            deployed,
            infra_check::Registry::aws(),
        );
        let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
        self.say(&format!(
            "{} change(s):\n  {}",
            changes.len(),
            lines.join("\n  ")
        ));
        self.approve(&changes).await?;
        let status = self.execute(id).await?;
        self.save_outputs().await?;
        Ok(Outcome::Deployed {
            status,
            changes: changes.len(),
        })
    }

    /// The template the stack runs now, when it can be read as JSON.
    async fn deployed_template(&self) -> Result<Option<LocalTemplate>> {
        self.doing(format!("reading the deployed template of {}", self.stack()));
        let request = self.cfn().get_template().stack_name(self.stack());
        let out = request.template_stage(TemplateStage::Original).send().await;
        let out = out.map_err(|e| Error::aws("GetTemplate", e))?;
        let body = out.template_body().unwrap_or_default().to_owned();
        Ok(LocalTemplate::parse(body).ok())
    }

    /// Creates the change set and returns its ID (an ARN).
    async fn create_change_set(&self, template: &LocalTemplate, start: &Start) -> Result<String> {
        let name = change_set_name(&self.run.run_id, self.index);
        let source = self.template_source(template, &name).await?;
        let kind = match start {
            Start::Create { .. } => ChangeSetType::Create,
            Start::Update => ChangeSetType::Update,
        };
        self.doing(format!("creating change set {name} on {}", self.stack()));
        let mut request = self
            .cfn()
            .create_change_set()
            .stack_name(self.stack())
            .change_set_name(&name)
            .change_set_type(kind.clone())
            .capabilities(Capability::CapabilityNamedIam)
            .set_role_arn(self.run.args.role_arn.clone())
            .description(format!("infra-deploy {}", self.target.origin));
        request = match source {
            Source::Body(body) => request.template_body(body),
            Source::Url(url) => request.template_url(url),
        };
        let out = request
            .send()
            .await
            .map_err(|e| Error::aws("CreateChangeSet", e))?;
        let id = out.id().unwrap_or(&name).to_owned();
        let created = matches!(start, Start::Create { exists: false });
        self.track(|t| {
            t.change_set = Some(id.clone());
            t.created_stack = created;
        });
        self.say(&format!(
            "change set {name} ({}) on stack {}",
            kind.as_str(),
            self.stack()
        ));
        Ok(id)
    }

    /// The body inline when it fits, otherwise uploaded to `--template-bucket`.
    async fn template_source(&self, template: &LocalTemplate, change_set: &str) -> Result<Source> {
        let bytes = template.body.len();
        if bytes <= INLINE_LIMIT {
            return Ok(Source::Body(template.body.clone()));
        }
        let args = &self.run.args;
        let bucket = args
            .template_bucket
            .as_deref()
            .ok_or(Error::NeedsTemplateBucket { bytes })?;
        let key = format!("infra-deploy/{}/{change_set}.json", self.stack());
        self.doing(format!(
            "uploading the template of {} to s3://{bucket}/{key}",
            self.stack()
        ));
        let put = self.run.clients.s3.put_object().bucket(bucket).key(&key);
        let body = aws_sdk_s3::primitives::ByteStream::from(template.body.clone().into_bytes());
        let put = put.content_type("application/json").body(body).send().await;
        put.map_err(|e| Error::aws("PutObject (template upload)", e))?;
        let region = &self.run.clients.region;
        self.say(&format!(
            "uploaded the template ({bytes} bytes) to s3://{bucket}/{key}"
        ));
        Ok(Source::Url(format!(
            "https://{bucket}.s3.{region}.amazonaws.com/{key}"
        )))
    }

    /// Waits until the change set is created: its changes, or `None` when it changes
    /// nothing.
    async fn wait_for_change_set(&self, id: &str) -> Result<Option<Vec<PlannedChange>>> {
        self.doing(format!("waiting for change set {id}"));
        loop {
            let out = self
                .cfn()
                .describe_change_set()
                .change_set_name(id)
                .send()
                .await;
            let out = out.map_err(|e| Error::aws("DescribeChangeSet", e))?;
            let reason = out.status_reason().unwrap_or_default().to_owned();
            match out.status() {
                Some(ChangeSetStatus::CreateComplete) => {
                    return Ok(Some(all_changes(self.cfn(), id).await?));
                }
                Some(ChangeSetStatus::Failed) if is_no_change(&reason) => return Ok(None),
                Some(ChangeSetStatus::Failed) => {
                    let name = out.change_set_name().unwrap_or(id).to_owned();
                    return Err(Error::ChangeSetFailed { name, reason });
                }
                _ => tokio::time::sleep(POLL).await,
            }
        }
    }

    /// Refuses data loss unless allowed, then asks for confirmation unless `--yes`.
    async fn approve(&self, changes: &[PlannedChange]) -> Result<()> {
        let args = &self.run.args;
        let losses = changes::data_losses(changes);
        if !losses.is_empty() {
            if !args.allow_data_loss {
                return Err(Error::DataLoss { resources: losses });
            }
            self.say(&format!(
                "warning: --allow-data-loss: data of {} will be lost",
                losses.join(", ")
            ));
        }
        if args.yes {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() {
            return Err(Error::NeedsYes);
        }
        self.doing(format!(
            "waiting for a confirmation to deploy {}",
            self.stack()
        ));
        let _turn = self.run.prompt.lock().await;
        let question = format!("Execute this change set on {}? [y/N] ", self.stack());
        if ask(&self.run.progress, question).await {
            Ok(())
        } else {
            Err(Error::Declined)
        }
    }

    /// Executes the change set and follows the stack until it settles.
    async fn execute(&self, id: &str) -> Result<String> {
        let cfn = self.cfn();
        let mut watcher = EventWatcher::start(cfn, self.stack()).await?;
        self.doing(format!("executing change set {id}"));
        // From here on CloudFormation owns the stack: an interrupt must leave it alone.
        self.track(|t| t.executing = true);
        let out = cfn.execute_change_set().change_set_name(id).send().await;
        if let Err(err) = out {
            // Refused: nothing runs, so the change set is still this run's to delete.
            self.track(|t| t.executing = false);
            return Err(Error::aws("ExecuteChangeSet", err));
        }
        self.track(|t| t.change_set = None);
        self.doing(format!("waiting for stack {} to settle", self.stack()));
        let status = events::follow(cfn, &mut watcher, &self.run.progress).await?;
        self.say(&format!("stack {}: {status}", self.stack()));
        if matches!(
            status.as_str(),
            "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE"
        ) {
            return Ok(status);
        }
        Err(Error::StackFailed {
            stack: self.stack().to_owned(),
            status,
            failures: watcher.failures,
        })
    }

    /// Writes the outputs to `<outputs-dir>/<stack>.json` (or `--outputs-file`).
    async fn save_outputs(&self) -> Result<()> {
        self.doing(format!("reading the outputs of {}", self.stack()));
        let Some(stack) = outputs::describe(self.cfn(), self.stack()).await? else {
            return Ok(());
        };
        let outputs = outputs::of_stack(&stack);
        let args = &self.run.args;
        let default = args.outputs_dir.join(format!("{}.json", self.stack()));
        let path = args.outputs_file.as_deref().unwrap_or(&default);
        outputs::write(path, &outputs)?;
        let json = outputs::to_json(&outputs);
        self.say(&format!(
            "outputs ({}):\n{}",
            path.display(),
            json.trim_end()
        ));
        Ok(())
    }
}

/// Asks `question` on the terminal; the read runs off the runtime so that a signal
/// can still be handled while the prompt waits.
async fn ask(progress: &Progress, question: String) -> bool {
    progress.prompting(true);
    let answer = tokio::task::spawn_blocking(move || {
        print!("{question}");
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        answer
    })
    .await
    .unwrap_or_default();
    progress.prompting(false);
    matches!(answer.trim(), "y" | "Y" | "yes")
}

/// `infra-deploy-<run id>-<stack index>`: a valid change set name, unique per run and
/// stack, and recognisable as ours by other runs.
pub fn change_set_name(run_id: &str, index: usize) -> String {
    format!("{}{run_id}-{index}", status::CHANGE_SET_PREFIX)
}

/// `<unix seconds>-<pid>-<random>`: two runs started in the same second differ.
pub fn run_id() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let salt = now.subsec_nanos() ^ std::process::id().rotate_left(16);
    format!("{}-{}-{salt:08x}", now.as_secs(), std::process::id())
}

/// CloudFormation's wording for a change set that changes nothing.
fn is_no_change(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

/// Every change of the change set, across pages.
async fn all_changes(cfn: &Client, id: &str) -> Result<Vec<PlannedChange>> {
    let mut changes = Vec::new();
    let mut token = None;
    loop {
        let request = cfn.describe_change_set().change_set_name(id);
        let out = request.set_next_token(token).send().await;
        let out = out.map_err(|e| Error::aws("DescribeChangeSet", e))?;
        let page = out.changes().iter().filter_map(|c| c.resource_change());
        changes.extend(page.map(PlannedChange::from_sdk));
        token = out.next_token().map(str::to_owned);
        if token.is_none() {
            return Ok(changes);
        }
    }
}

/// Undoes what a run did to a stack before executing anything: deletes its change set
/// and, when that change set created the stack, the empty REVIEW_IN_PROGRESS stack.
/// Failures are only reported: there is nothing more to do about them here.
pub async fn discard(cfn: &Client, tracks: &Tracks, index: usize, stack: &str) -> Vec<String> {
    let track = {
        let mut tracks = tracks.lock().unwrap_or_else(|e| e.into_inner());
        tracks
            .get_mut(index)
            .map(std::mem::take)
            .unwrap_or_default()
    };
    let mut said = Vec::new();
    if let Some(id) = &track.change_set {
        match cfn.delete_change_set().change_set_name(id).send().await {
            Ok(_) => said.push(format!("deleted change set {id}")),
            Err(e) => said.push(format!("warning: {}", Error::aws("DeleteChangeSet", e))),
        }
    }
    if track.created_stack {
        match cfn.delete_stack().stack_name(stack).send().await {
            Ok(_) => said.push(format!(
                "deleted the empty stack {stack} (REVIEW_IN_PROGRESS)"
            )),
            Err(e) => said.push(format!("warning: {}", Error::aws("DeleteStack", e))),
        }
    }
    said
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_empty_change_sets() {
        assert!(is_no_change(
            "The submitted information didn't contain changes. Submit different information \
             to create a change set."
        ));
        assert!(is_no_change("No updates are to be performed."));
        assert!(!is_no_change("Template format error"));
    }

    #[test]
    fn change_set_names_are_valid_and_unique_per_run() {
        let first = change_set_name(&run_id(), 0);
        std::thread::sleep(Duration::from_millis(2));
        let second = change_set_name(&run_id(), 0);
        assert_ne!(first, second);
        for name in [&first, &second] {
            assert!(name.starts_with("infra-deploy-"));
            assert!(name.len() <= 128);
            assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        }
    }
}

//! `infra-deploy deploy`: one template, one stack, through a change set.

use std::io::{BufRead, IsTerminal, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{Capability, ChangeSetStatus, ChangeSetType, TemplateStage};

use crate::changes::{self, PlannedChange};
use crate::cli::DeployArgs;
use crate::client::Clients;
use crate::error::{Error, Result};
use crate::events::{self, EventWatcher};
use crate::outputs;
use crate::template::{INLINE_LIMIT, LocalTemplate};

/// How often a change set being created is polled.
const POLL: Duration = Duration::from_secs(2);

/// Where the template goes: inline, or uploaded to S3.
#[derive(Debug)]
enum Source {
    Body(String),
    Url(String),
}

/// What a change set turned out to be.
#[derive(Debug)]
enum Plan {
    NoChanges,
    Changes(Vec<PlannedChange>),
}

/// Deploys `args.template` to `args.stack_name`; see the crate docs for the flow.
pub async fn run(args: &DeployArgs) -> Result<()> {
    let template = LocalTemplate::read(&args.template)?;
    let clients = Clients::new(&args.connect).await;
    let cfn = &clients.cfn;
    let stack = &args.stack_name;
    let deadline = Duration::from_secs(args.timeout_secs);
    let kind = change_set_type(outputs::describe(cfn, stack).await?.as_ref());
    let deployed = match kind {
        ChangeSetType::Create => None,
        _ => deployed_template(cfn, stack).await?,
    };
    let name = change_set_name();
    let source = template_source(&clients, args, &template, &name).await?;
    let id = create_change_set(cfn, args, kind.clone(), source, &name).await?;
    println!("change set {name} ({}) on stack {stack}", kind.as_str());
    let mut changes = match wait_for_change_set(cfn, &id, &name, deadline).await? {
        Plan::NoChanges => return finish_without_changes(cfn, &id, args).await,
        Plan::Changes(changes) => changes,
    };
    changes::assess(
        &mut changes,
        &template,
        deployed.as_ref(),
        infra_check::Registry::aws(),
    );
    print_changes(&changes);
    if let Err(err) = approve(args, &changes) {
        delete_change_set(cfn, &id).await;
        return Err(err);
    }
    execute(cfn, &id, stack, deadline).await?;
    save_outputs(cfn, args).await
}

/// `CREATE` for a stack that does not exist or was only ever reviewed, `UPDATE` otherwise.
fn change_set_type(stack: Option<&aws_sdk_cloudformation::types::Stack>) -> ChangeSetType {
    let status = stack.and_then(|s| s.stack_status()).map(|s| s.as_str());
    match status {
        None | Some("REVIEW_IN_PROGRESS") => ChangeSetType::Create,
        Some(_) => ChangeSetType::Update,
    }
}

/// The template the stack runs now, when it can be read as JSON.
async fn deployed_template(cfn: &Client, stack: &str) -> Result<Option<LocalTemplate>> {
    let request = cfn.get_template().stack_name(stack);
    let out = request.template_stage(TemplateStage::Original).send().await;
    let out = out.map_err(|e| Error::aws("GetTemplate", e))?;
    let body = out.template_body().unwrap_or_default().to_owned();
    Ok(LocalTemplate::parse(body).ok())
}

/// `infra-deploy-<unix seconds>`: unique enough per stack, and a valid change set name.
fn change_set_name() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("infra-deploy-{secs}")
}

/// The body inline when it fits, otherwise uploaded to `--template-bucket`.
async fn template_source(
    clients: &Clients,
    args: &DeployArgs,
    template: &LocalTemplate,
    change_set: &str,
) -> Result<Source> {
    let bytes = template.body.len();
    if bytes <= INLINE_LIMIT {
        return Ok(Source::Body(template.body.clone()));
    }
    let bucket = args
        .template_bucket
        .as_deref()
        .ok_or(Error::NeedsTemplateBucket { bytes })?;
    let key = format!("infra-deploy/{}/{change_set}.json", args.stack_name);
    let put = clients.s3.put_object().bucket(bucket).key(&key);
    let body = aws_sdk_s3::primitives::ByteStream::from(template.body.clone().into_bytes());
    let put = put.content_type("application/json").body(body).send().await;
    put.map_err(|e| Error::aws("PutObject (template upload)", e))?;
    let region = clients.region.as_deref().unwrap_or("us-east-1");
    println!("uploaded the template ({bytes} bytes) to s3://{bucket}/{key}");
    Ok(Source::Url(format!(
        "https://{bucket}.s3.{region}.amazonaws.com/{key}"
    )))
}

/// Creates the change set and returns its ID (an ARN).
async fn create_change_set(
    cfn: &Client,
    args: &DeployArgs,
    kind: ChangeSetType,
    source: Source,
    name: &str,
) -> Result<String> {
    let mut request = cfn
        .create_change_set()
        .stack_name(&args.stack_name)
        .change_set_name(name)
        .change_set_type(kind)
        .capabilities(Capability::CapabilityNamedIam)
        .set_role_arn(args.role_arn.clone())
        .description(format!("infra-deploy {}", args.template.display()));
    request = match source {
        Source::Body(body) => request.template_body(body),
        Source::Url(url) => request.template_url(url),
    };
    let out = request.send().await;
    let out = out.map_err(|e| Error::aws("CreateChangeSet", e))?;
    Ok(out.id().unwrap_or(name).to_owned())
}

/// Waits until the change set is created; a change set that failed because nothing
/// changed is [`Plan::NoChanges`].
async fn wait_for_change_set(
    cfn: &Client,
    id: &str,
    name: &str,
    deadline: Duration,
) -> Result<Plan> {
    let started = Instant::now();
    loop {
        let out = cfn.describe_change_set().change_set_name(id).send().await;
        let out = out.map_err(|e| Error::aws("DescribeChangeSet", e))?;
        let reason = out.status_reason().unwrap_or_default().to_owned();
        match out.status() {
            Some(ChangeSetStatus::CreateComplete) => {
                return Ok(Plan::Changes(all_changes(cfn, id).await?));
            }
            Some(ChangeSetStatus::Failed) if is_no_change(&reason) => return Ok(Plan::NoChanges),
            Some(ChangeSetStatus::Failed) => {
                delete_change_set(cfn, id).await;
                let name = name.to_owned();
                return Err(Error::ChangeSetFailed { name, reason });
            }
            _ if started.elapsed() >= deadline => {
                let status = out.status().map_or("?", |s| s.as_str()).to_owned();
                let stack = out.stack_name().unwrap_or_default().to_owned();
                return Err(Error::Timeout {
                    stack,
                    secs: deadline.as_secs(),
                    status: format!("change set {status}"),
                });
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
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

/// Deletes a change set that will not be executed; a failure here is only reported.
async fn delete_change_set(cfn: &Client, id: &str) {
    if let Err(err) = cfn.delete_change_set().change_set_name(id).send().await {
        eprintln!("warning: {}", Error::aws("DeleteChangeSet", err));
    }
}

/// "no changes": delete the change set, still write the outputs of an existing stack.
async fn finish_without_changes(cfn: &Client, id: &str, args: &DeployArgs) -> Result<()> {
    println!("no changes");
    delete_change_set(cfn, id).await;
    save_outputs(cfn, args).await
}

fn print_changes(changes: &[PlannedChange]) {
    println!("{} change(s):", changes.len());
    for change in changes {
        println!("  {change}");
    }
}

/// Refuses data loss unless allowed, then asks for confirmation unless `--yes`.
fn approve(args: &DeployArgs, changes: &[PlannedChange]) -> Result<()> {
    let losses = changes::data_losses(changes);
    if !losses.is_empty() {
        if !args.allow_data_loss {
            return Err(Error::DataLoss { resources: losses });
        }
        eprintln!(
            "warning: --allow-data-loss: data of {} will be lost",
            losses.join(", ")
        );
    }
    if args.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::NeedsYes);
    }
    print!("Execute this change set on {}? [y/N] ", args.stack_name);
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    match answer.trim() {
        "y" | "Y" | "yes" => Ok(()),
        _ => Err(Error::Declined),
    }
}

/// Executes the change set and follows the stack until it settles.
async fn execute(cfn: &Client, id: &str, stack: &str, deadline: Duration) -> Result<()> {
    let mut watcher = EventWatcher::start(cfn, stack).await?;
    let out = cfn.execute_change_set().change_set_name(id).send().await;
    out.map_err(|e| Error::aws("ExecuteChangeSet", e))?;
    let status = events::follow(cfn, &mut watcher, deadline).await?;
    println!("stack {stack}: {status}");
    if matches!(
        status.as_str(),
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE"
    ) {
        return Ok(());
    }
    Err(Error::StackFailed {
        stack: stack.to_owned(),
        status,
        failures: watcher.failures,
    })
}

/// Writes the outputs to `--outputs-file` (default `.infra/outputs/<stack>.json`) and
/// prints them.
async fn save_outputs(cfn: &Client, args: &DeployArgs) -> Result<()> {
    let Some(stack) = outputs::describe(cfn, &args.stack_name).await? else {
        return Ok(());
    };
    let outputs = outputs::of_stack(&stack);
    let default = outputs::default_path(&args.stack_name);
    let path = args.outputs_file.as_deref().unwrap_or(&default);
    outputs::write(path, &outputs)?;
    println!("outputs ({}):", path.display());
    print!("{}", outputs::to_json(&outputs));
    Ok(())
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
    fn reviewed_stacks_are_created() {
        use aws_sdk_cloudformation::types::{Stack, StackStatus};
        let stack = |status| Stack::builder().stack_status(status).build();
        let review = stack(StackStatus::ReviewInProgress);
        assert_eq!(change_set_type(None), ChangeSetType::Create);
        assert_eq!(change_set_type(Some(&review)), ChangeSetType::Create);
        let live = stack(StackStatus::UpdateComplete);
        assert_eq!(change_set_type(Some(&live)), ChangeSetType::Update);
    }

    #[test]
    fn change_set_names_are_valid() {
        let name = change_set_name();
        assert!(name.starts_with("infra-deploy-"));
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}

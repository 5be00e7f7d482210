//! `infra-deploy template`: the template a stack was deployed with (`GetTemplate`),
//! printed as CloudFormation returns it, for `cargo xtask import --stack`. The same
//! clients, timeouts and errors as a deploy.

use std::time::Duration;

use aws_sdk_cloudformation::types::TemplateStage;

use crate::cli::TemplateArgs;
use crate::client::Clients;
use crate::error::{Error, Result};
use crate::outputs::describe;

/// The body of the stack's template, at the requested stage.
pub async fn run(args: &TemplateArgs) -> Result<String> {
    let secs = args.connect.timeout_secs;
    let bounded = tokio::time::timeout(Duration::from_secs(secs), fetch(args));
    bounded.await.map_err(|_| Error::Timeout {
        secs,
        doing: format!("while reading the template of stack {}", args.stack_name),
    })?
}

async fn fetch(args: &TemplateArgs) -> Result<String> {
    let clients = Clients::new(&args.connect).await?;
    let stack = &args.stack_name;
    // GetTemplate says only "ValidationError" for a missing stack; DescribeStacks
    // tells it apart from other errors.
    if describe(&clients.cfn, stack).await?.is_none() {
        return Err(Error::NoStack {
            stack: stack.clone(),
        });
    }
    let stage = TemplateStage::from(args.template_stage.as_str());
    let out = clients
        .cfn
        .get_template()
        .stack_name(stack)
        .template_stage(stage)
        .send()
        .await
        .map_err(|err| Error::aws("GetTemplate", err))?;
    out.template_body.ok_or_else(|| Error::NoStack {
        stack: stack.clone(),
    })
}

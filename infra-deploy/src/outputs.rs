//! Stack outputs: read, written to a JSON file, checked against the expected names.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::Stack;

use crate::app;
use crate::cli::OutputsArgs;
use crate::client::Clients;
use crate::error::{Error, Result};

/// Output name to value, sorted by name.
pub type Outputs = BTreeMap<String, String>;

/// The stack, or `None` when it does not exist.
pub async fn describe(cfn: &Client, stack: &str) -> Result<Option<Stack>> {
    match cfn.describe_stacks().stack_name(stack).send().await {
        Ok(out) => Ok(out.stacks().first().cloned()),
        Err(err) if is_missing_stack(&err) => Ok(None),
        Err(err) => Err(Error::aws("DescribeStacks", err)),
    }
}

/// CloudFormation answers `ValidationError: Stack with id X does not exist`.
fn is_missing_stack<E: ProvideErrorMetadata>(err: &E) -> bool {
    err.code() == Some("ValidationError")
        && err.message().is_some_and(|m| m.contains("does not exist"))
}

/// The outputs of `stack`.
pub async fn fetch(cfn: &Client, stack: &str) -> Result<Outputs> {
    let described = describe(cfn, stack).await?.ok_or_else(|| Error::NoStack {
        stack: stack.to_owned(),
    })?;
    Ok(of_stack(&described))
}

/// The outputs of a described stack.
pub fn of_stack(stack: &Stack) -> Outputs {
    stack
        .outputs()
        .iter()
        .filter_map(|o| Some((o.output_key()?.to_owned(), o.output_value()?.to_owned())))
        .collect()
}

/// Writes `outputs` as pretty JSON to `path`, creating its folder.
pub fn write(path: &Path, outputs: &Outputs) -> Result<()> {
    let write_err = |source| Error::Write {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(write_err)?;
    }
    // Through a temporary file and a rename: an interrupt never leaves half a file.
    let tmp = path.with_extension("json.tmp~");
    std::fs::write(&tmp, to_json(outputs)).map_err(write_err)?;
    std::fs::rename(&tmp, path).map_err(write_err)
}

/// Pretty JSON with a final newline.
pub fn to_json(outputs: &Outputs) -> String {
    let mut json = serde_json::to_string_pretty(outputs).unwrap_or_default();
    json.push('\n');
    json
}

/// The names in `expected` that `outputs` lacks, in the order given.
pub fn missing(outputs: &Outputs, expected: &[String]) -> Vec<String> {
    expected
        .iter()
        .filter(|name| !outputs.contains_key(*name))
        .cloned()
        .collect()
}

/// `infra-deploy outputs`: prints each selected stack's outputs and fails when one lacks
/// an expected output; the whole command is bounded by `--timeout-secs`.
pub async fn run(args: &OutputsArgs) -> Result<()> {
    let plan = app::plan(&args.selection)?;
    let secs = args.connect.timeout_secs;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let timed_out = |doing: String| Error::Timeout { secs, doing };
    let clients = tokio::time::timeout_at(deadline.into(), Clients::new(&args.connect)).await;
    let clients =
        clients.map_err(|_| timed_out("while loading the AWS configuration".into()))??;
    let mut failed = None;
    for target in &plan.targets {
        let stack = &target.stack;
        let fetched = tokio::time::timeout_at(deadline.into(), fetch(&clients.cfn, stack)).await;
        let outputs =
            match fetched.map_err(|_| timed_out(format!("while reading stack {stack}")))? {
                Ok(outputs) => outputs,
                // A stack of the stage that was never deployed: report it, check the others.
                Err(err @ Error::NoStack { .. }) => {
                    eprintln!("error: {err}");
                    failed = Some(err);
                    continue;
                }
                Err(err) => return Err(err),
            };
        println!("{stack}:\n{}", to_json(&outputs).trim_end());
        let expected = if target.expect.is_empty() {
            &args.expect
        } else {
            &target.expect
        };
        let missing = missing(&outputs, expected);
        if missing.is_empty() {
            eprintln!("all {} expected outputs of {stack} exist", expected.len());
        } else {
            let err = Error::MissingOutputs {
                stack: stack.clone(),
                missing,
            };
            eprintln!("error: {err}");
            failed = Some(err);
        }
    }
    failed.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_missing_outputs_in_order() {
        let outputs = Outputs::from([("a".to_owned(), "1".to_owned())]);
        let expected = ["b", "a", "c"].map(str::to_owned);
        assert_eq!(missing(&outputs, &expected), ["b", "c"]);
    }

    #[test]
    fn writes_sorted_json() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x/y.json");
        let outputs = Outputs::from([("b", "2"), ("a", "1")].map(|(k, v)| (k.into(), v.into())));
        write(&path, &outputs).expect("written");
        let text = std::fs::read_to_string(&path).expect("read back");
        assert_eq!(text, "{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}\n");
    }
}

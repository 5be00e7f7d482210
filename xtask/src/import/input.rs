//! What `cargo xtask import` reads: a template file (JSON or YAML, with the
//! positions of `infra_check::reader`), a `serverless.yml` (its `resources:`,
//! through `infra_serverless::import`), or a deployed stack's template; and the
//! service each becomes.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use heck::ToKebabCase;
use infra_check::reader::{self, Format, Parsed};

/// One template to import.
#[derive(Debug)]
pub struct Input {
    /// Shown before every message about this input (a file, or `stack NAME`).
    pub origin: String,
    /// The template, positions relative to it (a manifest's are re-rooted).
    pub parsed: Parsed,
    /// The kebab-case service name.
    pub service: String,
    /// The stage the name carries (`infra-prod` -> `prod`), compared at.
    pub stage: Option<String>,
    /// Said to the user: what a serverless.yml leaves out.
    pub notes: Vec<String>,
}

/// Refusals of an input, one a line: `origin:line:col: path: message`.
#[derive(Debug)]
pub struct Refused(pub Vec<String>);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

impl std::error::Error for Refused {}

/// Reads `file`; `service` overrides the name, `stages` are the app's.
pub fn from_file(file: &Path, service: Option<&str>, stages: &[String]) -> Result<Input> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let origin = file.display().to_string();
    let parsed = match reader::parse(&text, Format::of(&origin, &text)) {
        Ok(parsed) => parsed,
        Err(err) => bail!(Refused(vec![format!("{origin}:{err}")])),
    };
    let stem = crate::workspace::stack_name(file);
    if infra_serverless::import::is_manifest(&parsed.value) {
        return Ok(from_manifest(origin, parsed, service, stages)?);
    }
    let (name, stage) = service_of(service.unwrap_or(&stem), stages);
    Ok(template_input(origin, parsed, name, stage, Vec::new())?)
}

/// A deployed stack's template (`GetTemplate`'s body) named `stack`.
pub fn from_stack(
    stack: &str,
    body: &str,
    service: Option<&str>,
    stages: &[String],
) -> Result<Input> {
    let origin = format!("stack {stack}");
    let parsed = match reader::parse(body, Format::of("", body)) {
        Ok(parsed) => parsed,
        Err(err) => bail!(Refused(vec![format!("{origin}:{err}")])),
    };
    let (name, mut stage) = service_of(service.unwrap_or(stack), stages);
    if service.is_some() {
        stage = service_of(stack, stages).1;
    }
    Ok(template_input(origin, parsed, name, stage, Vec::new())?)
}

fn from_manifest(
    origin: String,
    parsed: Parsed,
    service: Option<&str>,
    stages: &[String],
) -> Result<Input, Refused> {
    let name = service
        .or_else(|| infra_serverless::import::service_name(&parsed.value))
        .map(str::to_owned);
    let template = infra_serverless::import::template_of(&parsed)
        .map_err(|refusals| Refused(refusals.iter().map(|r| format!("{origin}:{r}")).collect()))?;
    let Some(name) = name else {
        return Err(Refused(vec![format!(
            "{origin}: service: the manifest names no service; give --service NAME"
        )]));
    };
    let (value, notes) = template;
    let spans = parsed.spans.under("resources");
    let parsed = Parsed {
        value,
        spans,
        duplicates: Vec::new(),
    };
    let (name, stage) = service_of(&name, stages);
    template_input(origin, parsed, name, stage, notes)
}

/// Refuses duplicate keys (which one CloudFormation would keep is not ours
/// to guess) and names that cannot be a service.
fn template_input(
    origin: String,
    parsed: Parsed,
    service: String,
    stage: Option<String>,
    notes: Vec<String>,
) -> Result<Input, Refused> {
    let mut refusals: Vec<String> = parsed
        .duplicates
        .iter()
        .map(|d| {
            format!(
                "{origin}:{}: {}: a key given twice (first at {})",
                d.pos, d.path, d.first
            )
        })
        .collect();
    if !parsed.value.is_object() {
        refusals.push(format!(
            "{origin}: the template is not a mapping of template sections"
        ));
    }
    if service.is_empty() || !service.starts_with(|c: char| c.is_ascii_lowercase()) {
        refusals.push(format!(
            "{origin}: {service:?} is not a service name (kebab-case, starting with a letter); give --service NAME"
        ));
    }
    if !refusals.is_empty() {
        return Err(Refused(refusals));
    }
    Ok(Input {
        origin,
        parsed,
        service,
        stage,
        notes,
    })
}

/// The service and stage of a stack or file name: `infra-prod` is service
/// `infra` at stage `prod` when `prod` is a stage of the app (the naming
/// rule of `infra_model::naming`); any other name is the service as it is.
pub fn service_of(name: &str, stages: &[String]) -> (String, Option<String>) {
    for stage in stages {
        let Some(service) = name.strip_suffix(&format!("-{stage}")) else {
            continue;
        };
        if !service.is_empty() && infra_model::naming::stack_name(service, stage) == name {
            return (service.to_kebab_case(), Some(stage.clone()));
        }
    }
    (name.to_kebab_case(), None)
}

/// Whether `files` are usable together with `service`.
pub fn check_args(files: &[PathBuf], service: Option<&str>) -> Result<()> {
    if service.is_some() && files.len() > 1 {
        bail!(
            "--service names one stack: give one FILE with it, or none and let each file's name be its service"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> Vec<String> {
        vec!["dev".into(), "prod".into()]
    }

    #[test]
    fn a_stage_suffix_of_the_app_is_stripped() {
        assert_eq!(
            service_of("infra-prod", &stages()),
            ("infra".into(), Some("prod".into()))
        );
        assert_eq!(
            service_of("billing-dev", &stages()),
            ("billing".into(), Some("dev".into()))
        );
        assert_eq!(
            service_of("billing-staging", &stages()),
            ("billing-staging".into(), None)
        );
        assert_eq!(service_of("-prod", &stages()), ("prod".into(), None));
        assert_eq!(service_of("MyStack", &stages()), ("my-stack".into(), None));
    }
}

//! Validating files: finding templates under the paths a user gives, reading
//! each as JSON or YAML, and skipping (with a note) files in a directory that
//! are not templates.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::problem::Problem;
use crate::reader::{Format, parse};
use crate::validate::{TypeSource, validate_parsed};

/// The extensions searched for in directories.
pub const TEMPLATE_EXTENSIONS: &[&str] = &["json", "yaml", "yml", "template"];

/// Why the paths could not be searched.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One file to validate; `given` when the user named it (then it is
/// validated whatever it holds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub given: bool,
}

/// The files under `paths`: files as given, directories searched
/// recursively for [`TEMPLATE_EXTENSIONS`] (hidden entries and
/// `node_modules` skipped, symbolic links not followed), sorted.
pub fn find_templates(paths: &[PathBuf]) -> Result<Vec<Candidate>, FindError> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => FindError::Missing(path.clone()),
            _ => FindError::Io {
                path: path.clone(),
                source: e,
            },
        })?;
        if !meta.is_dir() {
            out.push(Candidate {
                path: path.clone(),
                given: true,
            });
            continue;
        }
        let walk = walkdir::WalkDir::new(path).sort_by_file_name().into_iter();
        for entry in walk.filter_entry(|e| e.depth() == 0 || !skipped_dir(e.file_name())) {
            let Ok(entry) = entry else { continue };
            if entry.file_type().is_file() && has_template_extension(entry.path()) {
                out.push(Candidate {
                    path: entry.into_path(),
                    given: false,
                });
            }
        }
    }
    Ok(out)
}

fn skipped_dir(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name == "node_modules" || name == "target"
}

fn has_template_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEMPLATE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// What validating one file found.
#[derive(Debug, Default)]
pub struct FileReport {
    pub problems: Vec<Problem>,
    /// Checks skipped, files skipped, and why.
    pub notes: Vec<String>,
    /// `false` when the file was skipped as not a template.
    pub checked: bool,
}

/// How to validate one file.
#[derive(Clone, Copy, Debug)]
pub struct FileOptions<'a> {
    /// The file as problems name it.
    pub label: &'a str,
    /// The stack name `AWS::StackName` stands for, when known.
    pub stack: Option<&'a str>,
    /// Named by the user: validated whatever it holds.
    pub given: bool,
}

/// Validates the text of a file.
pub fn validate_text(types: &dyn TypeSource, opts: FileOptions<'_>, text: &str) -> FileReport {
    let (file, given) = (opts.label, opts.given);
    let parsed = match parse(text, Format::of(file, text)) {
        Ok(parsed) => parsed,
        Err(_) if !given && !mentions_template(text) => return skipped(file),
        Err(err) => {
            let problem = Problem {
                stack: file.to_owned(),
                logical_id: None,
                path: String::new(),
                value: None,
                message: format!("is not valid {}: {}", format_name(file, text), err.message),
                allowed: None,
                rule: "E-parse",
                pos: Some(err.pos),
            };
            return FileReport {
                problems: vec![problem],
                notes: Vec::new(),
                checked: true,
            };
        }
    };
    if !given && !is_template(&parsed.value) {
        return skipped(file);
    }
    let (mut problems, notes) = validate_parsed(types, file, opts.stack, &parsed);
    problems.sort_by_key(|p| p.pos);
    FileReport {
        problems,
        notes,
        checked: true,
    }
}

fn skipped(file: &str) -> FileReport {
    FileReport {
        notes: vec![format!(
            "{file}: skipped, not a CloudFormation template (no Resources or AWSTemplateFormatVersion)"
        )],
        ..FileReport::default()
    }
}

fn format_name(file: &str, text: &str) -> &'static str {
    match Format::of(file, text) {
        Format::Json => "JSON",
        Format::Yaml => "YAML",
    }
}

/// The top-level sections of a CloudFormation template, in the documented order.
pub const TEMPLATE_SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
];

/// A template is a mapping with `Resources` or `AWSTemplateFormatVersion`.
pub fn is_template(v: &Value) -> bool {
    v.get("Resources").is_some() || v.get("AWSTemplateFormatVersion").is_some()
}

fn mentions_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion") || text.contains("Resources")
}

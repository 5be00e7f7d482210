//! One validation problem and how it prints.

use std::fmt;

use serde::Serialize;

/// A problem found in a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The stack (template) name.
    pub stack: String,
    /// The resource the problem is in, when it is in one.
    pub logical_id: Option<String>,
    /// Where in the template, dotted: `Resources.Bucket.Properties.BucketName`,
    /// `[i]` for array items; empty for the whole template.
    pub path: String,
    /// The offending value as compact JSON, when there is one to show.
    pub value: Option<String>,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// What would be accepted, when that is a short list.
    pub allowed: Option<String>,
    /// A stable code for the rule (`E-pattern`), from [`crate::RULES`].
    pub rule: &'static str,
    /// Where in the file, when the template was read from one.
    pub pos: Option<crate::reader::Pos>,
}

impl fmt::Display for Problem {
    /// `infra-dev: Resources.B.Properties.BucketName: "Bad_Name" does not match ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(pos) => write!(f, "{}:{pos}: ", self.stack)?,
            None => write!(f, "{}: ", self.stack)?,
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        if let Some(value) = &self.value {
            write!(f, "{value} ")?;
        }
        f.write_str(&self.message)?;
        if let Some(allowed) = &self.allowed {
            write!(f, " (allowed: {allowed})")?;
        }
        Ok(())
    }
}

/// A value as compact JSON for [`Problem::value`], cut after 120 characters
/// (a cut string keeps its closing quote).
pub(crate) fn show(value: &serde_json::Value) -> String {
    const MAX: usize = 120;
    if let serde_json::Value::String(s) = value
        && let Some((cut, _)) = s.char_indices().nth(MAX)
    {
        let head = serde_json::Value::String(s[..cut].to_owned()).to_string();
        return format!("{}...\"", &head[..head.len() - 1]);
    }
    let text = value.to_string();
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// A string as it appears in [`Problem::value`].
pub(crate) fn show_str(s: &str) -> String {
    show(&serde_json::Value::String(s.to_owned()))
}

//! Reading templates, JSON or YAML, into `serde_json::Value` plus where each
//! value starts (`Spans`), so that every problem can be located by
//! `file:line:column` as well as by its template path. A duplicate key is an
//! error in both formats (CloudFormation's own parsers reject it; the
//! `serde_json` and YAML loaders would keep one of the two silently).

mod json;
mod yaml;

use std::collections::HashMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::json::{push_index, push_key};

/// A 1-based line and column (columns count characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why (part of) a template cannot be imported, at its template path and
/// position: `{line}:{col}: {path}: {message}` (no path for the whole
/// template); the caller prefixes the file name. Both importers (templates
/// and `serverless.yml`) report these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Refusal {
    /// The dotted path (`Resources.Bucket.Properties`); empty for the whole template.
    pub path: String,
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(pos) = self.pos {
            write!(f, "{pos}: ")?;
        }
        match self.path.as_str() {
            "" => write!(f, "{}", self.message),
            path => write!(f, "{path}: {}", self.message),
        }
    }
}

/// Where each value of a template starts, by its dotted template path
/// (`Resources.Bucket.Properties.Tags[0].Key`; `""` for the whole document).
#[derive(Debug, Default, Clone)]
pub struct Spans(HashMap<String, Pos>);

impl Spans {
    /// The position of `path`, or of its closest enclosing value that has one.
    pub fn find(&self, path: &str) -> Option<Pos> {
        let mut path = path;
        loop {
            if let Some(pos) = self.0.get(path) {
                return Some(*pos);
            }
            if path.is_empty() {
                return None;
            }
            path = &path[..path.rfind(['.', '[']).unwrap_or(0)];
        }
    }

    /// The spans of the value at `prefix`, with paths relative to it: the
    /// template embedded in a larger document (a serverless.yml's `resources`)
    /// keeps the positions of the file it was read from.
    pub fn under(&self, prefix: &str) -> Spans {
        let relative = |path: &str| -> Option<String> {
            if prefix.is_empty() {
                return Some(path.to_owned());
            }
            let rest = path.strip_prefix(prefix)?;
            match rest.as_bytes().first() {
                None => Some(String::new()),
                Some(b'.') => Some(rest[1..].to_owned()),
                Some(b'[') => Some(rest.to_owned()),
                Some(_) => None,
            }
        };
        let spans = self
            .0
            .iter()
            .filter_map(|(path, pos)| Some((relative(path)?, *pos)));
        Spans(spans.collect())
    }
}

/// The syntax of a template file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// The format of `text` named `file`: by extension, and for `.template`
    /// (or anything else) JSON when the text starts with `{`.
    pub fn of(file: &str, text: &str) -> Format {
        let lower = file.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return Format::Yaml;
        }
        if lower.ends_with(".json") || text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// A key that appears twice in one mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The template path of the key.
    pub path: String,
    /// Where the second occurrence is.
    pub pos: Pos,
    /// Where the first occurrence is.
    pub first: Pos,
}

/// A template as read.
#[derive(Debug)]
pub struct Parsed {
    pub value: Value,
    pub spans: Spans,
    pub duplicates: Vec<Duplicate>,
}

/// Why a file could not be read as a template.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct ReadError {
    pub pos: Pos,
    pub message: String,
}

/// Reads `text` in `format`.
pub fn parse(text: &str, format: Format) -> Result<Parsed, ReadError> {
    let mut out = Builder::default();
    let value = match format {
        Format::Json => json::parse(text, &mut out)?,
        Format::Yaml => yaml::parse(text, &mut out)?,
    };
    // The document's position is where its first key is.
    let first = out
        .spans
        .values()
        .min()
        .copied()
        .unwrap_or(Pos { line: 1, column: 1 });
    out.spans.insert(String::new(), first);
    Ok(Parsed {
        value,
        spans: Spans(out.spans),
        duplicates: out.duplicates,
    })
}

/// What both readers record while they build the value.
#[derive(Default)]
struct Builder {
    path: String,
    marks: Vec<usize>,
    spans: HashMap<String, Pos>,
    duplicates: Vec<Duplicate>,
}

impl Builder {
    fn enter_key(&mut self, key: &str, pos: Pos) {
        self.marks.push(self.path.len());
        push_key(&mut self.path, key);
        self.spans.entry(self.path.clone()).or_insert(pos);
    }

    fn enter_index(&mut self, i: usize, pos: Pos) {
        self.marks.push(self.path.len());
        push_index(&mut self.path, i);
        self.spans.insert(self.path.clone(), pos);
    }

    fn leave(&mut self) {
        if let Some(len) = self.marks.pop() {
            self.path.truncate(len);
        }
    }

    /// Inserts `key` into `map`, keeping the first of two equal keys and
    /// recording the second as a duplicate.
    fn insert(&mut self, map: &mut Map<String, Value>, key: String, value: Value, pos: Pos) {
        if map.contains_key(&key) {
            let mut path = self.path.clone();
            push_key(&mut path, &key);
            let first = self.spans.get(&path).copied().unwrap_or(pos);
            self.duplicates.push(Duplicate { path, pos, first });
        } else {
            map.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests;

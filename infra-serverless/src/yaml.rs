//! A small block-YAML emitter for `serde_json::Value`, written by hand because no YAML
//! crate we trust offers deterministic output with the quoting rules below (serde_yaml is
//! unmaintained): maps keep the order of the JSON, strings are quoted whenever a YAML 1.1
//! or 1.2 reader could take them for anything but the same string, and `${...}` variables
//! stay as they are.

use serde_json::Value;

/// `key: value` at `indent`, nested collections on the following lines.
pub(crate) fn entry(out: &mut String, indent: usize, key: &str, value: &Value) {
    pad(out, indent);
    key_value(out, indent, key, value);
}

/// `key: value` from the current position, its nested lines at `indent + 2`.
fn key_value(out: &mut String, indent: usize, key: &str, value: &Value) {
    out.push_str(&string(key));
    out.push(':');
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            map.iter().for_each(|(k, v)| entry(out, indent + 2, k, v));
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(out, indent + 2, items);
        }
        scalar => line(out, scalar),
    }
}

/// `- item` lines; a map item starts on the dash line (`- Key: value`).
fn sequence(out: &mut String, indent: usize, items: &[Value]) {
    for item in items {
        pad(out, indent);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => {
                for (i, (k, v)) in map.iter().enumerate() {
                    if i == 0 {
                        out.push(' ');
                    } else {
                        pad(out, indent + 2);
                    }
                    key_value(out, indent + 2, k, v);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                sequence(out, indent + 2, inner);
            }
            scalar => line(out, scalar),
        }
    }
}

/// ` scalar\n` after a `key:` or a `-`.
fn line(out: &mut String, scalar: &Value) {
    out.push(' ');
    out.push_str(&self::scalar(scalar));
    out.push('\n');
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A scalar or an empty collection in flow form.
fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// The string plain when a YAML 1.1 or 1.2 reader takes it back as the same string,
/// double-quoted otherwise. `${...}` variables stay as they are either way.
fn string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

fn is_plain_safe(s: &str) -> bool {
    const RESERVED: [&str; 10] = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    let leading = "-?:,[]{}#&*!|>'\"%@`~<=+.";
    !leading.contains(first)
        && !first.is_ascii_digit()
        && s.trim() == s
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s
            .chars()
            .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'))
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
}

/// A YAML double-quoted scalar (its escapes are a superset of JSON's).
fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

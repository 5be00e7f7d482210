//! The diff as text for a terminal or a pull request comment.

use std::fmt::Write;

use serde_json::Value;

use super::{Change, ChangeKind, Impact, OutputChange, ResourceChange, StackDiff};

/// ANSI styles, or nothing when colour is off.
struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// All stack diffs as text, one section per stack; ANSI colour when `color`.
pub fn render_text(diffs: &[StackDiff], color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    for d in diffs {
        stack(&mut out, d, &style);
    }
    out
}

fn stack(out: &mut String, d: &StackDiff, style: &Style) {
    let title = style.paint("1", &format!("Stack {}", d.stack));
    if d.is_empty() {
        let _ = writeln!(out, "{title}: no changes\n");
        return;
    }
    let _ = writeln!(out, "{title}");
    if !d.resources.is_empty() {
        let _ = writeln!(out, "  Resources");
        for r in &d.resources {
            resource(out, r, style);
        }
    }
    if !d.outputs.is_empty() {
        let _ = writeln!(out, "  Outputs");
        for o in &d.outputs {
            output(out, o, style);
        }
    }
    security(out, d, style);
    let _ = writeln!(out, "{}", summary(d, style));
}

fn security(out: &mut String, d: &StackDiff, style: &Style) {
    use crate::security::render::{class_label, text_lines};
    if d.security.is_empty() {
        return;
    }
    let _ = writeln!(out, "  Security");
    for c in &d.security {
        let (head, why) = text_lines(c);
        let code = match c.class {
            crate::SecurityClass::Broadening => "1;31",
            crate::SecurityClass::Narrowing => "32",
        };
        let mark = style.paint(code, &format!("[{}]", class_label(c.class)));
        let _ = writeln!(out, "  {head}  {mark}\n      {why}");
    }
}

fn resource(out: &mut String, r: &ResourceChange, style: &Style) {
    let head = format!("{} {} ({})", sign(r.kind), r.logical_id, r.type_name);
    heading(
        out,
        &head,
        r.kind,
        r.renamed_from.as_deref(),
        &r.impacts,
        style,
    );
    for c in &r.changes {
        change(out, c, style);
    }
    for note in &r.notes {
        let _ = writeln!(out, "      note: {note}");
    }
}

fn output(out: &mut String, o: &OutputChange, style: &Style) {
    let head = format!("{} {}", sign(o.kind), o.name);
    heading(
        out,
        &head,
        o.kind,
        o.renamed_from.as_deref(),
        &o.impacts,
        style,
    );
    for c in &o.changes {
        change(out, c, style);
    }
    for note in &o.notes {
        let _ = writeln!(out, "      note: {note}");
    }
}

/// The line that opens a resource or output: what changed, its old name when
/// renamed, and its impact marks.
fn heading(
    out: &mut String,
    head: &str,
    kind: ChangeKind,
    from: Option<&str>,
    impacts: &[Impact],
    style: &Style,
) {
    let from = from.map(|f| format!(" <- {f}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "  {}{from}{}",
        style.paint(kind_color(kind), head),
        marks(impacts, style)
    );
}

fn change(out: &mut String, c: &Change, style: &Style) {
    let values = match (&c.old, &c.new) {
        (Some(old), Some(new)) => format!(": {} -> {}", short(old), short(new)),
        (None, Some(new)) => format!(": (added) {}", short(new)),
        (Some(old), None) => format!(": (removed) {}", short(old)),
        (None, None) => String::new(),
    };
    let mark = c.impact.map(|i| marks(&[i], style)).unwrap_or_default();
    let _ = writeln!(out, "      ~ {}{values}{mark}", c.path);
    if let Some(reason) = c.reason.as_deref().filter(|_| c.impact.is_some()) {
        let _ = writeln!(out, "        why: {reason}");
    }
    if let Some(source) = &c.source {
        let _ = writeln!(out, "        source: {source}");
    }
}

fn sign(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Modified => "~",
        ChangeKind::Renamed => ">",
    }
}

fn kind_color(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "32",
        ChangeKind::Removed => "31",
        ChangeKind::Modified | ChangeKind::Renamed => "33",
    }
}

/// `  [DATA LOSS, REPLACE]`, or nothing.
fn marks(impacts: &[Impact], style: &Style) -> String {
    if impacts.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = impacts.iter().map(|i| label(*i)).collect();
    let severe = impacts
        .iter()
        .any(|i| matches!(i, Impact::DataLoss | Impact::Breaking));
    let code = if severe { "1;31" } else { "33" };
    format!(
        "  {}",
        style.paint(code, &format!("[{}]", names.join(", ")))
    )
}

pub(super) fn label(impact: Impact) -> &'static str {
    match impact {
        Impact::DataLoss => "DATA LOSS",
        Impact::MayLoseData => "MAY LOSE DATA",
        Impact::Replace => "REPLACE",
        Impact::MayReplace => "MAY REPLACE",
        Impact::Breaking => "BREAKING",
        Impact::UnknownImpact => "UNKNOWN IMPACT",
    }
}

/// `3 resource change(s), 1 output change(s): 1 replaced, 1 losing data, 1 breaking`.
fn summary(d: &StackDiff, style: &Style) -> String {
    let count = |impacts: &[Impact]| {
        d.resources
            .iter()
            .filter(|r| r.impacts.iter().any(|i| impacts.contains(i)))
            .count()
    };
    let replaced = count(&[Impact::Replace, Impact::MayReplace]);
    let losing = count(&[Impact::DataLoss, Impact::MayLoseData]);
    let unknown = count(&[Impact::UnknownImpact]);
    let breaking = d.outputs.iter().filter(|o| !o.impacts.is_empty()).count();
    let broadening = d
        .security
        .iter()
        .filter(|s| s.class == crate::SecurityClass::Broadening)
        .count();
    let marked: Vec<String> = [
        (replaced, "replaced"),
        (losing, "losing data"),
        (unknown, "of unknown impact"),
        (breaking, "breaking"),
        (broadening, "broadening"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| style.paint("1;31", &format!("{n} {what}")))
    .collect();
    let mut text = format!(
        "  {} resource change(s), {} output change(s)",
        d.resources.len(),
        d.outputs.len()
    );
    if !marked.is_empty() {
        text.push_str(": ");
        text.push_str(&marked.join(", "));
    }
    text.push('\n');
    text
}

/// A value as compact JSON, cut after 60 characters.
fn short(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

//! The diff as a pull-request comment: a one-line verdict, a table per stack
//! with data loss and replacement first, the output contract changes with
//! their known consumers, the security changes, and the property-level
//! changes folded in `<details>`. Deterministic, no ANSI codes, and under
//! GitHub's comment limit: past it, the report drops detail level by level.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use super::render::label;
use super::{Change, ChangeKind, Impact, OutputChange, ResourceChange, StackDiff};
use crate::security::render::{cells, class_label, sign};
use crate::security::{SecurityChange, SecurityClass};

/// GitHub's limit on the body of a pull-request comment, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Who reads each output: `(stack, output name)` to consumer names
/// (`consumers/invites-worker/serverless.yml`), as far as the caller knows.
pub type Consumers = BTreeMap<(String, String), Vec<String>>;

/// How much a report shows; each level drops more to fit the limit.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Detail {
    /// Everything, property changes included.
    Full,
    /// Tables only, no property changes.
    Tables,
    /// Only rows with an impact (data loss, replacement, breaking, broadening).
    Impacts,
    /// The verdict and one line per stack.
    Summary,
}

/// The report for `diffs`, under [`COMMENT_LIMIT`] characters.
pub fn render_markdown(diffs: &[StackDiff], consumers: &Consumers) -> String {
    for detail in [
        Detail::Full,
        Detail::Tables,
        Detail::Impacts,
        Detail::Summary,
    ] {
        let text = report(diffs, consumers, detail);
        if text.chars().count() < COMMENT_LIMIT {
            return text;
        }
    }
    cut(&report(diffs, consumers, Detail::Summary))
}

/// The last resort: whole lines up to the limit and a closing note.
fn cut(text: &str) -> String {
    const NOTE: &str = "\n_… cut to fit a comment: run `cargo xtask diff` for everything._\n";
    let budget = COMMENT_LIMIT - NOTE.chars().count() - 1;
    let mut out = String::new();
    let mut used = 0;
    for line in text.lines() {
        let n = line.chars().count() + 1;
        if used + n > budget {
            break;
        }
        used += n;
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(NOTE);
    out
}

fn report(diffs: &[StackDiff], consumers: &Consumers, detail: Detail) -> String {
    let mut out = verdict(diffs);
    out.push_str("\n<!-- cargo xtask diff --format markdown -->\n");
    if detail > Detail::Tables {
        out.push_str("\n_Shortened to fit a comment: run `cargo xtask diff` for every change._\n");
    }
    let unchanged: Vec<&str> = diffs
        .iter()
        .filter(|d| d.is_empty())
        .map(|d| d.stack.as_str())
        .collect();
    for d in diffs.iter().filter(|d| !d.is_empty()) {
        if detail == Detail::Summary {
            let _ = writeln!(
                out,
                "\n- `{}`: {}",
                d.stack,
                counts(std::slice::from_ref(d))
            );
        } else {
            stack(&mut out, d, consumers, detail);
        }
    }
    if !unchanged.is_empty() {
        let names: Vec<String> = unchanged.iter().map(|s| format!("`{s}`")).collect();
        let _ = writeln!(out, "\nNo changes: {}.", names.join(", "));
    }
    out
}

/// The first line: how bad, then the counts.
fn verdict(diffs: &[StackDiff]) -> String {
    let impacts: Vec<Impact> = diffs.iter().flat_map(StackDiff::impacts).collect();
    let has = |i: &[Impact]| impacts.iter().any(|x| i.contains(x));
    let broadening = diffs.iter().flat_map(|d| &d.security).any(is_broadening);
    let head = if diffs.iter().all(StackDiff::is_empty) {
        "✅ no changes"
    } else if has(&[Impact::DataLoss, Impact::MayLoseData]) {
        "⛔ data loss"
    } else if has(&[
        Impact::Replace,
        Impact::MayReplace,
        Impact::Breaking,
        Impact::UnknownImpact,
    ]) || broadening
    {
        "⚠️ needs a careful review"
    } else {
        "✅ safe to deploy"
    };
    format!("**Infra diff: {head}** · {}\n", counts(diffs))
}

fn is_broadening(c: &SecurityChange) -> bool {
    c.class == SecurityClass::Broadening
}

/// `2 of 3 stacks change · 4 resources (1 losing data, 2 replaced) · ...`.
fn counts(diffs: &[StackDiff]) -> String {
    let changed = diffs.iter().filter(|d| !d.is_empty()).count();
    let resources: Vec<&ResourceChange> = diffs.iter().flat_map(|d| &d.resources).collect();
    let with = |i: &[Impact]| {
        resources
            .iter()
            .filter(|r| r.impacts.iter().any(|x| i.contains(x)))
            .count()
    };
    let outputs: Vec<&OutputChange> = diffs.iter().flat_map(|d| &d.outputs).collect();
    let breaking = outputs.iter().filter(|o| !o.impacts.is_empty()).count();
    let security: Vec<&SecurityChange> = diffs.iter().flat_map(|d| &d.security).collect();
    let broadening = security.iter().filter(|c| is_broadening(c)).count();
    let stacks = match diffs.len() {
        1 => format!("{changed} of 1 stack changes"),
        n => format!("{changed} of {n} stacks change"),
    };
    [
        stacks,
        tally(
            resources.len(),
            "resource",
            &[
                (
                    with(&[Impact::DataLoss, Impact::MayLoseData]),
                    "losing data",
                ),
                (with(&[Impact::Replace, Impact::MayReplace]), "replaced"),
            ],
        ),
        tally(outputs.len(), "output", &[(breaking, "breaking")]),
        tally(
            security.len(),
            "security change",
            &[(broadening, "broadening")],
        ),
    ]
    .join(" · ")
}

/// `3 resources (1 replaced)`.
fn tally(n: usize, what: &str, marks: &[(usize, &str)]) -> String {
    let plural = if n == 1 { "" } else { "s" };
    let marks: Vec<String> = marks
        .iter()
        .filter(|(k, _)| *k > 0)
        .map(|(k, m)| format!("{k} {m}"))
        .collect();
    if marks.is_empty() {
        format!("{n} {what}{plural}")
    } else {
        format!("{n} {what}{plural} ({})", marks.join(", "))
    }
}

fn stack(out: &mut String, d: &StackDiff, consumers: &Consumers, detail: Detail) {
    let _ = writeln!(out, "\n### Stack `{}`\n", d.stack);
    let resources = sorted_resources(d, detail);
    if !resources.is_empty() {
        out.push_str("| resource | type | change | impact |\n| --- | --- | --- | --- |\n");
        for r in &resources {
            resource_row(out, r);
        }
    }
    left_out(out, d.resources.len() - resources.len(), "resource change");
    outputs(out, d, consumers, detail);
    security(out, d, detail);
    if detail == Detail::Full {
        details(out, d);
    }
}

/// Data loss first, then replacement, then the rest, each by logical ID.
fn sorted_resources(d: &StackDiff, detail: Detail) -> Vec<&ResourceChange> {
    let mut rows: Vec<&ResourceChange> = d
        .resources
        .iter()
        .filter(|r| detail < Detail::Impacts || !r.impacts.is_empty())
        .collect();
    rows.sort_by_key(|r| {
        (
            r.impacts.iter().min().copied().map_or(9, rank),
            &r.logical_id,
        )
    });
    rows
}

fn rank(impact: Impact) -> u8 {
    match impact {
        Impact::DataLoss => 0,
        Impact::MayLoseData => 1,
        Impact::Replace => 2,
        Impact::MayReplace => 3,
        Impact::Breaking => 4,
        Impact::UnknownImpact => 5,
    }
}

fn resource_row(out: &mut String, r: &ResourceChange) {
    let change = match (&r.kind, &r.renamed_from) {
        (ChangeKind::Renamed, Some(from)) => format!("renamed from {}", code(from)),
        (kind, _) => kind_name(*kind).to_owned(),
    };
    let _ = writeln!(
        out,
        "| {} | {} | {change} | {} |",
        code(&r.logical_id),
        code(&r.type_name),
        impacts(&r.impacts)
    );
}

fn kind_name(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Modified => "modified",
        ChangeKind::Renamed => "renamed",
    }
}

fn impacts(impacts: &[Impact]) -> String {
    if impacts.is_empty() {
        return "-".to_owned();
    }
    let names: Vec<String> = impacts
        .iter()
        .map(|i| format!("**{}**", label(*i)))
        .collect();
    names.join(", ")
}

fn left_out(out: &mut String, n: usize, what: &str) {
    if n > 0 {
        let plural = if n == 1 { "" } else { "s" };
        let _ = writeln!(out, "\n_and {n} more {what}{plural} without an impact_");
    }
}

/// The output contract: BREAKING first, with who reads each output.
fn outputs(out: &mut String, d: &StackDiff, consumers: &Consumers, detail: Detail) {
    let mut rows: Vec<&OutputChange> = d
        .outputs
        .iter()
        .filter(|o| detail < Detail::Impacts || !o.impacts.is_empty())
        .collect();
    rows.sort_by_key(|o| (o.impacts.is_empty(), &o.name));
    if !rows.is_empty() {
        out.push_str("\n**Outputs** (a contract with other services)\n\n");
        out.push_str("| output | change | impact | known consumers |\n| --- | --- | --- | --- |\n");
    }
    for o in &rows {
        let change = match &o.renamed_from {
            Some(from) => format!("renamed from {}", code(from)),
            None => kind_name(o.kind).to_owned(),
        };
        let old_name = o.renamed_from.as_deref().unwrap_or(&o.name);
        let readers = consumers
            .get(&(d.stack.clone(), old_name.to_owned()))
            .map(|c| c.iter().map(|c| code(c)).collect::<Vec<_>>().join(", "))
            .unwrap_or_else(|| "-".to_owned());
        let _ = writeln!(
            out,
            "| {} | {change} | {} | {readers} |",
            code(&o.name),
            impacts(&o.impacts)
        );
    }
    left_out(out, d.outputs.len() - rows.len(), "output change");
}

/// The security table: broadening first.
fn security(out: &mut String, d: &StackDiff, detail: Detail) {
    let rows: Vec<&SecurityChange> = d
        .security
        .iter()
        .filter(|c| detail < Detail::Impacts || is_broadening(c))
        .collect();
    if !rows.is_empty() {
        out.push_str("\n**Security changes**\n\n");
        out.push_str(
            "| | class | where | effect | principal | action | resource | condition | why |\n",
        );
        out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    }
    for c in &rows {
        let [effect, principal, action, resource, condition] = cells(&c.rule);
        let class = match c.class {
            SecurityClass::Broadening => format!("**{}**", class_label(c.class)),
            SecurityClass::Narrowing => class_label(c.class).to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {class} | {} | {} | {} | {} | {} | {} | {} |",
            sign(c.kind),
            code(&format!("{}.{}", c.resource, c.property)),
            text(&effect),
            code(&principal),
            code(&action),
            code(&resource),
            code(&condition),
            text(&c.reasons.join("; "))
        );
    }
    left_out(
        out,
        d.security.len() - rows.len(),
        "narrowing security change",
    );
}

/// The property-level changes, folded.
fn details(out: &mut String, d: &StackDiff) {
    let changed: Vec<&ResourceChange> = d
        .resources
        .iter()
        .filter(|r| !r.changes.is_empty() || !r.notes.is_empty())
        .collect();
    let outputs: Vec<&OutputChange> = d.outputs.iter().filter(|o| !o.changes.is_empty()).collect();
    if changed.is_empty() && outputs.is_empty() {
        return;
    }
    out.push_str("\n<details><summary>Property changes</summary>\n\n");
    out.push_str("| where | old | new | impact |\n| --- | --- | --- | --- |\n");
    for r in changed {
        for c in &r.changes {
            change_row(out, &r.logical_id, c);
        }
        for note in &r.notes {
            let _ = writeln!(
                out,
                "| {} | note | {} | - |",
                code(&r.logical_id),
                text(note)
            );
        }
    }
    for o in outputs {
        for c in &o.changes {
            change_row(out, &format!("Outputs.{}", o.name), c);
        }
    }
    out.push_str("\n</details>\n");
}

fn change_row(out: &mut String, owner: &str, c: &Change) {
    let value = |v: &Option<Value>| {
        v.as_ref()
            .map_or_else(|| "-".to_owned(), |v| code(&short(v)))
    };
    let mut impact = c.impact.map_or_else(|| "-".to_owned(), |i| impacts(&[i]));
    if let (Some(_), Some(reason)) = (c.impact, &c.reason) {
        impact = format!("{impact}: {}", text(reason));
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} | {impact} |",
        code(&format!("{owner}.{}", c.path)),
        value(&c.old),
        value(&c.new)
    );
}

/// Compact JSON, cut after 120 characters.
fn short(v: &Value) -> String {
    let text = v.to_string();
    match text.char_indices().nth(120) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// `s` as an inline code span that is safe in a table cell: pipes escaped,
/// line breaks flattened, a fence longer than any backtick run inside.
fn code(s: &str) -> String {
    if s.is_empty() || s == "-" {
        return "-".to_owned();
    }
    let flat = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// `s` as plain Markdown text: punctuation that could start markup escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace(['\n', '\r'], " ").chars() {
        if "\\`*_[]<>|#!~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x ` y"), "``x ` y``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(text("<b>*x*</b>"), "\\<b\\>\\*x\\*\\</b\\>");
    }

    #[test]
    fn cutting_keeps_whole_lines_under_the_limit() {
        let long = "x".repeat(100);
        let text: String = (0..1000).map(|_| format!("{long}\n")).collect();
        let cut = cut(&text);
        assert!(cut.chars().count() < COMMENT_LIMIT);
        assert!(
            cut.lines()
                .filter(|l| l.starts_with('x'))
                .all(|l| l.len() == 100)
        );
        assert!(cut.ends_with("for everything._\n"));
    }
}

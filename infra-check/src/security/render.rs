//! Security changes as the rows every format shows: effect, principal,
//! action, resource, condition.

use super::{Rule, RuleKind, SecurityChange, SecurityClass};
use crate::diff::ChangeKind;

/// The cells of a rule: effect, principal, action, resource, condition.
pub fn cells(rule: &Rule) -> [String; 5] {
    let effect = match rule.kind {
        RuleKind::Network(d) => format!("{} {}", rule.effect, direction(d)),
        _ => rule.effect.clone(),
    };
    [
        effect,
        list(&rule.principal),
        list(&rule.action),
        list(&rule.resource),
        list(&rule.condition),
    ]
}

fn direction(d: super::Direction) -> &'static str {
    match d {
        super::Direction::Ingress => "ingress",
        super::Direction::Egress => "egress",
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(", ")
    }
}

/// `BROADENING` or `narrowing`.
pub fn class_label(class: SecurityClass) -> &'static str {
    match class {
        SecurityClass::Broadening => "BROADENING",
        SecurityClass::Narrowing => "narrowing",
    }
}

/// `+`, `-`, `~`.
pub fn sign(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "+",
        ChangeKind::Removed => "-",
        ChangeKind::Modified | ChangeKind::Renamed => "~",
    }
}

/// The lines of one change for the text diff: a heading and the reasons.
pub fn text_lines(c: &SecurityChange) -> (String, String) {
    let [effect, principal, action, resource, condition] = cells(&c.rule);
    let head = format!(
        "{} {} {}: {effect} principal={principal} action={action} resource={resource} condition={condition}",
        sign(c.kind),
        c.resource,
        c.property
    );
    (head, format!("why: {}", c.reasons.join("; ")))
}

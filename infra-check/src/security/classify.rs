//! Whether a changed rule grants more (broadening) or less (narrowing), and
//! which old rule a new one replaces.

use std::net::IpAddr;

use super::rule::{Direction, Rule, RuleKind};

/// The column of a rule an entry sits in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Principal,
    Action,
    Resource,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Principal => "principal",
            Field::Action => "action",
            Field::Resource => "resource",
        }
    }

    fn of(self, rule: &Rule) -> &[String] {
        match self {
            Field::Principal => &rule.principal,
            Field::Action => &rule.action,
            Field::Resource => &rule.resource,
        }
    }
}

const FIELDS: [Field; 3] = [Field::Principal, Field::Action, Field::Resource];

/// One difference between two rules: whether it grants more under `Allow`,
/// and what it is.
type Delta = (bool, String);

/// Why an added rule broadens (`true`) or narrows, with the reasons.
pub(super) fn added(rule: &Rule) -> (bool, Vec<String>) {
    let (grants, headline) = match (rule.kind, rule.effect.as_str()) {
        (RuleKind::ManagedPolicy, _) => (true, "managed policy attached".to_owned()),
        (RuleKind::Network(Direction::Ingress), _) => (true, "new ingress rule".to_owned()),
        (RuleKind::Network(Direction::Egress), _) => (true, "new egress rule".to_owned()),
        (_, "Deny") => (false, "new Deny statement".to_owned()),
        (_, "Allow") => (true, "new Allow statement".to_owned()),
        (_, _) => (
            true,
            "a statement that cannot be read before deploy".to_owned(),
        ),
    };
    let mut reasons = vec![headline];
    if grants {
        reasons.extend(wildcards(rule, |_, _| true));
    }
    (grants, reasons)
}

/// Why a removed rule broadens (`true`: a `Deny` is gone) or narrows.
pub(super) fn removed(rule: &Rule) -> (bool, Vec<String>) {
    match (rule.kind, rule.effect.as_str()) {
        (RuleKind::Statement, "Deny") => (true, vec!["Deny statement removed".to_owned()]),
        (RuleKind::ManagedPolicy, _) => (false, vec!["managed policy detached".to_owned()]),
        (RuleKind::Network(_), _) => (false, vec!["rule removed".to_owned()]),
        _ => (false, vec!["statement removed".to_owned()]),
    }
}

/// Whether `new` in place of `old` broadens, with the reasons; `None` when
/// both grant the same (only a `Sid` or the order changed).
pub(super) fn modified(old: &Rule, new: &Rule) -> Option<(bool, Vec<String>)> {
    let deltas: Vec<Delta> = FIELDS
        .iter()
        .flat_map(|f| field_deltas(*f, old, new))
        .chain(condition_deltas(old, new))
        .collect();
    if deltas.is_empty() {
        return None;
    }
    // A Deny that covers more takes more away.
    let deny = new.effect == "Deny";
    let broadening = deltas.iter().any(|(more, _)| *more != deny);
    let mut reasons: Vec<String> = deltas.into_iter().map(|(_, why)| why).collect();
    if broadening && !deny {
        let is_new = |f: Field, e: &str| !f.of(old).iter().any(|o| o == e);
        reasons.extend(wildcards(new, is_new));
    }
    reasons.dedup();
    Some((broadening, reasons))
}

fn field_deltas(field: Field, old: &Rule, new: &Rule) -> Vec<Delta> {
    let (old_pos, old_neg) = split(field.of(old));
    let (new_pos, new_neg) = split(field.of(new));
    let name = field.name();
    let mut out = Vec::new();
    for e in &new_pos {
        if !old_pos.iter().any(|o| covers(new.kind, field, o, e)) {
            let what = if old_pos.is_empty() {
                "added"
            } else {
                "widened"
            };
            out.push((true, format!("{name} {what}: {e}")));
        }
    }
    for e in &old_pos {
        if !new_pos.iter().any(|n| covers(new.kind, field, n, e)) {
            out.push((false, format!("{name} removed: {e}")));
        }
    }
    // `NotAction: x` grants everything but x: an exception removed grants more.
    for e in new_neg.iter().filter(|e| !old_neg.contains(e)) {
        let more = old_neg.is_empty();
        out.push((more, format!("Not{} exception: {e}", capitalized(name))));
    }
    for e in old_neg.iter().filter(|e| !new_neg.contains(e)) {
        out.push((
            true,
            format!("Not{} exception removed: {e}", capitalized(name)),
        ));
    }
    out
}

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Positive entries and the `NOT ` ones (without the prefix).
fn split(list: &[String]) -> (Vec<&str>, Vec<&str>) {
    let (neg, pos): (Vec<&String>, Vec<&String>) = list.iter().partition(|e| e.starts_with("NOT "));
    (
        pos.into_iter().map(String::as_str).collect(),
        neg.into_iter().map(|e| &e[4..]).collect(),
    )
}

/// A removed condition grants more; an added one less; a changed one is
/// shown as changed and counted as broadening (it may match more requests).
fn condition_deltas(old: &Rule, new: &Rule) -> Vec<Delta> {
    let key = |c: &str| c.split_once(": ").map_or(c, |(k, _)| k).to_owned();
    let mut out = Vec::new();
    for c in old.condition.iter().filter(|c| !new.condition.contains(c)) {
        match new.condition.iter().find(|n| key(n) == key(c)) {
            Some(n) => out.push((true, format!("condition changed: {c} -> {n}"))),
            None => out.push((true, format!("condition removed: {c}"))),
        }
    }
    for c in new.condition.iter().filter(|c| !old.condition.contains(c)) {
        if !old.condition.iter().any(|o| key(o) == key(c)) {
            out.push((false, format!("condition added: {c}")));
        }
    }
    out
}

/// Wildcards and open networks among the entries `pick` selects.
fn wildcards(rule: &Rule, pick: impl Fn(Field, &str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for field in FIELDS {
        for e in field.of(rule).iter().filter(|e| pick(field, e)) {
            if let Some(why) = wildcard(rule.kind, field, e) {
                out.push(why);
            }
        }
    }
    out
}

fn wildcard(kind: RuleKind, field: Field, e: &str) -> Option<String> {
    match (kind, field) {
        (RuleKind::Network(Direction::Ingress), Field::Principal)
            if e == "0.0.0.0/0" || e == "::/0" =>
        {
            Some(format!("open to the internet ({e})"))
        }
        (RuleKind::Network(_), _) => None,
        (_, _) if e.starts_with("NOT ") => Some(format!(
            "Not{}: grants every other {}",
            capitalized(field.name()),
            field.name()
        )),
        (_, _) if e == "*" => Some(format!("any {} (*)", field.name())),
        (_, Field::Resource) => None,
        (_, _) if e.contains('*') => Some(format!("wildcard {}: {e}", field.name())),
        _ => None,
    }
}

/// Whether the entry `pattern` of an old rule already allowed `e`.
fn covers(kind: RuleKind, field: Field, pattern: &str, e: &str) -> bool {
    if pattern == e {
        return true;
    }
    match (kind, field) {
        (RuleKind::Network(_), Field::Principal) => cidr_contains(pattern, e),
        (RuleKind::Network(_), Field::Action) => ports_contain(pattern, e),
        (RuleKind::Network(_), Field::Resource) => false,
        (_, Field::Principal) => pattern == "*",
        (_, Field::Action) => glob(&pattern.to_ascii_lowercase(), &e.to_ascii_lowercase()),
        (_, Field::Resource) => glob(pattern, e),
    }
}

/// IAM's wildcard match: `*` any run of characters, `?` one character.
/// Hand-written: a glob crate would bring path semantics (`/`) IAM does not have.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if let Some((bp, bt)) = backtrack {
            pi = bp + 1;
            ti = bt + 1;
            backtrack = Some((bp, bt + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether the CIDR block `outer` contains `inner`.
fn cidr_contains(outer: &str, inner: &str) -> bool {
    match (cidr(outer), cidr(inner)) {
        (Some((IpAddr::V4(a), n)), Some((IpAddr::V4(b), m))) if n <= m => {
            let mask = u32::MAX.checked_shl(32 - n).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (Some((IpAddr::V6(a), n)), Some((IpAddr::V6(b), m))) if n <= m => {
            let mask = u128::MAX.checked_shl(128 - n).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

fn cidr(s: &str) -> Option<(IpAddr, u32)> {
    let (ip, len) = s.split_once('/')?;
    Some((ip.parse().ok()?, len.parse().ok()?))
}

/// Whether the ports of rule `outer` (`tcp 0-1023`) include those of `inner`.
fn ports_contain(outer: &str, inner: &str) -> bool {
    if outer == "all traffic" {
        return true;
    }
    let (Some((p, a)), Some((q, b))) = (outer.split_once(' '), inner.split_once(' ')) else {
        return false;
    };
    if p != q {
        return false;
    }
    match (range(a), range(b)) {
        (Some((lo, hi)), Some((from, to))) => lo <= from && to <= hi,
        _ => false,
    }
}

fn range(ports: &str) -> Option<(i64, i64)> {
    if ports == "all ports" {
        return Some((i64::MIN, i64::MAX));
    }
    match ports.split_once('-') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None => ports.parse().ok().map(|p| (p, p)),
    }
}

/// The old rules that each new rule replaces: equal rules drop out, then a
/// rule pairs with the one of the same kind and effect that has its `Sid` or
/// shares most entries. Returns (pairs, removed, added).
pub(super) fn pair(
    mut old: Vec<Rule>,
    mut new: Vec<Rule>,
) -> (Vec<(Rule, Rule)>, Vec<Rule>, Vec<Rule>) {
    old.retain(|o| match new.iter().position(|n| n == o) {
        Some(i) => {
            new.remove(i);
            false
        }
        None => true,
    });
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    for o in old {
        let best = new
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == o.kind && n.effect == o.effect)
            .map(|(i, n)| (i, affinity(&o, n)))
            .filter(|(_, score)| *score > 0)
            .max_by_key(|(i, score)| (*score, std::cmp::Reverse(*i)));
        match best {
            Some((i, _)) => pairs.push((o, new.remove(i))),
            None => removed.push(o),
        }
    }
    (pairs, removed, new)
}

/// How alike two rules are: an equal `Sid` wins, then shared entries.
fn affinity(a: &Rule, b: &Rule) -> usize {
    if a.sid.is_some() && a.sid == b.sid {
        return usize::MAX;
    }
    FIELDS
        .iter()
        .map(|f| f.of(a).iter().filter(|e| f.of(b).contains(e)).count())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_like_iam() {
        assert!(glob("s3:*", "s3:getobject"));
        assert!(glob("s3:get*", "s3:getobject"));
        assert!(!glob("s3:get*", "s3:*"));
        assert!(glob("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
        assert!(glob("a?c", "abc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*", ""));
    }

    #[test]
    fn cidr_blocks_nest() {
        assert!(cidr_contains("0.0.0.0/0", "10.0.0.0/8"));
        assert!(cidr_contains("10.0.0.0/8", "10.1.2.0/24"));
        assert!(!cidr_contains("10.0.0.0/8", "0.0.0.0/0"));
        assert!(!cidr_contains("10.0.0.0/8", "11.0.0.0/8"));
        assert!(cidr_contains("::/0", "2001:db8::/32"));
        assert!(!cidr_contains("::/0", "10.0.0.0/8"));
    }

    #[test]
    fn port_ranges_nest() {
        assert!(ports_contain("all traffic", "tcp 22"));
        assert!(ports_contain("tcp 0-1023", "tcp 443"));
        assert!(ports_contain("tcp all ports", "tcp 443"));
        assert!(!ports_contain("tcp 443", "tcp 0-1023"));
        assert!(!ports_contain("udp 0-1023", "tcp 443"));
    }
}

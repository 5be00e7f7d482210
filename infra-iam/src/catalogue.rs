//! Lookups in the generated catalogue ([`crate::actions::SERVICES`]): exact
//! names, patterns, and the closest name for a did-you-mean.

use crate::ActionError;
use crate::actions::SERVICES;

/// The catalogue's spelling of the exact action `name` (case-insensitive,
/// without the prefix) and whether it has resource types.
pub(crate) fn find(name: &str) -> Option<(&'static str, bool)> {
    let (service, action) = name.split_once(':')?;
    let (_, scoped, unscoped) = service_entry(service)?;
    let same = |candidate: &&str| candidate.eq_ignore_ascii_case(action);
    let found = |list: &'static str| names(list).find(same);
    found(scoped)
        .map(|a| (a, true))
        .or_else(|| found(unscoped).map(|a| (a, false)))
}

/// Whether the exact action `name` can be scoped to resources (it has
/// resource types in the catalogue); `None` when it is not an action.
pub fn has_resource_level_permissions(name: &str) -> Option<bool> {
    find(name).map(|(_, scoped)| scoped)
}

/// Checks an action or pattern (see [`Action::parse`]).
pub(crate) fn check(name: &str) -> Result<(), ActionError> {
    if name == "*" {
        return Ok(());
    }
    let Some((service, action)) = name.split_once(':') else {
        return Err(ActionError::Malformed(name.to_owned()));
    };
    if action.is_empty() || !valid_chars(service) || !valid_chars(action) {
        return Err(ActionError::Malformed(name.to_owned()));
    }
    let Some((prefix, scoped, unscoped)) = service_entry(service) else {
        return Err(ActionError::UnknownService {
            action: name.to_owned(),
            service: service.to_owned(),
            suggestion: closest(SERVICES.iter().map(|(s, ..)| *s), service),
        });
    };
    let mut actions = names(scoped).chain(names(unscoped));
    if action.contains(['*', '?']) {
        return match actions.any(|a| glob(action, a)) {
            true => Ok(()),
            false => Err(ActionError::NoMatch {
                action: name.to_owned(),
                service: service.to_owned(),
            }),
        };
    }
    match find(name) {
        Some(_) => Ok(()),
        None => Err(ActionError::UnknownAction {
            action: name.to_owned(),
            service: service.to_owned(),
            suggestion: closest(actions, action).map(|a| format!("{prefix}:{a}")),
        }),
    }
}

/// Letters, digits, `-` (service prefixes) and the pattern characters.
fn valid_chars(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?'))
}

/// The names of a `' '`-separated list (an empty list has none).
fn names(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split(' ').filter(|a| !a.is_empty())
}

fn service_entry(service: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let service = service.to_ascii_lowercase();
    let i = SERVICES
        .binary_search_by(|(s, ..)| (*s).cmp(service.as_str()))
        .ok()?;
    Some(SERVICES[i])
}

/// The most similar of `candidates` to `wrong` (case-insensitive), if any is
/// similar enough to be worth suggesting.
fn closest<'a>(candidates: impl Iterator<Item = &'a str>, wrong: &str) -> Option<String> {
    let wrong = wrong.to_ascii_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&c.to_ascii_lowercase(), &wrong), c))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_owned())
}

/// IAM's action patterns: `*` any run of characters, `?` one character,
/// case-insensitive. Hand-written: the glob crates match paths (`/` is
/// special there), and this is the whole grammar.
fn glob(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&n[ni])) {
            (pi, ni) = (pi + 1, ni + 1);
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            (pi, ni) = (sp + 1, sn + 1);
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary searches need the generated table sorted as they compare.
    #[test]
    fn every_entry_of_the_table_is_found() {
        assert!(SERVICES.windows(2).all(|w| w[0].0 < w[1].0));
        let mut count = 0;
        for (service, scoped, unscoped) in SERVICES {
            for (list, has_types) in [(scoped, true), (unscoped, false)] {
                for action in names(list) {
                    let name = format!("{service}:{action}");
                    let found = has_resource_level_permissions(&name);
                    assert_eq!(found, Some(has_types), "{name}");
                    count += 1;
                }
            }
        }
        assert!(count > 20_000, "{count} actions");
    }

    #[test]
    fn globs_match_like_iam() {
        assert!(glob("Send*", "SendMessage"));
        assert!(glob("send*", "SendMessageBatch"));
        assert!(glob("*Message", "ReceiveMessage"));
        assert!(glob("?eceive*", "ReceiveMessage"));
        assert!(glob("*", "Anything"));
        assert!(!glob("Send", "SendMessage"));
        assert!(!glob("*Queue", "SendMessage"));
        assert!(!glob("S?nd", "Sends"));
    }
}

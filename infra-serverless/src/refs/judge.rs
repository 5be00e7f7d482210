//! Judging one variable: is it a reference to our outputs, does the output exist, and what
//! `${cf:}` form reads the same value.

use infra_model::naming;

use super::catalogue::{self, Catalogue, ServiceOutputs};
use super::framework::Source;

/// A `${state:}`, `${output:}` or `${cf:}` variable, parsed from its flat body (nested
/// variables read `${}`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Reference<'a> {
    pub source: Source,
    /// `APP`, `STAGE`, `REGION` of `${output:APP:STAGE:REGION:SERVICE.KEY}`, as given.
    pub scope: Vec<&'a str>,
    /// The service (`${state:}`/`${output:}`) or the stack (`${cf:}`).
    pub target: &'a str,
    /// The output key, without the nested path of `SERVICE.KEY.nested`.
    pub key: &'a str,
    /// The region of `${cf(REGION):...}`.
    pub region: Option<&'a str>,
    /// The default value after the top-level comma.
    pub default: Option<&'a str>,
}

/// `None` when the variable reads no stack output (another source, no `.KEY`).
pub(super) fn parse(body: &str) -> Option<Reference<'_>> {
    let (expression, default) = match split_once_top(body, ',') {
        Some((expression, default)) => (expression, Some(default.trim())),
        None => (body, None),
    };
    let (source, address) = split_once_top(expression, ':')?;
    let source = source.trim();
    let (source, region) = match source {
        "state" => (Source::State, None),
        "output" => (Source::Output, None),
        "cf" => (Source::Cf, None),
        s => {
            let region = s.strip_prefix("cf(")?.strip_suffix(')')?;
            (Source::Cf, Some(region.trim()))
        }
    };
    let parts = split_top(address.trim(), ':');
    let (last, scope) = parts.split_last()?;
    if scope.len() > 3 || (source == Source::Cf && !scope.is_empty()) {
        return None;
    }
    let (target, path) = split_once_top(last, '.')?;
    let key = split_top(path, '.')
        .first()
        .copied()
        .unwrap_or_default()
        .trim();
    let target = target.trim();
    (!target.is_empty() && !key.is_empty()).then(|| Reference {
        source,
        scope: scope.iter().map(|s| s.trim()).collect(),
        target,
        key,
        region,
        default,
    })
}

/// A reference to one of our services that names no output of it.
#[derive(Debug)]
pub(super) enum Wrong {
    Output { service: String, key: String },
    Service { service: String, meant: String },
}

/// `None` when the reference is not to our outputs (or cannot be told: a variable names
/// the service or the key), `Some(None)` when it is one and correct, `Some(Some(wrong))`
/// when it names no output.
pub(super) fn judge_ours(
    catalogue: &Catalogue,
    reference: &Reference<'_>,
) -> Option<Option<Wrong>> {
    if reference.key.contains("${") {
        return None;
    }
    if reference.source == Source::Cf {
        let ours = catalogue::stack_service(catalogue, reference.target)?;
        return Some(judge_key(ours, reference.key));
    }
    if let [app, _, _] = reference.scope[..]
        && !app.is_empty()
        && app != catalogue.app
        && !app.contains("${")
    {
        return None;
    }
    let service = reference.target;
    if service.contains("${") {
        return None;
    }
    match catalogue.service(service) {
        Some(ours) => Some(judge_key(ours, reference.key)),
        None => similar_service(catalogue, service).map(|meant| {
            Some(Wrong::Service {
                service: service.to_owned(),
                meant,
            })
        }),
    }
}

fn judge_key(service: &ServiceOutputs, key: &str) -> Option<Wrong> {
    (!service.has_output(key)).then(|| Wrong::Output {
        service: service.service.clone(),
        key: key.to_owned(),
    })
}

/// One of our services within two edits of `name` (`infraa`, `Infra`).
fn similar_service(catalogue: &Catalogue, name: &str) -> Option<String> {
    let nearest = catalogue
        .services
        .iter()
        .map(|s| (strsim::levenshtein(name, &s.service), &s.service))
        .min_by_key(|(distance, _)| *distance)?;
    (nearest.0 <= 2).then(|| nearest.1.clone())
}

/// The `${cf:}` variable that reads what a `${state:}`/`${output:}` reference reads: the
/// output of the stack `{service}-{stage}` (the stage given in the reference, or the
/// deploy's own, `${sls:stage}`), in the region given, with the default kept when it is a
/// literal.
pub(super) fn cf_form(reference: &Reference<'_>) -> Option<String> {
    if reference.source == Source::Cf || reference.target.contains("${") {
        return None;
    }
    let (stage, region) = match reference.scope[..] {
        [stage, region] | [_, stage, region] => (stage, region),
        _ => ("", ""),
    };
    let stage = if stage.is_empty() {
        "${sls:stage}"
    } else {
        stage
    };
    let stack = naming::stack_name(reference.target, stage);
    let source = match region {
        "" => "cf".to_owned(),
        region => format!("cf({region})"),
    };
    let default = match reference.default {
        Some(default) if !default.contains("${") => format!(", {default}"),
        _ => String::new(),
    };
    Some(format!("${{{source}:{stack}.{}{default}}}", reference.key))
}

/// The nearest name within `max(2, len / 3)` edits, the first one on a tie.
pub(super) fn suggest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    names
        .iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

// ---------------------------------------------------------------------------------------
// Splitting outside nested `${...}`

/// Splits at every `sep` that is not inside braces.
pub(super) fn split_top(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some((head, tail)) = split_once_top(rest, sep) {
        parts.push(head);
        rest = tail;
    }
    parts.push(rest);
    parts
}

/// Splits at the first `sep` that is not inside braces.
pub(super) fn split_once_top(text: &str, sep: char) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if c == sep && depth == 0 => return Some((&text[..i], &text[i + c.len_utf8()..])),
            _ => {}
        }
    }
    None
}

/// The text with every top-level `${...}` replaced by `*`.
pub(super) fn without_variables(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '$' if depth == 0 => out.push('*'),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cf(body: &str) -> Option<String> {
        cf_form(&parse(body).expect("a reference"))
    }

    #[test]
    fn the_cf_form_of_a_reference() {
        assert_eq!(
            cf("state:infra.x").as_deref(),
            Some("${cf:infra-${sls:stage}.x}")
        );
        assert_eq!(
            cf("output:infra.x.nested").as_deref(),
            Some("${cf:infra-${sls:stage}.x}")
        );
        assert_eq!(
            cf("output:prod:eu-west-1:infra.x").as_deref(),
            Some("${cf(eu-west-1):infra-prod.x}")
        );
        assert_eq!(
            cf("output:api:prod::infra.x, 'arn:aws:sns:x'").as_deref(),
            Some("${cf:infra-prod.x, 'arn:aws:sns:x'}")
        );
        assert_eq!(
            cf("state:infra.x, ${}").as_deref(),
            Some("${cf:infra-${sls:stage}.x}"),
            "a default that is a variable is left out"
        );
        assert_eq!(cf("state:${}.x"), None);
        assert_eq!(cf("cf:infra-dev.x"), None);
    }

    #[test]
    fn parses_the_sources() {
        let reference = parse(" cf(eu-west-1) : infra-dev.x , 'd'").expect("a reference");
        assert_eq!(
            reference,
            Reference {
                source: Source::Cf,
                scope: vec![],
                target: "infra-dev",
                key: "x",
                region: Some("eu-west-1"),
                default: Some("'d'"),
            }
        );
        for body in [
            "self:custom.x",
            "opt:stage, 'dev'",
            "state:infra",
            "cf:infra-dev",
            "state:.x",
            "output:a:b:c:d:infra.x",
            "cf:a:infra-dev.x",
            "cfx:infra-dev.x",
        ] {
            assert_eq!(parse(body), None, "{body}");
        }
    }
}

//! What the consumer's Serverless Framework can resolve, from the manifest's own
//! `frameworkVersion` (and `org:`).
//!
//! Facts checked with the real Framework 3.40 (`serverless package`, offline; the test
//! `tests/package_v3.rs` replays them):
//! - v3 has no `${state:}` source: "Unrecognized configuration variable sources: "state"";
//! - v3's `${output:}` needs `org:` and the Serverless Dashboard: ""output" variable can only
//!   be used in services deployed with Serverless Dashboard (with "org" setting configured)";
//! - `${cf:}` is resolved through CloudFormation with the deploy's credentials, by every
//!   version.
//!
//! A manifest without `frameworkVersion` runs on whichever Framework is installed, so no
//! version rule is applied to it.

use std::fmt;

use semver::{Comparator, Version, VersionReq};

/// The variable sources that read our outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    State,
    Output,
    Cf,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::State => "state",
            Source::Output => "output",
            Source::Cf => "cf",
        })
    }
}

/// The Framework a manifest declares.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Framework {
    /// `frameworkVersion` as written, when the manifest has one that parses.
    pub version: Option<String>,
    /// Whether that range admits a release before v4 (no `${state:}`, Dashboard outputs).
    pub admits_v3: bool,
    /// Whether the manifest names a Dashboard `org:`.
    pub org: bool,
}

impl Framework {
    /// Reads `frameworkVersion` and `org` from a manifest's text. The `Err` is a warning:
    /// a `frameworkVersion` that is not a version range, so no version rule applies.
    pub fn read(text: &str, yaml: bool) -> Result<Self, String> {
        let (version, org) = if yaml {
            (
                yaml_top_level(text, "frameworkVersion"),
                yaml_top_level(text, "org"),
            )
        } else {
            json_top_level(text)
        };
        let org = org.is_some_and(|o| !o.is_empty());
        let Some(version) = version else {
            return Ok(Framework {
                org,
                ..Framework::default()
            });
        };
        let admits_v3 = admits_below(&version, 4).map_err(|err| {
            format!("frameworkVersion {version:?} is not a version range ({err}); version checks skipped")
        })?;
        Ok(Framework {
            version: Some(version),
            admits_v3,
            org,
        })
    }

    /// Why this Framework cannot resolve a `source` variable, if it cannot.
    pub fn cannot_resolve(&self, source: Source) -> Option<&'static str> {
        match source {
            Source::State if self.admits_v3 => Some("Framework v3 has no `${state:}` source"),
            Source::Output if self.admits_v3 && !self.org => Some(
                "Framework v3 resolves `${output:}` only with `org:` and the Serverless Dashboard",
            ),
            _ => None,
        }
    }
}

/// The value of a top-level `key:` line of a YAML text, comment and quotes removed.
fn yaml_top_level(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.trim_start().strip_prefix(':')?;
        let value = match rest.find(" #") {
            Some(at) => &rest[..at],
            None => rest,
        };
        let value = value.trim();
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)));
        Some(unquoted.unwrap_or(value).to_owned())
    })
}

/// `frameworkVersion` and `org` of a `serverless.json`; a number counts as its text.
fn json_top_level(text: &str) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str(text) else {
        return (None, None);
    };
    let field = |key: &str| match doc.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    (field("frameworkVersion"), field("org"))
}

/// Whether the npm range `range` (`"3"`, `">=3 <5"`, `"^3.38.0 || 4"`) admits a release
/// whose major version is below `major`.
///
/// Why Cargo's `semver` crate for npm ranges: where they differ (a bare `3.40.0` is exact
/// in npm and `^3.40.0` in Cargo) the admitted major versions are the same, and majors are
/// all this check needs. Space-separated comparators and hyphen ranges are rewritten into
/// Cargo's syntax first.
pub fn admits_below(range: &str, major: u64) -> Result<bool, semver::Error> {
    for alternative in range.split("||") {
        let req = VersionReq::parse(&cargo_syntax(alternative))?;
        if (0..major).any(|m| candidates(&req, m).any(|v| req.matches(&v))) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// One npm alternative in Cargo's syntax: `>= 3 <5` -> `>=3, <5`, `3 - 4` -> `>=3, <=4`.
fn cargo_syntax(alternative: &str) -> String {
    if let Some((low, high)) = alternative.split_once(" - ") {
        return format!(">={}, <={}", low.trim(), high.trim());
    }
    let mut comparators: Vec<String> = Vec::new();
    for token in alternative.split_whitespace() {
        let token = token.trim_start_matches('v');
        match comparators.last_mut() {
            Some(last) if last.chars().all(|c| "<>=~^".contains(c)) => last.push_str(token),
            _ => comparators.push(token.to_owned()),
        }
    }
    if comparators.is_empty() {
        return "*".to_owned();
    }
    comparators.join(", ")
}

/// The lowest versions of major `m` that a range can start at: `m.0.0` and, for each
/// comparator of that major, its version and the versions just above it.
fn candidates(req: &VersionReq, m: u64) -> impl Iterator<Item = Version> + '_ {
    let bounds = req
        .comparators
        .iter()
        .filter(move |c| c.major == m)
        .flat_map(just_around);
    std::iter::once(Version::new(m, 0, 0)).chain(bounds)
}

fn just_around(c: &Comparator) -> [Version; 3] {
    let (minor, patch) = (c.minor.unwrap_or(0), c.patch.unwrap_or(0));
    [
        Version::new(c.major, minor, patch),
        Version::new(c.major, minor, patch + 1),
        Version::new(c.major, minor + 1, 0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_that_admit_v3() {
        for range in [
            "3",
            "3.40.0",
            "^3.38.0",
            "~3.40",
            "3.x",
            ">=3 <5",
            ">= 3 < 5",
            ">=2",
            "*",
            "",
            "2 || 4",
            "3 - 4",
            "<4",
            "<=3",
            "v3",
            "=3.40.0",
            ">3.0.0 <4",
        ] {
            assert!(matches!(admits_below(range, 4), Ok(true)), "{range:?}");
        }
    }

    #[test]
    fn ranges_that_admit_only_v4_or_later() {
        for range in [
            "4", "^4.4.0", ">=4", "4.x", ">3", ">=4 <5", "~4.1", "4 || 5",
        ] {
            assert!(matches!(admits_below(range, 4), Ok(false)), "{range:?}");
        }
    }

    #[test]
    fn a_range_that_is_not_one_is_an_error() {
        assert!(admits_below("latest", 4).is_err());
        let warning = Framework::read("frameworkVersion: latest\n", true).unwrap_err();
        assert!(
            warning.contains("\"latest\" is not a version range"),
            "{warning}"
        );
    }

    #[test]
    fn reads_the_top_level_keys() {
        let yaml = "service: x\nframeworkVersion: '3' # pinned\nprovider:\n  org: nested\n";
        let framework = Framework::read(yaml, true).expect("a range");
        assert_eq!(framework.version.as_deref(), Some("3"));
        assert!(framework.admits_v3 && !framework.org);
        let framework = Framework::read("org: acme\nframeworkVersion: \"4\"\n", true);
        let framework = framework.expect("a range");
        assert!(!framework.admits_v3 && framework.org);
        let json = r#"{ "frameworkVersion": 3, "org": "acme" }"#;
        let framework = Framework::read(json, false).expect("a range");
        assert!(framework.admits_v3 && framework.org);
        assert_eq!(
            Framework::read("service: x\n", true),
            Ok(Framework::default())
        );
    }

    #[test]
    fn what_v3_cannot_resolve() {
        let v3 = Framework {
            version: Some("3".into()),
            admits_v3: true,
            org: false,
        };
        assert!(v3.cannot_resolve(Source::State).is_some());
        assert!(v3.cannot_resolve(Source::Output).is_some());
        assert!(v3.cannot_resolve(Source::Cf).is_none());
        let with_org = Framework { org: true, ..v3 };
        assert!(with_org.cannot_resolve(Source::Output).is_none());
        assert!(with_org.cannot_resolve(Source::State).is_some());
        let v4 = Framework {
            version: Some("4".into()),
            admits_v3: false,
            org: false,
        };
        assert!(
            [Source::State, Source::Output, Source::Cf]
                .iter()
                .all(|s| v4.cannot_resolve(*s).is_none())
        );
    }
}

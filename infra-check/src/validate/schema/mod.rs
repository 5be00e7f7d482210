//! A JSON-Schema checker with CloudFormation's semantics, used on resource
//! properties with the registry schema of their type and on the template
//! sections with cfn-lint's section schemas.
//!
//! CloudFormation semantics, as cfn-lint implements them (the oracle the
//! corpus test compares with): scalars are coerced (a number or boolean is a
//! valid string, `"5"` a valid integer, `"true"` a valid boolean); an
//! intrinsic function is a value unknown until deploy, except that each branch
//! of `Fn::If` is checked, `Ref: AWS::NoValue` counts as absent, and functions
//! that always give a string or a list must not stand where an object is
//! required; dynamic references (`{{resolve:...}}`) skip the string checks.
//! Where an intrinsic makes a combinator undecidable (`oneOf` matching more
//! than one branch) nothing is reported: no false positive from the unknown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regress::Regex;
use serde_json::{Map, Value};

use crate::json::{intrinsic, push_index, push_key};
use crate::problem::show;

/// One thing wrong with a value, before it becomes a [`crate::Problem`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub rule: &'static str,
    pub path: String,
    pub message: String,
    pub value: Option<String>,
    pub allowed: Option<String>,
}

/// How far `$ref` may chain without the value getting smaller.
const MAX_REF_HOPS: usize = 32;

/// Checks values against the schemas of one document (`root` holds the
/// `definitions` that `$ref` names).
pub(crate) struct Checker<'s> {
    root: &'s Value,
    /// The template's `Parameters`, for `Ref`s to parameters with `AllowedValues`.
    parameters: Option<&'s Map<String, Value>>,
    /// Intrinsic functions are not allowed (the Parameters section).
    literal: bool,
    pub findings: Vec<Finding>,
}

impl<'s> Checker<'s> {
    pub(crate) fn new(root: &'s Value) -> Self {
        Checker {
            root,
            parameters: None,
            literal: false,
            findings: Vec::new(),
        }
    }

    /// For sections where CloudFormation evaluates no function: a function
    /// object is checked as the object it is.
    pub(crate) fn literal(mut self) -> Self {
        self.literal = true;
        self
    }

    /// Checks the `AllowedValues` of parameters that values `Ref`.
    pub(crate) fn with_parameters(mut self, parameters: Option<&'s Map<String, Value>>) -> Self {
        self.parameters = parameters;
        self
    }

    /// The findings, each once (a keyword and a branch of a combinator
    /// can say the same thing).
    pub(crate) fn into_findings(self) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::with_capacity(self.findings.len());
        for f in self.findings {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    fn push(&mut self, rule: &'static str, path: &str, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            rule,
            path: path.to_owned(),
            message: message.into(),
            value: None,
            allowed: None,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Checks `v` (at `path`) against `schema`.
    pub(crate) fn check(&mut self, schema: &'s Value, v: &Value, path: &mut String) {
        self.check_hops(schema, v, path, 0);
    }

    fn check_hops(&mut self, schema: &'s Value, v: &Value, path: &mut String, hops: usize) {
        let Value::Object(s) = schema else {
            if schema == &Value::Bool(false) {
                self.push("E-unknown-property", path, "is not allowed here");
            }
            return;
        };
        if let Some((name, arg)) = intrinsic(v).filter(|_| !self.literal) {
            return self.function(schema, s, name, arg, path, hops);
        }
        if let Some(Value::String(target)) = s.get("$ref") {
            match self.resolve(target) {
                Some(next) if hops < MAX_REF_HOPS => self.check_hops(next, v, path, hops + 1),
                _ => {}
            }
        }
        self.keywords(s, v, path);
    }

    /// `#/definitions/X` (any JSON pointer into the root document).
    fn resolve(&self, target: &str) -> Option<&'s Value> {
        let pointer = target.strip_prefix('#')?;
        self.root.pointer(pointer)
    }

    /// An intrinsic function where `s` expects a value.
    fn function(
        &mut self,
        schema: &'s Value,
        s: &'s Map<String, Value>,
        name: &str,
        arg: &Value,
        path: &mut String,
        hops: usize,
    ) {
        match (name, arg) {
            ("Fn::If", Value::Array(items)) if items.len() == 3 => {
                for (i, branch) in items.iter().enumerate().skip(1) {
                    let len = path.len();
                    push_key(path, "Fn::If");
                    push_index(path, i);
                    self.check_hops(schema, branch, path, hops);
                    path.truncate(len);
                }
            }
            ("Ref", Value::String(p)) => self.parameter(schema, p, path),
            ("Fn::Sub" | "Fn::Join", _) if let Some(text) = known_string(name, arg) => {
                let len = path.len();
                push_key(path, name);
                self.check_hops(schema, &Value::String(text), path, hops);
                path.truncate(len);
            }
            _ => self.function_result(s, name, path),
        }
    }

    /// A `Ref` to a single-value parameter: each of its `AllowedValues`
    /// must fit where the `Ref` stands.
    fn parameter(&mut self, schema: &'s Value, name: &str, path: &mut String) {
        let Some(p) = self.parameters.and_then(|ps| ps.get(name)) else {
            return;
        };
        let list = p
            .get("Type")
            .and_then(Value::as_str)
            .is_none_or(|t| t.contains("List"));
        let Some(Value::Array(allowed)) = p.get("AllowedValues").filter(|_| !list) else {
            return;
        };
        let len = path.len();
        push_key(path, "Ref");
        for value in allowed {
            for mut f in self.trial(schema, value, path) {
                f.message = format!("{} (an AllowedValues entry of parameter {name})", f.message);
                self.findings.push(f);
            }
        }
        path.truncate(len);
    }

    /// Functions whose result is always a string or always a list, where
    /// the schema wants only objects, or only a list, or only a scalar.
    fn function_result(&mut self, s: &'s Map<String, Value>, name: &str, path: &str) {
        let gives = match name {
            "Fn::Join" | "Fn::Sub" | "Fn::Base64" | "Fn::ToJsonString" => "string",
            "Fn::Split" | "Fn::GetAZs" | "Fn::Cidr" => "array",
            _ => return,
        };
        let types = match self.types_of(s) {
            Some(types) => types,
            None => return,
        };
        let fits = types.iter().any(|t| match gives {
            "string" => !matches!(*t, "object" | "array"),
            _ => *t == "array",
        });
        if !fits {
            let message = format!("{name} gives a {gives}, not {}", types.join(" or "));
            self.push("E-type", path, message);
        }
    }

    /// The `type` of `s`, following `$ref`.
    fn types_of(&self, s: &'s Map<String, Value>) -> Option<Vec<&'s str>> {
        let mut s = s;
        for _ in 0..MAX_REF_HOPS {
            match s.get("type") {
                Some(Value::String(t)) => return Some(vec![t.as_str()]),
                Some(Value::Array(ts)) => {
                    return Some(ts.iter().filter_map(Value::as_str).collect());
                }
                _ => {}
            }
            let target = s.get("$ref")?.as_str()?;
            s = self.resolve(target)?.as_object()?;
        }
        None
    }

    /// Every keyword of `s` on the literal value `v`.
    fn keywords(&mut self, s: &'s Map<String, Value>, v: &Value, path: &mut String) {
        if let Some(t) = s.get("type") {
            self.check_type(t, v, path);
        }
        match v {
            Value::Object(map) => self.object(s, map, path),
            Value::Array(items) => self.array(s, items, path),
            _ => self.scalar(s, v, path),
        }
        for (key, sub) in s {
            match key.as_str() {
                "enum" => self.check_enum(sub, v, path, false),
                "enumCaseInsensitive" => self.check_enum(sub, v, path, true),
                "const" => self.check_const(sub, v, path),
                "allOf" => self.all_of(sub, v, path),
                "anyOf" => self.any_of(sub, v, path, false),
                "oneOf" => self.any_of(sub, v, path, true),
                "not" => self.not(sub, v, path),
                "if" => self.if_then(s, sub, v, path),
                _ => {}
            }
        }
    }
}

// ---- types and scalars ----

impl<'s> Checker<'s> {
    fn check_type(&mut self, t: &Value, v: &Value, path: &str) {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return,
        };
        if types.is_empty() || types.iter().any(|t| is_type(t, v)) {
            return;
        }
        let f = self.push(
            "E-type",
            path,
            format!("is not of type {}", types.join(" or ")),
        );
        f.value = Some(show(v));
    }

    fn scalar(&mut self, s: &'s Map<String, Value>, v: &Value, path: &str) {
        let dynamic = v.as_str().is_some_and(|t| t.contains("{{resolve:"));
        for (key, sub) in s {
            match key.as_str() {
                "pattern" if !dynamic => self.pattern(sub, v, path),
                "minLength" | "maxLength" if !dynamic => self.length(key, sub, v, path),
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    self.range(key, sub, v, path);
                }
                "multipleOf" => self.multiple_of(sub, v, path),
                "format" if !dynamic => self.format(sub, v, path),
                _ => {}
            }
        }
    }

    fn pattern(&mut self, pattern: &Value, v: &Value, path: &str) {
        let Some(pattern) = pattern.as_str() else {
            return;
        };
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Number(_) | Value::Bool(_) => v.to_string(),
            _ => return,
        };
        let Some(regex) = regex(pattern) else {
            return;
        };
        if regex.find(&text).is_none() {
            let f = self.push(
                "E-pattern",
                path,
                format!("does not match pattern {pattern}"),
            );
            f.value = Some(show(v));
        }
    }

    /// The registry's resource formats (`AWS::EC2::VPC.Id`, ...), with the
    /// patterns cfn-lint gives them; standard formats (`date-time`) are not
    /// checked. S3 bucket names have their own rule in `services`.
    fn format(&mut self, format: &Value, v: &Value, path: &str) {
        const ARN: &str = "^arn:aws[a-zA-Z-]*:";
        let (Some(format), Value::String(text)) = (format.as_str(), v) else {
            return;
        };
        let pattern = match format {
            "AWS::EC2::Image.Id" if text.starts_with("resolve:ssm") => return,
            "AWS::EC2::Image.Id" => "^ami-([0-9a-z]{8}|[0-9a-z]{17})$".to_owned(),
            "AWS::EC2::SecurityGroup.Id" => "^sg-([a-fA-F0-9]{8}|[a-fA-F0-9]{17})$".to_owned(),
            "AWS::EC2::SecurityGroup.Name" => "^[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]+$".to_owned(),
            "AWS::EC2::Subnet.Id" => "^subnet-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$".to_owned(),
            "AWS::EC2::VPC.Id" => "^vpc-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$".to_owned(),
            "AWS::Logs::LogGroup.Name" => "^[.\\-_/#A-Za-z0-9]{1,512}$".to_owned(),
            "AWS::KMS::Alias.AliasName" => "^alias/[a-zA-Z0-9:/_-]+$".to_owned(),
            "AWS::KMS::Key.Id" => "^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+)$".to_owned(),
            "AWS::ACM::Certificate.Arn" => format!("{ARN}acm:[a-z0-9-]+:\\d{{12}}:certificate/.+$"),
            "AWS::IAM::Role.Arn" => format!("{ARN}iam::\\d{{12}}:role/.+$"),
            "AWS::KMS::Key.Arn" => format!("{ARN}kms:[a-z0-9-]+:\\d{{12}}:(key|alias)/.+$"),
            "AWS::Lambda::Function.Arn" => format!("{ARN}lambda:[a-z0-9-]+:\\d{{12}}:function:.+(:.+)?$"),
            "AWS::SNS::Topic.Arn" => format!("{ARN}sns:[a-z0-9-]+:\\d{{12}}:.+$"),
            _ => return,
        };
        if regex(&pattern).is_some_and(|r| r.find(text).is_none()) {
            let f = self.push("E-format", path, format!("is not a valid {format}"));
            f.value = Some(show(v));
        }
    }

    fn length(&mut self, key: &str, bound: &Value, v: &Value, path: &str) {
        let (Some(text), Some(bound)) = (v.as_str(), bound.as_u64()) else {
            return;
        };
        let n = text.chars().count() as u64;
        let message = match key {
            "minLength" if n < bound => {
                format!("is {n} characters long, shorter than the minimum of {bound}")
            }
            "maxLength" if n > bound => {
                format!("is {n} characters long, longer than the maximum of {bound}")
            }
            _ => return,
        };
        let rule = if key == "minLength" {
            "E-min-length"
        } else {
            "E-max-length"
        };
        self.push(rule, path, message).value = Some(show(v));
    }

    fn range(&mut self, key: &str, bound: &Value, v: &Value, path: &str) {
        let (Some(n), Some(b)) = (number(v), bound.as_f64()) else {
            return;
        };
        let (bad, rule, message) = match key {
            "minimum" => (n < b, "E-minimum", "is less than the minimum of"),
            "maximum" => (n > b, "E-maximum", "is greater than the maximum of"),
            "exclusiveMinimum" => (n <= b, "E-minimum", "is not greater than"),
            _ => (n >= b, "E-maximum", "is not less than"),
        };
        if bad {
            self.push(rule, path, format!("{message} {bound}")).value = Some(show(v));
        }
    }

    fn multiple_of(&mut self, m: &Value, v: &Value, path: &str) {
        let (Some(n), Some(m)) = (number(v), m.as_f64()) else {
            return;
        };
        if m > 0.0 && (n / m).fract().abs() > 1e-9 {
            let f = self.push("E-multiple-of", path, format!("is not a multiple of {m}"));
            f.value = Some(show(v));
        }
    }

    fn check_enum(&mut self, allowed: &Value, v: &Value, path: &str, fold: bool) {
        let Value::Array(allowed) = allowed else {
            return;
        };
        if v.as_str().is_some_and(|t| t.contains("{{resolve:")) {
            return;
        }
        if allowed.iter().any(|a| equal(a, v, fold)) {
            return;
        }
        let shown: Vec<String> = allowed
            .iter()
            .map(|a| a.as_str().map_or_else(|| a.to_string(), str::to_owned))
            .collect();
        let f = self.push("E-enum", path, "is not one of the allowed values");
        f.value = Some(show(v));
        f.allowed = Some(shown.join(", "));
    }

    fn check_const(&mut self, c: &Value, v: &Value, path: &str) {
        if !equal(c, v, false) {
            let f = self.push("E-const", path, format!("must be {}", show(c)));
            f.value = Some(show(v));
        }
    }
}

/// The string an `Fn::Sub` or `Fn::Join` gives when it is known before
/// deploy: a `Fn::Sub` without variables (or with literal ones), a
/// `Fn::Join` of literal strings.
fn known_string(name: &str, arg: &Value) -> Option<String> {
    use crate::json::{SubPart, parse_sub, sub_arg};
    match name {
        "Fn::Sub" => {
            let (text, vars) = sub_arg(arg)?;
            parse_sub(text)
                .into_iter()
                .map(|part| match part {
                    SubPart::Lit(s) => Some(s),
                    SubPart::Var(v) => vars?.get(v)?.as_str().map(str::to_owned),
                })
                .collect()
        }
        _ => match arg.as_array()?.as_slice() {
            [Value::String(sep), Value::Array(items)] => {
                let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                Some(parts?.join(sep))
            }
            _ => None,
        },
    }
}

/// CloudFormation's lenient type test (cfn-lint's `_raw_type`).
fn is_type(t: &str, v: &Value) -> bool {
    match (t, v) {
        ("object", Value::Object(_)) | ("array", Value::Array(_)) | ("null", Value::Null) => true,
        (_, Value::Null) => false,
        ("string", v) => !v.is_object() && !v.is_array(),
        ("number", Value::Number(_)) => true,
        ("number", Value::String(s)) => s.trim().parse::<f64>().is_ok(),
        ("integer", Value::Number(_)) => true,
        ("integer", Value::String(s)) => s.trim().parse::<i128>().is_ok(),
        ("boolean", Value::Bool(_)) => true,
        ("boolean", Value::String(s)) => {
            matches!(
                s.as_str(),
                "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
            )
        }
        _ => false,
    }
}

/// The number a literal stands for, numeric strings included.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Equality as cfn-lint's `enum` sees it: `"true"` equals `true`, `"1"`
/// equals `1`, strings fold case when `fold`.
fn equal(a: &Value, b: &Value, fold: bool) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(x) => Some(x.to_string()),
        _ => None,
    };
    let boolish = |v: &Value| match v {
        Value::Bool(x) => Some(*x),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    };
    if (a.is_boolean() || b.is_boolean()) && !(a.is_number() || b.is_number()) {
        return boolish(a).is_some() && boolish(a) == boolish(b);
    }
    match (text(a), text(b)) {
        (Some(x), Some(y)) if fold => x.to_lowercase() == y.to_lowercase(),
        (Some(x), Some(y)) if a.is_string() || b.is_string() => x == y,
        _ => match (a, b) {
            (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
            _ => a == b,
        },
    }
}

/// Registry patterns compiled once per process with an ECMA-262 engine (the
/// registry's pattern dialect). A pattern ECMA-262 rejects is retried with
/// the `u` flag; `None` only for one neither accepts (counted by a test).
pub(crate) fn regex(pattern: &str) -> Option<Arc<Regex>> {
    type Cache = Mutex<HashMap<String, Option<Arc<Regex>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(pattern.to_owned())
        .or_insert_with(|| compile(pattern).map(Arc::new))
        .clone()
}

pub(crate) fn compile(pattern: &str) -> Option<Regex> {
    // Without the `u` flag `\p{L}` would mean the letters `p{L}`, and ECMA-262
    // reads Python's anchors `\A`/`\Z` as the letters `A`/`Z`: translate those.
    let python = ["\\p{", "\\P{", "\\A", "\\Z"]
        .iter()
        .any(|s| pattern.contains(s));
    if !python && let Ok(r) = Regex::new(pattern) {
        return Some(r);
    }
    let (text, mut flags) = translate(pattern);
    if text.contains("\\p{") || text.contains("\\P{") {
        flags.push('u');
    }
    Regex::with_flags(&text, flags.as_str()).ok()
}

/// The Python- and Java-isms some registry patterns have, in ECMA-262 form:
/// inline `(?i)`/`(?s)` become flags (for the whole pattern: at worst more
/// permissive), a quantifier after `$` (`${1,128}`, a no-op) is dropped, a
/// `-` right after `\p{..}` in a class is a literal hyphen, the POSIX classes
/// `\p{Print}`/`\p{Graph}` become ASCII ranges, and a class intersection
/// `[A&&[^B]]` becomes a look-ahead, and the anchors `\A`/`\Z` become `^`/`$`.
fn translate(pattern: &str) -> (String, String) {
    let mut flags = String::new();
    let mut text = intersections(pattern)
        .replace("\\p{Print}", "\\x20-\\x7E")
        .replace("\\p{Graph}", "\\x21-\\x7E");
    for (inline, flag) in [("(?i)", 'i'), ("(?s)", 's')] {
        if text.contains(inline) {
            text = text.replace(inline, "");
            flags.push(flag);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        out.push(c);
        if c == '\\'
            && let Some(next) = rest.chars().next()
        {
            rest = &rest[next.len_utf8()..];
            // Python's whole-input anchors are ECMA-262's `^`/`$` (no `m` flag).
            if let Some(anchor) = python_anchor(next) {
                out.pop();
                out.push(anchor);
                continue;
            }
            out.push(next);
            if matches!(next, 'p' | 'P')
                && rest.starts_with('{')
                && let Some(end) = rest.find('}')
            {
                out.push_str(&rest[..=end]);
                rest = &rest[end + 1..];
                if let Some(after) = rest.strip_prefix('-') {
                    out.push_str("\\-");
                    rest = after;
                }
            }
        } else if c == '$'
            && rest.starts_with('{')
            && let Some(end) = rest.find('}')
            && rest[1..end].chars().all(|c| c.is_ascii_digit() || c == ',')
        {
            rest = &rest[end + 1..];
        }
    }
    (posix_outside_classes(&out), flags)
}

/// `^` for Python's `\A` and `$` for its `\Z`.
fn python_anchor(escaped: char) -> Option<char> {
    match escaped {
        'A' => Some('^'),
        'Z' => Some('$'),
        _ => None,
    }
}

/// `[A&&[^B]]` as `(?:(?![B])[A])`.
fn intersections(pattern: &str) -> String {
    let mut text = pattern.to_owned();
    while let Some(at) = text.find("&&[^") {
        let Some(open) = text[..at].rfind('[') else {
            break;
        };
        let Some(close) = text[at..].find("]]").map(|c| at + c) else {
            break;
        };
        let (a, b) = (&text[open + 1..at], &text[at + 4..close]);
        let replaced = format!("(?:(?![{b}])[{a}])");
        text.replace_range(open..close + 2, &replaced);
    }
    text
}

/// An ASCII range put in for a POSIX class outside `[...]` needs brackets.
fn posix_outside_classes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let rest = &text[i..];
                let range = ["\\x20-\\x7E", "\\x21-\\x7E"]
                    .into_iter()
                    .find(|r| rest.starts_with(r));
                match range {
                    Some(r) if depth == 0 => {
                        out.push_str(&format!("[{r}]"));
                        for _ in 1..r.len() {
                            chars.next();
                        }
                    }
                    _ => {
                        out.push(c);
                        if let Some((_, n)) = chars.next() {
                            out.push(n);
                        }
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' => {
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

// ---- objects and arrays ----

impl<'s> Checker<'s> {
    fn object(&mut self, s: &'s Map<String, Value>, map: &Map<String, Value>, path: &mut String) {
        // `Fn::Transform` (`AWS::Include`, a macro) adds keys at deploy:
        // what the object holds is not known.
        if map.contains_key("Fn::Transform") {
            return;
        }
        let props = s.get("properties").and_then(Value::as_object);
        let patterns = s.get("patternProperties").and_then(Value::as_object);
        let additional = s.get("additionalProperties");
        for (key, value) in map {
            let len = path.len();
            push_key(path, key);
            self.member(props, patterns, additional, key, value, path);
            path.truncate(len);
        }
        for (key, sub) in s {
            match key.as_str() {
                "required" => self.required(sub, map, path),
                "minProperties" | "maxProperties" => self.count_properties(key, sub, map, path),
                "propertyNames" => self.property_names(sub, map, path),
                "dependentRequired" | "dependencies" => self.dependent(sub, map, path, true),
                "dependentExcluded" => self.dependent(sub, map, path, false),
                "requiredXor" => self.required_of(sub, map, path, true),
                "requiredOr" => self.required_of(sub, map, path, false),
                _ => {}
            }
        }
    }

    fn member(
        &mut self,
        props: Option<&'s Map<String, Value>>,
        patterns: Option<&'s Map<String, Value>>,
        additional: Option<&'s Value>,
        key: &str,
        value: &Value,
        path: &mut String,
    ) {
        if let Some(sub) = props.and_then(|p| p.get(key)) {
            return self.check(sub, value, path);
        }
        let mut matched = false;
        for (pattern, sub) in patterns.into_iter().flatten() {
            if regex(pattern).is_some_and(|r| r.find(key).is_some()) {
                matched = true;
                self.check(sub, value, path);
            }
        }
        match additional {
            _ if matched => {}
            Some(Value::Bool(false)) => self.unknown(props, key, path),
            Some(sub @ Value::Object(_)) => self.check(sub, value, path),
            _ => {}
        }
    }

    fn unknown(&mut self, props: Option<&'s Map<String, Value>>, key: &str, path: &str) {
        let names: Vec<&str> = props
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        let close = names
            .iter()
            .map(|n| {
                (
                    strsim::damerau_levenshtein(&key.to_lowercase(), &n.to_lowercase()),
                    *n,
                )
            })
            .filter(|(d, n)| *d <= 2.max(n.len() / 4))
            .min();
        let message = match close {
            Some((_, n)) => format!("is not a property here; did you mean {n}?"),
            None => "is not a property here".to_owned(),
        };
        let f = self.push("E-unknown-property", path, message);
        f.value = Some(crate::problem::show_str(key));
        if close.is_none() && !names.is_empty() && names.len() <= 40 {
            f.allowed = Some(names.join(", "));
        }
    }

    fn required(&mut self, names: &Value, map: &Map<String, Value>, path: &str) {
        for name in names
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(name) {
                self.push(
                    "E-required",
                    path,
                    format!("is missing required property {name}"),
                );
            }
        }
    }

    fn count_properties(&mut self, key: &str, n: &Value, map: &Map<String, Value>, path: &str) {
        let (Some(n), len) = (n.as_u64(), map.len() as u64) else {
            return;
        };
        if key == "minProperties" && len < n {
            self.push(
                "E-min-properties",
                path,
                format!("has {len} properties, fewer than {n}"),
            );
        } else if key == "maxProperties" && len > n {
            self.push(
                "E-max-properties",
                path,
                format!("has {len} properties, more than {n}"),
            );
        }
    }

    fn property_names(&mut self, sub: &'s Value, map: &Map<String, Value>, path: &mut String) {
        for key in map.keys() {
            let len = path.len();
            push_key(path, key);
            let mut inner = Checker::new(self.root);
            inner.check(sub, &Value::String(key.clone()), path);
            for mut f in inner.findings {
                f.rule = "E-property-name";
                f.message = format!(
                    "is not an allowed name: it {}",
                    f.message.trim_start_matches("is ")
                );
                self.findings.push(f);
            }
            path.truncate(len);
        }
    }

    /// `dependentRequired` (`need`) or `dependentExcluded` (`!need`).
    fn dependent(
        &mut self,
        sub: &'s Value,
        map: &Map<String, Value>,
        path: &mut String,
        need: bool,
    ) {
        for (key, deps) in sub.as_object().into_iter().flatten() {
            if !present(map, key) {
                continue;
            }
            if let Value::Object(_) = deps {
                self.check(deps, &Value::Object(map.clone()), path);
                continue;
            }
            for dep in deps
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if need && !map.contains_key(dep) {
                    // On the object, where the missing property belongs.
                    let message = format!("sets {key}, which needs {dep}");
                    self.push("E-dependent-required", path, message);
                } else if !need && present(map, dep) {
                    let message = format!("is set with {key}, which excludes it");
                    let at = format!("{path}.{dep}");
                    self.push("E-dependent-excluded", &at, message);
                }
            }
        }
    }

    /// `requiredXor` (exactly one of) or `requiredOr` (at least one of).
    fn required_of(&mut self, names: &Value, map: &Map<String, Value>, path: &str, xor: bool) {
        let names: Vec<&str> = names
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if !names.iter().any(|n| map.contains_key(*n)) {
            let message = format!("needs one of {}", names.join(", "));
            self.push(
                if xor {
                    "E-required-xor"
                } else {
                    "E-required-or"
                },
                path,
                message,
            );
        } else if xor && let Some(second) = names.iter().filter(|n| present(map, n)).nth(1) {
            let message = format!(
                "is set with another of {}: only one may be",
                names.join(", ")
            );
            self.push("E-required-xor", &format!("{path}.{second}"), message);
        }
    }

    fn array(&mut self, s: &'s Map<String, Value>, items: &[Value], path: &mut String) {
        let prefix = match (s.get("prefixItems"), s.get("items")) {
            (Some(Value::Array(p)), _) | (None, Some(Value::Array(p))) => p.as_slice(),
            _ => &[],
        };
        let rest = s.get("items").filter(|i| i.is_object());
        for (i, item) in items.iter().enumerate() {
            let Some(sub) = prefix.get(i).or(rest) else {
                continue;
            };
            let len = path.len();
            push_index(path, i);
            self.check(sub, item, path);
            path.truncate(len);
        }
        let n = items.len() as u64;
        if let Some(min) = s.get("minItems").and_then(Value::as_u64).filter(|m| n < *m) {
            self.push(
                "E-min-items",
                path,
                format!("has {n} items, fewer than the minimum of {min}"),
            );
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64).filter(|m| n > *m) {
            self.push(
                "E-max-items",
                path,
                format!("has {n} items, more than the maximum of {max}"),
            );
        }
        if s.get("uniqueItems") == Some(&Value::Bool(true)) {
            self.unique(items, path);
        }
    }

    /// Items must differ; an item holding `Fn::If` may vanish or change
    /// at deploy, so it is not compared.
    fn unique(&mut self, items: &[Value], path: &str) {
        let known = |v: &&Value| !has_if(v);
        for (i, item) in items.iter().enumerate().filter(|(_, v)| known(v)) {
            if items[..i]
                .iter()
                .filter(known)
                .any(|earlier| earlier == item)
            {
                let message = format!("repeats item {i}: the items of this list must be unique");
                self.push("E-unique-items", path, message).value = Some(show(item));
            }
        }
    }
}

fn has_if(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().any(has_if),
        Value::Object(map) => map.contains_key("Fn::If") || map.values().any(has_if),
        _ => false,
    }
}

/// Set, and not to `Ref: AWS::NoValue`.
fn present(map: &Map<String, Value>, key: &str) -> bool {
    match map.get(key) {
        None => false,
        Some(v) => !is_no_value(v),
    }
}

pub(crate) fn is_no_value(v: &Value) -> bool {
    matches!(intrinsic(v), Some(("Ref", Value::String(s))) if s == "AWS::NoValue")
}

/// Whether `v` holds an intrinsic function anywhere.
fn has_intrinsic(v: &Value) -> bool {
    if intrinsic(v).is_some() {
        return true;
    }
    match v {
        Value::Array(items) => items.iter().any(has_intrinsic),
        Value::Object(map) => map.values().any(has_intrinsic),
        _ => false,
    }
}

// ---- combinators ----

impl<'s> Checker<'s> {
    /// The findings `sub` has for `v`, without keeping them.
    fn trial(&self, sub: &'s Value, v: &Value, path: &str) -> Vec<Finding> {
        let mut inner = Checker::new(self.root).with_parameters(self.parameters);
        inner.literal = self.literal;
        inner.check(sub, v, &mut path.to_owned());
        inner.findings
    }

    fn all_of(&mut self, subs: &'s Value, v: &Value, path: &mut String) {
        for sub in subs.as_array().into_iter().flatten() {
            self.check(sub, v, path);
        }
    }

    /// `anyOf`, or `oneOf` when `one`. When no branch fits, the findings of
    /// the closest branch are reported (a branch whose only complaint is the
    /// type of the value itself does not apply to it).
    fn any_of(&mut self, subs: &'s Value, v: &Value, path: &mut String, one: bool) {
        let Some(subs) = subs.as_array() else { return };
        let trials: Vec<Vec<Finding>> = subs.iter().map(|sub| self.trial(sub, v, path)).collect();
        let fitting = trials.iter().filter(|t| t.is_empty()).count();
        if one && fitting > 1 && !has_intrinsic(v) {
            let message = format!("matches {fitting} of the forms where exactly one is allowed");
            self.push("E-one-of", path, message);
        }
        if fitting > 0 {
            return;
        }
        let applies = |t: &&Vec<Finding>| !t.iter().any(|f| f.rule == "E-type" && f.path == *path);
        match trials.iter().filter(applies).min_by_key(|t| t.len()) {
            Some(best) => self.findings.extend(best.iter().cloned()),
            None => {
                let f = self.push("E-type", path, "matches none of the allowed forms");
                f.value = Some(show(v));
            }
        }
    }

    fn not(&mut self, sub: &'s Value, v: &Value, path: &str) {
        if self.trial(sub, v, path).is_empty() && !has_intrinsic(v) {
            let message = match sub.get("required").and_then(Value::as_array) {
                Some(names) => format!("must not set {}", show(&Value::Array(names.clone()))),
                None => "matches a form that is not allowed".to_owned(),
            };
            self.push("E-not", path, message);
        }
    }

    fn if_then(
        &mut self,
        s: &'s Map<String, Value>,
        cond: &'s Value,
        v: &Value,
        path: &mut String,
    ) {
        let branch = if self.trial(cond, v, path).is_empty() {
            s.get("then")
        } else {
            s.get("else")
        };
        if let Some(branch) = branch {
            self.check(branch, v, path);
        }
    }
}

#[cfg(test)]
mod tests;

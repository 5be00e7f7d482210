//! The YAML reader: `yaml-rust2`'s event parser (it reports tags and
//! positions, which a `serde` loader drops) folded into a `Value`, with
//! CloudFormation's short-form tags (`!Ref`, `!GetAtt a.b`, `!Sub`, ...)
//! turned into their long form and scalars resolved as YAML 1.1 does (the
//! rules of PyYAML, which cfn-lint and the AWS CLI use): `yes`/`no`/`on`/`off`
//! are booleans, `0755` octal.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::{Builder, Pos, ReadError};

/// Nesting deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 512;

/// How many values aliases may copy in all, against "billion laughs" input.
const MAX_ALIAS_NODES: usize = 5_000_000;

pub(super) fn parse(text: &str, out: &mut Builder) -> Result<Value, ReadError> {
    let mut recv = Receiver {
        out,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        error: None,
        copied: 0,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(err) = parser.load(&mut recv, false) {
        let m = err.marker();
        return Err(ReadError {
            pos: pos(m),
            message: err.info().to_owned(),
        });
    }
    if let Some(err) = recv.error {
        return Err(err);
    }
    Ok(recv.root.unwrap_or(Value::Null))
}

fn pos(m: &Marker) -> Pos {
    Pos {
        line: m.line() as u32,
        column: m.col() as u32 + 1,
    }
}

enum Kind {
    Map {
        map: Map<String, Value>,
        key: Option<(String, Pos)>,
    },
    Seq(Vec<Value>),
}

struct Frame {
    kind: Kind,
    tag: Option<Tag>,
    anchor: usize,
    /// A short-form function (`!If [..]`): its items' paths go through
    /// the long form's key (`X.Fn::If[1]`).
    function: bool,
}

struct Receiver<'b> {
    out: &'b mut Builder,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, usize)>,
    root: Option<Value>,
    error: Option<ReadError>,
    copied: usize,
}

impl MarkedEventReceiver for Receiver<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() || (self.root.is_some() && self.stack.is_empty()) {
            return;
        }
        let at = pos(&mark);
        match ev {
            Event::Scalar(text, style, anchor, tag) if self.begin(at, false) => {
                let value = scalar(text, style, tag.as_ref());
                self.finish(value, tag, anchor, at);
            }
            Event::SequenceStart(anchor, tag) => self.open(Kind::Seq(Vec::new()), tag, anchor, at),
            Event::MappingStart(anchor, tag) => {
                let kind = Kind::Map {
                    map: Map::new(),
                    key: None,
                };
                self.open(kind, tag, anchor, at);
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(at),
            Event::Alias(id) => self.alias(id, at),
            _ => {}
        }
    }
}

impl Receiver<'_> {
    fn fail(&mut self, at: Pos, message: impl Into<String>) {
        self.error.get_or_insert(ReadError {
            pos: at,
            message: message.into(),
        });
    }

    /// A node starts at `at`; `false` (and an error) when it may not start here.
    fn begin(&mut self, at: Pos, container: bool) -> bool {
        match self.stack.last().map(|f| &f.kind) {
            Some(Kind::Seq(items)) => {
                let i = items.len();
                self.out.enter_index(i, at);
            }
            Some(Kind::Map { key: None, .. }) if container => {
                self.fail(
                    at,
                    "a mapping key must be a plain string, not a list or mapping",
                );
                return false;
            }
            _ => {}
        }
        true
    }

    fn open(&mut self, kind: Kind, tag: Option<Tag>, anchor: usize, at: Pos) {
        if self.stack.len() >= MAX_DEPTH {
            return self.fail(at, format!("nested more than {MAX_DEPTH} levels deep"));
        }
        if self.begin(at, true) {
            let function = tag.as_ref().and_then(function_name);
            if let Some(name) = &function {
                self.out.enter_key(name, at);
            }
            let function = function.is_some();
            self.stack.push(Frame {
                kind,
                tag,
                anchor,
                function,
            });
        }
    }

    fn close(&mut self, at: Pos) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if frame.function {
            self.out.leave();
        }
        let value = match frame.kind {
            Kind::Map { map, .. } => Value::Object(map),
            Kind::Seq(items) => Value::Array(items),
        };
        self.finish(value, frame.tag, frame.anchor, at);
    }

    fn alias(&mut self, id: usize, at: Pos) {
        let Some((value, size)) = self.anchors.get(&id).cloned() else {
            return self.fail(at, "alias to an unknown anchor");
        };
        self.copied += size;
        if self.copied > MAX_ALIAS_NODES {
            return self.fail(at, "aliases expand to too many values");
        }
        if self.begin(at, !value.is_string()) {
            self.finish(value, None, 0, at);
        }
    }

    /// A complete node: applies its tag, records its anchor, places it.
    fn finish(&mut self, value: Value, tag: Option<Tag>, anchor: usize, at: Pos) {
        let value = match tag {
            Some(tag) => tagged(&tag, value),
            None => value,
        };
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), count(&value)));
        }
        match self.stack.last_mut().map(|f| &mut f.kind) {
            None => self.root = Some(value),
            Some(Kind::Seq(items)) => {
                items.push(value);
                self.out.leave();
            }
            Some(Kind::Map { key: None, .. }) => self.key(value, at),
            Some(Kind::Map { map, key }) => {
                let (k, key_at) = key.take().unwrap_or_default();
                self.out.leave();
                if k == "<<" {
                    merge(map, value);
                } else {
                    self.out.insert(map, k, value, key_at);
                }
            }
        }
    }

    fn key(&mut self, value: Value, at: Pos) {
        let text = match value {
            Value::String(s) => s,
            Value::Null => "null".to_owned(),
            Value::Bool(_) | Value::Number(_) => value.to_string(),
            _ => return self.fail(at, "a mapping key must be a plain string"),
        };
        self.out.enter_key(&text, at);
        if let Some(Frame {
            kind: Kind::Map { key, .. },
            ..
        }) = self.stack.last_mut()
        {
            *key = Some((text, at));
        }
    }
}

/// The number of values in `v`, to bound what aliases copy.
fn count(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

/// `<<: *base` (or a list of them): keys of the merged mappings that the
/// mapping does not set itself.
fn merge(map: &mut Map<String, Value>, value: Value) {
    let sources = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for source in sources {
        if let Value::Object(src) = source {
            for (k, v) in src {
                map.entry(k).or_insert(v);
            }
        }
    }
}

/// The long-form key of a CloudFormation short-form tag.
fn function_name(tag: &Tag) -> Option<String> {
    if tag.handle != "!" {
        return None;
    }
    Some(match tag.suffix.as_str() {
        "Ref" => "Ref".to_owned(),
        "Condition" => "Condition".to_owned(),
        other => format!("Fn::{other}"),
    })
}

/// A value with a CloudFormation short-form tag in its long form.
fn tagged(tag: &Tag, value: Value) -> Value {
    let Some(name) = function_name(tag) else {
        return value;
    };
    let value = match (name.as_str(), value) {
        ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
            Some((id, attr)) => Value::Array(vec![id.into(), attr.into()]),
            None => Value::String(s),
        },
        (_, value) => value,
    };
    let mut map = Map::new();
    map.insert(name, value);
    Value::Object(map)
}

/// A scalar as YAML 1.1 resolves it: only plain, untagged scalars can be
/// anything other than strings.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if style != TScalarStyle::Plain || tag.is_some() {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return Value::Bool(true);
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    number(&text).unwrap_or(Value::String(text))
}

/// A YAML 1.1 integer or float, `None` for anything else.
fn number(text: &str) -> Option<Value> {
    let (sign, body) = match text.as_bytes().first()? {
        b'-' => (-1i128, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => (1, text),
    };
    let digits: String = body.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || body.starts_with('_') {
        return None;
    }
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        i128::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i128::from_str_radix(bin, 2).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        i128::from_str_radix(&digits[1..], 8).ok()
    } else if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    };
    if let Some(n) = int {
        let n = sign * n;
        return i64::try_from(n)
            .map(|n| Value::Number(n.into()))
            .or_else(|_| u64::try_from(n).map(|n| Value::Number(n.into())))
            .ok();
    }
    float(&digits)
        .and_then(|f| Number::from_f64(sign as f64 * f))
        .map(Value::Number)
}

/// YAML 1.1 floats have a dot, and a signed exponent if any (`1e5` is a string).
fn float(digits: &str) -> Option<f64> {
    let (mantissa, exponent) = match digits.find(['e', 'E']) {
        Some(i) => (&digits[..i], Some(&digits[i + 1..])),
        None => (digits, None),
    };
    let dot_ok = mantissa.contains('.')
        && mantissa.bytes().filter(|&b| b == b'.').count() == 1
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && mantissa.len() > 1;
    let exp_ok = exponent.is_none_or(|e| {
        e.len() > 1
            && matches!(e.as_bytes()[0], b'+' | b'-')
            && e[1..].bytes().all(|b| b.is_ascii_digit())
    });
    if dot_ok && exp_ok {
        digits.parse().ok()
    } else {
        None
    }
}

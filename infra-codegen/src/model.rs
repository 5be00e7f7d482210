//! From a registry schema to the intermediate model that `emit` renders:
//! structs, enums and GetAtt attributes of one resource type.
//!
//! Mapping rules: `$ref` to a definition becomes a named type, generated once
//! per resource type in its property module; `enum` becomes a Rust enum
//! (string, number or boolean values); objects with `properties` become
//! structs, with `patternProperties` or `additionalProperties` maps, without
//! either free-form [`Leaf::Json`]; `allOf` branches are merged into one
//! schema; a type list (`["object", "string"]`) is free-form JSON; an
//! `anyOf`/`oneOf` whose branches hold only `format`/`relationshipRef`/
//! `required` is a constraint and is ignored. Read-only properties, at any
//! depth, are not settable. Keywords not named here are ignored.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
// The service segment as a module and cargo feature: `AWS::SNS::Topic` -> `sns`.
use infra_registry::service_of;
use serde_json::{Map, Value as Json};

use crate::overrides::{self, Override};

/// A scalar property type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leaf {
    String,
    Integer,
    Number,
    Boolean,
    Json,
}

/// The Rust type of a property, before rendering.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Leaf(Leaf),
    Enum(String),
    Struct(String),
    List(Box<Ty>),
    Map(Box<Ty>),
    /// A hand-written type of `infra_core::typed`, from the table of overrides.
    Typed(Override),
}

#[derive(Debug)]
pub struct Field {
    pub json: String,
    /// The field's name, `r#type` for a keyword.
    pub rust: String,
    /// The setter's name: the field's, unless that is taken (`new`).
    pub setter: String,
    pub doc: String,
    pub ty: Ty,
    pub required: bool,
    pub boxed: bool,
}

#[derive(Debug)]
pub struct Struct {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

#[derive(Debug)]
pub struct Enum {
    pub name: String,
    pub doc: String,
    /// (Rust variant, JSON value)
    pub variants: Vec<(String, Json)>,
}

impl Enum {
    /// Whether every value is a string, so serde's `rename` can spell them.
    pub fn is_string(&self) -> bool {
        self.variants.iter().all(|(_, v)| v.is_string())
    }
}

#[derive(Debug)]
pub enum Item {
    Struct(Struct),
    Enum(Enum),
}

/// A GetAtt attribute: `Endpoint.Address`, const `EndpointAddress`, method `endpoint_address`.
#[derive(Debug)]
pub struct Attr {
    pub name: String,
    pub const_name: String,
    pub method: String,
    pub ty: Ty,
}

/// Everything generated for one resource type.
#[derive(Debug)]
pub struct ResourceType {
    pub type_name: String,
    pub service: String,
    /// `Table`, the struct name; `table`, the module of its property types.
    pub name: String,
    pub module: String,
    pub root: Struct,
    pub items: Vec<Item>,
    pub attrs: Vec<Attr>,
    pub holds_data: bool,
    /// Property types this type takes from its service's `shared` module.
    pub shared: Vec<String>,
}

/// Names the generated code uses unqualified; definitions with these names are prefixed.
const RESERVED: &[&str] = &[
    "Value",
    "Option",
    "Vec",
    "String",
    "Box",
    "BTreeMap",
    "Json",
    "Self",
    "Some",
    "None",
    "Handle",
    "Accessors",
    "Result",
];

/// Builds the model of one resource type from its schema and its registry
/// metadata (GetAtt attributes, data holding).
pub fn build(type_name: &str, json: &Json, meta: &infra_registry::TypeMeta) -> ResourceType {
    let name = type_name
        .split("::")
        .nth(2)
        .unwrap_or_default()
        .to_upper_camel_case();
    let read_only = read_only_owners(json);
    let mut cx = Cx::new(json, read_only);
    let mut root = cx.structure(&name, json, "");
    apply_overrides(type_name, &mut root);
    let mut items: Vec<Item> = std::mem::take(&mut cx.items).into_values().collect();
    box_recursion(&mut items);
    ResourceType {
        type_name: type_name.to_owned(),
        service: service_of(type_name),
        module: field_name(&name.to_snake_case()),
        attrs: crate::getatt::attributes(meta, json),
        holds_data: meta.holds_data.is_some(),
        name,
        root,
        items,
        shared: Vec::new(),
    }
}

/// Puts the hand-written type of each override in place of the schema's
/// free-form JSON or string; a property of any other shape keeps its type, and
/// `unapplied` reports the row as stale.
fn apply_overrides(type_name: &str, root: &mut Struct) {
    for f in &mut root.fields {
        if let Some(o) = overrides::find(type_name, &f.json)
            && matches!(f.ty, Ty::Leaf(Leaf::Json | Leaf::String))
        {
            f.ty = Ty::Typed(o);
        }
    }
}

/// The override rows that no generated property took: the schema dropped or
/// retyped the property, so the row (and maybe its type) needs review.
pub fn unapplied(types: &[ResourceType]) -> Vec<String> {
    let applied = |o: &Override| {
        types.iter().any(|t| {
            t.type_name == o.type_name && t.root.fields.iter().any(|f| f.ty == Ty::Typed(*o))
        })
    };
    overrides::OVERRIDES
        .iter()
        .filter(|o| !applied(o))
        .map(|o| {
            format!(
                "type override {}/{}: no free-form JSON or string property of that name in the schema",
                o.type_name, o.property
            )
        })
        .collect()
}

struct Cx<'a> {
    defs: Map<String, Json>,
    /// Canonical path of a struct (`""` root, `#Def` a definition, `/A/*` an
    /// inline one) -> its read-only properties.
    read_only: BTreeMap<String, BTreeSet<String>>,
    /// Definition name -> resolved type, filled before a struct's fields so recursion ends.
    resolved: BTreeMap<String, Ty>,
    /// Definition name -> Rust name.
    def_names: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    items: BTreeMap<String, Item>,
    _schema: std::marker::PhantomData<&'a Json>,
}

impl<'a> Cx<'a> {
    fn new(schema: &'a Json, read_only: BTreeMap<String, BTreeSet<String>>) -> Self {
        let defs = schema["definitions"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        let mut def_names = BTreeMap::new();
        for def in defs.keys() {
            let rust = unique(&mut taken, &type_name(def), "Definition");
            def_names.insert(def.clone(), rust);
        }
        Cx {
            defs,
            read_only,
            resolved: BTreeMap::new(),
            def_names,
            taken,
            items: BTreeMap::new(),
            _schema: std::marker::PhantomData,
        }
    }

    /// The struct `name` of `schema` at canonical `path`, without its read-only properties.
    fn structure(&mut self, name: &str, schema: &Json, path: &str) -> Struct {
        let schema = merge_all_of(schema);
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        let read_only = self.read_only.get(path).cloned().unwrap_or_default();
        let mut taken = BTreeSet::new();
        let mut fields = Vec::new();
        for (json, prop) in schema["properties"].as_object().into_iter().flatten() {
            if read_only.contains(json) {
                continue;
            }
            let ty = self.ty(prop, json, name, &format!("{path}/{json}"));
            let rust = unique(&mut taken, &field_name(json), "field_");
            // `new` is the constructor.
            let setter = if rust == "new" {
                "new_".to_owned()
            } else {
                rust.clone()
            };
            fields.push(Field {
                json: json.clone(),
                required: required.contains(&json.as_str()),
                doc: doc(prop),
                rust,
                setter,
                ty,
                boxed: false,
            });
        }
        Struct {
            name: name.to_owned(),
            doc: doc(&schema),
            fields,
        }
    }

    /// The type of `schema` at canonical `path`, naming inline types after
    /// `hint` (the property) or `parent`.
    fn ty(&mut self, schema: &Json, hint: &str, parent: &str, path: &str) -> Ty {
        let schema = &merge_all_of(schema);
        if let Some(def) = def_ref(schema) {
            return self.definition(def);
        }
        match type_of(schema) {
            _ if has_enum(schema) => self.enumeration(hint, parent, schema, None),
            Some("string") => Ty::Leaf(Leaf::String),
            Some("integer") => Ty::Leaf(Leaf::Integer),
            Some("number") => Ty::Leaf(Leaf::Number),
            Some("boolean") => Ty::Leaf(Leaf::Boolean),
            Some("array") => Ty::List(Box::new(self.items_ty(schema, hint, parent, path))),
            Some("object") | None if schema["properties"].is_object() => {
                self.inline_struct(hint, parent, schema, path)
            }
            Some("object") => self.map_or_json(schema, hint, parent, path),
            None if only_formats(schema) => Ty::Leaf(Leaf::String),
            None => match typed_branch(schema) {
                Some(branch) => self.ty(branch, hint, parent, path),
                None => Ty::Leaf(Leaf::Json),
            },
            _ => Ty::Leaf(Leaf::Json),
        }
    }

    fn items_ty(&mut self, schema: &Json, hint: &str, parent: &str, path: &str) -> Ty {
        match schema.get("items") {
            Some(items) => self.ty(items, hint, parent, &format!("{path}/*")),
            None => Ty::Leaf(Leaf::Json),
        }
    }

    /// A map when every pattern (and `additionalProperties`) has the same value
    /// type, a map of free-form values when they differ, else free-form JSON.
    fn map_or_json(&mut self, schema: &Json, hint: &str, parent: &str, path: &str) -> Ty {
        let patterns = schema["patternProperties"].as_object();
        let additional = schema.get("additionalProperties").filter(|v| v.is_object());
        let values: Vec<&Json> = patterns
            .into_iter()
            .flat_map(|m| m.values())
            .chain(additional)
            .collect();
        let mut types: Vec<Ty> = Vec::new();
        for v in values {
            let ty = self.ty(v, hint, parent, &format!("{path}/*"));
            if !types.contains(&ty) {
                types.push(ty);
            }
        }
        match types.len() {
            0 => Ty::Leaf(Leaf::Json),
            1 => Ty::Map(Box::new(types.remove(0))),
            _ => Ty::Map(Box::new(Ty::Leaf(Leaf::Json))),
        }
    }

    fn definition(&mut self, def: &str) -> Ty {
        if let Some(ty) = self.resolved.get(def) {
            return ty.clone();
        }
        let Some(schema) = self.defs.get(def).map(merge_all_of) else {
            return Ty::Leaf(Leaf::Json);
        };
        let name = self.def_names[def].clone();
        let path = format!("#{def}");
        let ty = match type_of(&schema) {
            _ if has_enum(&schema) => self.enumeration(&name, "", &schema, Some(name.clone())),
            Some("object") | None if schema["properties"].is_object() => {
                self.resolved
                    .insert(def.to_owned(), Ty::Struct(name.clone()));
                self.named_struct(&name, &schema, &path)
            }
            // An array definition names its item type after itself (KeySchema); the
            // stray `properties` some carry are constraints, not a shape.
            Some("array") => Ty::List(Box::new(self.array_definition(&name, &schema, &path))),
            _ => self.ty(&schema, &name, "", &path),
        };
        self.resolved.insert(def.to_owned(), ty.clone());
        ty
    }

    /// The item type of an array definition, named after the definition when inline.
    fn array_definition(&mut self, name: &str, schema: &Json, path: &str) -> Ty {
        let items = &merge_all_of(&schema["items"]);
        let item_path = format!("{path}/*");
        if def_ref(items).is_none() && items["properties"].is_object() {
            return self.named_struct(name, items, &item_path);
        }
        if def_ref(items).is_none() && has_enum(items) {
            return self.enumeration(name, "", items, Some(name.to_owned()));
        }
        self.items_ty(schema, name, "", path)
    }

    fn inline_struct(&mut self, hint: &str, parent: &str, schema: &Json, path: &str) -> Ty {
        let name = self.inline_name(hint, parent);
        self.named_struct(&name, schema, path)
    }

    fn named_struct(&mut self, name: &str, schema: &Json, path: &str) -> Ty {
        if !self.items.contains_key(name) {
            // Reserve the slot first: a recursive definition refers back to it.
            let placeholder = Struct {
                name: name.to_owned(),
                doc: String::new(),
                fields: vec![],
            };
            self.items
                .insert(name.to_owned(), Item::Struct(placeholder));
            let s = self.structure(name, schema, path);
            self.items.insert(name.to_owned(), Item::Struct(s));
        }
        Ty::Struct(name.to_owned())
    }

    fn enumeration(&mut self, hint: &str, parent: &str, schema: &Json, name: Option<String>) -> Ty {
        let name = name.unwrap_or_else(|| self.inline_name(hint, parent));
        let mut taken = BTreeSet::new();
        let variants = schema["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| !v.is_null() && !v.is_object() && !v.is_array())
            .map(|v| (unique(&mut taken, &variant_name(v), "V"), v.clone()))
            .collect();
        self.items.insert(
            name.clone(),
            Item::Enum(Enum {
                name: name.clone(),
                doc: doc(schema),
                variants,
            }),
        );
        Ty::Enum(name)
    }

    /// A name for an inline type: the property's name, or parent + property on a clash.
    fn inline_name(&mut self, hint: &str, parent: &str) -> String {
        let base = type_name(hint);
        if !base.is_empty() && !self.taken.contains(&base) {
            self.taken.insert(base.clone());
            return base;
        }
        unique(&mut self.taken, &format!("{parent}{base}"), "Type")
    }
}

/// `#/definitions/X` -> `X`.
pub fn def_ref(schema: &Json) -> Option<&str> {
    schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
}

/// `schema` with its `allOf` branches merged in: properties and `required`
/// united, other keywords taken from the first place that has them.
pub fn merge_all_of(schema: &Json) -> Json {
    let Some(branches) = schema["allOf"].as_array() else {
        return schema.clone();
    };
    let mut out = schema.as_object().cloned().unwrap_or_default();
    out.remove("allOf");
    for branch in branches.iter().map(merge_all_of) {
        for (k, v) in branch.as_object().into_iter().flatten() {
            match (k.as_str(), out.get_mut(k)) {
                ("properties", Some(Json::Object(props))) => {
                    for (p, s) in v.as_object().into_iter().flatten() {
                        props.entry(p.clone()).or_insert_with(|| s.clone());
                    }
                }
                ("required", Some(Json::Array(req))) => {
                    req.extend(v.as_array().into_iter().flatten().cloned());
                }
                (_, Some(_)) => {}
                (_, None) => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Json::Object(out)
}

/// The read-only properties of each struct, keyed by the struct's canonical
/// path (see [`Cx::read_only`]), from the schema's `readOnlyProperties`.
fn read_only_owners(schema: &Json) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for pointer in schema["readOnlyProperties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
    {
        let Some(rest) = pointer.strip_prefix("/properties/") else {
            continue;
        };
        let segments: Vec<&str> = rest.split('/').collect();
        let (owner, prop) = owner_of(schema, &segments);
        if let Some(prop) = prop {
            out.entry(owner).or_default().insert(prop.to_owned());
        }
    }
    out
}

/// Walks `segments` from the root; the canonical path of the struct holding
/// the last segment, and that segment when it names a property.
fn owner_of<'s>(schema: &Json, segments: &[&'s str]) -> (String, Option<&'s str>) {
    let mut node = schema.clone();
    let mut path = String::new();
    for (i, seg) in segments.iter().enumerate() {
        if let Some(def) = def_ref(&node) {
            path = format!("#{def}");
            node = merge_all_of(&schema["definitions"][def]);
        }
        if i + 1 == segments.len() {
            return (path, (*seg != "*").then_some(*seg));
        }
        node = if *seg == "*" {
            node["items"].clone()
        } else {
            merge_all_of(&node["properties"][*seg])
        };
        path = format!("{path}/{seg}");
    }
    (path, None)
}

pub fn type_of(schema: &Json) -> Option<&str> {
    match &schema["type"] {
        Json::String(s) => Some(s),
        Json::Array(types) if types.len() == 1 => types[0].as_str(),
        Json::Array(_) => Some("union"),
        _ => None,
    }
}

/// The one typed branch of a `oneOf`/`anyOf` whose other branches are the
/// legacy free-form `format: json` form (DynamoDB's `KeySchema`): the typed
/// form is what users should write. Real unions stay free-form JSON.
fn typed_branch(schema: &Json) -> Option<&Json> {
    let branches = schema["oneOf"].as_array().or(schema["anyOf"].as_array())?;
    let (typed, rest): (Vec<&Json>, Vec<&Json>) =
        branches.iter().partition(|b| b.get("$ref").is_some());
    let all_free_form = rest.iter().all(|b| b["format"] == "json");
    (typed.len() == 1 && all_free_form).then(|| typed[0])
}

/// An `enum` of scalar values of one JSON type, which a Rust enum can spell.
fn has_enum(schema: &Json) -> bool {
    let Some(values) = schema["enum"].as_array().filter(|v| !v.is_empty()) else {
        return false;
    };
    let kind = |v: &Json| match v {
        Json::String(_) => 1,
        Json::Number(_) => 2,
        Json::Bool(_) => 3,
        _ => 0,
    };
    let first = kind(&values[0]);
    first != 0 && values.iter().all(|v| kind(v) == first)
}

/// `anyOf`/`oneOf` of `format`-only branches and no type: a string with a format.
pub fn only_formats(schema: &Json) -> bool {
    let branches = schema["anyOf"].as_array().or(schema["oneOf"].as_array());
    branches.is_some_and(|b| {
        b.iter()
            .all(|br| br.get("format").is_some() && is_constraint_branch(br))
    })
}

fn is_constraint_branch(branch: &Json) -> bool {
    branch.as_object().is_some_and(|m| {
        m.keys().all(|k| {
            matches!(
                k.as_str(),
                "format" | "relationshipRef" | "required" | "description"
            )
        })
    })
}

/// A unique name in `taken`: `base`, else `base2`, `base3`...; `prefix` when
/// `base` is empty or does not start like an identifier.
pub fn unique(taken: &mut BTreeSet<String>, base: &str, prefix: &str) -> String {
    let mut base = base.to_owned();
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base = format!("{prefix}{base}");
    }
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// A type name from a schema name: UpperCamelCase, ASCII letters and digits only.
fn type_name(name: &str) -> String {
    ascii_words(name).to_upper_camel_case()
}

/// A field, method or module name: snake_case, ASCII; keywords get `r#`
/// (`self`, `super`, `crate`, which cannot be raw, get a trailing `_`).
pub fn field_name(json: &str) -> String {
    let snake = ascii_words(json).to_snake_case();
    match snake.as_str() {
        "self" | "super" | "crate" | "Self" => format!("{snake}_"),
        s if is_keyword(s) => format!("r#{snake}"),
        _ => snake,
    }
}

fn ascii_words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "break", "const", "continue", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
        "move", "mut", "pub", "ref", "return", "static", "struct", "trait", "true", "type",
        "unsafe", "use", "where", "while", "abstract", "become", "do", "final", "macro",
        "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    KEYWORDS.contains(&s)
}

/// A variant name for an enum value: `NEW_IMAGE` -> `NewImage`, `1` -> `V1`;
/// `SELF` would be `Self`, a keyword, so it is `Self_`.
fn variant_name(value: &Json) -> String {
    let text = match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string().replace('-', "minus ").replace('.', "_"),
        other => other.to_string(),
    };
    let name = type_name(&text);
    if name == "Self" {
        return "Self_".to_owned();
    }
    name
}

/// The schema's description, normalized for a doc comment.
pub fn doc(schema: &Json) -> String {
    schema["description"]
        .as_str()
        .unwrap_or_default()
        .replace('\r', "")
        .trim()
        .to_owned()
}

/// Boxes each direct struct field whose type can reach the struct holding it,
/// so recursive types have a finite size. Deterministic: items are sorted.
fn box_recursion(items: &mut [Item]) {
    let edges: BTreeMap<String, Vec<String>> = items
        .iter()
        .filter_map(|i| match i {
            Item::Struct(s) => Some((
                s.name.clone(),
                s.fields.iter().filter_map(direct_struct).collect(),
            )),
            Item::Enum(_) => None,
        })
        .collect();
    for item in items.iter_mut() {
        if let Item::Struct(s) = item {
            for f in &mut s.fields {
                f.boxed = direct_struct(f).is_some_and(|t| reaches(&edges, &t, &s.name));
            }
        }
    }
}

fn direct_struct(f: &Field) -> Option<String> {
    match &f.ty {
        Ty::Struct(n) => Some(n.clone()),
        _ => None,
    }
}

fn reaches(edges: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n.clone()) {
            stack.extend(edges.get(&n).into_iter().flatten().cloned());
        }
    }
    false
}

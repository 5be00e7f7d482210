//! From a registry schema to the intermediate model that `emit` renders:
//! structs, enums, attributes and metadata of one resource type.
//!
//! Mapping rules: `$ref` to a definition becomes a named type; string `enum`
//! becomes a Rust enum; objects with `properties` become structs, with
//! `patternProperties` maps, without either free-form [`Leaf::Json`]; a type
//! list (`["object", "string"]`) is free-form JSON too; an `anyOf`/`oneOf`
//! whose branches hold only `format`/`relationshipRef`/`required` is a
//! constraint and is ignored. Keywords not named here are ignored.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{Map, Value as Json};

use super::schemas::{Schema, TypeConfig};

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
}

#[derive(Debug)]
pub struct Field {
    pub json: String,
    pub rust: String,
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
    pub variants: Vec<(String, String)>,
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

/// Metadata kept as data for validation, diff and the execution role.
#[derive(Debug, Default)]
pub struct Meta {
    pub ref_returns: Option<String>,
    pub primary_identifier: Vec<String>,
    pub create_only: Vec<String>,
    pub conditional_create_only: Vec<String>,
    pub write_only: Vec<String>,
    /// create, read, update, delete, list
    pub permissions: [Vec<String>; 5],
    pub unordered: Vec<String>,
    pub constraints: Vec<(String, String, String)>,
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
    pub meta: Meta,
    pub holds_data: bool,
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
    "Handle",
    "Attribute",
    "Resource",
    "Literal",
    "ResourceMeta",
];

/// Builds the model of one resource type.
pub fn build(config: &TypeConfig, schema: &Schema) -> ResourceType {
    let json = &schema.json;
    let mut parts = config.type_name.split("::").skip(1);
    let service = parts.next().unwrap_or_default().to_lowercase();
    let name = parts.next().unwrap_or_default().to_upper_camel_case();
    let read_only = pointers(json, "readOnlyProperties");
    let mut cx = Cx::new(json);
    let root = cx.root_struct(&name, &read_only);
    let mut items: Vec<Item> = std::mem::take(&mut cx.items).into_values().collect();
    box_recursion(&mut items);
    ResourceType {
        type_name: config.type_name.clone(),
        module: name.to_snake_case(),
        attrs: read_only.iter().map(|p| attribute(json, p)).collect(),
        meta: meta(json),
        holds_data: config.holds_data,
        service,
        name,
        root,
        items,
    }
}

struct Cx<'a> {
    schema: &'a Json,
    defs: Map<String, Json>,
    /// Definition name -> resolved type, filled before a struct's fields so recursion ends.
    resolved: BTreeMap<String, Ty>,
    /// Definition name -> Rust name.
    def_names: BTreeMap<String, String>,
    taken: BTreeSet<String>,
    items: BTreeMap<String, Item>,
}

impl<'a> Cx<'a> {
    fn new(schema: &'a Json) -> Self {
        let defs = schema["definitions"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        let mut def_names = BTreeMap::new();
        for def in defs.keys() {
            let rust = unique(&mut taken, &def.to_upper_camel_case(), "Definition");
            def_names.insert(def.clone(), rust);
        }
        Cx {
            schema,
            defs,
            resolved: BTreeMap::new(),
            def_names,
            taken,
            items: BTreeMap::new(),
        }
    }

    fn root_struct(&mut self, name: &str, read_only: &[String]) -> Struct {
        let mut root = self.structure(name, self.schema);
        root.fields
            .retain(|f| !read_only.contains(&format!("/properties/{}", f.json)));
        root
    }

    fn structure(&mut self, name: &str, schema: &Json) -> Struct {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        let mut taken = BTreeSet::new();
        let mut fields = Vec::new();
        for (json, prop) in schema["properties"].as_object().into_iter().flatten() {
            let ty = self.ty(prop, json, name);
            let rust = unique(&mut taken, &field_name(json), "");
            let required = required.contains(&json.as_str());
            fields.push(Field {
                json: json.clone(),
                rust,
                doc: doc(prop),
                ty,
                required,
                boxed: false,
            });
        }
        Struct {
            name: name.to_owned(),
            doc: doc(schema),
            fields,
        }
    }

    /// The type of `schema`, naming inline types after `hint` (the property) or `parent`.
    fn ty(&mut self, schema: &Json, hint: &str, parent: &str) -> Ty {
        if let Some(def) = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/definitions/"))
        {
            return self.definition(def);
        }
        match type_of(schema) {
            Some("string") if has_string_enum(schema) => {
                self.enumeration(hint, parent, schema, None)
            }
            Some("string") => Ty::Leaf(Leaf::String),
            Some("integer") => Ty::Leaf(Leaf::Integer),
            Some("number") => Ty::Leaf(Leaf::Number),
            Some("boolean") => Ty::Leaf(Leaf::Boolean),
            Some("array") => Ty::List(Box::new(self.items_ty(schema, hint, parent))),
            Some("object") | None if schema["properties"].is_object() => {
                self.inline_struct(hint, parent, schema, None)
            }
            Some("object") => self.map_or_json(schema, hint, parent),
            None if only_formats(schema) => Ty::Leaf(Leaf::String),
            None => match typed_branch(schema) {
                Some(branch) => self.ty(branch, hint, parent),
                None => Ty::Leaf(Leaf::Json),
            },
            _ => Ty::Leaf(Leaf::Json),
        }
    }

    fn items_ty(&mut self, schema: &Json, hint: &str, parent: &str) -> Ty {
        match schema.get("items") {
            Some(items) => self.ty(items, hint, parent),
            None => Ty::Leaf(Leaf::Json),
        }
    }

    fn map_or_json(&mut self, schema: &Json, hint: &str, parent: &str) -> Ty {
        let values = schema["patternProperties"]
            .as_object()
            .and_then(|m| m.values().next());
        match values.or(schema.get("additionalProperties").filter(|v| v.is_object())) {
            Some(values) => Ty::Map(Box::new(self.ty(values, hint, parent))),
            None => Ty::Leaf(Leaf::Json),
        }
    }

    fn definition(&mut self, def: &str) -> Ty {
        if let Some(ty) = self.resolved.get(def) {
            return ty.clone();
        }
        let Some(schema) = self.defs.get(def).cloned() else {
            return Ty::Leaf(Leaf::Json);
        };
        let name = self.def_names[def].clone();
        let ty = match type_of(&schema) {
            Some("string") if has_string_enum(&schema) => {
                self.enumeration(&name, "", &schema, Some(name.clone()))
            }
            Some("object") | None if schema["properties"].is_object() => {
                self.resolved
                    .insert(def.to_owned(), Ty::Struct(name.clone()));
                self.inline_struct(&name, "", &schema, Some(name.clone()))
            }
            // An array definition names its item type after itself (KeySchema); the
            // stray `properties` some carry are constraints, not a shape.
            Some("array") => Ty::List(Box::new(self.array_definition(&name, &schema))),
            _ => self.ty(&schema, &name, ""),
        };
        self.resolved.insert(def.to_owned(), ty.clone());
        ty
    }

    /// The item type of an array definition, named after the definition when inline.
    fn array_definition(&mut self, name: &str, schema: &Json) -> Ty {
        let items = &schema["items"];
        if items.get("$ref").is_none() && items["properties"].is_object() {
            return self.inline_struct(name, "", items, Some(name.to_owned()));
        }
        if items.get("$ref").is_none() && has_string_enum(items) {
            return self.enumeration(name, "", items, Some(name.to_owned()));
        }
        self.items_ty(schema, name, "")
    }

    fn inline_struct(
        &mut self,
        hint: &str,
        parent: &str,
        schema: &Json,
        name: Option<String>,
    ) -> Ty {
        let name = name.unwrap_or_else(|| self.inline_name(hint, parent));
        if !self.items.contains_key(&name) {
            // Reserve the slot first: a recursive definition refers back to it.
            self.items.insert(
                name.clone(),
                Item::Struct(Struct {
                    name: name.clone(),
                    doc: String::new(),
                    fields: vec![],
                }),
            );
            let s = self.structure(&name, schema);
            self.items.insert(name.clone(), Item::Struct(s));
        }
        Ty::Struct(name)
    }

    fn enumeration(&mut self, hint: &str, parent: &str, schema: &Json, name: Option<String>) -> Ty {
        let name = name.unwrap_or_else(|| self.inline_name(hint, parent));
        let mut taken = BTreeSet::new();
        let variants = schema["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .map(|v| (unique(&mut taken, &variant_name(v), "V"), v.to_owned()))
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
        let base = hint.to_upper_camel_case();
        if !self.taken.contains(&base) {
            self.taken.insert(base.clone());
            return base;
        }
        unique(&mut self.taken, &format!("{parent}{base}"), "")
    }
}

fn type_of(schema: &Json) -> Option<&str> {
    match &schema["type"] {
        Json::String(s) => Some(s),
        Json::Array(types) if types.len() == 1 => types[0].as_str(),
        Json::Array(_) => Some("union"),
        _ if has_string_enum(schema) => Some("string"),
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

fn has_string_enum(schema: &Json) -> bool {
    schema["enum"]
        .as_array()
        .is_some_and(|v| !v.is_empty() && v.iter().all(Json::is_string))
}

/// `anyOf`/`oneOf` of `format`-only branches and no type: a string with a format.
fn only_formats(schema: &Json) -> bool {
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
fn unique(taken: &mut BTreeSet<String>, base: &str, prefix: &str) -> String {
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

fn field_name(json: &str) -> String {
    let snake = json.to_snake_case();
    match snake.as_str() {
        "self" | "super" | "crate" => format!("{snake}_"),
        s if is_keyword(s) => format!("r#{snake}"),
        _ => snake,
    }
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

fn variant_name(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned.to_upper_camel_case()
}

/// The schema's description, normalized for a doc comment.
fn doc(schema: &Json) -> String {
    schema["description"]
        .as_str()
        .unwrap_or_default()
        .replace('\r', "")
        .trim()
        .to_owned()
}

fn pointers(schema: &Json, key: &str) -> Vec<String> {
    schema[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect()
}

/// The attribute of a `readOnlyProperties` pointer, typed from the property's schema.
fn attribute(schema: &Json, pointer: &str) -> Attr {
    let segments: Vec<&str> = pointer
        .trim_start_matches("/properties/")
        .split('/')
        .collect();
    let mut node = &schema["properties"];
    for (i, seg) in segments.iter().enumerate() {
        node = resolve(schema, &node[*seg]);
        if i + 1 < segments.len() {
            node = &node["properties"];
        }
    }
    let ty = match type_of(node) {
        Some("string") => Ty::Leaf(Leaf::String),
        Some("integer") => Ty::Leaf(Leaf::Integer),
        Some("number") => Ty::Leaf(Leaf::Number),
        Some("boolean") => Ty::Leaf(Leaf::Boolean),
        Some("array") => Ty::List(Box::new(Ty::Leaf(Leaf::String))),
        None if only_formats(node) => Ty::Leaf(Leaf::String),
        _ => Ty::Leaf(Leaf::Json),
    };
    Attr {
        name: segments.join("."),
        const_name: segments.concat().to_upper_camel_case(),
        method: field_name(&segments.join("_").to_snake_case()),
        ty,
    }
}

fn resolve<'a>(schema: &'a Json, node: &'a Json) -> &'a Json {
    match node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        Some(def) => &schema["definitions"][def],
        None => node,
    }
}

fn meta(schema: &Json) -> Meta {
    let handler = |h: &str| pointers(&schema["handlers"][h], "permissions");
    let primary_identifier = pointers(schema, "primaryIdentifier");
    let mut meta = Meta {
        ref_returns: (primary_identifier.len() == 1).then(|| primary_identifier[0].clone()),
        primary_identifier,
        create_only: pointers(schema, "createOnlyProperties"),
        conditional_create_only: pointers(schema, "conditionalCreateOnlyProperties"),
        write_only: pointers(schema, "writeOnlyProperties"),
        permissions: ["create", "read", "update", "delete", "list"].map(handler),
        ..Meta::default()
    };
    let mut visiting = Vec::new();
    for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
        walk_constraints(schema, prop, name, &mut visiting, &mut meta);
    }
    meta
}

/// Collects the value constraints below `node` at `path`; `visiting` stops recursion.
fn walk_constraints(
    schema: &Json,
    node: &Json,
    path: &str,
    visiting: &mut Vec<String>,
    meta: &mut Meta,
) {
    if let Some(def) = node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        if visiting.iter().any(|d| d == def) {
            return;
        }
        visiting.push(def.to_owned());
        walk_constraints(schema, &schema["definitions"][def], path, visiting, meta);
        visiting.pop();
        return;
    }
    if let Some(branch) = typed_branch(node) {
        walk_constraints(schema, branch, path, visiting, meta);
    }
    for (rule, value) in rules(node) {
        meta.constraints.push((path.to_owned(), rule, value));
    }
    if type_of(node) == Some("array") {
        if node["insertionOrder"] == Json::Bool(false) {
            meta.unordered.push(path.to_owned());
        }
        if let Some(items) = node.get("items") {
            walk_constraints(schema, items, &format!("{path}/*"), visiting, meta);
        }
        return;
    }
    for (name, prop) in node["properties"].as_object().into_iter().flatten() {
        walk_constraints(schema, prop, &format!("{path}/{name}"), visiting, meta);
    }
    for values in node["patternProperties"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        walk_constraints(schema, values, &format!("{path}/*"), visiting, meta);
    }
}

/// The constraint keywords of one node, as (Rule variant, Rust literal).
fn rules(node: &Json) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if has_string_enum(node) {
        let values: Vec<String> = node["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| format!("{:?}", v.as_str().unwrap_or_default()))
            .collect();
        out.push(("Enum".to_owned(), format!("&[{}]", values.join(", "))));
    }
    if let Some(p) = node["pattern"].as_str() {
        out.push(("Pattern".to_owned(), format!("{p:?}")));
    }
    for (key, rule) in [
        ("minLength", "MinLength"),
        ("maxLength", "MaxLength"),
        ("minItems", "MinItems"),
        ("maxItems", "MaxItems"),
    ] {
        if let Some(n) = node[key].as_u64() {
            out.push((rule.to_owned(), n.to_string()));
        }
    }
    for (key, rule) in [("minimum", "Minimum"), ("maximum", "Maximum")] {
        if let Some(n) = node[key].as_f64() {
            out.push((rule.to_owned(), format!("{n:?}")));
        }
    }
    out
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

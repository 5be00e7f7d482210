//! From a registry schema to the stored form: the metadata and the property
//! schema without annotations. `cargo xtask codegen` runs this over every
//! type; tests build metadata of hand-written schemas with it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value as Json};

use crate::meta::{Attribute, LazySchema, Permissions, TypeMeta};

/// What CloudFormation accepts in `Fn::GetAtt` beyond `readOnlyProperties`,
/// as cfn-lint records it (`cfnlint/schema/_getatts.py` in the wheel).
#[derive(Debug, Default, Clone)]
pub struct GetAttRules {
    /// Types whose every scalar property, and array of scalars, is an attribute
    /// (`AWS::SNS::Topic` `TopicName`, `AWS::SQS::Queue` `QueueName`).
    pub all_properties: BTreeSet<String>,
    /// Extra top-level properties accepted per type.
    pub extra: BTreeMap<String, Vec<String>>,
}

/// Types whose `Outputs` attribute takes an output name (`Outputs.BucketArn`),
/// as cfn-lint treats them.
const OUTPUTS_TYPES: &[&str] = &[
    "AWS::CloudFormation::Stack",
    "AWS::ServiceCatalog::CloudFormationProvisionedProduct",
];

/// A custom resource returns whatever attributes its provider sets.
const CUSTOM_RESOURCE: &str = "AWS::CloudFormation::CustomResource";

/// Keywords that only annotate: dropped wherever a schema sits.
const ANNOTATIONS: &[&str] = &[
    "description",
    "$comment",
    "examples",
    "title",
    "markdownDescription",
    "relationshipRef",
    "insertionOrder",
    "arrayType",
];

/// Top-level keywords held in [`TypeMeta`] or not needed to check properties.
const RESOURCE_KEYWORDS: &[&str] = &[
    "typeName",
    "$schema",
    "$id",
    "sourceUrl",
    "documentationUrl",
    "handlers",
    "tagging",
    "taggable",
    "readOnlyProperties",
    "writeOnlyProperties",
    "createOnlyProperties",
    "conditionalCreateOnlyProperties",
    "primaryIdentifier",
    "additionalIdentifiers",
    "propertyTransform",
    "replacementStrategy",
    "lifecycle",
    "resourceLink",
    "typeConfiguration",
];

/// Keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "definitions",
    "patternProperties",
    "dependentSchemas",
    "dependencies",
];
/// Keywords whose value is a schema (or, for `items`, a list of schemas).
const SCHEMA_ONE: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
];
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// The metadata of the registry schema `schema` (holds-data not set) with its
/// property schema.
pub fn type_meta(schema: &Json, rules: &GetAttRules) -> TypeMeta {
    let stripped = property_schema(schema);
    let mut meta = metadata(schema, rules);
    meta.schema = LazySchema::from_value(stripped);
    meta
}

/// The metadata of `schema` without its property schema.
fn metadata(schema: &Json, rules: &GetAttRules) -> TypeMeta {
    let type_name = schema["typeName"].as_str().unwrap_or_default().to_owned();
    let handler = |h: &str| strings(&schema["handlers"][h]["permissions"]);
    let primary_identifier = strings(&schema["primaryIdentifier"]);
    TypeMeta {
        service: service_of(&type_name),
        attributes: attributes(schema, &type_name, rules),
        ref_returns: (primary_identifier.len() == 1).then(|| primary_identifier[0].clone()),
        primary_identifier,
        create_only: strings(&schema["createOnlyProperties"]),
        conditional_create_only: strings(&schema["conditionalCreateOnlyProperties"]),
        write_only: strings(&schema["writeOnlyProperties"]),
        read_only: strings(&schema["readOnlyProperties"]),
        permissions: Permissions {
            create: handler("create"),
            read: handler("read"),
            update: handler("update"),
            delete: handler("delete"),
            list: handler("list"),
        },
        holds_data: None,
        unordered: unordered(schema),
        schema: LazySchema::default(),
        type_name,
    }
}

/// `AWS::DynamoDB::Table` -> `dynamodb`.
pub fn service_of(type_name: &str) -> String {
    type_name
        .split("::")
        .nth(1)
        .unwrap_or_default()
        .to_lowercase()
}

fn strings(list: &Json) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// The registry schema without annotations and resource-level keywords.
pub fn property_schema(schema: &Json) -> Json {
    let Json::Object(map) = strip(schema) else {
        return Json::Object(Map::new());
    };
    let kept = map
        .into_iter()
        .filter(|(k, _)| !RESOURCE_KEYWORDS.contains(&k.as_str()))
        .collect();
    Json::Object(kept)
}

/// Drops annotation keywords in schema positions only: a property called
/// `description` stays.
fn strip(node: &Json) -> Json {
    let Json::Object(map) = node else {
        return node.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let k = key.as_str();
        if ANNOTATIONS.contains(&k) {
            continue;
        }
        let value = match value {
            Json::Object(m) if SCHEMA_MAPS.contains(&k) => {
                Json::Object(m.iter().map(|(name, s)| (name.clone(), strip(s))).collect())
            }
            Json::Array(list) if SCHEMA_LISTS.contains(&k) || k == "items" => {
                Json::Array(list.iter().map(strip).collect())
            }
            Json::Object(_) if SCHEMA_ONE.contains(&k) => strip(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Json::Object(out)
}

/// Resolves a local `$ref` (`#/definitions/X`), once.
fn resolve<'a>(schema: &'a Json, node: &'a Json) -> &'a Json {
    match node["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        Some(def) => &schema["definitions"][def],
        None => node,
    }
}

fn has_type(node: &Json, ty: &str) -> bool {
    match &node["type"] {
        Json::String(t) => t == ty,
        Json::Array(ts) => ts.iter().any(|t| t == ty),
        _ => false,
    }
}

/// The node a property pointer (`/properties/A/B`, `*` for array items)
/// leads to, following `$ref`s; `None` when the schema does not say.
fn node_at<'a>(schema: &'a Json, pointer: &str) -> Option<&'a Json> {
    let mut segments = pointer.strip_prefix("/properties/")?.split('/');
    let mut node = resolve(schema, schema["properties"].get(segments.next()?)?);
    for seg in segments {
        node = if seg == "*" {
            resolve(schema, node.get("items")?)
        } else {
            resolve(schema, node["properties"].get(seg)?)
        };
    }
    Some(node)
}

/// GetAtt attributes: read-only properties (nested ones joined by `.`), the
/// extras cfn-lint records, unique and sorted.
fn attributes(schema: &Json, type_name: &str, rules: &GetAttRules) -> Vec<Attribute> {
    let mut by_name = BTreeMap::new();
    for pointer in &attribute_pointers(schema, type_name, rules) {
        let Some(rest) = pointer.strip_prefix("/properties/") else {
            continue;
        };
        let through_array = rest.split('/').any(|s| s == "*");
        let is_array =
            through_array || node_at(schema, pointer).is_some_and(|n| has_type(n, "array"));
        let name = rest.replace('/', ".");
        by_name
            .entry(name.clone())
            .or_insert(Attribute { name, is_array });
    }
    // Custom resources take any attribute; nested stacks any `Outputs.<name>`.
    let wildcard = |name: &str| Attribute {
        name: name.to_owned(),
        is_array: false,
    };
    if type_name == CUSTOM_RESOURCE {
        by_name.insert("*".to_owned(), wildcard("*"));
    }
    if OUTPUTS_TYPES.contains(&type_name) {
        by_name.remove("Outputs");
        by_name.insert("Outputs.*".to_owned(), wildcard("Outputs.*"));
    }
    by_name.into_values().collect()
}

/// The property pointers GetAtt accepts for `type_name`.
fn attribute_pointers(schema: &Json, type_name: &str, rules: &GetAttRules) -> Vec<String> {
    if !rules.all_properties.contains(type_name) {
        let mut pointers = strings(&schema["readOnlyProperties"]);
        for name in rules.extra.get(type_name).into_iter().flatten() {
            pointers.push(format!("/properties/{name}"));
        }
        return pointers;
    }
    // As cfn-lint: the scalar properties only, read-only ones included;
    // an object-valued read-only property is reached through its leaves.
    let (mut pointers, mut visiting) = (Vec::new(), Vec::new());
    for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
        let path = format!("/properties/{name}");
        scalar_paths(schema, prop, &path, &mut visiting, &mut pointers);
    }
    pointers
}

/// Pointers of the scalar properties below `node` and its arrays of scalars
/// (cfn-lint: GetAtt does not go into arrays of objects).
fn scalar_paths(
    schema: &Json,
    node: &Json,
    path: &str,
    visiting: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    if has_type(node, "object") {
        for (name, prop) in node["properties"].as_object().into_iter().flatten() {
            scalar_paths(schema, prop, &format!("{path}/{name}"), visiting, out);
        }
    } else if has_type(node, "array") {
        let items = &node["items"];
        if !has_type(items, "object") && !has_type(items, "array") {
            out.push(path.to_owned());
        }
    } else if let Some(def) = node["$ref"].as_str() {
        if visiting.iter().any(|d| d == def) {
            return;
        }
        visiting.push(def.to_owned());
        scalar_paths(schema, resolve(schema, node), path, visiting, out);
        visiting.pop();
    } else {
        out.push(path.to_owned());
    }
}

/// Array property paths with `insertionOrder: false`, below `Properties`.
fn unordered(schema: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let mut visiting = Vec::new();
    for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
        walk_unordered(schema, prop, name, &mut visiting, &mut out);
    }
    out
}

fn walk_unordered(
    schema: &Json,
    node: &Json,
    path: &str,
    visiting: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    if let Some(def) = node["$ref"].as_str() {
        if visiting.iter().any(|d| d == def) {
            return;
        }
        visiting.push(def.to_owned());
        walk_unordered(schema, resolve(schema, node), path, visiting, out);
        visiting.pop();
        return;
    }
    if let Some(branch) = typed_branch(node) {
        walk_unordered(schema, branch, path, visiting, out);
    }
    if has_type(node, "array") {
        if node["insertionOrder"] == Json::Bool(false) {
            out.push(path.to_owned());
        }
        if let Some(items) = node.get("items") {
            walk_unordered(schema, items, &format!("{path}/*"), visiting, out);
        }
        return;
    }
    for (name, prop) in node["properties"].as_object().into_iter().flatten() {
        walk_unordered(schema, prop, &format!("{path}/{name}"), visiting, out);
    }
    for values in node["patternProperties"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
    {
        walk_unordered(schema, values, &format!("{path}/*"), visiting, out);
    }
}

/// The one typed branch of a `oneOf`/`anyOf` whose other branches are the
/// legacy free-form `format: json` form (DynamoDB's `KeySchema`).
pub(crate) fn typed_branch(node: &Json) -> Option<&Json> {
    let branches = node["oneOf"].as_array().or(node["anyOf"].as_array())?;
    let (typed, rest): (Vec<&Json>, Vec<&Json>) =
        branches.iter().partition(|b| b.get("$ref").is_some());
    let all_free_form = rest.iter().all(|b| b["format"] == "json");
    (typed.len() == 1 && all_free_form).then(|| typed[0])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Json {
        json!({
            "typeName": "AWS::Test::Thing",
            "description": "dropped",
            "sourceUrl": "dropped",
            "handlers": { "create": { "permissions": ["test:Create"] } },
            "primaryIdentifier": ["/properties/Id"],
            "readOnlyProperties": ["/properties/Id", "/properties/Items/*/Arn", "/properties/Node/Child/Id"],
            "properties": {
                "Id": { "type": "string", "description": "dropped" },
                "description": { "type": "string", "maxLength": 5, "$comment": "dropped" },
                "Items": { "type": "array", "insertionOrder": false, "items": { "$ref": "#/definitions/Item" } },
                "Node": { "$ref": "#/definitions/Node" }
            },
            "definitions": {
                "Item": { "type": "object", "properties": { "Arn": { "type": "string" } } },
                "Node": {
                    "type": "object",
                    "properties": {
                        "Child": { "$ref": "#/definitions/Node" },
                        "Id": { "type": "string" },
                        "Tags": { "type": "array", "insertionOrder": false, "items": { "type": "string" } }
                    },
                    "oneOf": [{ "required": ["Id"], "description": "dropped" }]
                }
            },
            "required": ["Items"]
        })
    }

    #[test]
    fn strips_annotations_in_schema_positions_only() {
        let stripped = property_schema(&schema());
        assert_eq!(
            stripped,
            json!({
                "properties": {
                    "Id": { "type": "string" },
                    "description": { "type": "string", "maxLength": 5 },
                    "Items": { "type": "array", "items": { "$ref": "#/definitions/Item" } },
                    "Node": { "$ref": "#/definitions/Node" }
                },
                "definitions": {
                    "Item": { "type": "object", "properties": { "Arn": { "type": "string" } } },
                    "Node": {
                        "type": "object",
                        "properties": {
                            "Child": { "$ref": "#/definitions/Node" },
                            "Id": { "type": "string" },
                            "Tags": { "type": "array", "items": { "type": "string" } }
                        },
                        "oneOf": [{ "required": ["Id"] }]
                    }
                },
                "required": ["Items"]
            })
        );
    }

    #[test]
    fn metadata_of_a_recursive_schema() {
        let meta = type_meta(&schema(), &GetAttRules::default());
        assert_eq!(meta.service, "test");
        assert_eq!(meta.ref_returns.as_deref(), Some("/properties/Id"));
        assert_eq!(meta.permissions.create, ["test:Create"]);
        let attrs: Vec<(&str, bool)> = meta
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.is_array))
            .collect();
        assert_eq!(
            attrs,
            [
                ("Id", false),
                ("Items.*.Arn", true),
                ("Node.Child.Id", false)
            ]
        );
        // The recursion through Node/Child stops at the first repeat.
        assert_eq!(meta.unordered, ["Items", "Node/Tags"]);
    }

    #[test]
    fn extra_and_all_property_rules() {
        let mut rules = GetAttRules::default();
        rules
            .extra
            .insert("AWS::Test::Thing".into(), vec!["description".into()]);
        let meta = type_meta(&schema(), &rules);
        assert!(meta.has_attribute("description"));
        rules.all_properties.insert("AWS::Test::Thing".into());
        let meta = type_meta(&schema(), &rules);
        let names: Vec<&str> = meta.attribute_names().collect();
        // Scalars and arrays whose items are not inline objects (cfn-lint's rule).
        assert_eq!(
            names,
            ["Id", "Items", "Node.Id", "Node.Tags", "description"]
        );
    }
}

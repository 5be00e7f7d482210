//! The generated Rust API of any registry type, for code that writes Rust
//! against it (import): the type's path, its constructor's required
//! properties, each property's setter and type, enum variants by JSON value,
//! GetAtt accessors. Built with the same [`model::build`] codegen runs, from
//! the registry data (`infra_registry::lookup(t).schema()`, descriptions
//! stripped), so no wheel is needed; names are the generated ones (a test in
//! xtask compares all types against the wheel). Each type is built once per
//! process and cached.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value as Json;

use crate::model::{self, Attr, Enum, Field, Item, ResourceType, Struct};

/// The generated API of one resource type.
#[derive(Debug)]
pub struct Binding {
    model: ResourceType,
    /// Item name -> index in `model.items`.
    items: BTreeMap<String, usize>,
}

/// The binding of a registry type, or None for a type the registry does not know.
pub fn binding(type_name: &str) -> Option<Arc<Binding>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Binding>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    // A poisoned lock only means another thread panicked mid-insert; the map is still valid.
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = map.get(type_name) {
        return Some(Arc::clone(found));
    }
    let meta = infra_registry::lookup(type_name)?;
    let built = Arc::new(Binding::new(model::build(
        type_name,
        &registry_schema(meta),
        meta,
    )));
    map.insert(type_name.to_owned(), Arc::clone(&built));
    Some(built)
}

/// The schema codegen's model needs, from the registry data: the property
/// schema plus `readOnlyProperties` (the registry keeps those apart), which
/// decide what is settable.
pub fn registry_schema(meta: &infra_registry::TypeMeta) -> Json {
    let mut schema = meta.schema().clone();
    if let Some(map) = schema.as_object_mut() {
        let read_only = meta.read_only.iter().cloned().map(Json::String).collect();
        map.insert("readOnlyProperties".into(), Json::Array(read_only));
    }
    schema
}

impl Binding {
    /// Wraps a built model (codegen's [`model::build`]).
    pub fn new(model: ResourceType) -> Self {
        let items = model
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item_name(item).to_owned(), i))
            .collect();
        Binding { model, items }
    }

    /// The model codegen renders.
    pub fn model(&self) -> &ResourceType {
        &self.model
    }

    /// The cargo feature and module of the service: `dynamodb`.
    pub fn service(&self) -> &str {
        &self.model.service
    }

    /// The struct name: `Table`.
    pub fn name(&self) -> &str {
        &self.model.name
    }

    /// The module of its property types: `table`.
    pub fn module(&self) -> &str {
        &self.model.module
    }

    /// The path of the type: `infra_model::aws::dynamodb::Table`.
    pub fn path(&self) -> String {
        format!(
            "infra_model::aws::{}::{}",
            self.model.service, self.model.name
        )
    }

    /// The resource's own properties (the `Properties` object).
    pub fn root(&self) -> &Struct {
        &self.model.root
    }

    /// A property type by its Rust name (from [`model::Ty::Struct`]/[`model::Ty::Enum`]).
    pub fn item(&self, name: &str) -> Option<&Item> {
        self.items.get(name).map(|&i| &self.model.items[i])
    }

    pub fn structure(&self, name: &str) -> Option<&Struct> {
        match self.item(name)? {
            Item::Struct(s) => Some(s),
            Item::Enum(_) => None,
        }
    }

    pub fn enumeration(&self, name: &str) -> Option<&Enum> {
        match self.item(name)? {
            Item::Enum(e) => Some(e),
            Item::Struct(_) => None,
        }
    }

    /// The path of a property type relative to the service module:
    /// `table::KeySchema` (shared items are re-exported there too).
    pub fn item_path(&self, name: &str) -> String {
        format!("{}::{name}", self.model.module)
    }

    /// The GetAtt accessor of attribute `name` (`Arn` -> `arn`), when codegen made one.
    pub fn attribute(&self, name: &str) -> Option<&Attr> {
        self.model.attrs.iter().find(|a| a.name == name)
    }
}

impl Struct {
    /// The field of JSON property `json`; None when unknown or read-only.
    pub fn field(&self, json: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.json == json)
    }

    /// The constructor's arguments, in order.
    pub fn required(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.required)
    }
}

impl Enum {
    /// The Rust variant spelling `value`.
    pub fn variant_of(&self, value: &Json) -> Option<&str> {
        self.variants
            .iter()
            .find(|(_, v)| v == value)
            .map(|(rust, _)| rust.as_str())
    }
}

fn item_name(item: &Item) -> &str {
    match item {
        Item::Struct(s) => &s.name,
        Item::Enum(e) => &e.name,
    }
}

/// What codegen names in a model, without documentation: two models with the
/// same signature generate the same API.
pub fn signature(model: &ResourceType) -> String {
    let mut out = format!(
        "{} {} {} {}\n",
        model.type_name, model.service, model.name, model.module
    );
    let mut items: Vec<&Item> = model.items.iter().collect();
    items.sort_by_key(|i| item_name(i));
    for s in std::iter::once(&model.root).chain(items.iter().filter_map(|i| match i {
        Item::Struct(s) => Some(s),
        Item::Enum(_) => None,
    })) {
        out.push_str(&format!("struct {}\n", s.name));
        for f in &s.fields {
            out.push_str(&format!(
                "  {} {} {} {:?} req={} boxed={}\n",
                f.json, f.rust, f.setter, f.ty, f.required, f.boxed
            ));
        }
    }
    for e in items.iter().filter_map(|i| match i {
        Item::Enum(e) => Some(e),
        Item::Struct(_) => None,
    }) {
        out.push_str(&format!("enum {} {:?}\n", e.name, e.variants));
    }
    for a in &model.attrs {
        out.push_str(&format!(
            "attr {} {} {} {:?}\n",
            a.name, a.const_name, a.method, a.ty
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_binding_names_what_codegen_generates() {
        let t = binding("AWS::DynamoDB::Table").expect("a registry type");
        assert_eq!(t.path(), "infra_model::aws::dynamodb::Table");
        assert_eq!(t.module(), "table");
        let required: Vec<&str> = t.root().required().map(|f| f.rust.as_str()).collect();
        assert_eq!(required, ["key_schema"]);
        let billing = t.root().field("BillingMode").expect("a property");
        assert_eq!(billing.setter, "billing_mode");
        let model::Ty::Enum(e) = &billing.ty else {
            panic!("BillingMode is an enum: {:?}", billing.ty);
        };
        let e = t.enumeration(e).expect("the enum");
        assert_eq!(
            e.variant_of(&Json::from("PAY_PER_REQUEST")),
            Some("PayPerRequest")
        );
        assert_eq!(
            t.attribute("StreamArn").map(|a| a.method.as_str()),
            Some("stream_arn")
        );
        // Read-only properties are not settable: `Arn` is an attribute only.
        assert!(t.root().field("Arn").is_none());
    }

    #[test]
    fn unknown_types_have_no_binding() {
        assert!(binding("AWS::DynamoDB::Tabel").is_none());
        assert!(binding("Custom::Thing").is_none());
    }
}

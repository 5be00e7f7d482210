//! Where validation finds what it knows about a resource type: its property
//! schema and its GetAtt attributes. [`TypeSource`] keeps the checks
//! independent of where that comes from.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

/// The registry knowledge validation needs about resource types.
pub trait TypeSource: Sync {
    /// The registry JSON-Schema of `type_name` (`properties`, `required`,
    /// `definitions`, `$ref`s intact), `None` for a type the registry lacks.
    fn schema(&self, type_name: &str) -> Option<&Value>;
    /// Whether `Fn::GetAtt` accepts `attribute` (`A.B` for nested ones).
    fn has_attribute(&self, type_name: &str, attribute: &str) -> bool;
    /// The GetAtt attributes of `type_name`, for messages.
    fn attributes(&self, type_name: &str) -> Vec<String>;
    /// A registry type close to an unknown `type_name`.
    fn suggest(&self, type_name: &str) -> Option<String>;
}

/// The schemas of the pinned cfn-lint wheel as `cargo xtask codegen`
/// extracts it into `.cache/`, read lazily.
#[derive(Debug)]
pub struct WheelTypes {
    dir: PathBuf,
    files: HashMap<String, String>,
    loaded: HashMap<String, OnceLock<Option<Value>>>,
}

/// `.cache/cfn-lint-*/x/cfnlint/data/schemas` of this workspace, if extracted.
pub(crate) fn wheel_dir() -> Option<PathBuf> {
    let cache = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.cache");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cache)
        .ok()?
        .flatten()
        .map(|e| e.path().join("x/cfnlint/data/schemas"))
        .filter(|p| p.exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

impl WheelTypes {
    /// The extracted wheel of this workspace, `None` when not extracted.
    pub fn open() -> Option<WheelTypes> {
        let dir = wheel_dir()?;
        let text = std::fs::read_to_string(dir.join("providers/us-east-1.json")).ok()?;
        let files: HashMap<String, String> = serde_json::from_str(&text).ok()?;
        let loaded = files.keys().map(|k| (k.clone(), OnceLock::new())).collect();
        Some(WheelTypes { dir, files, loaded })
    }
}

impl TypeSource for WheelTypes {
    fn schema(&self, type_name: &str) -> Option<&Value> {
        let hash = self.files.get(type_name)?;
        self.loaded
            .get(type_name)?
            .get_or_init(|| {
                let path = self.dir.join(format!("resources/{hash}.json"));
                let text = std::fs::read_to_string(path).ok()?;
                serde_json::from_str(&text).ok()
            })
            .as_ref()
    }

    fn has_attribute(&self, type_name: &str, attribute: &str) -> bool {
        self.attributes(type_name).iter().any(|a| a == attribute)
    }

    fn attributes(&self, type_name: &str) -> Vec<String> {
        let Some(schema) = self.schema(type_name) else {
            return Vec::new();
        };
        let read_only = schema["readOnlyProperties"].as_array().into_iter().flatten();
        let props = schema["properties"].as_object().into_iter().flatten();
        read_only
            .filter_map(Value::as_str)
            .map(|p| p.trim_start_matches("/properties/").replace('/', "."))
            .chain(props.map(|(k, _)| k.clone()))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    fn suggest(&self, type_name: &str) -> Option<String> {
        closest(type_name, self.files.keys().map(String::as_str))
    }
}

/// The name in `names` closest to `name`, when it is close.
pub(crate) fn closest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    names
        .map(|n| (strsim::damerau_levenshtein(&lower, &n.to_lowercase()), n))
        .filter(|(d, n)| *d <= 3.max(n.len() / 6))
        .min()
        .map(|(_, n)| n.to_owned())
}

/// The type source `validate` uses.
pub fn default_types() -> &'static dyn TypeSource {
    static TYPES: OnceLock<Option<WheelTypes>> = OnceLock::new();
    static NONE: NoTypes = NoTypes;
    match TYPES.get_or_init(WheelTypes::open) {
        Some(t) => t,
        None => &NONE,
    }
}

/// No registry at all.
#[derive(Debug)]
struct NoTypes;

impl TypeSource for NoTypes {
    fn schema(&self, _: &str) -> Option<&Value> {
        None
    }
    fn has_attribute(&self, _: &str, _: &str) -> bool {
        true
    }
    fn attributes(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn suggest(&self, _: &str) -> Option<String> {
        None
    }
}

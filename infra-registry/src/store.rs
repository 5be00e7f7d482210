//! The embedded form: `data/index.tsv` (one line per type: name, offset and
//! length of its slice) and `data/types.bin` (the slices, each a deflate
//! stream of two JSON lines: the metadata, then the property schema).
//!
//! Nothing is parsed until a type is looked up, and then only that type's
//! slice is inflated and its metadata parsed; the schema line waits for
//! [`TypeMeta::schema`]. Writer and reader live here side by side.

use std::fmt;
use std::sync::OnceLock;

use crate::holding;
use crate::meta::{LazySchema, TypeMeta};

static INDEX: &str = include_str!("../data/index.tsv");
static BLOB: &[u8] = include_bytes!("../data/types.bin");

/// Deflate level codegen uses; 10 is miniz's best.
const LEVEL: u8 = 10;

/// A malformed stored slice: the data files are not what codegen wrote.
#[derive(Debug)]
pub struct DecodeError {
    pub type_name: String,
    pub reason: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "registry data of {} is corrupt ({}): run `cargo xtask codegen`",
            self.type_name, self.reason
        )
    }
}

impl std::error::Error for DecodeError {}

struct Entry {
    name: &'static str,
    start: usize,
    end: usize,
}

struct Store {
    entries: Vec<Entry>,
    /// Boxed: an unboxed cell is the size of a `TypeMeta`, and 1,854 of
    /// them made the first lookup cost 0.6 ms.
    cells: Vec<OnceLock<Option<Box<TypeMeta>>>>,
}

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let entries: Vec<Entry> = INDEX.lines().filter_map(parse_entry).collect();
        let cells = entries.iter().map(|_| OnceLock::new()).collect();
        Store { entries, cells }
    })
}

fn parse_entry(line: &'static str) -> Option<Entry> {
    let mut fields = line.split('\t');
    let name = fields.next()?;
    let start: usize = fields.next()?.parse().ok()?;
    let len: usize = fields.next()?.parse().ok()?;
    Some(Entry {
        name,
        start,
        end: start + len,
    })
}

/// Every stored type name, sorted (codegen writes the index sorted).
pub fn names() -> impl Iterator<Item = &'static str> {
    store().entries.iter().map(|e| e.name)
}

/// The metadata of `type_name`, decoded on first use.
pub fn get(type_name: &str) -> Option<&'static TypeMeta> {
    let store = store();
    let i = store
        .entries
        .binary_search_by(|e| e.name.cmp(type_name))
        .ok()?;
    store.cells[i]
        .get_or_init(|| decode_entry(&store.entries[i]).ok().map(Box::new))
        .as_deref()
}

/// Decodes every stored type; for tests and `codegen --check`.
pub fn verify_all() -> Result<usize, DecodeError> {
    let store = store();
    for entry in &store.entries {
        let meta = decode_entry(entry)?;
        if meta.schema().is_null() {
            return Err(DecodeError {
                type_name: entry.name.to_owned(),
                reason: "schema line is not JSON".to_owned(),
            });
        }
    }
    Ok(store.entries.len())
}

fn decode_entry(entry: &Entry) -> Result<TypeMeta, DecodeError> {
    let err = |reason: String| DecodeError {
        type_name: entry.name.to_owned(),
        reason,
    };
    let slice = BLOB
        .get(entry.start..entry.end)
        .ok_or_else(|| err("slice is outside types.bin".to_owned()))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec(slice)
        .map_err(|e| err(format!("inflate: {e:?}")))?;
    let text = String::from_utf8(bytes).map_err(|e| err(e.to_string()))?;
    let mut meta = decode(&text).map_err(err)?;
    if meta.type_name != entry.name {
        return Err(err(format!("slice holds {}", meta.type_name)));
    }
    meta.holds_data = holding::reason(entry.name);
    Ok(meta)
}

/// The two-line text of one type (metadata, property schema).
pub fn encode(meta: &TypeMeta) -> Result<String, serde_json::Error> {
    let head = serde_json::to_string(meta)?;
    let schema = serde_json::to_string(meta.schema())?;
    Ok(format!("{head}\n{schema}"))
}

fn decode(text: &str) -> Result<TypeMeta, String> {
    let (head, schema) = text.split_once('\n').ok_or("no schema line")?;
    let mut meta: TypeMeta = serde_json::from_str(head).map_err(|e| e.to_string())?;
    meta.schema = LazySchema::from_text(schema.to_owned());
    Ok(meta)
}

/// The index and blob for `types`, in type-name order (lookups binary-search the index).
pub fn pack(types: &[TypeMeta]) -> Result<(String, Vec<u8>), serde_json::Error> {
    let mut sorted: Vec<&TypeMeta> = types.iter().collect();
    sorted.sort_by(|a, b| a.type_name.cmp(&b.type_name));
    sorted.dedup_by(|a, b| a.type_name == b.type_name);
    let mut index = String::new();
    let mut blob = Vec::new();
    for meta in sorted {
        let text = encode(meta)?;
        let slice = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), LEVEL);
        index.push_str(&format!(
            "{}\t{}\t{}\n",
            meta.type_name,
            blob.len(),
            slice.len()
        ));
        blob.extend_from_slice(&slice);
    }
    Ok((index, blob))
}

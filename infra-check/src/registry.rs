//! Where the checks find the metadata of a resource type.
//!
//! [`Registry::aws`] reads `infra-registry`, which knows every type of the
//! pinned registry. The checks still take metadata in the [`ResourceMeta`]
//! shape, so this module adapts: the first lookup of a type converts its
//! [`infra_registry::TypeMeta`] once and keeps it for the life of the process.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use infra_model::{Permissions, ResourceMeta};
use infra_registry::TypeMeta;

/// A set of resource type metadata. [`Registry::aws`] is every registry type.
#[derive(Clone, Copy, Debug)]
pub struct Registry<'a> {
    /// `None`: the whole registry of `infra-registry`.
    metas: Option<&'a [&'a ResourceMeta]>,
}

impl<'a> Registry<'a> {
    /// A registry of `metas` only (for tests and hand-made types).
    pub const fn new(metas: &'a [&'a ResourceMeta]) -> Self {
        Registry { metas: Some(metas) }
    }

    /// The metadata of `type_name`, when the registry has it.
    pub fn lookup(&self, type_name: &str) -> Option<&'a ResourceMeta> {
        match self.metas {
            Some(metas) => metas.iter().copied().find(|m| m.type_name == type_name),
            None => adapted(type_name),
        }
    }
}

impl Registry<'static> {
    /// Every type of the pinned CloudFormation registry.
    pub fn aws() -> Self {
        Registry { metas: None }
    }
}

/// The adapted metadata of a registry type, converted once per process.
fn adapted(type_name: &str) -> Option<&'static ResourceMeta> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, &'static ResourceMeta>>> = OnceLock::new();
    let meta = infra_registry::lookup(type_name)?;
    let cache = CACHE.get_or_init(Mutex::default);
    // A poisoned lock only means another thread panicked mid-insert of a
    // complete value; the map is still sound.
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    let entry = map
        .entry(meta.type_name.as_str())
        .or_insert_with(|| Box::leak(Box::new(convert(meta))));
    Some(*entry)
}

/// Leaks: bounded by the number of registry types a process looks up.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn leak_all(list: &[String]) -> &'static [&'static str] {
    Box::leak(list.iter().map(|s| leak(s)).collect())
}

fn convert(meta: &'static TypeMeta) -> ResourceMeta {
    let names: Vec<String> = meta.attribute_names().map(str::to_owned).collect();
    let p = &meta.permissions;
    ResourceMeta {
        type_name: &meta.type_name,
        service: &meta.service,
        attributes: leak_all(&names),
        ref_returns: meta.ref_returns.as_deref(),
        primary_identifier: leak_all(&meta.primary_identifier),
        create_only: leak_all(&meta.create_only),
        conditional_create_only: leak_all(&meta.conditional_create_only),
        write_only: leak_all(&meta.write_only),
        permissions: Permissions {
            create: leak_all(&p.create),
            read: leak_all(&p.read),
            update: leak_all(&p.update),
            delete: leak_all(&p.delete),
            list: leak_all(&p.list),
        },
        holds_data: meta.holds_data.is_some(),
        unordered: leak_all(&meta.unordered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_type_is_known() {
        let registry = Registry::aws();
        for name in [
            "AWS::Logs::LogGroup",
            "AWS::EC2::VPC",
            "AWS::RDS::DBInstance",
        ] {
            assert_eq!(registry.lookup(name).map(|m| m.type_name), Some(name));
        }
        assert!(registry.lookup("AWS::S3::Buckett").is_none());
        let log_group = registry.lookup("AWS::Logs::LogGroup").expect("known");
        assert!(log_group.holds_data);
        assert!(log_group.create_only.contains(&"/properties/LogGroupName"));
        assert!(std::ptr::eq(
            log_group,
            registry.lookup("AWS::Logs::LogGroup").expect("known")
        ));
    }
}

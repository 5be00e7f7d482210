//! The outputs a consumer's Rust code reads: `X.value()` and `X.value_from(..)` on a
//! constant of the generated `infra_outputs` crate, so `refs check` can tell when the
//! consumer's manifest never sets the variable that read needs.
//!
//! The code is parsed with `syn` (comments, strings and macros bodies are not code), and
//! paths are resolved through the file's `use` items: `infra_outputs::infra::X`, `infra::X`
//! after `use infra_outputs::infra`, `X` after `use infra_outputs::infra::{X, ..}` or a glob,
//! renames included. A read through a variable (`for o in infra::ALL { o.value() }`) is
//! not followed. Test code (`#[cfg(test)]`, `#[test]`) is skipped: tests read outputs
//! through fake lookups, not the deployed environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infra_model::naming;
use syn::visit::Visit;

use super::catalogue::Catalogue;

/// The crate that names our outputs.
const CRATE: &str = "infra_outputs";

/// One read of an output's deployed value.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Read {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// `INVITES_TABLE_ARN.value()`, as written (path and method).
    pub shown: String,
    pub service: String,
    pub output: String,
}

/// Every read in the `.rs` files under `src` of the crate in `dir`; a file that does not
/// parse is skipped with a warning (the compiler reports it better).
pub(super) fn reads(catalogue: &Catalogue, dir: &Path, warnings: &mut Vec<String>) -> Vec<Read> {
    let mut out = Vec::new();
    let walker = ignore::WalkBuilder::new(dir.join("src"))
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file())
            || path.extension().is_none_or(|e| e != "rs")
        {
            continue;
        }
        match std::fs::read_to_string(path).map_err(|e| e.to_string()) {
            Ok(text) => match reads_in(catalogue, path, &text) {
                Ok(found) => out.extend(found),
                Err(err) => {
                    let at = err.span().start();
                    let place = format!("{}:{}:{}", path.display(), at.line, at.column + 1);
                    warnings.push(format!("skipped {place}: {err}"));
                }
            },
            Err(err) => warnings.push(format!("skipped {}: {err}", path.display())),
        }
    }
    out
}

/// The reads in one file's text.
pub(super) fn reads_in(catalogue: &Catalogue, file: &Path, text: &str) -> syn::Result<Vec<Read>> {
    let ast = syn::parse_file(text)?;
    let mut imports = Imports::default();
    imports.visit_file(&ast);
    let mut finder = Finder {
        catalogue,
        imports,
        file,
        found: Vec::new(),
    };
    finder.visit_file(&ast);
    Ok(finder.found)
}

/// What a name brought in by `use` stands for.
#[derive(Clone, Debug)]
enum Import {
    /// `infra_outputs` itself.
    Crate,
    /// A service module, `infra_outputs::infra`.
    Module(String),
    /// A constant, `infra_outputs::infra::X`: its module and name.
    Const(String, String),
}

/// The file's `use` items that reach into `infra_outputs` (scopes are not told apart).
#[derive(Default)]
struct Imports {
    names: BTreeMap<String, Import>,
    /// Modules glob-imported: `use infra_outputs::infra::*`.
    globs: Vec<String>,
}

impl Visit<'_> for Imports {
    fn visit_item_use(&mut self, item: &syn::ItemUse) {
        self.tree(&mut Vec::new(), &item.tree);
    }
}

impl Imports {
    fn tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.bind(prefix, n.ident.to_string(), &n.ident),
            syn::UseTree::Rename(r) => self.bind(prefix, r.ident.to_string(), &r.rename),
            syn::UseTree::Glob(_) => {
                if let [c, module] = &prefix[..]
                    && c == CRATE
                {
                    self.globs.push(module.clone());
                }
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| self.tree(prefix, t)),
        }
    }

    fn bind(&mut self, prefix: &[String], name: String, local: &syn::Ident) {
        let mut path = prefix.to_vec();
        if name != "self" {
            path.push(name);
        }
        if let Some(import) = import_of(&path) {
            self.names.insert(local.to_string(), import);
        }
    }

    /// The `(module, constant)`s a path in expression position may name: one, or one per
    /// glob-imported module for a bare name.
    fn resolve(&self, segments: &[String]) -> Vec<(String, String)> {
        let Some((first, rest)) = segments.split_first() else {
            return Vec::new();
        };
        let heads: Vec<Vec<String>> = match self.names.get(first) {
            Some(Import::Crate) => vec![vec![CRATE.to_owned()]],
            Some(Import::Module(m)) => vec![vec![CRATE.to_owned(), m.clone()]],
            Some(Import::Const(m, c)) => vec![vec![CRATE.to_owned(), m.clone(), c.clone()]],
            None if rest.is_empty() => self
                .globs
                .iter()
                .map(|m| vec![CRATE.to_owned(), m.clone(), first.clone()])
                .collect(),
            None => vec![vec![first.clone()]],
        };
        heads
            .into_iter()
            .filter_map(|mut path| {
                path.extend(rest.iter().cloned());
                match import_of(&path)? {
                    Import::Const(module, konst) => Some((module, konst)),
                    _ => None,
                }
            })
            .collect()
    }
}

/// What an absolute path (`infra_outputs::infra::X`) names.
fn import_of(path: &[String]) -> Option<Import> {
    match path {
        [c] if c == CRATE => Some(Import::Crate),
        [c, module] if c == CRATE => Some(Import::Module(module.clone())),
        [c, module, konst] if c == CRATE => Some(Import::Const(module.clone(), konst.clone())),
        _ => None,
    }
}

struct Finder<'a> {
    catalogue: &'a Catalogue,
    imports: Imports,
    file: &'a Path,
    found: Vec<Read>,
}

impl Visit<'_> for Finder<'_> {
    fn visit_item_mod(&mut self, item: &syn::ItemMod) {
        if !is_test(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &syn::ItemFn) {
        if !is_test(&item.attrs) {
            syn::visit::visit_item_fn(self, item);
        }
    }

    fn visit_expr_method_call(&mut self, call: &syn::ExprMethodCall) {
        syn::visit::visit_expr_method_call(self, call);
        let method = call.method.to_string();
        if method != "value" && method != "value_from" {
            return;
        }
        let syn::Expr::Path(receiver) = &*call.receiver else {
            return;
        };
        let segments: Vec<String> = receiver
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let output = self
            .imports
            .resolve(&segments)
            .into_iter()
            .find_map(|(module, konst)| output_of(self.catalogue, &module, &konst));
        if let Some((service, output)) = output {
            let start = receiver.path.segments[0].ident.span().start();
            self.found.push(Read {
                file: self.file.to_path_buf(),
                line: start.line,
                column: start.column + 1,
                shown: format!("{}.{method}({})", segments.join("::"), dots(call)),
                service,
                output,
            });
        }
    }
}

/// `..` for a call with arguments, as in `X.value_from(..)`.
fn dots(call: &syn::ExprMethodCall) -> &'static str {
    if call.args.is_empty() { "" } else { ".." }
}

/// The `(service, output)` of constant `konst` in module `module` of the outputs crate.
fn output_of(catalogue: &Catalogue, module: &str, konst: &str) -> Option<(String, String)> {
    let service = catalogue
        .services
        .iter()
        .find(|s| naming::output_module(&s.service) == module)?;
    let output = service
        .outputs
        .iter()
        .find(|o| naming::output_const(&o.name) == konst)?;
    Some((service.service.clone(), output.name.clone()))
}

/// `#[test]`, or a `#[cfg(..)]` that mentions `test` (`cfg(test)`, `cfg(all(test, ..))`).
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("test")
            || (a.path().is_ident("cfg")
                && a.meta.require_list().is_ok_and(|l| {
                    l.tokens
                        .clone()
                        .into_iter()
                        .any(|t| t.to_string() == "test")
                }))
    })
}

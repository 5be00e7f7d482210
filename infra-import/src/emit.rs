//! The whole file: imports, the `#[derive(Stack)]` struct with a field per
//! resource, its constructor, and the `customize` hook; formatted with
//! prettyplease.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use serde_json::Value as Json;

use crate::expr::{Scope, Target, Unfit, Uses};
use crate::names::{self, StackNames};
use crate::resource::{self, Planned};
use crate::{Imported, Options, sections};

/// Renders the planned resources and the sections of `template`.
pub fn file(template: &Json, opts: &Options, names: &StackNames, planned: &[Planned]) -> Imported {
    let modules = module_paths(planned);
    let owner = names::ident(&names.struct_name);
    let (inits, builders, fallbacks, mut scope_uses, items_of) =
        resources(planned, &modules, &owner);
    let typed = |p: &&Planned| p.binding.is_some() && !fallbacks.contains_key(&p.logical_id);
    let targets = targets(planned, &fallbacks);
    let mut scope = Scope::new(&owner, &targets);
    let statements = sections::statements(&mut scope, template, planned);
    scope_uses.extend(scope.uses);
    let fields = planned.iter().map(|p| field(p, typed(&p), &targets));
    let fields: Vec<TokenStream> = fields.collect();
    let used: Vec<&Planned> = planned.iter().filter(typed).collect();
    let imports = imports(
        &used,
        &modules,
        &items_of,
        &scope_uses,
        !statements.is_empty(),
    );
    let stack_attr = stack_attr(template, opts, names, !statements.is_empty());
    let customize = customize(&owner, &statements);
    let doc = format!(
        " The `{}` stack, imported from a CloudFormation template by `cargo xtask import`.",
        names.service
    );
    let tokens = quote! {
        #![doc = #doc]
        #imports
        #[derive(Debug, Stack)]
        #stack_attr
        pub struct #owner { #(#fields)* }
        impl #owner {
            /// The stack's resources, every value as the imported template has it.
            pub fn new(_ctx: &StackContext) -> Self {
                #owner { #(#inits)* }
            }
        }
        #(#builders)*
        #customize
    };
    let mut notes: Vec<String> = fallbacks
        .iter()
        .map(|(id, u)| {
            let t = planned
                .iter()
                .find(|p| &p.logical_id == id)
                .map_or("", |p| &p.type_name);
            format!("Resources.{id} ({t}) is `Untyped`: {}: {}", u.path, u.why)
        })
        .collect();
    notes.sort();
    Imported {
        module: names.module.clone(),
        struct_name: names.struct_name.clone(),
        source: format(tokens),
        features: used
            .iter()
            .filter_map(|p| p.binding.as_ref())
            .map(|b| b.service().to_owned())
            .collect(),
        notes,
    }
}

type Rendered = (
    Vec<TokenStream>,
    Vec<TokenStream>,
    BTreeMap<String, Unfit>,
    Uses,
    BTreeSet<String>,
);

/// Each resource's initializer (`field: field(),`) and builder function. A
/// function per resource keeps each stack frame small: one constructor
/// holding hundreds of builder chains overflows a debug build's main-thread
/// stack. A resource that does not fit its typed builders becomes `Untyped`;
/// references to it then change (no typed accessors), so the pass repeats
/// until no new fallback appears.
fn resources(
    planned: &[Planned],
    modules: &BTreeMap<String, TokenStream>,
    owner: &Ident,
) -> Rendered {
    let mut fallbacks: BTreeMap<String, Unfit> = BTreeMap::new();
    loop {
        let targets = targets(planned, &fallbacks);
        let mut scope = Scope::new(owner, &targets);
        let (mut inits, mut fns) = (Vec::new(), Vec::new());
        let mut new = None;
        for p in planned {
            let path = format!("Resources.{}.Properties", p.logical_id);
            let typed = p.binding.is_some() && !fallbacks.contains_key(&p.logical_id);
            let value = if typed {
                match resource::render(&mut scope, p, modules) {
                    Ok(v) => v,
                    Err(u) => {
                        new = Some((p.logical_id.clone(), u));
                        break;
                    }
                }
            } else {
                resource::untyped(&mut scope, p, &path)
            };
            let field = names::ident(&p.field);
            // `customize` is the stack's hook.
            let builder = names::ident(&if p.field == "customize" {
                format!("{}_", p.field)
            } else {
                p.field.clone()
            });
            let ty = field_type(p, typed);
            let doc = format!(" `{}` ({}).", p.logical_id, p.type_name);
            inits.push(quote!(#field: #builder(),));
            fns.push(quote! {
                #[doc = #doc]
                fn #builder() -> #ty {
                    #value
                }
            });
        }
        match new {
            Some((id, u)) => {
                fallbacks.insert(id, u);
            }
            None => return (inits, fns, fallbacks, scope.uses, scope.items_of),
        }
    }
}

/// The field's type: the typed model's, or `Untyped`.
fn field_type(p: &Planned, typed: bool) -> TokenStream {
    match p.binding.as_ref().filter(|_| typed) {
        Some(b) => {
            let (service, t) = (names::ident(b.service()), names::ident(b.name()));
            quote!(#service::#t)
        }
        None => quote!(Untyped),
    }
}

fn targets(planned: &[Planned], fallbacks: &BTreeMap<String, Unfit>) -> BTreeMap<String, Target> {
    planned
        .iter()
        .map(|p| {
            let binding = p
                .binding
                .clone()
                .filter(|_| !fallbacks.contains_key(&p.logical_id));
            let target = Target {
                handle: names::handle(&p.field),
                binding,
            };
            (p.logical_id.clone(), target)
        })
        .collect()
}

/// How the file names each typed resource type's module of property types:
/// `table` when no other name in the file is the same, else `dynamodb::table`.
fn module_paths(planned: &[Planned]) -> BTreeMap<String, TokenStream> {
    let bindings: BTreeMap<&str, &infra_codegen::Binding> = planned
        .iter()
        .filter_map(|p| p.binding.as_deref().map(|b| (p.type_name.as_str(), b)))
        .collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for b in bindings.values() {
        *count.entry(b.module()).or_default() += 1;
    }
    let services: BTreeSet<&str> = bindings.values().map(|b| b.service()).collect();
    let reserved = [
        "intrinsic",
        "pseudo",
        "std",
        "serde_json",
        "infra_model",
        "json",
    ];
    bindings
        .iter()
        .map(|(t, b)| {
            let (service, module) = (names::ident(b.service()), names::ident(b.module()));
            let alone = count[b.module()] == 1
                && !services.contains(b.module())
                && !reserved.contains(&b.module());
            let path = if alone {
                quote!(#module)
            } else {
                quote!(#service::#module)
            };
            ((*t).to_owned(), path)
        })
        .collect()
}

/// One field: its resource attributes and type.
fn field(p: &Planned, typed: bool, targets: &BTreeMap<String, Target>) -> TokenStream {
    let name = names::ident(&p.field);
    let ty = field_type(p, typed);
    let mut keys = Vec::new();
    if !p.round_trips {
        let id = &p.logical_id;
        keys.push(quote!(logical_id = #id));
    }
    if !p.depends_on.is_empty() {
        let deps = p
            .depends_on
            .iter()
            .filter_map(|d| targets.get(d))
            .map(|t| names::ident(&t.handle.to_string().to_lowercase()));
        keys.push(quote!(depends_on(#(#deps),*)));
    }
    if let Some(c) = &p.condition {
        keys.push(quote!(condition = #c));
    }
    // A type that holds data gets `Retain` by default, and a replacement
    // policy follows the deletion policy: "absent" keeps the input's silence.
    let holds_data = typed && p.binding.as_ref().is_some_and(|b| b.model().holds_data);
    let deletion = p
        .deletion_policy
        .as_deref()
        .or(holds_data.then_some("absent"));
    if let Some(d) = deletion {
        keys.push(quote!(deletion_policy = #d));
    }
    let defaulted = holds_data || p.deletion_policy.is_some();
    if let Some(u) = p
        .update_replace_policy
        .as_deref()
        .or(defaulted.then_some("absent"))
    {
        keys.push(quote!(update_replace_policy = #u));
    }
    let attr = (!keys.is_empty()).then(|| quote!(#[resource(#(#keys),*)]));
    quote!(#attr pub #name: #ty,)
}

fn stack_attr(template: &Json, opts: &Options, names: &StackNames, customize: bool) -> TokenStream {
    let (app, service) = (&opts.app, &names.service);
    let mut keys = vec![quote!(app = #app), quote!(service = #service)];
    if let Some(d) = template.get("Description").and_then(Json::as_str) {
        keys.push(quote!(description = #d));
    }
    if customize {
        keys.push(quote!(customize = customize));
    }
    quote!(#[stack(#(#keys),*)])
}

fn customize(owner: &Ident, statements: &[TokenStream]) -> TokenStream {
    if statements.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// The template's parameters, rules, mappings, conditions, metadata and
        /// outputs, and the resource attributes a field does not carry.
        fn customize(_stack: &#owner, _ctx: &StackContext, template: &mut Template) {
            #(#statements)*
        }
    }
}

/// The `use` lines: each typed service, the property-type modules the file
/// names, and the model's names it uses.
fn imports(
    used: &[&Planned],
    modules: &BTreeMap<String, TokenStream>,
    items_of: &BTreeSet<String>,
    uses: &Uses,
    customize: bool,
) -> TokenStream {
    let mut by_service: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for p in used {
        let Some(b) = &p.binding else { continue };
        let entry = by_service.entry(b.service().to_owned()).or_default();
        let bare = modules[&p.type_name].to_string() == b.module();
        if bare && items_of.contains(&p.type_name) {
            entry.insert(b.module().to_owned());
        }
    }
    let services = by_service.iter().map(|(s, mods)| {
        let s = names::ident(s);
        if mods.is_empty() {
            return quote!(use infra_model::aws::#s;);
        }
        let mods = mods.iter().map(|m| names::ident(m));
        quote!(use infra_model::aws::#s::{self, #(#mods),*};)
    });
    let mut model: BTreeSet<&str> = ["Stack", "StackContext"].into();
    if customize {
        model.insert("Template");
    }
    for u in [
        "intrinsic",
        "pseudo",
        "Json",
        "Untyped",
        "Parameter",
        "Output",
        "PolicyValue",
    ] {
        if uses.contains(u) {
            model.insert(u);
        }
    }
    let model = model.iter().map(|m| names::ident(m));
    let map = uses.contains("BTreeMap").then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let json = uses.contains("json").then(|| {
        quote!(
            use serde_json::json;
        )
    });
    quote! {
        #map
        #(#services)*
        use infra_model::{#(#model),*};
        #json
    }
}

fn format(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => spaced(&prettyplease::unparse(&file)),
        // Unreachable with the names above; the raw tokens still say what went wrong.
        Err(_) => tokens.to_string(),
    }
}

/// A blank line between top-level items, as people write them (prettyplease
/// writes none): after the module docs, the `use` lines and each closing brace.
fn spaced(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 64);
    let mut previous = "";
    for line in source.lines() {
        let item_start = !line.is_empty() && !line.starts_with([' ', '}', ')']);
        let after_item = previous == "}"
            || (previous.starts_with("//!") && !line.starts_with("//!"))
            || (previous.starts_with("use ") && !line.starts_with("use "))
            || (previous == "};" && !line.starts_with("use "));
        if item_start && after_item {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}

//! Template values as Rust expressions: typed builders where the model has a
//! type (`table::KeySchema::new("id", table::KeyType::Hash)`), the typed
//! helpers of `infra_model::intrinsic` for intrinsic functions (a handle's
//! accessor, `Self::TABLE.arn()`, for a reference to a typed resource), and
//! `json!` with the intrinsics spliced in for free-form JSON.
//!
//! A value the typed builders cannot express is [`Unfit`], naming the
//! property path; the caller then writes the whole resource untyped.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use infra_codegen::Binding;
use infra_codegen::model::{Leaf, Struct, Ty};
use infra_codegen::overrides::{Kind, Override};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use serde_json::{Map, Number, Value as Json};

use crate::names;

/// Why a value does not fit the typed model, at which template path.
#[derive(Debug)]
pub struct Unfit {
    pub path: String,
    pub why: String,
}

fn unfit<T>(path: &str, why: impl Into<String>) -> Result<T, Unfit> {
    Err(Unfit {
        path: path.to_owned(),
        why: why.into(),
    })
}

/// A resource others may reference: its handle and, when typed, its binding.
#[derive(Debug, Clone)]
pub struct Target {
    pub handle: Ident,
    pub binding: Option<Arc<Binding>>,
}

/// The names the generated file imports, recorded as they are used.
pub type Uses = BTreeSet<&'static str>;

/// Where expressions are written: `owner` names the stack struct (`Self`
/// inside its impl), `targets` the resources by logical ID.
#[derive(Debug)]
pub struct Scope<'a> {
    pub owner: TokenStream,
    pub targets: &'a BTreeMap<String, Target>,
    pub uses: Uses,
    /// The resource types whose property types (module items) are named.
    pub items_of: BTreeSet<String>,
}

impl<'a> Scope<'a> {
    /// A scope for the stack struct `owner` whose resources are `targets`,
    /// nothing used yet.
    pub fn new(owner: &Ident, targets: &'a BTreeMap<String, Target>) -> Self {
        Scope {
            owner: quote!(#owner),
            targets,
            uses: Uses::new(),
            items_of: BTreeSet::new(),
        }
    }
}

/// An expression, and whether it is a literal of the position's inner type
/// (it then needs `.into()` where a `Value` is expected exactly).
#[derive(Debug)]
pub struct Expr {
    pub tokens: TokenStream,
    pub literal: bool,
}

fn lit(tokens: TokenStream) -> Expr {
    Expr {
        tokens,
        literal: true,
    }
}

/// What an intrinsic helper returns.
#[derive(Debug, PartialEq)]
enum Out {
    /// `Value<T>` for any `T` (`r#ref`, `select`, `r#if`...).
    Generic,
    /// `Value<String>` (`sub`, `join`, `base64`, a handle's `r#ref()`).
    Str,
    /// `Value<Vec<Value<String>>>` (`split`, `get_azs`).
    StrList,
    /// `Intrinsic`, which converts into any `Value<T>` (condition functions).
    Intrinsic,
    /// A handle's GetAtt accessor, returning `Value<T>` for this type.
    Attr(Ty),
}

/// What a position takes: free-form JSON, or a typed `Value`.
#[derive(Clone, Copy, Debug)]
enum Want<'t> {
    Json,
    Ty(&'t Ty),
}

impl Out {
    fn fits(&self, want: Want<'_>) -> bool {
        let string = Ty::Leaf(Leaf::String);
        match (self, want) {
            (_, Want::Json) | (Out::Generic | Out::Intrinsic, _) => true,
            (Out::Str, Want::Ty(t)) => *t == string,
            (Out::StrList, Want::Ty(t)) => *t == Ty::List(Box::new(string)),
            (Out::Attr(a), Want::Ty(t)) => a == t,
        }
    }
}

/// `Some((function, argument))` when `v` is an intrinsic function call.
pub fn intrinsic_of(v: &Json) -> Option<(&str, &Json)> {
    let map = v.as_object()?;
    let (key, arg) = map.iter().next()?;
    let function = key == "Ref" || key == "Condition" || key.starts_with("Fn::");
    (map.len() == 1 && function).then_some((key.as_str(), arg))
}

/// The pseudo parameters and their helpers in `infra_model::pseudo`.
const PSEUDO: &[(&str, &str, bool)] = &[
    ("AWS::AccountId", "account_id", false),
    ("AWS::Region", "region", false),
    ("AWS::Partition", "partition", false),
    ("AWS::StackName", "stack_name", false),
    ("AWS::StackId", "stack_id", false),
    ("AWS::URLSuffix", "url_suffix", false),
    ("AWS::NotificationARNs", "notification_arns", true),
];

impl Scope<'_> {
    /// An expression of a type that is `Into<Json>`: a literal, a helper
    /// call, or `json!(..)`.
    pub fn arg(&mut self, v: &Json, path: &str) -> TokenStream {
        match v {
            Json::String(s) => quote!(#s),
            Json::Bool(b) => quote!(#b),
            Json::Number(n) => number(n),
            _ => match intrinsic_of(v).map(|(f, a)| self.intrinsic(f, a, path, Want::Json)) {
                Some(Ok((tokens, _))) => tokens,
                _ => self.json_macro(v, path),
            },
        }
    }

    /// `json!(..)` of `v`, intrinsics spliced in as helper calls.
    pub fn json_macro(&mut self, v: &Json, path: &str) -> TokenStream {
        if is_wide(v) {
            return self.json(v, path);
        }
        self.uses.insert("json");
        let inner = self.json(v, path);
        quote!(json!(#inner))
    }

    /// A wide object or array as an expression of its own, each value a
    /// `json!` of its own: one `json!` of many entries exceeds the compiler's
    /// macro recursion limit (a flat object of 64 keys does).
    fn wide(&mut self, v: &Json, path: &str) -> TokenStream {
        self.uses.insert("Json");
        match v {
            Json::Object(map) => {
                let entries = map.iter().map(|(k, v)| {
                    let inner = self.json_macro(v, &format!("{path}.{k}"));
                    quote!((#k.to_owned(), #inner))
                });
                let entries: Vec<TokenStream> = entries.collect();
                quote!(Json::Object([#(#entries),*].into_iter().collect()))
            }
            Json::Array(items) => {
                let items = self.json_list(items, path);
                quote!(Json::Array(vec![#(#items),*]))
            }
            _ => self.json(v, path),
        }
    }

    /// The tokens inside `json!(..)` for `v`.
    fn json(&mut self, v: &Json, path: &str) -> TokenStream {
        if let Some((f, a)) = intrinsic_of(v)
            && let Ok((tokens, _)) = self.intrinsic(f, a, path, Want::Json)
        {
            return tokens;
        }
        if is_wide(v) {
            return self.wide(v, path);
        }
        match v {
            Json::Object(map) => {
                let entries = map.iter().map(|(k, v)| {
                    let inner = self.json(v, &format!("{path}.{k}"));
                    quote!(#k: #inner)
                });
                let entries: Vec<TokenStream> = entries.collect();
                quote!({ #(#entries),* })
            }
            Json::Array(items) => {
                let items = items.iter().enumerate();
                let items: Vec<TokenStream> = items
                    .map(|(i, v)| self.json(v, &format!("{path}[{i}]")))
                    .collect();
                quote!([ #(#items),* ])
            }
            Json::String(s) => quote!(#s),
            Json::Bool(b) => quote!(#b),
            Json::Number(n) => number(n),
            Json::Null => quote!(null),
        }
    }

    /// Each of `items` as `json!(..)`, for helpers taking a list of one type.
    fn json_list(&mut self, items: &[Json], path: &str) -> Vec<TokenStream> {
        let items = items.iter().enumerate();
        items
            .map(|(i, v)| self.json_macro(v, &format!("{path}[{i}]")))
            .collect()
    }

    /// The helper call for intrinsic `f(arg)`, typed for `want`.
    fn intrinsic(
        &mut self,
        f: &str,
        arg: &Json,
        path: &str,
        want: Want<'_>,
    ) -> Result<(TokenStream, Out), Unfit> {
        let here = format!("{path}.{f}");
        let (tokens, out) = match f {
            "Ref" => self.reference(arg, &here, want)?,
            "Fn::GetAtt" => self.get_att(arg, &here, want)?,
            "Condition" => match arg {
                Json::String(name) => (self.helper(quote!(condition(#name))), Out::Intrinsic),
                _ => return unfit(&here, "a condition name is a string"),
            },
            _ => self.function(f, arg, &here, want)?,
        };
        if !out.fits(want) {
            return unfit(
                path,
                format!("`{f}` gives a string or list of strings, not the property's type"),
            );
        }
        Ok((tokens, out))
    }

    /// `intrinsic::#call`.
    fn helper(&mut self, call: TokenStream) -> TokenStream {
        self.uses.insert("intrinsic");
        quote!(intrinsic::#call)
    }

    /// `::<Json>` where a generic helper's type is not inferred from a typed position.
    fn turbofish(&mut self, want: Want<'_>) -> TokenStream {
        match want {
            Want::Json => {
                self.uses.insert("Json");
                quote!(::<Json>)
            }
            Want::Ty(_) => TokenStream::new(),
        }
    }

    fn reference(
        &mut self,
        arg: &Json,
        path: &str,
        want: Want<'_>,
    ) -> Result<(TokenStream, Out), Unfit> {
        let Json::String(name) = arg else {
            return unfit(path, "`Ref` takes a name");
        };
        if name == "AWS::NoValue" {
            self.uses.insert("pseudo");
            let tf = self.turbofish(want);
            return Ok((quote!(pseudo::no_value #tf ()), Out::Generic));
        }
        if let Some((_, f, list)) = PSEUDO.iter().find(|p| p.0 == name) {
            let out = if *list { Out::StrList } else { Out::Str };
            if out.fits(want) {
                self.uses.insert("pseudo");
                let f = names::ident(f);
                return Ok((quote!(pseudo::#f()), out));
            }
        } else if let Some(target) = self.targets.get(name)
            && Out::Str.fits(want)
        {
            let (owner, handle) = (&self.owner, &target.handle);
            return Ok((quote!(#owner::#handle.r#ref()), Out::Str));
        }
        // A parameter, or a resource or pseudo parameter where the position is not a string.
        let tf = self.turbofish(want);
        Ok((self.helper(quote!(r#ref #tf (#name))), Out::Generic))
    }

    fn get_att(
        &mut self,
        arg: &Json,
        path: &str,
        want: Want<'_>,
    ) -> Result<(TokenStream, Out), Unfit> {
        let (id, attr) = match arg {
            Json::String(s) => match s.split_once('.') {
                Some((id, attr)) => (id.to_owned(), attr.to_owned()),
                None => return unfit(path, "`Fn::GetAtt` takes `Resource.Attribute`"),
            },
            Json::Array(parts) => match parts.as_slice() {
                [Json::String(id), Json::String(attr)] => (id.clone(), attr.clone()),
                [Json::String(id), attr @ Json::Object(_)] => {
                    let tf = self.turbofish(want);
                    let attr = self.arg(attr, path);
                    return Ok((
                        self.helper(quote!(get_att_of #tf (#id, #attr))),
                        Out::Generic,
                    ));
                }
                _ => return unfit(path, "`Fn::GetAtt` takes a resource and an attribute name"),
            },
            _ => return unfit(path, "`Fn::GetAtt` takes a resource and an attribute name"),
        };
        if let Some(target) = self.targets.get(&id)
            && let Some(binding) = &target.binding
            && let Some(a) = binding.attribute(&attr)
        {
            let out = Out::Attr(a.ty.clone());
            if out.fits(want) && matches!(a.ty, Ty::Leaf(_) | Ty::List(_)) {
                let (owner, handle, method) =
                    (&self.owner, &target.handle, names::ident(&a.method));
                return Ok((quote!(#owner::#handle.#method()), out));
            }
        }
        let tf = self.turbofish(want);
        Ok((self.helper(quote!(get_att #tf (#id, #attr))), Out::Generic))
    }

    /// The `Fn::*` functions other than `Fn::GetAtt`.
    fn function(
        &mut self,
        f: &str,
        arg: &Json,
        path: &str,
        want: Want<'_>,
    ) -> Result<(TokenStream, Out), Unfit> {
        let list = arg.as_array().map(Vec::as_slice);
        // Recorded as used below, only when a generic helper is the one written.
        let tf = match want {
            Want::Json => quote!(::<Json>),
            Want::Ty(_) => TokenStream::new(),
        };
        let call = match (f, arg, list) {
            ("Fn::Sub", Json::String(s), _) => (quote!(sub(#s)), Out::Str),
            ("Fn::Sub", _, Some([Json::String(s)])) => (quote!(sub(#s)), Out::Str),
            ("Fn::Sub", _, Some([Json::String(s), Json::Object(vars)])) => {
                (self.sub_with(s, vars, path), Out::Str)
            }
            ("Fn::Join", _, Some([Json::String(d), Json::Array(items)])) if items.is_empty() => {
                self.uses.insert("Json");
                (quote!(join(#d, Vec::<Json>::new())), Out::Str)
            }
            ("Fn::Join", _, Some([Json::String(d), Json::Array(items)])) => {
                let items = self.json_list(items, path);
                self.uses.insert("json");
                (quote!(join(#d, [#(#items),*])), Out::Str)
            }
            ("Fn::Join", _, Some([Json::String(d), list])) => {
                let list = self.arg(list, path);
                (quote!(join_list(#d, #list)), Out::Str)
            }
            ("Fn::Cidr", _, Some([ip, count, bits])) => {
                let (ip, count, bits) = (
                    self.arg(ip, path),
                    self.arg(count, path),
                    self.arg(bits, path),
                );
                (quote!(cidr(#ip, #count, #bits)), Out::StrList)
            }
            ("Fn::GetStackOutput", Json::Object(o), _) => {
                (self.stack_output(o, path, &tf)?, Out::Generic)
            }
            ("Fn::Contains" | "Fn::EachMemberEquals" | "Fn::EachMemberIn", _, Some([a, b])) => {
                let (a, b) = (self.arg(a, path), self.arg(b, path));
                let name = names::ident(match f {
                    "Fn::Contains" => "contains",
                    "Fn::EachMemberEquals" => "each_member_equals",
                    _ => "each_member_in",
                });
                (quote!(#name(#a, #b)), Out::Intrinsic)
            }
            ("Fn::RefAll", Json::String(t), _) => (quote!(ref_all(#t)), Out::StrList),
            ("Fn::ValueOf", _, Some([p, Json::String(a)])) => {
                let p = self.arg(p, path);
                (quote!(value_of #tf (#p, #a)), Out::Generic)
            }
            ("Fn::ValueOfAll", _, Some([Json::String(t), Json::String(a)])) => {
                (quote!(value_of_all(#t, #a)), Out::StrList)
            }
            ("Fn::Select", _, Some([i, l])) => {
                let (i, l) = (self.arg(i, path), self.arg(l, path));
                (quote!(select #tf (#i, #l)), Out::Generic)
            }
            ("Fn::Split", _, Some([Json::String(d), src])) => {
                let src = self.arg(src, path);
                (quote!(split(#d, #src)), Out::StrList)
            }
            ("Fn::ImportValue", v, _) => {
                let v = self.arg(v, path);
                (quote!(import_value #tf (#v)), Out::Generic)
            }
            ("Fn::If", _, Some([Json::String(c), a, b])) => {
                let (a, b) = (self.arg(a, path), self.arg(b, path));
                (quote!(r#if #tf (#c, #a, #b)), Out::Generic)
            }
            ("Fn::Equals", _, Some([a, b])) => {
                let (a, b) = (self.arg(a, path), self.arg(b, path));
                (quote!(equals(#a, #b)), Out::Intrinsic)
            }
            ("Fn::Not", _, Some([c])) => {
                let c = self.arg(c, path);
                (quote!(not(#c)), Out::Intrinsic)
            }
            ("Fn::And" | "Fn::Or", _, Some(cs)) if !cs.is_empty() => {
                let cs = self.json_list(cs, path);
                let name = names::ident(if f == "Fn::And" { "and" } else { "or" });
                (quote!(#name([#(#cs),*])), Out::Intrinsic)
            }
            ("Fn::GetAZs", v, _) => {
                let v = self.arg(v, path);
                (quote!(get_azs(#v)), Out::StrList)
            }
            ("Fn::Base64", v, _) => {
                let v = self.arg(v, path);
                (quote!(base64(#v)), Out::Str)
            }
            ("Fn::FindInMap", _, Some([m, a, b])) => {
                let (m, a, b) = (self.arg(m, path), self.arg(a, path), self.arg(b, path));
                (quote!(find_in_map #tf (#m, #a, #b)), Out::Generic)
            }
            _ => return unfit(path, format!("`{f}` in this form has no typed helper")),
        };
        if call.1 == Out::Generic && matches!(want, Want::Json) {
            self.uses.insert("Json");
        }
        Ok((self.helper(call.0), call.1))
    }

    /// `get_stack_output(StackOutput::new(stack, output).region(..).role_arn(..))`.
    fn stack_output(
        &mut self,
        o: &Map<String, Json>,
        path: &str,
        tf: &TokenStream,
    ) -> Result<TokenStream, Unfit> {
        let known = ["StackName", "OutputName", "Region", "RoleArn"];
        let (Some(stack), Some(output)) = (o.get("StackName"), o.get("OutputName")) else {
            return unfit(
                path,
                "`Fn::GetStackOutput` needs `StackName` and `OutputName`",
            );
        };
        if let Some(k) = o.keys().find(|k| !known.contains(&k.as_str())) {
            return unfit(path, format!("unknown `Fn::GetStackOutput` key `{k}`"));
        }
        let (stack, output) = (self.arg(stack, path), self.arg(output, path));
        let mut built = quote!(intrinsic::StackOutput::new(#stack, #output));
        for (key, method) in [("Region", "region"), ("RoleArn", "role_arn")] {
            if let Some(v) = o.get(key) {
                let (v, method) = (self.arg(v, path), names::ident(method));
                built = quote!(#built.#method(#v));
            }
        }
        Ok(quote!(get_stack_output #tf (#built)))
    }

    fn sub_with(&mut self, s: &str, vars: &Map<String, Json>, path: &str) -> TokenStream {
        if vars.is_empty() {
            // `[text, {}]` stays as written (`sub` would write the short form).
            self.uses.insert("Json");
            return quote!(sub_with(#s, Vec::<(String, Json)>::new()));
        }
        let vars = vars.iter().map(|(k, v)| {
            let v = self.json_macro(v, &format!("{path}.{k}"));
            quote!((#k, #v))
        });
        let vars: Vec<TokenStream> = vars.collect();
        quote!(sub_with(#s, [#(#vars),*]))
    }
}

/// More entries than one `json!` should hold (see [`Scope::wide`]).
fn is_wide(v: &Json) -> bool {
    const WIDE: usize = 24;
    match v {
        Json::Object(m) => m.len() > WIDE && intrinsic_of(v).is_none(),
        Json::Array(a) => a.len() > WIDE,
        _ => false,
    }
}

/// A JSON number as a Rust literal that `Into<Json>` accepts: suffixed when
/// an unsuffixed literal would be read as an `i32` it does not fit.
pub fn number(n: &Number) -> TokenStream {
    if let Some(i) = n.as_i64() {
        if i32::try_from(i).is_ok() {
            let l = Literal::i64_unsuffixed(i);
            return quote!(#l);
        }
        let l = Literal::i64_suffixed(i);
        return quote!(#l);
    }
    if let Some(u) = n.as_u64() {
        let l = Literal::u64_suffixed(u);
        return quote!(#l);
    }
    let l = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
    quote!(#l)
}

/// The typed model of one resource type, for rendering its properties.
#[derive(Debug)]
pub struct Typed<'b> {
    pub binding: &'b Binding,
    /// The path of the type's module in the file: `table` or `dynamodb::table`.
    pub module: TokenStream,
}

impl Scope<'_> {
    /// `v` where the model has `ty` (`boxed`: `Value<Box<T>>`).
    pub fn value(
        &mut self,
        t: &Typed<'_>,
        v: &Json,
        ty: &Ty,
        boxed: bool,
        path: &str,
    ) -> Result<Expr, Unfit> {
        if *ty == Ty::Leaf(Leaf::Json) {
            return Ok(lit(self.json_macro(v, path)));
        }
        if let Some((f, a)) = intrinsic_of(v) {
            let (tokens, out) = self.intrinsic(f, a, path, Want::Ty(ty))?;
            return Ok(Expr {
                tokens,
                literal: out == Out::Intrinsic,
            });
        }
        if matches!(ty, Ty::Enum(_) | Ty::Struct(_)) {
            self.items_of.insert(t.binding.model().type_name.clone());
        }
        match ty {
            Ty::Leaf(l) => leaf(*l, v, path).map(lit),
            Ty::Enum(name) => variant(t, name, v, path).map(lit),
            Ty::Struct(name) => {
                let s = self.struct_of(t, name, path)?;
                let module = &t.module;
                let n = names::ident(name);
                let built = self.structure(t, s, &quote!(#module::#n), v, path)?;
                Ok(lit(if boxed {
                    quote!(Box::new(#built))
                } else {
                    built
                }))
            }
            Ty::Typed(o) => self.overridden(t, o, v, path).map(lit),
            Ty::List(item) => self.list(t, item, v, path).map(lit),
            Ty::Map(item) => self.map(t, item, v, path).map(lit),
        }
    }

    /// A property with a hand-written type (codegen's overrides): its raw-JSON
    /// hatch, `sqs::RedrivePolicy::json(json!(..))`, or an enum variant.
    fn overridden(
        &mut self,
        t: &Typed<'_>,
        o: &Override,
        v: &Json,
        path: &str,
    ) -> Result<TokenStream, Unfit> {
        let (service, rust) = (names::ident(t.binding.service()), names::ident(o.rust));
        if o.kind == Kind::Json {
            let raw = self.json_macro(v, path);
            return Ok(quote!(#service::#rust::json(#raw)));
        }
        let variant = v.as_str().and_then(|s| override_variant(o, s));
        match variant {
            Some(variant) => {
                let variant = names::ident(&variant);
                Ok(quote!(#service::#rust::#variant))
            }
            None => unfit(path, format!("`{v}` is not a value of `{}`", o.rust)),
        }
    }

    fn struct_of<'b>(&self, t: &Typed<'b>, name: &str, path: &str) -> Result<&'b Struct, Unfit> {
        match t.binding.structure(name) {
            Some(s) => Ok(s),
            None => unfit(path, format!("the model has no property type `{name}`")),
        }
    }

    /// A list or map item: exactly the item type (`T` for a struct, else `Value<T>`).
    fn item(&mut self, t: &Typed<'_>, v: &Json, ty: &Ty, path: &str) -> Result<TokenStream, Unfit> {
        if let Ty::Struct(name) = ty {
            if intrinsic_of(v).is_some() {
                return unfit(
                    path,
                    format!("an intrinsic function cannot stand for a `{name}` list item"),
                );
            }
            return self.value(t, v, ty, false, path).map(|e| e.tokens);
        }
        let e = self.value(t, v, ty, false, path)?;
        let tokens = e.tokens;
        Ok(if e.literal {
            quote!(#tokens.into())
        } else {
            tokens
        })
    }

    fn list(
        &mut self,
        t: &Typed<'_>,
        item: &Ty,
        v: &Json,
        path: &str,
    ) -> Result<TokenStream, Unfit> {
        let Json::Array(items) = v else {
            return unfit(path, "expected a list");
        };
        let mut out = Vec::new();
        for (i, v) in items.iter().enumerate() {
            out.push(self.item(t, v, item, &format!("{path}[{i}]"))?);
        }
        Ok(quote!(vec![#(#out),*]))
    }

    fn map(
        &mut self,
        t: &Typed<'_>,
        item: &Ty,
        v: &Json,
        path: &str,
    ) -> Result<TokenStream, Unfit> {
        let Json::Object(entries) = v else {
            return unfit(path, "expected a mapping");
        };
        self.uses.insert("BTreeMap");
        if entries.is_empty() {
            return Ok(quote!(BTreeMap::new()));
        }
        let mut out = Vec::new();
        for (k, v) in entries {
            let v = self.item(t, v, item, &format!("{path}.{k}"))?;
            out.push(quote!((#k.to_owned(), #v)));
        }
        Ok(quote!(BTreeMap::from([#(#out),*])))
    }

    /// A struct value: `path::new(required...)` (or `default()`), then one
    /// setter per optional property the input sets, in input order.
    pub fn structure(
        &mut self,
        t: &Typed<'_>,
        s: &Struct,
        ty: &TokenStream,
        v: &Json,
        path: &str,
    ) -> Result<TokenStream, Unfit> {
        let Json::Object(props) = v else {
            return unfit(
                path,
                format!("expected a mapping of `{}` properties", s.name),
            );
        };
        if let Some(unknown) = props.keys().find(|k| s.field(k).is_none()) {
            return unfit(
                &format!("{path}.{unknown}"),
                format!("`{unknown}` is not a settable property of `{}`", s.name),
            );
        }
        let mut args = Vec::new();
        for f in s.required() {
            let here = format!("{path}.{}", f.json);
            let Some(v) = props.get(&f.json) else {
                return unfit(&here, format!("required property `{}` is missing", f.json));
            };
            args.push(self.value(t, v, &f.ty, f.boxed, &here)?.tokens);
        }
        let mut tokens = if s.required().next().is_some() {
            quote!(#ty::new(#(#args),*))
        } else {
            quote!(#ty::default())
        };
        for (k, v) in props {
            let Some(f) = s.field(k).filter(|f| !f.required) else {
                continue;
            };
            let e = self.value(t, v, &f.ty, f.boxed, &format!("{path}.{k}"))?;
            let (setter, value) = (names::ident(&f.setter), e.tokens);
            tokens = quote!(#tokens.#setter(#value));
        }
        Ok(tokens)
    }
}

/// A scalar literal of leaf type `l`; strings that CloudFormation reads as
/// numbers or booleans are accepted for those.
fn leaf(l: Leaf, v: &Json, path: &str) -> Result<TokenStream, Unfit> {
    let text = match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match (l, v) {
        (Leaf::String, _) if text.is_some() => {
            let s = text.unwrap_or_default();
            return Ok(quote!(#s));
        }
        (Leaf::Boolean, Json::Bool(b)) => return Ok(quote!(#b)),
        (Leaf::Integer, Json::Number(n)) if n.as_i64().is_some() => return Ok(number(n)),
        (Leaf::Number, Json::Number(n)) => {
            let f = Literal::f64_unsuffixed(n.as_f64().unwrap_or_default());
            return Ok(quote!(#f));
        }
        _ => {}
    }
    let parsed = match (l, text.as_deref()) {
        (Leaf::Boolean, Some(s @ ("true" | "false"))) => Some(Json::Bool(s == "true")),
        (Leaf::Integer, Some(s)) => s.parse::<i64>().ok().map(Json::from),
        (Leaf::Number, Some(s)) => s
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Json::Number),
        _ => None,
    };
    match parsed {
        Some(p) if !matches!(v, Json::Number(_) | Json::Bool(_)) => leaf(l, &p, path),
        _ => unfit(path, format!("`{v}` is not a {l:?}")),
    }
}

/// The variant of an enum override spelled `s` in a template, read with the
/// type's own `FromStr` (the one home of its spellings); None for a value it
/// rejects or an enum override import does not know yet (then `Untyped`).
fn override_variant(o: &Override, s: &str) -> Option<String> {
    use infra_core::typed::sns;
    match (o.module, o.rust) {
        ("sns", "Protocol") => s.parse::<sns::Protocol>().ok().map(|v| format!("{v:?}")),
        ("sns", "FilterPolicyScope") => s
            .parse::<sns::FilterPolicyScope>()
            .ok()
            .map(|v| format!("{v:?}")),
        _ => None,
    }
}

/// `module::Enum::Variant` for the JSON value `v`.
fn variant(t: &Typed<'_>, name: &str, v: &Json, path: &str) -> Result<TokenStream, Unfit> {
    let Some(e) = t.binding.enumeration(name) else {
        return unfit(path, format!("the model has no enum `{name}`"));
    };
    let found = e.variant_of(v).or_else(|| match v {
        // A number or boolean enum written as a string.
        Json::String(s) => serde_json::from_str::<Json>(s)
            .ok()
            .and_then(|parsed| e.variant_of(&parsed)),
        _ => None,
    });
    let Some(variant) = found else {
        let allowed: Vec<String> = e.variants.iter().map(|(_, v)| v.to_string()).collect();
        return unfit(
            path,
            format!(
                "`{v}` is not one of the values of `{name}`: {}",
                allowed.join(", ")
            ),
        );
    };
    let (module, n, variant) = (&t.module, names::ident(name), names::ident(variant));
    Ok(quote!(#module::#n::#variant))
}

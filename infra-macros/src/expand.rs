//! Code generation: the typed handles and the `Stack` impl.
//!
//! On errors the same impl is still emitted next to them: it tolerates the
//! invalid parts (a dropped `depends_on`, an empty `APP`), so one mistake does
//! not cascade into "`Stack` is not implemented" errors, while the mistakes
//! only the compiler can find (a GetAtt attribute the type lacks, a field that
//! is not a resource) are reported in the same build.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Ident, LitStr};

use crate::ast::{Field, OutputDecl, Stack};
use crate::attr::ABSENT;
use crate::check;
use crate::ctxt::Ctxt;

/// The whole expansion of `#[derive(Stack)]` on `input`.
pub fn derive_stack(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::default();
    let Some(stack) = Stack::from_ast(&cx, input) else {
        return errors(cx);
    };
    check::check(&cx, &stack);
    let handles = handles(&stack);
    let attribute_checks = stack
        .outputs()
        .filter(|(_, o)| !is_ref(o))
        .map(|(f, o)| attribute_check(f, o));
    let attribute_checks: Vec<TokenStream> = attribute_checks.collect();
    let stack_impl = stack_impl(&stack);
    let errors = errors(cx);
    quote! { #errors #handles #(#attribute_checks)* #stack_impl }
}

fn errors(cx: Ctxt) -> TokenStream {
    cx.check()
        .err()
        .map(syn::Error::into_compile_error)
        .unwrap_or_default()
}

/// `impl Infra { pub const WORKSPACES_TABLE: Handle<dynamodb::Table> = ..; }`
fn handles(stack: &Stack<'_>) -> TokenStream {
    let ident = stack.ident;
    let consts = stack.fields.iter().map(handle);
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
    }
}

/// One handle, typed with the checked field type (see [`checked`]).
fn handle(field: &Field<'_>) -> TokenStream {
    let (vis, ty, name) = (field.vis, field.ty, field.handle());
    let id = field.logical_id();
    let doc = format!("A typed handle to the `{id}` resource of this stack.");
    let checked = checked(ty);
    let value = quote_spanned! {ty.span()=>
        ::infra_model::__private::handle::<#checked>(#id)
    };
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        #vis const #name: ::infra_model::Handle<#checked> = #value;
    }
}

fn stack_impl(stack: &Stack<'_>) -> TokenStream {
    let ident = stack.ident;
    let app = lit_or_empty(stack.attrs.app.as_ref());
    let service = lit_or_empty(stack.attrs.service.as_ref());
    let outputs = stack.outputs().map(|(f, o)| output_spec(f, o));
    let to_template = to_template(stack);
    quote! {
        #[automatically_derived]
        impl ::infra_model::Stack for #ident {
            const APP: &'static str = #app;
            const SERVICE: &'static str = #service;
            const OUTPUTS: &'static [::infra_model::OutputSpec] = &[#(#outputs),*];
            #to_template
        }
    }
}

fn lit_or_empty(lit: Option<&LitStr>) -> TokenStream {
    lit.map_or_else(|| quote!(""), |lit| quote!(#lit))
}

/// An `OutputSpec`; its `attribute` is the GetAtt name of the key (checked
/// by [`attribute_check`]).
fn output_spec(field: &Field<'_>, output: &OutputDecl) -> TokenStream {
    let name = &output.name;
    let description = lit_or_empty(output.description.as_ref());
    let id = field.logical_id();
    let attribute = if is_ref(output) {
        quote!("Ref")
    } else {
        let (checked, key) = (checked(field.ty), output.key.to_string());
        quote! {
            match ::infra_model::__private::attribute::<#checked>(#key) {
                ::core::option::Option::Some(name) => name,
                ::core::option::Option::None => "",
            }
        }
    };
    quote! {
        ::infra_model::OutputSpec {
            name: #name,
            description: #description,
            logical_id: #id,
            attribute: #attribute,
        }
    }
}

fn is_ref(output: &OutputDecl) -> bool {
    output.key == "Ref"
}

/// A constant, spanned on the key, whose evaluation fails when the field's
/// type has no attribute `key`: the error lists the attributes it has.
fn attribute_check(field: &Field<'_>, output: &OutputDecl) -> TokenStream {
    let (checked, key) = (checked(field.ty), &output.key);
    let name = key.to_string();
    quote_spanned! {key.span()=>
        const _: () = if ::infra_model::__private::attribute::<#checked>(#name).is_none() {
            ::core::panic!("{}", <#checked as ::infra_model::Resource>::NO_SUCH_ATTRIBUTE)
        };
    }
}

fn to_template(stack: &Stack<'_>) -> TokenStream {
    let description = match &stack.attrs.description {
        Some(d) => quote!(::core::option::Option::Some(#d)),
        None => quote!(::core::option::Option::None),
    };
    let resources = stack.fields.iter().map(|f| resource(stack, f));
    let outputs = stack
        .outputs()
        .enumerate()
        .map(|(i, (f, o))| output(i, f, o));
    let customize = customize(stack);
    quote! {
        fn to_template(&self, ctx: &::infra_model::StackContext) -> ::infra_model::Template {
            let mut builder = ::infra_model::__private::TemplateBuilder::new(#description);
            #(#resources)*
            #(#outputs)*
            let mut template = builder.finish();
            #customize
            template
        }
    }
}

/// `builder.resource(..)`, spanned on the field's type like the handle.
fn resource(stack: &Stack<'_>, field: &Field<'_>) -> TokenStream {
    let (ident, ty, id) = (field.ident, field.ty, field.logical_id());
    let opts = resource_options(stack, field);
    let checked = checked(ty);
    quote_spanned! {ty.span()=>
        builder.resource::<#checked>(#id, &self.#ident, #opts);
    }
}

fn resource_options(stack: &Stack<'_>, field: &Field<'_>) -> TokenStream {
    let opts = &field.opts;
    // Unknown targets were reported by `check`; they are dropped here.
    let depends_on = opts
        .depends_on
        .iter()
        .filter_map(|target| stack.field(target))
        .map(Field::logical_id);
    let deletion_policy = policy(
        opts.deletion_policy.as_ref(),
        quote!(::infra_model::DeletionPolicy),
    );
    let update_replace_policy = policy(
        opts.update_replace_policy.as_ref(),
        quote!(::infra_model::UpdateReplacePolicy),
    );
    let condition = option(opts.condition.as_ref().map(|c| quote!(#c)));
    quote! {
        ::infra_model::__private::ResourceOptions {
            depends_on: &[#(#depends_on),*],
            deletion_policy: #deletion_policy,
            update_replace_policy: #update_replace_policy,
            condition: #condition,
        }
    }
}

/// `Policy::Default`, `Policy::Absent` or `Policy::Set(#ty::#variant)`.
fn policy(value: Option<&Ident>, ty: TokenStream) -> TokenStream {
    let policy = quote!(::infra_model::__private::Policy);
    match value {
        None => quote!(#policy::Default),
        Some(v) if v == ABSENT => quote!(#policy::Absent),
        Some(v) => quote!(#policy::Set(#ty::#v)),
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// `builder.output(&OUTPUTS[i], value)`: the value from the typed handle,
/// through `__private` functions rather than `Handle` methods (see there).
fn output(index: usize, field: &Field<'_>, output: &OutputDecl) -> TokenStream {
    let id = field.logical_id();
    let value = if is_ref(output) {
        quote!(::infra_model::__private::r#ref(#id))
    } else {
        quote! {
            ::infra_model::__private::get_att(
                #id,
                <Self as ::infra_model::Stack>::OUTPUTS[#index].attribute,
            )
        }
    };
    quote! {
        builder.output(
            &<Self as ::infra_model::Stack>::OUTPUTS[#index],
            #value,
        );
    }
}

/// The `customize` hook, coerced to its fn type so a wrong signature is an
/// error on the path the user wrote.
fn customize(stack: &Stack<'_>) -> TokenStream {
    let Some(path) = &stack.attrs.customize else {
        return quote!(let _ = ctx;);
    };
    let call = quote_spanned! {path.span()=>
        let customize: fn(&Self, &::infra_model::StackContext, &mut ::infra_model::Template) = #path;
        customize(self, ctx, &mut template);
    };
    // Values the hook added may carry dependencies (`Value::after`) too.
    quote! {
        #call
        ::infra_model::__private::resolve_after(&mut template);
    }
}

/// `<Ty as IsResource>::Type`: `Ty` itself when it is a resource type. Every
/// use of a field type goes through this spelling, spanned on the type, so a
/// field that is not a resource gives one error (rustc drops the identical
/// copies) on the type, with the `Resource` trait's message, and the uses that
/// depend on it are silenced instead of failing with errors of their own.
fn checked(ty: &syn::Type) -> TokenStream {
    quote_spanned! {ty.span()=> <#ty as ::infra_model::__private::IsResource>::Type }
}

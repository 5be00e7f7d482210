//! The model of one `#[derive(Stack)]` input, built from the syn tree and the
//! parsed helper attributes. Expansion reads only this.

use proc_macro2::Span;
use quote::{ToTokens, format_ident};
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Path, Type, Visibility};

use crate::attr;
use crate::ctxt::Ctxt;

/// A struct deriving `Stack`.
pub struct Stack<'a> {
    pub ident: &'a Ident,
    pub attrs: StackAttrs,
    pub fields: Vec<Field<'a>>,
}

/// `#[stack(app = "..", service = "..", description = "..", customize = path)]`.
#[derive(Default)]
pub struct StackAttrs {
    pub app: Option<LitStr>,
    pub service: Option<LitStr>,
    pub description: Option<LitStr>,
    pub customize: Option<Path>,
}

/// One field: one resource of the stack.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub ty: &'a Type,
    pub outputs: Vec<OutputDecl>,
    pub opts: ResourceOpts,
}

/// One `Attr = "name"` pair of an `#[output(..)]`.
pub struct OutputDecl {
    /// `Ref`, or the GetAtt attribute, as the constant of `R::Attributes`.
    pub key: Ident,
    pub name: LitStr,
    pub description: Option<LitStr>,
}

/// `#[resource(..)]`: the resource attributes of a field.
#[derive(Default)]
pub struct ResourceOpts {
    pub logical_id: Option<LitStr>,
    pub depends_on: Vec<Ident>,
    /// The `DeletionPolicy` variant, or `absent`, spanned on the string the
    /// user wrote; `update_replace_policy` the `UpdateReplacePolicy` variant.
    pub deletion_policy: Option<Ident>,
    pub update_replace_policy: Option<Ident>,
    pub condition: Option<LitStr>,
}

impl<'a> Stack<'a> {
    /// The model of `input`, or `None` (with errors in `cx`) when its shape
    /// cannot be a stack: not a struct with named fields, or generic.
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let fields = named_fields(cx, input)?;
        if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
            let msg = "#[derive(Stack)] does not support generic parameters";
            cx.error_spanned_by(&input.generics, msg);
            return None;
        }
        // Named fields all have an ident.
        let fields = fields
            .iter()
            .filter_map(|f| Some(Field::from_ast(cx, f.ident.as_ref()?, f)))
            .collect();
        let attrs = attr::stack_attrs(cx, &input.attrs);
        Some(Stack {
            ident: &input.ident,
            attrs,
            fields,
        })
    }

    /// The field named `ident`.
    pub fn field(&self, ident: &Ident) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.ident == ident)
    }

    /// Every output with the field it reads, in declaration order.
    pub fn outputs(&self) -> impl Iterator<Item = (&Field<'a>, &OutputDecl)> {
        self.fields
            .iter()
            .flat_map(|f| f.outputs.iter().map(move |o| (f, o)))
    }
}

/// The named fields of a struct; anything else is an error on its keyword.
fn named_fields<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Option<&'a Fields> {
    let culprit: &dyn ToTokens = match &input.data {
        Data::Struct(s) if matches!(s.fields, Fields::Named(_)) => return Some(&s.fields),
        Data::Struct(s) => &s.fields,
        Data::Enum(e) => &e.enum_token,
        Data::Union(u) => &u.union_token,
    };
    cx.error_spanned_by(
        culprit,
        "#[derive(Stack)] supports only structs with named fields",
    );
    None
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, ident: &'a Ident, field: &'a syn::Field) -> Self {
        let (outputs, opts) = attr::field_attrs(cx, &field.attrs);
        Field {
            ident,
            vis: &field.vis,
            ty: &field.ty,
            outputs,
            opts,
        }
    }

    /// The logical ID: the override, or the field name in PascalCase.
    pub fn logical_id(&self) -> String {
        match &self.opts.logical_id {
            Some(id) => id.value(),
            None => pascal_case(&self.ident.unraw().to_string()),
        }
    }

    /// Where a logical-ID error points: the override, or the field name.
    pub fn logical_id_span(&self) -> Span {
        self.opts
            .logical_id
            .as_ref()
            .map_or_else(|| self.ident.span(), LitStr::span)
    }

    /// The typed handle constant: the field name in SCREAMING_SNAKE_CASE.
    pub fn handle(&self) -> Ident {
        let name = self.ident.unraw().to_string().to_uppercase();
        format_ident!("{}", name, span = self.ident.span())
    }
}

/// `new_invite_topic` -> `NewInviteTopic`.
fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

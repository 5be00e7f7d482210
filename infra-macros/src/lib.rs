//! `#[derive(Stack)]`: a CloudFormation stack declared as a Rust struct.
//!
//! The pipeline is serde_derive's: [`attr`] parses the helper attributes into
//! the [`ast`] model, [`check`] runs the cross-field checks, [`expand`] writes
//! the code. Every error goes to one [`ctxt::Ctxt`], so a user sees them all.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `infra_model::Stack` for a struct whose fields are resources, and
/// adds one typed handle constant per field (`workspaces_table` gives
/// `Self::WORKSPACES_TABLE: Handle<dynamodb::Table>`).
///
/// - `#[stack(app = "api", service = "infra")]` on the struct, required; optional
///   `description = ".."` and `customize = path` to a
///   `fn(&Self, &StackContext, &mut Template)` run last (conditions, parameters).
/// - `#[output(Arn = "tableArn", description = "..")]` on a field, repeatable:
///   the key is `Ref` or a GetAtt attribute of the field's type, checked by the
///   compiler (any attribute for `Untyped`, whose custom resources return any);
///   several `Attr = "name"` pairs are allowed without a description.
/// - `#[resource(logical_id = "..", depends_on(field, ..), deletion_policy = "..",
///   update_replace_policy = "..", condition = "..")]` on a field. The logical ID
///   defaults to the field name in PascalCase: renaming a field replaces the resource.
///   A policy is a CloudFormation value or `"absent"`, which leaves it out of
///   the template (no house `Retain` for a resource that holds data).
#[proc_macro_derive(Stack, attributes(stack, output, resource))]
pub fn derive_stack(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::derive_stack(&input).into()
}

//! `#[derive(Stack)]`.
use proc_macro::TokenStream;

#[proc_macro_derive(Stack, attributes(stack, output, resource))]
pub fn derive_stack(input: TokenStream) -> TokenStream {
    let _ = input;
    TokenStream::new()
}

//! UI tests: what users see when a stack, a resource or an output reference is wrong.
//!
//! Cases live in `tests/ui/<category>/<case>.rs`; the `.stderr` files are
//! written by `TRYBUILD=overwrite cargo test -p infra-tests --test ui` and
//! reviewed, never written by hand.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    for category in [
        "stack", "output", "resource", "shape", "many", "model", "outputs", "typed", "iam",
        "wiring",
    ] {
        t.compile_fail(format!("ui/{category}/*.rs"));
    }
}

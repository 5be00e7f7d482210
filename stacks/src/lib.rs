//! The stacks of the `api` app. `cargo xtask synth` turns them into the
//! templates in `templates/` and the `outputs` crate.

pub mod infra;
mod naming;
#[doc(hidden)]
pub mod scale;

use infra_model::App;

/// The app, its stages and its stacks.
pub fn app() -> App {
    App::new("api", &["dev", "prod"]).stack(infra::Infra::new)
}

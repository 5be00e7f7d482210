//! The README's table of outputs, so documentation cannot drift from code.

use std::fmt::Write as _;

use heck::{ToShoutySnakeCase, ToSnakeCase};
use infra_model::Catalogue;

const BEGIN: &str = "<!-- BEGIN GENERATED OUTPUTS: cargo xtask synth -->";
const END: &str = "<!-- END GENERATED OUTPUTS -->";

/// `readme` with the table between its markers regenerated; `None` when the
/// README has no markers (or they are out of order).
pub fn with_table(readme: &str, catalogue: &Catalogue) -> Option<String> {
    let start = readme.find(BEGIN)? + BEGIN.len();
    let end = readme.find(END)?;
    (start <= end).then(|| {
        format!(
            "{}\n{}{}",
            &readme[..start],
            outputs_table(catalogue),
            &readme[end..]
        )
    })
}

/// The Markdown table: service, output, Rust constant, description.
pub fn outputs_table(catalogue: &Catalogue) -> String {
    let mut table = String::from(
        "| service | output | Rust constant | description |\n| --- | --- | --- | --- |\n",
    );
    for service in &catalogue.services {
        let module = service.service.to_snake_case();
        for o in &service.outputs {
            let _ = writeln!(
                table,
                "| `{}` | `{}` | `infra_outputs::{module}::{}` | {} |",
                service.service,
                o.name,
                o.name.to_shouty_snake_case(),
                o.description.replace('|', "\\|")
            );
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::parse(
            r#"{"app": "api", "services": [{"service": "infra", "stages": ["dev"],
                "outputs": [{"name": "aArn", "description": "A | B"}]}]}"#,
        )
        .expect("catalogue")
    }

    #[test]
    fn replaces_only_between_the_markers() {
        let readme = format!("intro\n{BEGIN}\nstale\n{END}\noutro\n");
        let out = with_table(&readme, &catalogue()).expect("markers");
        assert_eq!(
            out,
            format!(
                "intro\n{BEGIN}\n| service | output | Rust constant | description |\n| --- | --- | --- | --- |\n| `infra` | `aArn` | `infra_outputs::infra::A_ARN` | A \\| B |\n{END}\noutro\n"
            )
        );
    }

    #[test]
    fn no_markers_no_table() {
        assert_eq!(with_table("plain", &catalogue()), None);
        assert_eq!(with_table(&format!("{END}{BEGIN}"), &catalogue()), None);
    }
}

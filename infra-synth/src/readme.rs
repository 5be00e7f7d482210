//! The README's table of outputs, so documentation cannot drift from code.

use std::fmt::Write as _;

use infra_model::{Catalogue, naming};

const BEGIN: &str = "<!-- BEGIN GENERATED OUTPUTS: cargo xtask synth -->";
const END: &str = "<!-- END GENERATED OUTPUTS -->";

/// `readme` with the table between its markers regenerated; `None` when the
/// README has neither marker (a README without a table is allowed).
///
/// # Errors
/// A lone, repeated or reversed marker: the table could never be refreshed,
/// and `synth --check` would pass on a stale README.
pub fn with_table(readme: &str, catalogue: &Catalogue) -> Result<Option<String>, String> {
    let (begins, ends) = (readme.matches(BEGIN).count(), readme.matches(END).count());
    if (begins, ends) == (0, 0) {
        return Ok(None);
    }
    let start = readme.find(BEGIN).map(|b| b + BEGIN.len());
    let end = readme.find(END);
    match (start, end) {
        (Some(start), Some(end)) if begins == 1 && ends == 1 && start <= end => Ok(Some(format!(
            "{}\n{}{}",
            &readme[..start],
            outputs_table(catalogue),
            &readme[end..]
        ))),
        _ => Err(format!(
            "README.md has {begins} `{BEGIN}` and {ends} `{END}` marker(s); \
             allowed: none, or one of each with BEGIN before END"
        )),
    }
}

/// The Markdown table: service, output, Rust constant, description.
pub fn outputs_table(catalogue: &Catalogue) -> String {
    let mut table = String::from(
        "| service | output | Rust constant | description |\n| --- | --- | --- | --- |\n",
    );
    for service in &catalogue.services {
        let module = naming::output_module(&service.service);
        for o in &service.outputs {
            let _ = writeln!(
                table,
                "| `{}` | `{}` | `infra_outputs::{module}::{}` | {} |",
                service.service,
                o.name,
                naming::output_const(&o.name),
                cell(&o.description)
            );
        }
    }
    table
}

/// `text` as one Markdown table cell: a pipe would end the cell and a line
/// break the row (a description is free text from the stack's code).
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
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
        let out = with_table(&readme, &catalogue())
            .expect("markers")
            .expect("a table");
        assert_eq!(
            out,
            format!(
                "intro\n{BEGIN}\n| service | output | Rust constant | description |\n| --- | --- | --- | --- |\n| `infra` | `aArn` | `infra_outputs::infra::A_ARN` | A \\| B |\n{END}\noutro\n"
            )
        );
    }

    /// A multi-line description broke the README table after its first line.
    #[test]
    fn a_description_stays_in_its_cell() {
        let catalogue = Catalogue::parse(
            r#"{"app": "api", "services": [{"service": "infra", "stages": ["dev"],
                "outputs": [{"name": "aArn", "description": "first line\n\n| second |\r\nthird"}]}]}"#,
        )
        .expect("catalogue");
        let table = outputs_table(&catalogue);
        assert_eq!(table.lines().count(), 3, "{table}");
        assert!(
            table.ends_with("| first line \\| second \\| third |\n"),
            "{table}"
        );
    }

    #[test]
    fn no_markers_no_table() {
        assert_eq!(with_table("plain", &catalogue()), Ok(None));
    }

    /// A lone, repeated or reversed marker is an error naming the README and
    /// what is allowed, not a silently stale table.
    #[test]
    fn broken_markers_are_errors() {
        for readme in [
            format!("{END}\n{BEGIN}\n"),
            format!("{BEGIN}\nno end\n"),
            format!("no begin\n{END}\n"),
            format!("{BEGIN}\n{END}\n{BEGIN}\n{END}\n"),
        ] {
            let err = with_table(&readme, &catalogue()).expect_err(&readme);
            assert!(err.starts_with("README.md has "), "{err}");
            assert!(err.contains("allowed: none, or one of each"), "{err}");
        }
    }
}

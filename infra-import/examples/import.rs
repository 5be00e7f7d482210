//! `cargo run -p infra-import --example import -- FILE [SERVICE]`: prints the
//! imported stack of a template, or its refusals (a development aid; the
//! command users run is `cargo xtask import`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(file) = args.next() else {
        eprintln!("usage: import FILE [SERVICE]");
        return ExitCode::from(2);
    };
    let service = args.next().unwrap_or_else(|| "imported".into());
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
    };
    let format = infra_check::reader::Format::of(&file, &text);
    let parsed = match infra_check::reader::parse(&text, format) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{file}:{e}");
            return ExitCode::from(2);
        }
    };
    let opts = infra_import::Options {
        app: "api".into(),
        service,
    };
    match infra_import::import(&parsed, &opts) {
        Ok(imported) => {
            print!("{}", imported.source);
            for note in &imported.notes {
                eprintln!("note: {note}");
            }
            eprintln!("features: {:?}", imported.features);
            ExitCode::SUCCESS
        }
        Err(refusals) => {
            for r in &refusals {
                eprintln!("{file}:{r}");
            }
            ExitCode::from(1)
        }
    }
}

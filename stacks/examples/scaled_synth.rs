//! Synthesizes the scaled app of N infra resource sets as a whole process, for
//! timing and peak-memory measurements: `scaled_synth N [OUT_DIR]`. With
//! OUT_DIR, writes each template there (for validators to compare on).

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(Ok(sets)) = args.next().map(|n| n.parse::<usize>()) else {
        eprintln!("usage: scaled_synth N [OUT_DIR]");
        return std::process::ExitCode::from(2);
    };
    let out = args.next();
    let mut bytes = 0;
    for (i, template) in stacks::scale::templates(sets).iter().enumerate() {
        let json = template.to_json();
        bytes += json.len();
        if let Some(dir) = &out {
            let path = std::path::Path::new(dir).join(format!("scaled-{i}.json"));
            if let Err(err) = std::fs::write(&path, json) {
                eprintln!("error: writing {}: {err}", path.display());
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    println!(
        "{sets} sets, {} resources, {bytes} bytes of JSON",
        sets * 10
    );
    std::process::ExitCode::SUCCESS
}

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
    let manifest = stacks::scale::app(sets).synth_all();
    let mut bytes = 0;
    for stack in &manifest.stacks {
        bytes += stack.template.len();
        if let Some(dir) = &out {
            let path = std::path::Path::new(dir).join(format!("{}.json", stack.stack_name));
            if let Err(err) = std::fs::write(&path, &stack.template) {
                eprintln!("error: writing {}: {err}", path.display());
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    println!(
        "{sets} sets, {} stacks, {} resources, {bytes} bytes of JSON",
        manifest.stacks.len(),
        sets * 10
    );
    std::process::ExitCode::SUCCESS
}

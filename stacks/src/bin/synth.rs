//! Prints the synthesized app as JSON for `cargo xtask synth`.

fn main() -> std::process::ExitCode {
    stacks::app().main()
}

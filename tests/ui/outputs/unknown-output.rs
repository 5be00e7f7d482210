// The old README's `${state:infra.standupsTableArn}` named an output that
// does not exist; through the outputs crate that is a compile error.
fn main() {
    let _ = infra_outputs::infra::STANDUPS_TABLE_ARN.value();
}

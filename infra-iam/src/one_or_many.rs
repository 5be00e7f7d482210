//! IAM's "one item as a scalar, several as a list" spelling.

use serde::{Serialize, Serializer};

/// Serializes one item as itself and several as a list, as IAM policies are
/// conventionally written (and as this project's committed templates are).
pub(crate) struct OneOrMany<'a, T>(pub(crate) &'a [T]);

impl<T: Serialize> Serialize for OneOrMany<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}

//! Hand-written types for properties the registry schemas type as free-form
//! JSON (or as a plain string) although their shape is documented and easy to
//! get wrong: the SQS redrive policies, the SNS subscription protocol and
//! filter policy. The code generator puts them in place of `Value<Json>` /
//! `Value<String>` through its table of type overrides, and re-exports them
//! from the service crates (`infra_model::aws::sqs::RedrivePolicy`, ...).
//!
//! Each keeps an explicit escape hatch for raw JSON (`::json(..)`), because an
//! imported template must round-trip whatever it holds, and `Value::Fn(..)`
//! still takes an intrinsic for the whole property.

pub mod sns;
pub mod sqs;

//! `DeletionPolicy` and `UpdateReplacePolicy` are separate types: a deletion
//! policy that CloudFormation does not accept for replacements
//! (`RetainExceptOnCreate`) must not leak into `UpdateReplacePolicy`.

use infra_model::aws::s3;
use infra_model::{Stack, StackContext};

#[derive(Stack)]
#[stack(app = "api", service = "infra")]
struct Buckets {
    #[resource(deletion_policy = "RetainExceptOnCreate")]
    except_on_create: s3::Bucket,
    #[resource(deletion_policy = "Snapshot")]
    snapshot: s3::Bucket,
    #[resource(
        deletion_policy = "RetainExceptOnCreate",
        update_replace_policy = "Delete"
    )]
    both: s3::Bucket,
}

fn policies(id: &str) -> (serde_json::Value, serde_json::Value) {
    let stack = Buckets {
        except_on_create: s3::Bucket::default(),
        snapshot: s3::Bucket::default(),
        both: s3::Bucket::default(),
    };
    let template = stack.to_template(&StackContext::new("api", "infra", "dev"));
    let json: serde_json::Value = serde_json::from_str(&template.to_json()).expect("JSON");
    let entry = &json["Resources"][id];
    (
        entry["DeletionPolicy"].clone(),
        entry["UpdateReplacePolicy"].clone(),
    )
}

/// CloudFormation's `UpdateReplacePolicy` allows Delete, Retain and Snapshot
/// only; a replaced resource was created successfully, so Retain is what
/// `RetainExceptOnCreate` means for it.
#[test]
fn retain_except_on_create_replaces_as_retain() {
    let (deletion, replace) = policies("ExceptOnCreate");
    assert_eq!(deletion, "RetainExceptOnCreate");
    assert_eq!(replace, "Retain");
}

#[test]
fn other_deletion_policies_carry_over() {
    assert_eq!(policies("Snapshot"), ("Snapshot".into(), "Snapshot".into()));
}

#[test]
fn an_explicit_update_replace_policy_wins() {
    assert_eq!(
        policies("Both"),
        ("RetainExceptOnCreate".into(), "Delete".into())
    );
}

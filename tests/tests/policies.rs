//! `DeletionPolicy` and `UpdateReplacePolicy` are separate types: a deletion
//! policy that CloudFormation does not accept for replacements
//! (`RetainExceptOnCreate`) must not leak into `UpdateReplacePolicy`.
//! `"absent"` leaves a policy out, house default included.

use infra_model::aws::{s3, sns};
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
    #[resource(deletion_policy = "absent", update_replace_policy = "absent")]
    none: s3::Bucket,
    #[resource(deletion_policy = "absent")]
    no_deletion: s3::Bucket,
    #[resource(update_replace_policy = "absent")]
    no_replace: s3::Bucket,
    #[resource(deletion_policy = "absent", update_replace_policy = "Snapshot")]
    replace_only: s3::Bucket,
    #[resource(deletion_policy = "Delete", update_replace_policy = "absent")]
    topic: sns::Topic,
}

fn policies(id: &str) -> (serde_json::Value, serde_json::Value) {
    let stack = Buckets {
        except_on_create: s3::Bucket::default(),
        snapshot: s3::Bucket::default(),
        both: s3::Bucket::default(),
        none: s3::Bucket::default(),
        no_deletion: s3::Bucket::default(),
        no_replace: s3::Bucket::default(),
        replace_only: s3::Bucket::default(),
        topic: sns::Topic::default(),
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

const ABSENT: serde_json::Value = serde_json::Value::Null;

/// A bucket holds data, so it gets `Retain` twice unless the field says
/// `"absent"`: what an imported template without policies needs.
#[test]
fn absent_leaves_out_the_house_default() {
    assert_eq!(policies("None"), (ABSENT, ABSENT));
}

/// An unsaid `UpdateReplacePolicy` follows the `DeletionPolicy`, absent included.
#[test]
fn absent_deletion_policy_takes_the_unsaid_replace_policy_along() {
    assert_eq!(policies("NoDeletion"), (ABSENT, ABSENT));
}

#[test]
fn each_policy_is_absent_on_its_own() {
    assert_eq!(policies("NoReplace"), ("Retain".into(), ABSENT));
    assert_eq!(policies("ReplaceOnly"), (ABSENT, "Snapshot".into()));
    assert_eq!(policies("Topic"), ("Delete".into(), ABSENT));
}

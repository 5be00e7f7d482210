//! The infra stack as its consumers and CloudFormation see it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers of tests may panic: that is a failed test

use serde_json::{Value, json};

fn synth(stage: &str) -> String {
    let manifest = stacks::app().synth(&[stage.to_owned()]).unwrap();
    manifest
        .stacks
        .into_iter()
        .find(|s| s.service == "infra")
        .expect("an infra stack")
        .template
}

fn template(stage: &str) -> Value {
    serde_json::from_str(&synth(stage)).expect("templates are JSON")
}

/// The committed template is the reviewed snapshot: synth must reproduce it byte for byte.
#[test]
fn matches_the_committed_snapshot() {
    for stage in ["dev", "prod"] {
        let path = format!(
            "{}/templates/infra-{stage}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let committed = std::fs::read_to_string(&path).expect("committed template");
        assert!(
            committed == synth(stage),
            "{path} is stale: run `cargo xtask synth` and review the diff"
        );
    }
}

#[test]
fn synth_is_deterministic() {
    assert_eq!(synth("dev").as_bytes(), synth("dev").as_bytes());
}

/// The outputs other services depend on, by their exact names (DESIGN.md's table): one
/// may be added next to them, none renamed or removed.
const CONTRACT_OUTPUTS: [&str; 9] = [
    "workspacesTableArn",
    "invitesTableArn",
    "invitesTableStreamArn",
    "newS3AudioRecordingTopicArn",
    "newS3TranscodedAudioRecordingTopicArn",
    "newInviteTopicArn",
    "deletedInviteTopicArn",
    "recordingsBucketArn",
    "transcodedRecordingsBucketArn",
];

#[test]
fn declares_the_contract_outputs_and_every_declared_output() {
    use infra_model::Stack;
    let t = template("prod");
    let outputs = t["Outputs"].as_object().unwrap();
    let mut names: Vec<&str> = outputs.keys().map(String::as_str).collect();
    let mut declared: Vec<&str> = stacks::infra::Infra::OUTPUTS
        .iter()
        .map(|o| o.name)
        .collect();
    names.sort_unstable();
    declared.sort_unstable();
    assert_eq!(
        names, declared,
        "the template has exactly the declared outputs"
    );
    for name in CONTRACT_OUTPUTS {
        assert!(
            outputs.contains_key(name),
            "contract output {name} is missing"
        );
    }
    assert_eq!(
        t["Outputs"]["invitesTableStreamArn"]["Value"],
        json!({"Fn::GetAtt": ["InvitesTable", "StreamArn"]})
    );
    for (name, output) in outputs {
        assert_eq!(
            output["Export"]["Name"],
            json!({"Fn::Sub": format!("${{AWS::StackName}}-{name}")}),
            "{name}"
        );
    }
}

#[test]
fn stateful_resources_are_retained() {
    let t = template("prod");
    for id in [
        "WorkspacesTable",
        "InvitesTable",
        "RecordingsBucket",
        "TranscodedRecordingsBucket",
    ] {
        assert_eq!(t["Resources"][id]["DeletionPolicy"], "Retain", "{id}");
        assert_eq!(t["Resources"][id]["UpdateReplacePolicy"], "Retain", "{id}");
    }
    for id in ["NewInviteTopic", "NewS3AudioRecordingTopicPolicy"] {
        assert_eq!(t["Resources"][id].get("DeletionPolicy"), None, "{id}");
    }
}

#[test]
fn names_carry_the_stage() {
    let t = template("prod");
    assert_eq!(
        t["Resources"]["WorkspacesTable"]["Properties"]["TableName"],
        "infra-prod-workspaces"
    );
    assert_eq!(
        t["Resources"]["NewInviteTopic"]["Properties"]["TopicName"],
        "infra-prod-new-invite"
    );
    assert_eq!(
        t["Resources"]["RecordingsBucket"]["Properties"]["BucketName"],
        json!({"Fn::Sub": "api-infra-prod-recordings-${AWS::AccountId}-${AWS::Region}"})
    );
}

/// S3 validates its topic permission when the notification is created: the
/// bucket must wait for a policy that lets s3.amazonaws.com publish, scoped to
/// this bucket and account, and the policy must not GetAtt the bucket (cycle).
#[test]
fn buckets_notify_topics_through_scoped_policies_without_a_cycle() {
    let t = template("dev");
    let pairs = [
        ("RecordingsBucket", "NewS3AudioRecordingTopic", "recordings"),
        (
            "TranscodedRecordingsBucket",
            "NewS3TranscodedAudioRecordingTopic",
            "transcoded",
        ),
    ];
    for (bucket, topic, name) in pairs {
        let policy_id = format!("{topic}Policy");
        let b = &t["Resources"][bucket];
        assert_eq!(b["DependsOn"], json!([policy_id]));
        let config = &b["Properties"]["NotificationConfiguration"]["TopicConfigurations"];
        assert_eq!(
            config,
            &json!([{"Event": "s3:ObjectCreated:*", "Topic": {"Ref": topic}}])
        );
        let policy = &t["Resources"][&policy_id]["Properties"];
        assert_eq!(policy["Topics"], json!([{"Ref": topic}]));
        let statement = &policy["PolicyDocument"]["Statement"][0];
        assert_eq!(
            statement["Principal"],
            json!({"Service": "s3.amazonaws.com"})
        );
        assert_eq!(statement["Action"], "sns:Publish");
        assert_eq!(
            statement["Condition"]["StringEquals"]["aws:SourceAccount"],
            json!({"Ref": "AWS::AccountId"})
        );
        let source = format!(
            "arn:${{AWS::Partition}}:s3:::api-infra-dev-{name}-${{AWS::AccountId}}-${{AWS::Region}}"
        );
        assert_eq!(
            statement["Condition"]["ArnLike"]["aws:SourceArn"],
            json!({"Fn::Sub": source})
        );
        assert!(
            !policy.to_string().contains(bucket),
            "the policy of {bucket} must not reference it"
        );
    }
}

#[test]
fn production_defaults() {
    let t = template("prod");
    for id in ["WorkspacesTable", "InvitesTable"] {
        let p = &t["Resources"][id]["Properties"];
        assert_eq!(p["BillingMode"], "PAY_PER_REQUEST");
        assert_eq!(
            p["PointInTimeRecoverySpecification"],
            json!({"PointInTimeRecoveryEnabled": true})
        );
    }
    assert_eq!(
        t["Resources"]["InvitesTable"]["Properties"]["StreamSpecification"],
        json!({"StreamViewType": "NEW_AND_OLD_IMAGES"})
    );
    for id in ["RecordingsBucket", "TranscodedRecordingsBucket"] {
        let p = &t["Resources"][id]["Properties"];
        let block = &p["PublicAccessBlockConfiguration"];
        for key in [
            "BlockPublicAcls",
            "BlockPublicPolicy",
            "IgnorePublicAcls",
            "RestrictPublicBuckets",
        ] {
            assert_eq!(block[key], true, "{id}.{key}");
        }
        let sse = &p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"];
        assert_eq!(sse["SSEAlgorithm"], "AES256");
    }
}

#[test]
fn the_scaled_app_fills_stacks_up_to_the_limits() {
    use infra_model::Stack;
    use infra_model::limits::{MAX_OUTPUTS, MAX_RESOURCES};
    use stacks::scale;
    let one = scale::stack(0, 1);
    let per_set = (one.resources.len(), stacks::infra::Infra::OUTPUTS.len());
    assert_eq!(one.outputs.len(), per_set.1);
    let full = scale::sets_per_stack();
    let template = scale::stack(0, full);
    assert_eq!(template.resources.len(), full * per_set.0);
    assert_eq!(template.outputs.len(), full * per_set.1);
    assert!(template.resources.len() <= MAX_RESOURCES && template.outputs.len() <= MAX_OUTPUTS);
    let over = scale::stack(0, full + 1);
    assert!(
        over.resources.len() > MAX_RESOURCES || over.outputs.len() > MAX_OUTPUTS,
        "one more set would still fit: the stacks are not full"
    );
    assert_eq!(scale::layout(2 * full + 6), [full, full, 6]);
}

#[test]
fn the_scaled_app_synthesizes_through_the_app() {
    let sets = 2 * stacks::scale::sets_per_stack() + 6;
    let manifest = stacks::scale::app(sets).synth_all();
    let names: Vec<&str> = manifest
        .stacks
        .iter()
        .map(|s| s.stack_name.as_str())
        .collect();
    assert_eq!(names, ["scaled0-dev", "scaled1-dev", "scaled2-dev"]);
}

/// Every problem validation finds in `app` at its stages.
fn problems(app: infra_model::App) -> Vec<String> {
    let manifest = app.synth_all();
    let stacks: Vec<(String, serde_json::Value)> = manifest
        .stacks
        .iter()
        .map(|s| {
            (
                s.stack_name.clone(),
                serde_json::from_str(&s.template).unwrap(),
            )
        })
        .collect();
    infra_check::validate_app(&stacks)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_infra_stack_validates_clean() {
    assert_eq!(problems(stacks::app()), Vec::<String>::new());
}

/// The scaled app is a valid app too: the benchmarks measure templates that
/// validation accepts (unique export names across stacks included).
#[test]
fn the_scaled_app_validates_clean() {
    assert_eq!(problems(stacks::scale::app(30)), Vec::<String>::new());
}

use infra_check::reader::{Format, parse};
use serde_json::json;

use super::*;

fn read(text: &str) -> Parsed {
    parse(text, Format::Yaml).expect("test YAML parses")
}

fn refusals(text: &str) -> Vec<String> {
    match template_of(&read(text)) {
        Ok(ok) => panic!("expected refusals, got {ok:?}"),
        Err(r) => r.iter().map(ToString::to_string).collect(),
    }
}

fn repo_file(path: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    std::fs::read_to_string(format!("{root}/{path}")).expect("repository file")
}

/// The manifest the bridge writes holds exactly the synthesized template.
#[test]
fn the_bridge_manifests_give_back_their_templates() {
    for stage in ["dev", "prod"] {
        let manifest = read(&repo_file(&format!(
            "stacks/templates/serverless/infra-{stage}.yml"
        )));
        assert!(is_manifest(&manifest.value));
        assert_eq!(service_name(&manifest.value), Some("infra"));
        let (template, notes) = template_of(&manifest).expect("imports");
        let synthesized: Value =
            serde_json::from_str(&repo_file(&format!("stacks/templates/infra-{stage}.json")))
                .expect("committed template");
        assert_eq!(infra_check::equivalent(&synthesized, &template), vec![]);
        // deploymentRole is how the Framework deploys, not a function role.
        assert_eq!(notes.len(), 1, "{notes:?}");
    }
}

/// The worker keeps its function with the Framework: nothing to import but a note.
#[test]
fn a_manifest_of_functions_only_is_an_empty_template_with_notes() {
    let manifest = read(&repo_file("consumers/invites-worker/serverless.yml"));
    assert_eq!(service_name(&manifest.value), Some("invites-worker"));
    let (template, notes) = template_of(&manifest).expect("imports");
    assert_eq!(template, json!({}));
    assert!(
        notes.iter().any(|n| n.starts_with("functions: (worker)")),
        "{notes:?}"
    );
}

#[test]
fn framework_variables_are_refused_where_they_stand() {
    let text = "service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n      Properties:\n        QueueName: q-${opt:stage}\n        Tags:\n          - Key: k\n            Value: !Sub \"${AWS::Region}-${self:custom.x}\"\n";
    assert_eq!(
        refusals(text),
        [
            "9:9: resources.Resources.Q.Properties.QueueName: ${opt:stage} is a Serverless Framework variable, not CloudFormation: put its value, or a template parameter, in its place",
            "12:13: resources.Resources.Q.Properties.Tags[0].Value.Fn::Sub: ${self:custom.x} is a Serverless Framework variable, not CloudFormation: put its value, or a template parameter, in its place",
        ]
    );
}

#[test]
fn cloudformation_sub_variables_are_kept() {
    let text = r#"service: s
provider: {name: aws}
resources:
  Resources:
    P:
      Type: AWS::SNS::TopicPolicy
      Properties:
        Topics: [!Ref T]
        PolicyDocument:
          Statement:
            - Resource: !Sub "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${T.TopicName}-${!literal}"
            - Resource: !Sub ["${X}-${T}", {X: !Ref AWS::StackName}]
    T: {Type: AWS::SNS::Topic}
"#;
    let (template, _) = template_of(&read(text)).expect("imports");
    assert_eq!(
        template["Resources"]["T"],
        json!({"Type": "AWS::SNS::Topic"})
    );
    // The same variables outside Fn::Sub are plain text the Framework would resolve.
    let plain = text.replace("!Sub \"arn", "\"arn");
    assert_eq!(refusals(&plain).len(), 1);
}

#[test]
fn list_of_sections_merges_and_framework_overrides_are_left_out() {
    let text = r#"service: s
provider: {name: aws, iam: {role: {statements: []}, deploymentRole: arn}}
functions: {a: {handler: h}, b: {handler: h}}
resources:
  - Resources:
      A: {Type: AWS::SNS::Topic}
      ServerlessDeploymentBucket: {Properties: {BucketEncryption: {}}}
  - Resources:
      B: {Type: AWS::SNS::Topic}
    Outputs:
      O: {Value: !Ref B}
    extensions:
      HelloLogGroup: {Properties: {RetentionInDays: 7}}
"#;
    let (template, notes) = template_of(&read(text)).expect("imports");
    assert_eq!(
        template,
        json!({
            "Resources": {"A": {"Type": "AWS::SNS::Topic"}, "B": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {"O": {"Value": {"Ref": "B"}}}
        })
    );
    let joined = notes.join("\n");
    assert!(joined.contains("resources[1].extensions"), "{joined}");
    assert!(
        joined.contains("resources.Resources.ServerlessDeploymentBucket has no Type"),
        "{joined}"
    );
    assert!(joined.contains("functions: (a, b)"), "{joined}");
    assert!(joined.contains("provider IAM settings (role)"), "{joined}");
}

#[test]
fn unknown_sections_wrong_shapes_and_duplicates_are_refused() {
    let text = "service: s\nprovider: {name: aws}\nresources:\n  Resourses: {}\n  Outputs: {}\n  Outputs: {}\n";
    let got = refusals(text);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[0].starts_with("6:3: resources.Outputs: a key given twice (first at 5:3)"),
        "{got:?}"
    );
    assert!(
        got[1].starts_with("4:3: resources.Resourses: \"Resourses\" is not a template section"),
        "{got:?}"
    );
    let scalar = "service: s\nprovider: {name: aws}\nresources: [5]\n";
    assert_eq!(
        refusals(scalar),
        ["3:13: resources[0]: expected a mapping of template sections"]
    );
}

#[test]
fn templates_are_not_manifests() {
    assert!(!is_manifest(&json!({"Resources": {}})));
    assert!(!is_manifest(&json!({"service": "x"})));
    assert_eq!(
        service_name(&json!({"service": {"name": "v1"}, "provider": {}})),
        Some("v1")
    );
}

//! What import refuses: every instance at once, each with its template path,
//! position and a message naming the construct and what is allowed.

use std::path::Path;

fn refusals(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).expect("the template");
    let format = infra_check::reader::Format::of(file, &text);
    let parsed = infra_check::reader::parse(&text, format).expect("parses");
    let opts = infra_import::Options {
        app: "api".into(),
        service: "refused".into(),
    };
    match infra_import::import(&parsed, &opts) {
        Ok(_) => panic!("{file} imported"),
        Err(r) => r.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn every_unrepresentable_construct_is_refused_with_its_position() {
    let found = refusals("tests/templates/refused.yaml");
    let starts: Vec<&str> = found
        .iter()
        .map(|r| r.split(": ").take(2).last().unwrap_or_default())
        .collect();
    assert_eq!(
        starts,
        [
            "Transform",
            "Rain",
            "Resources.Fn::ForEach::Topics",
            "Resources.Bucket.Type",
            "Resources.My-Queue",
            "Resources.Macro.Properties.TopicName.Fn::Transform",
            "Resources.Embedded.Properties.DisplayName.Fn::Rain::Embed",
            "Resources.Length.Properties.DisplayName.Fn::Length",
            "Resources.Waiting.DependsOn",
            "Resources.Waiting.DeletionPolicy",
            "Resources.Waiting.Version",
            "Outputs.NoValue",
        ],
        "{found:#?}"
    );
    let expect = [
        "2:1: Transform: `Transform` (\"AWS::LanguageExtensions\") runs a macro",
        "3:1: Rain: Rain directives are expanded by `rain`",
        "10:3: Resources.Fn::ForEach::Topics: `Fn::ForEach` is a language extension",
        "16:5: Resources.Bucket.Type: `AWS::S3::Bukcet` is not a type of the registry",
        "17:3: Resources.My-Queue: logical ID `My-Queue` is not alphanumeric",
    ];
    for (got, want) in found.iter().zip(expect) {
        assert!(
            got.starts_with(want),
            "{got}\n  does not start with\n{want}"
        );
    }
    let text = found.join("\n");
    for needle in [
        "did you mean `AWS::S3::Bucket`?",
        "`DependsOn` names `Missing`, which is not a resource of the template",
        "unknown DeletionPolicy `Keep`, expected one of Delete, Retain, RetainExceptOnCreate, Snapshot",
        "unknown resource attribute `Version`",
        "the output has no `Value`",
        "`Fn::Length` is not an intrinsic function import can write",
    ] {
        assert!(text.contains(needle), "no `{needle}` in\n{text}");
    }
}

#[test]
fn a_service_that_is_not_kebab_case_is_refused() {
    let parsed =
        infra_check::reader::parse("{\"Resources\": {}}", infra_check::reader::Format::Json)
            .expect("parses");
    let opts = infra_import::Options {
        app: "api".into(),
        service: "Billing_API".into(),
    };
    let err = infra_import::import(&parsed, &opts).expect_err("refused");
    assert!(
        err[0]
            .to_string()
            .starts_with("service `Billing_API` is not kebab-case"),
        "{}",
        err[0]
    );
}

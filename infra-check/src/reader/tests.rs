use serde_json::json;

use super::*;

fn yaml(text: &str) -> Parsed {
    parse(text, Format::Yaml).expect("parses")
}

#[test]
fn json_values_keep_their_positions() {
    let text = "{\n  \"Resources\": {\n    \"B\": {\"Type\": \"AWS::S3::Bucket\"}\n  },\n  \"L\": [1, \"\\u00e9\\ud83d\\ude00\"]\n}";
    let p = parse(text, Format::Json).expect("parses");
    assert_eq!(p.value["L"][1], json!("é😀"));
    let at = |path| p.spans.find(path).map(|p| p.to_string());
    assert_eq!(at("Resources.B").as_deref(), Some("3:5"));
    assert_eq!(at("Resources.B.Type").as_deref(), Some("3:11"));
    assert_eq!(at("L[1]").as_deref(), Some("5:12"));
    assert_eq!(at("Resources.B.Properties.X").as_deref(), Some("3:5"));
}

#[test]
fn json_duplicate_keys_are_reported_and_the_first_kept() {
    let text = "{\"Resources\": {\"A\": 1,\n \"A\": 2}}";
    let p = parse(text, Format::Json).expect("parses");
    assert_eq!(p.value["Resources"]["A"], json!(1));
    assert_eq!(
        p.duplicates,
        vec![Duplicate {
            path: "Resources.A".into(),
            pos: Pos { line: 2, column: 2 },
            first: Pos {
                line: 1,
                column: 16
            },
        }]
    );
}

#[test]
fn json_errors_name_line_and_column() {
    let err = parse("{\n  \"a\": tru\n}", Format::Json).expect_err("bad");
    assert_eq!(err.to_string(), "2:8: expected a JSON value");
    let err = parse("[1,]", Format::Json).expect_err("bad");
    assert_eq!(err.pos, Pos { line: 1, column: 4 });
    let deep = "[".repeat(100_000);
    assert!(parse(&deep, Format::Json).is_err());
}

#[test]
fn yaml_short_forms_become_long_forms() {
    let p = yaml(
        "A: !Ref X\nB: !GetAtt T.Arn\nC: !Sub '${AWS::Region}'\nD: !If [C, !Ref X, !Ref AWS::NoValue]\nE: !Condition C\nF: !GetAZs ''\nG: !Join\n  - ''\n  - [a, b]\n",
    );
    assert_eq!(
        p.value,
        json!({
            "A": {"Ref": "X"},
            "B": {"Fn::GetAtt": ["T", "Arn"]},
            "C": {"Fn::Sub": "${AWS::Region}"},
            "D": {"Fn::If": ["C", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]},
            "E": {"Condition": "C"},
            "F": {"Fn::GetAZs": ""},
            "G": {"Fn::Join": ["", ["a", "b"]]},
        })
    );
}

#[test]
fn yaml_scalars_resolve_as_yaml_1_1() {
    let p = yaml(
        "a: yes\nb: 'yes'\nc: 0755\nd: 12\ne: 1.5\nf: 1e5\ng: 2010-09-09\nh: ~\ni: -3\nj: 012345678901\n",
    );
    assert_eq!(
        p.value,
        json!({"a": true, "b": "yes", "c": 493, "d": 12, "e": 1.5, "f": "1e5",
               "g": "2010-09-09", "h": null, "i": -3, "j": "012345678901"})
    );
}

#[test]
fn yaml_positions_and_duplicates() {
    let p = yaml(
        "Resources:\n  B:\n    Type: X\n    Properties:\n      L:\n        - a\n        - b\n  B:\n    Type: Y\n",
    );
    let at = |path| p.spans.find(path).map(|p| p.to_string());
    assert_eq!(at("Resources.B.Type").as_deref(), Some("3:5"));
    assert_eq!(at("Resources.B.Properties.L[1]").as_deref(), Some("7:11"));
    assert_eq!(p.duplicates.len(), 1);
    assert_eq!(p.duplicates[0].path, "Resources.B");
    assert_eq!(p.duplicates[0].pos, Pos { line: 8, column: 3 });
    assert_eq!(p.value["Resources"]["B"]["Type"], json!("X"));
}

#[test]
fn yaml_anchors_merge_keys_and_bombs() {
    let p = yaml("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\nc: *x\n");
    assert_eq!(
        p.value,
        json!({"a": {"k": 1}, "b": {"k": 1, "j": 2}, "c": {"k": 1}})
    );
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let prev = format!("*a{}", i - 1);
        let items = vec![prev; 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{items}]\n"));
    }
    assert!(parse(&bomb, Format::Yaml).is_err());
}

#[test]
fn yaml_errors_name_line_and_column() {
    let err = parse("a: [1, 2\nb: 3\n", Format::Yaml).expect_err("bad");
    assert!(err.pos.line >= 1, "{err}");
    let err = parse("? [a]\n: 1\n", Format::Yaml).expect_err("complex key");
    assert!(err.message.contains("mapping key"), "{err}");
}

#[test]
fn format_by_name_and_content() {
    assert_eq!(Format::of("a.template", "  {\"a\": 1}"), Format::Json);
    assert_eq!(Format::of("a.template", "a: 1"), Format::Yaml);
    assert_eq!(Format::of("a.YML", "{}"), Format::Yaml);
}

#[test]
fn spans_under_a_prefix_are_relative_to_it() {
    let parsed = yaml(
        "service: x\nresources:\n  Resources:\n    T:\n      Type: AWS::SNS::Topic\nresourcesX: 1\n",
    );
    let spans = parsed.spans.under("resources");
    assert_eq!(
        spans.find("Resources.T.Type"),
        Some(Pos { line: 5, column: 7 })
    );
    assert_eq!(
        spans.find("Resources.T.Nope"),
        Some(Pos { line: 4, column: 5 })
    );
    // `resourcesX` is not below `resources`.
    assert_eq!(spans.find("X"), spans.find(""));
    assert_ne!(spans.find(""), Some(Pos { line: 6, column: 1 }));
}

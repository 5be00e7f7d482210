use serde_json::{Value, json};

use super::*;

fn findings(schema: &Value, v: &Value) -> Vec<(&'static str, String, String)> {
    let mut c = Checker::new(schema);
    c.check(schema, v, &mut "P".to_owned());
    c.findings
        .into_iter()
        .map(|f| (f.rule, f.path, f.message))
        .collect()
}

fn rules(schema: &Value, v: &Value) -> Vec<&'static str> {
    findings(schema, v).into_iter().map(|f| f.0).collect()
}

#[test]
fn types_coerce_as_cloudformation_does() {
    let s = json!({"properties": {
        "I": {"type": "integer"}, "N": {"type": "number"}, "B": {"type": "boolean"},
        "S": {"type": "string"}, "O": {"type": "object"}, "A": {"type": "array"}}});
    let ok = json!({"I": "5", "N": "1.5", "B": "True", "S": 3, "O": {}, "A": []});
    assert_eq!(rules(&s, &ok), Vec::<&str>::new());
    let bad = json!({"I": "ten", "N": true, "B": 1, "S": [], "O": "x", "A": {}});
    assert_eq!(rules(&s, &bad), vec!["E-type"; 6]);
}

#[test]
fn required_unknown_and_refs() {
    let s = json!({
        "definitions": {"T": {"type": "object", "properties": {"Key": {"type": "string"}},
                               "required": ["Key"], "additionalProperties": false}},
        "type": "object",
        "properties": {"BucketName": {"type": "string"}, "Tags": {"type": "array", "items": {"$ref": "#/definitions/T"}}},
        "required": ["BucketName"],
        "additionalProperties": false
    });
    let v = json!({"BucketNmae": "x", "Tags": [{"Key": "a"}, {"Value": "b"}]});
    assert_eq!(
        findings(&s, &v),
        vec![
            (
                "E-unknown-property",
                "P.BucketNmae".into(),
                "is not a property here; did you mean BucketName?".into()
            ),
            (
                "E-unknown-property",
                "P.Tags[1].Value".into(),
                "is not a property here".into()
            ),
            (
                "E-required",
                "P.Tags[1]".into(),
                "is missing required property Key".into()
            ),
            (
                "E-required",
                "P".into(),
                "is missing required property BucketName".into()
            ),
        ]
    );
}

#[test]
fn intrinsics_each_branch_of_if_and_no_value() {
    let s = json!({"properties": {"M": {"type": "string", "enum": ["A", "B"]},
                                  "O": {"type": "object"}}});
    let v = json!({"M": {"Fn::If": ["C", "A", "Z"]}, "O": {"Fn::Join": ["", [{"Ref": "X"}]]}});
    assert_eq!(
        findings(&s, &v),
        vec![
            (
                "E-enum",
                "P.M.Fn::If[2]".into(),
                "is not one of the allowed values".into()
            ),
            (
                "E-type",
                "P.O".into(),
                "Fn::Join gives a string, not object".into()
            ),
        ]
    );
    let v = json!({"M": {"Ref": "P"}, "O": {"Fn::If": ["C", {"Ref": "AWS::NoValue"}, {}]}});
    assert_eq!(rules(&s, &v), Vec::<&str>::new());
    let s = json!({"properties": {"O": {"type": "object", "required": ["A"], "additionalProperties": false}}});
    let v = json!({"O": {"Fn::Transform": {"Name": "AWS::Include"}, "B": 1}});
    assert_eq!(rules(&s, &v), Vec::<&str>::new());
}

#[test]
fn strings_numbers_and_arrays() {
    let s = json!({"properties": {
        "P": {"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 3},
        "N": {"type": "integer", "minimum": 1, "maximum": 10},
        "L": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true},
        "E": {"type": "string", "enumCaseInsensitive": ["abc"]}}});
    let v = json!({"P": "ABCD", "N": "11", "L": [1, 1, 2], "E": "ABC"});
    assert_eq!(
        rules(&s, &v),
        vec![
            "E-max-items",
            "E-unique-items",
            "E-maximum",
            "E-max-length",
            "E-pattern"
        ]
    );
    let v = json!({"P": "{{resolve:ssm:x}}", "N": 0});
    assert_eq!(rules(&s, &v), vec!["E-minimum"]);
}

#[test]
fn combinators() {
    let s = json!({"properties": {"X": {"oneOf": [
        {"type": "string"},
        {"type": "object", "properties": {"A": {"type": "integer"}}, "required": ["A"]}
    ]}}, "requiredXor": ["X", "Y"], "dependentExcluded": {"X": ["Z"]}});
    assert_eq!(rules(&s, &json!({"X": "s"})), Vec::<&str>::new());
    assert_eq!(
        findings(&s, &json!({"X": {"A": "no"}})),
        vec![("E-type", "P.X.A".into(), "is not of type integer".into())]
    );
    assert_eq!(
        rules(&s, &json!({"X": [], "Y": 1, "Z": 1})),
        vec!["E-type", "E-dependent-excluded", "E-required-xor"]
    );
    assert_eq!(rules(&s, &json!({})), vec!["E-required-xor"]);
}

#[test]
fn python_isms_in_registry_patterns() {
    let r = compile("^(?!(?i)aws)[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$").expect("compiles");
    assert!(r.find("AWS::X1").is_none() && r.find("Foo::Bar").is_some());
    let r = compile("^([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,128}").expect("compiles");
    assert!(r.find("a b").is_some() && r.find("a|b").is_none());
    let r = compile("^(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )$").expect("compiles");
    assert!(r.find("a-b_c").is_some() && r.find("a ").is_none());
    // Python's `\Z` is the end of the input, not the letter `Z`.
    let r = compile("^[.\\-_/#A-Za-z0-9]{1,512}\\Z").expect("compiles");
    assert!(r.find("/wide-dev/workflow").is_some() && r.find("a b").is_none());
    let r = compile("\\A\\\\Z\\Z").expect("compiles");
    assert!(r.find("\\Z").is_some() && r.find("Z").is_none());
    assert!(
        compile("^(?s).+$")
            .expect("compiles")
            .find("a\nb")
            .is_some()
    );
}

#[test]
fn every_registry_pattern_compiles_with_an_ecma_engine() {
    let mut failed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for name in infra_registry::type_names() {
        let schema = infra_registry::lookup(name).expect("listed").schema();
        collect(schema, &mut |p| {
            if seen.insert(p.to_owned()) && compile(p).is_none() {
                failed.push(p.to_owned());
            }
        });
    }
    assert!(seen.len() > 2000, "{}", seen.len());
    assert_eq!(failed, Vec::<String>::new());
}

fn collect(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "pattern"
                    && let Value::String(p) = x
                {
                    f(p);
                } else if k == "patternProperties"
                    && let Value::Object(pp) = x
                {
                    pp.keys().for_each(|p| f(p));
                    pp.values().for_each(|x| collect(x, f));
                } else {
                    collect(x, f);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| collect(x, f)),
        _ => {}
    }
}

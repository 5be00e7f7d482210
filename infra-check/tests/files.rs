//! Reading files as a hostile user would feed them: arbitrary text in both
//! formats never panics, and every problem is located.

use infra_check::{FileOptions, validate_text};

const TOKENS: &[&str] = &[
    "Resources:",
    "\n",
    "  ",
    "    ",
    "- ",
    "!Ref ",
    "!GetAtt ",
    "!If ",
    "!Sub ",
    "{",
    "}",
    "[",
    "]",
    ": ",
    ", ",
    "&a ",
    "*a",
    "<<: ",
    "'",
    "\"",
    "Type: AWS::S3::Bucket",
    "Type: AWS::SNS::Topic",
    "Properties:",
    "Fn::If",
    "\"Ref\"",
    "Condition",
    "DependsOn: ",
    "X",
    "1",
    "-1.5e+3",
    "yes",
    "~",
    "AWSTemplateFormatVersion: 2010-09-09",
    "Outputs:",
    "Value: ",
    "\t",
    "#",
    "? ",
    "|",
    ">",
    "%",
    "Fn::ForEach::A",
    "Transform: AWS::Serverless-2016-10-31",
    "Mappings:",
    "!FindInMap [M, a, b]",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 33) as usize
    }
}

#[test]
fn arbitrary_text_never_panics_and_problems_are_located() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let n = rng.next() % 60;
        let text: String = (0..n).map(|_| TOKENS[rng.next() % TOKENS.len()]).collect();
        for label in ["t.yaml", "t.json", "t.template"] {
            let opts = FileOptions {
                label,
                stack: None,
                given: true,
            };
            let report = validate_text(infra_check::default_types(), opts, &text);
            assert!(
                report.problems.iter().all(|p| p.pos.is_some()),
                "{text:?}: {:?}",
                report.problems
            );
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for (label, text) in [
        ("t.json", "[".repeat(200_000)),
        ("t.yaml", "[".repeat(200_000)),
    ] {
        let opts = FileOptions {
            label,
            stack: None,
            given: true,
        };
        let report = validate_text(infra_check::default_types(), opts, &text);
        assert_eq!(report.problems.len(), 1, "{label}");
        assert_eq!(report.problems[0].rule, "E-parse");
    }
}

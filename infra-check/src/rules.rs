//! The rule catalogue: every code a [`crate::Problem`] can carry, what it
//! checks, and the cfn-lint rules that check the same (for comparing with
//! cfn-lint, which stays the oracle in CI). Synth-time validation and
//! `cargo xtask validate` report these same codes; codes are stable.

/// One rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// The stable code, `E-...`.
    pub code: &'static str,
    /// What the rule checks.
    pub summary: &'static str,
    /// cfn-lint's rules for the same thing.
    pub cfn_lint: &'static [&'static str],
}

macro_rules! rules {
    ($($code:literal [$($cfn:literal),*] $summary:literal;)*) => {
        /// Every rule, sorted by code.
        pub const RULES: &[Rule] = &[$(Rule { code: $code, summary: $summary, cfn_lint: &[$($cfn),*] }),*];
    };
}

rules! {
    "E-condition" ["E1028", "E3015", "E6001"] "a condition name (Fn::If, Condition attribute) that Conditions lacks";
    "E-condition-cycle" ["E8002"] "conditions that use each other in a circle";
    "E-condition-function" ["E8001", "E8002", "E8003", "E8004", "E8005"] "a condition that is not Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition";
    "E-condition-name" ["E8001"] "condition names: 1 to 255 ASCII letters, digits, & and _";
    "E-condition-ref" ["E8002"] "a condition that refers to a resource";
    "E-const" ["E3012"] "a value the schema fixes with const";
    "E-cycle" ["E3004"] "circular dependencies between resources";
    "E-dependent-excluded" ["E3020"] "a property set together with one it excludes";
    "E-dependent-required" ["E3021"] "a property set without one it needs";
    "E-depends-on" ["E3005"] "DependsOn naming no resource";
    "E-duplicate-id" ["E3007"] "a name used by a parameter and a resource";
    "E-duplicate-key" ["E0000"] "a key twice in one mapping (a duplicated logical ID among them)";
    "E-dynamodb-table-name" [] "DynamoDB table names: length and characters";
    "E-enum" ["E3030", "E1001"] "a value not among the allowed values";
    "E-export-duplicate" ["E6003"] "an export name used twice in the stack or the app";
    "E-findinmap" ["E1011"] "Fn::FindInMap naming a mapping or key that Mappings lacks";
    "E-format" ["E1103", "E1150", "E1151", "E1152", "E1153", "E1154", "E1155", "E1156", "E1157", "E1158", "E1159", "E1160", "E1162", "E1164"] "an ID, name or ARN not of the form the registry's format names";
    "E-getatt" ["E1010"] "Fn::GetAtt of a resource the template lacks";
    "E-getatt-attribute" ["E1010"] "Fn::GetAtt of an attribute the type does not have";
    "E-getatt-unset" [] "Fn::GetAtt of an attribute that exists only when a property is set (a table's StreamArn without StreamSpecification)";
    "E-iam-action" ["W3037"] "an IAM action (Action, NotAction) that the IAM catalogue of the pinned wheel does not have: a typo, an API name";
    "E-intrinsic" ["E1010", "E1011", "E1015", "E1016", "E1017", "E1018", "E1019", "E1020", "E1021", "E1022", "E1024", "E1028", "E1032", "E8003", "E8004"] "an intrinsic function with arguments of the wrong shape, or an unknown function";
    "E-limit-outputs" ["E6010"] "more than 200 outputs";
    "E-limit-parameters" ["E2010"] "more than 200 parameters";
    "E-limit-resources" ["E3005"] "more than 500 resources";
    "E-limit-size" ["E1002"] "a template body over 1,000,000 bytes";
    "E-logical-id" ["E3006", "E2003", "E3001"] "logical IDs and parameter names: 1 to 255 ASCII letters and digits";
    "E-max-items" ["E3032"] "a list with more items than allowed";
    "E-max-length" ["E3033", "E1003"] "a string longer than allowed";
    "E-max-properties" ["E3012"] "an object with more entries than allowed";
    "E-maximum" ["E3034"] "a number above the maximum";
    "E-min-items" ["E3032"] "a list with fewer items than allowed";
    "E-min-length" ["E3033"] "a string shorter than allowed";
    "E-min-properties" ["E3012"] "an object with fewer entries than allowed";
    "E-minimum" ["E3034"] "a number below the minimum";
    "E-multiple-of" ["E3034"] "a number that is not a multiple of the step";
    "E-not" ["E3012"] "a value of a form the schema excludes";
    "E-one-of" ["E3018"] "a value matching more than one form where exactly one is allowed";
    "E-output-name" ["E6002"] "output names: 1 to 255 ASCII letters and digits";
    "E-parameter-default" ["E2015"] "a parameter Default outside its own constraints";
    "E-parameter-type" ["E2002"] "a parameter Type CloudFormation does not know";
    "E-parse" ["E0000"] "a file that is not valid JSON or YAML";
    "E-pattern" ["E3031"] "a string not matching the registry's pattern (ECMA-262)";
    "E-policy" ["E3035", "E3036"] "DeletionPolicy or UpdateReplacePolicy values";
    "E-property-name" ["E3012", "E2001"] "an entry name the schema does not allow";
    "E-ref" ["E1020", "E3005"] "Ref of something the template lacks, or an unknown pseudo parameter";
    "E-required" ["E3003", "E2001", "E3017"] "a required property missing";
    "E-required-or" ["E3058"] "none of a set of properties of which one is needed";
    "E-required-xor" ["E3014"] "not exactly one of a set of properties";
    "E-resource-attribute" ["E3001"] "a key of a resource that is not a resource attribute (Count, ...)";
    "E-resource-type" ["E3006"] "a resource type the registry does not know";
    "E-rules" ["E1700", "E1701", "E1702"] "the shape of the Rules section";
    "E-s3-bucket-name" [] "S3 bucket names: length, characters and form";
    "E-shared-policy" [] "two queue, topic or bucket policies for the same target: one replaces the other";
    "E-sns-topic-name" [] "SNS topic names: length, characters, .fifo";
    "E-structure" ["E0000", "E1001", "E3001"] "the shape of the template and its sections";
    "E-sub" ["E1019"] "an Fn::Sub variable naming nothing";
    "E-sub-needed" ["E1029"] "${Name} of a parameter or resource in a string that is not an Fn::Sub";
    "E-transform" ["E0001", "E1005", "E1032", "E3001"] "a transform of the wrong form, or a transform function used without its transform";
    "E-type" ["E3012", "E1001", "E1004", "E2001", "E6001", "E7001"] "a value of the wrong type, with CloudFormation's coercions";
    "E-unique-items" ["E3037"] "a repeated item in a list of unique items";
    "E-unknown-property" ["E3002", "E1001", "E2001", "E6001", "E7001"] "a property the schema does not have";
    "E-update-policy" ["E3016"] "an UpdatePolicy on a type CloudFormation applies none to";
}

/// The rule with `code`.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code in the sources is in the catalogue, and every catalogue
    /// entry is used: the catalogue is the one list of rules.
    #[test]
    fn catalogue_matches_the_sources() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut used = std::collections::BTreeSet::new();
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "rs")
                || entry.path().ends_with("rules.rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).expect("read");
            for part in text.split("\"E-").skip(1) {
                let code: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if part[code.len()..].starts_with('"') {
                    used.insert(format!("E-{code}"));
                }
            }
        }
        let listed: std::collections::BTreeSet<String> =
            RULES.iter().map(|r| r.code.to_owned()).collect();
        assert_eq!(used, listed);
        assert!(RULES.windows(2).all(|w| w[0].code < w[1].code), "sorted");
    }
}

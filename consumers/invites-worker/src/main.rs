//! An example consumer service. Where its `serverless.yml` once said
//! `${state:infra.invitesTableArn}`, it now names the output through the
//! generated `infra_outputs` crate: a renamed or removed output is a compile
//! error here, not a deploy-time surprise.

use infra_outputs::MissingOutput;
use infra_outputs::infra::{INVITES_TABLE_ARN, INVITES_TABLE_STREAM_ARN, NEW_INVITE_TOPIC_ARN};

/// The worker's configuration, read from the deployed outputs.
#[derive(Debug, PartialEq, Eq)]
struct Config {
    invites_table_arn: String,
    invites_stream_arn: String,
    new_invite_topic_arn: String,
}

impl Config {
    /// Reads every needed output through `lookup` (the environment in production).
    fn load(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, MissingOutput> {
        Ok(Config {
            invites_table_arn: INVITES_TABLE_ARN.value_from(&lookup)?,
            invites_stream_arn: INVITES_TABLE_STREAM_ARN.value_from(&lookup)?,
            new_invite_topic_arn: NEW_INVITE_TOPIC_ARN.value_from(&lookup)?,
        })
    }
}

/// A missing output ends the process with status 1 and, on stderr,
/// `Error: output `invitesTableArn` of service `infra` is not set: export
/// INFRA_INVITES_TABLE_ARN (...)`: `MissingOutput`'s `Debug` is its message.
fn main() -> Result<(), MissingOutput> {
    let config = Config::load(|key| std::env::var(key).ok())?;
    println!("{config:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_outputs_by_their_environment_variables() {
        let env = |key: &str| Some(format!("arn-for-{key}"));
        let config = Config::load(env).unwrap();
        assert_eq!(config.invites_table_arn, "arn-for-INFRA_INVITES_TABLE_ARN");
        assert_eq!(
            config.invites_stream_arn,
            "arn-for-INFRA_INVITES_TABLE_STREAM_ARN"
        );
        assert_eq!(
            config.new_invite_topic_arn,
            "arn-for-INFRA_NEW_INVITE_TOPIC_ARN"
        );
    }

    #[test]
    fn a_missing_output_names_the_variable_and_the_serverless_reference() {
        let err = Config::load(|_| None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "output `invitesTableArn` of service `infra` is not set: export INFRA_INVITES_TABLE_ARN \
             (the stack output ${state:infra.invitesTableArn})"
        );
    }

    #[test]
    fn references_match_the_serverless_forms() {
        assert_eq!(
            INVITES_TABLE_ARN.state_ref,
            "${state:infra.invitesTableArn}"
        );
        assert_eq!(
            INVITES_TABLE_ARN.cf_ref("prod"),
            "${cf:infra-prod.invitesTableArn}"
        );
        assert_eq!(
            INVITES_TABLE_ARN.export_name("dev"),
            "infra-dev-invitesTableArn"
        );
    }
}

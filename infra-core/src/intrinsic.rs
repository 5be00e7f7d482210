//! CloudFormation intrinsic functions, condition functions, rule functions
//! (for the `Rules` section) and pseudo parameters.
//!
//! Every function CloudFormation evaluates without a transform is here.
//! `Fn::Length`, `Fn::ToJsonString` and `Fn::ForEach` are not: they need the
//! `AWS::LanguageExtensions` transform, which this model does not represent
//! (and `cargo xtask import` refuses).
//!
//! Arguments are [`Json`] so that intrinsics nest freely (`Fn::Join` of a `Ref`
//! and a literal); each constructor accepts anything that converts into JSON,
//! including [`Value`] and other intrinsics.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::value::{Json, Value};

/// One intrinsic function, serialized in CloudFormation's JSON form
/// (`{"Ref": ..}`, `{"Fn::GetAtt": [..]}`, ...), exactly as it was built:
/// the list form of `Fn::Sub` stays a list even with no variables, a string
/// index of `Fn::Select` stays a string.
#[derive(Clone, Debug, PartialEq)]
pub enum Intrinsic {
    /// `{"Ref": name}`: a resource, a parameter or a pseudo parameter.
    Ref(String),
    /// `{"Fn::GetAtt": [logical_id, attribute]}`; the attribute is a string,
    /// or a `Ref` to a parameter that names it.
    GetAtt(String, Box<Json>),
    /// `{"Fn::Sub": template}` (no variables: `None`) or
    /// `{"Fn::Sub": [template, {variables}]}`, the map possibly empty.
    Sub(String, Option<BTreeMap<String, Json>>),
    /// `{"Fn::Join": [delimiter, list]}`: the list is an array, or a function
    /// that returns one (`Fn::GetAZs`, a `Ref` to a list parameter).
    Join(String, Box<Json>),
    /// `{"Fn::Select": [index, list]}`.
    Select(Box<Json>, Box<Json>),
    /// `{"Fn::Split": [delimiter, source]}`.
    Split(String, Box<Json>),
    /// `{"Fn::ImportValue": name}`.
    ImportValue(Box<Json>),
    /// `{"Fn::If": [condition, when_true, when_false]}`.
    If(String, Box<Json>, Box<Json>),
    /// `{"Fn::Equals": [a, b]}`.
    Equals(Box<Json>, Box<Json>),
    /// `{"Fn::Not": [condition]}`.
    Not(Box<Json>),
    /// `{"Fn::And": [conditions]}`.
    And(Vec<Json>),
    /// `{"Fn::Or": [conditions]}`.
    Or(Vec<Json>),
    /// `{"Condition": name}`, a named condition inside a condition function.
    Condition(String),
    /// `{"Fn::GetAZs": region}`.
    GetAZs(Box<Json>),
    /// `{"Fn::Base64": value}`.
    Base64(Box<Json>),
    /// `{"Fn::FindInMap": [map, top_level_key, second_level_key]}`; each a
    /// string, a `Ref` or a nested `Fn::FindInMap`.
    FindInMap(Box<Json>, Box<Json>, Box<Json>),
    /// `{"Fn::Cidr": [ip_block, count, cidr_bits]}`.
    Cidr(Box<Json>, Box<Json>, Box<Json>),
    /// `{"Fn::GetStackOutput": {"StackName": .., "OutputName": .., "Region": .., "RoleArn": ..}}`.
    GetStackOutput(StackOutput),
    /// `{"Fn::Transform": {"Name": macro, "Parameters": {..}}}`: a macro
    /// CloudFormation runs on the template before anything else.
    Transform(String, BTreeMap<String, Json>),
    /// `{"Fn::Contains": [list_of_strings, string]}`, in `Rules` only.
    Contains(Box<Json>, Box<Json>),
    /// `{"Fn::EachMemberEquals": [list_of_strings, string]}`, in `Rules` only.
    EachMemberEquals(Box<Json>, Box<Json>),
    /// `{"Fn::EachMemberIn": [strings_to_check, strings_to_match]}`, in `Rules` only.
    EachMemberIn(Box<Json>, Box<Json>),
    /// `{"Fn::RefAll": parameter_type}`, in `Rules` only.
    RefAll(String),
    /// `{"Fn::ValueOf": [parameter, attribute]}`, in `Rules` only.
    ValueOf(Box<Json>, String),
    /// `{"Fn::ValueOfAll": [parameter_type, attribute]}`, in `Rules` only.
    ValueOfAll(String, String),
    /// Not a CloudFormation function: `value`, which needs the resources with
    /// these logical IDs created first (see [`Value::after`]). A stack's
    /// template builder replaces it with `value` and adds the IDs to the
    /// `DependsOn` of the resource that holds it; anywhere else it serializes as
    /// `{"Infra::After": [[ids], value]}`, which CloudFormation rejects loudly.
    After(Vec<String>, Box<Json>),
}

/// The argument of `Fn::GetStackOutput`: an output of another stack, possibly
/// in another account or region.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StackOutput {
    pub stack_name: Json,
    pub output_name: Json,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<Json>,
}

impl StackOutput {
    /// The output `output_name` of the stack `stack_name`, in this account and region.
    pub fn new(stack_name: impl Into<Json>, output_name: impl Into<Json>) -> Self {
        StackOutput {
            stack_name: stack_name.into(),
            output_name: output_name.into(),
            region: None,
            role_arn: None,
        }
    }

    /// Reads the output in `region`.
    pub fn region(mut self, region: impl Into<Json>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Reads the output with the role `role_arn` (another account).
    pub fn role_arn(mut self, role_arn: impl Into<Json>) -> Self {
        self.role_arn = Some(role_arn.into());
        self
    }
}

/// The key of the serialized [`Intrinsic::After`] marker.
pub const AFTER_KEY: &str = "Infra::After";

impl Serialize for Intrinsic {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.name(), &Args(self))?;
        map.end()
    }
}

impl Intrinsic {
    /// The key of the function's JSON form (`Fn::Sub`, `Ref`, `Condition`).
    pub fn name(&self) -> &'static str {
        use Intrinsic as I;
        match self {
            I::Ref(_) => "Ref",
            I::GetAtt(..) => "Fn::GetAtt",
            I::Sub(..) => "Fn::Sub",
            I::Join(..) => "Fn::Join",
            I::Select(..) => "Fn::Select",
            I::Split(..) => "Fn::Split",
            I::ImportValue(_) => "Fn::ImportValue",
            I::If(..) => "Fn::If",
            I::Equals(..) => "Fn::Equals",
            I::Not(_) => "Fn::Not",
            I::And(_) => "Fn::And",
            I::Or(_) => "Fn::Or",
            I::Condition(_) => "Condition",
            I::GetAZs(_) => "Fn::GetAZs",
            I::Base64(_) => "Fn::Base64",
            I::FindInMap(..) => "Fn::FindInMap",
            I::Cidr(..) => "Fn::Cidr",
            I::GetStackOutput(_) => "Fn::GetStackOutput",
            I::Transform(..) => "Fn::Transform",
            I::Contains(..) => "Fn::Contains",
            I::EachMemberEquals(..) => "Fn::EachMemberEquals",
            I::EachMemberIn(..) => "Fn::EachMemberIn",
            I::RefAll(_) => "Fn::RefAll",
            I::ValueOf(..) => "Fn::ValueOf",
            I::ValueOfAll(..) => "Fn::ValueOfAll",
            I::After(..) => AFTER_KEY,
        }
    }
}

/// The argument of an intrinsic, the value under its [`Intrinsic::name`].
struct Args<'a>(&'a Intrinsic);

impl Serialize for Args<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use Intrinsic as I;
        match self.0 {
            I::Ref(name) | I::Condition(name) | I::RefAll(name) => name.serialize(s),
            I::GetAtt(id, attr) => (id, attr).serialize(s),
            I::Sub(text, None) => text.serialize(s),
            I::Sub(text, Some(vars)) => (text, vars).serialize(s),
            I::Join(delim, list) | I::Split(delim, list) => (delim, list).serialize(s),
            I::Select(a, b)
            | I::Equals(a, b)
            | I::Contains(a, b)
            | I::EachMemberEquals(a, b)
            | I::EachMemberIn(a, b) => (a, b).serialize(s),
            I::ImportValue(v) | I::GetAZs(v) | I::Base64(v) => v.serialize(s),
            I::If(cond, a, b) => (cond, a, b).serialize(s),
            I::Not(c) => [c].serialize(s),
            I::And(cs) | I::Or(cs) => cs.serialize(s),
            I::FindInMap(a, b, c) | I::Cidr(a, b, c) => (a, b, c).serialize(s),
            I::GetStackOutput(output) => output.serialize(s),
            I::Transform(name, parameters) => transform_args(name, parameters, s),
            I::ValueOf(parameter, attr) => (parameter, attr).serialize(s),
            I::ValueOfAll(ty, attr) => (ty, attr).serialize(s),
            I::After(ids, value) => (ids, value).serialize(s),
        }
    }
}

/// `{"Name": .., "Parameters": {..}}`; `Parameters` is required by CloudFormation.
fn transform_args<S: Serializer>(
    name: &str,
    parameters: &BTreeMap<String, Json>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry("Name", name)?;
    map.serialize_entry("Parameters", parameters)?;
    map.end()
}

impl From<Intrinsic> for Json {
    fn from(i: Intrinsic) -> Self {
        Value::<Json>::Fn(i).into()
    }
}

fn json(v: impl Into<Json>) -> Box<Json> {
    Box::new(v.into())
}

/// `{"Ref": name}` to a parameter or a resource by logical ID. Prefer a typed
/// handle's `r#ref()` for resources of a stack.
pub fn r#ref<T>(name: impl Into<String>) -> Value<T> {
    Intrinsic::Ref(name.into()).into()
}

/// `{"Fn::GetAtt": [logical_id, attribute]}`. Prefer a typed handle's accessors.
pub fn get_att<T>(logical_id: impl Into<String>, attribute: impl Into<String>) -> Value<T> {
    Intrinsic::GetAtt(logical_id.into(), json(attribute.into())).into()
}

/// `{"Fn::GetAtt": [logical_id, attribute]}` whose attribute name is itself a
/// function, the only one CloudFormation allows there being `Ref` (to a parameter).
pub fn get_att_of<T>(logical_id: impl Into<String>, attribute: impl Into<Json>) -> Value<T> {
    Intrinsic::GetAtt(logical_id.into(), json(attribute)).into()
}

/// `{"Fn::Sub": text}`: `${Name}` placeholders resolve to parameters, resources
/// (`${Bucket.Arn}`) and pseudo parameters (`${AWS::AccountId}`).
pub fn sub(text: impl Into<String>) -> Value<String> {
    Intrinsic::Sub(text.into(), None).into()
}

/// `{"Fn::Sub": [text, {variables}]}`, the list form even when `vars` is empty.
pub fn sub_with<K: Into<String>, V: Into<Json>>(
    text: impl Into<String>,
    vars: impl IntoIterator<Item = (K, V)>,
) -> Value<String> {
    let vars = vars
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    Intrinsic::Sub(text.into(), Some(vars)).into()
}

/// `{"Fn::Join": [delimiter, [values]]}`.
pub fn join<V: Into<Json>>(
    delimiter: impl Into<String>,
    values: impl IntoIterator<Item = V>,
) -> Value<String> {
    let values = values.into_iter().map(Into::into).collect();
    Intrinsic::Join(delimiter.into(), Box::new(Json::Array(values))).into()
}

/// `{"Fn::Join": [delimiter, list]}` where `list` is a function that returns a
/// list (`{"Ref": "SubnetIds"}`, `Fn::GetAZs`, `Fn::Split`).
pub fn join_list(delimiter: impl Into<String>, list: impl Into<Json>) -> Value<String> {
    Intrinsic::Join(delimiter.into(), json(list)).into()
}

/// `{"Fn::Select": [index, list]}`.
pub fn select<T>(index: impl Into<Json>, list: impl Into<Json>) -> Value<T> {
    Intrinsic::Select(json(index), json(list)).into()
}

/// `{"Fn::Split": [delimiter, source]}`.
pub fn split(delimiter: impl Into<String>, source: impl Into<Json>) -> Value<Vec<Value<String>>> {
    Intrinsic::Split(delimiter.into(), json(source)).into()
}

/// `{"Fn::ImportValue": export_name}`.
pub fn import_value<T>(export_name: impl Into<Json>) -> Value<T> {
    Intrinsic::ImportValue(json(export_name)).into()
}

/// `{"Fn::If": [condition, when_true, when_false]}`.
pub fn r#if<T>(
    condition: impl Into<String>,
    when_true: impl Into<Json>,
    when_false: impl Into<Json>,
) -> Value<T> {
    Intrinsic::If(condition.into(), json(when_true), json(when_false)).into()
}

/// `{"Fn::Equals": [a, b]}`, for the template's Conditions.
pub fn equals(a: impl Into<Json>, b: impl Into<Json>) -> Intrinsic {
    Intrinsic::Equals(json(a), json(b))
}

/// `{"Fn::Not": [condition]}`.
pub fn not(condition: impl Into<Json>) -> Intrinsic {
    Intrinsic::Not(json(condition))
}

/// `{"Fn::And": [conditions]}` (2 to 10 conditions).
pub fn and<V: Into<Json>>(conditions: impl IntoIterator<Item = V>) -> Intrinsic {
    Intrinsic::And(conditions.into_iter().map(Into::into).collect())
}

/// `{"Fn::Or": [conditions]}` (2 to 10 conditions).
pub fn or<V: Into<Json>>(conditions: impl IntoIterator<Item = V>) -> Intrinsic {
    Intrinsic::Or(conditions.into_iter().map(Into::into).collect())
}

/// `{"Condition": name}`, to use a named condition inside `and`, `or`, `not`.
pub fn condition(name: impl Into<String>) -> Intrinsic {
    Intrinsic::Condition(name.into())
}

/// `{"Fn::GetAZs": region}`; an empty region means the stack's region.
pub fn get_azs(region: impl Into<Json>) -> Value<Vec<Value<String>>> {
    Intrinsic::GetAZs(json(region)).into()
}

/// `{"Fn::Base64": value}`.
pub fn base64(value: impl Into<Json>) -> Value<String> {
    Intrinsic::Base64(json(value)).into()
}

/// `{"Fn::FindInMap": [map, top_level_key, second_level_key]}`; each argument
/// is a name, a `Ref` or a nested `find_in_map`.
pub fn find_in_map<T>(
    map: impl Into<Json>,
    top: impl Into<Json>,
    second: impl Into<Json>,
) -> Value<T> {
    Intrinsic::FindInMap(json(map), json(top), json(second)).into()
}

/// `{"Fn::Cidr": [ip_block, count, cidr_bits]}`: `count` CIDR blocks of
/// `cidr_bits` host bits each, carved out of `ip_block`.
pub fn cidr(
    ip_block: impl Into<Json>,
    count: impl Into<Json>,
    cidr_bits: impl Into<Json>,
) -> Value<Vec<Value<String>>> {
    Intrinsic::Cidr(json(ip_block), json(count), json(cidr_bits)).into()
}

/// `{"Fn::GetStackOutput": {..}}`: an output of another stack, without an
/// export (`StackOutput::new(stack, output).region(..)`).
pub fn get_stack_output<T>(output: StackOutput) -> Value<T> {
    Intrinsic::GetStackOutput(output).into()
}

/// `{"Fn::Transform": {"Name": name, "Parameters": {..}}}`, for example
/// `AWS::Include`. CloudFormation runs the macro before it reads the template,
/// so validation and `cargo xtask import` cannot see through it.
pub fn transform<T, K: Into<String>, V: Into<Json>>(
    name: impl Into<String>,
    parameters: impl IntoIterator<Item = (K, V)>,
) -> Value<T> {
    let parameters = parameters
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    Intrinsic::Transform(name.into(), parameters).into()
}

/// `{"Fn::Contains": [list_of_strings, string]}`, a rule function (`Rules` only).
pub fn contains(list: impl Into<Json>, value: impl Into<Json>) -> Intrinsic {
    Intrinsic::Contains(json(list), json(value))
}

/// `{"Fn::EachMemberEquals": [list_of_strings, string]}`, a rule function.
pub fn each_member_equals(list: impl Into<Json>, value: impl Into<Json>) -> Intrinsic {
    Intrinsic::EachMemberEquals(json(list), json(value))
}

/// `{"Fn::EachMemberIn": [strings_to_check, strings_to_match]}`, a rule function.
pub fn each_member_in(check: impl Into<Json>, allowed: impl Into<Json>) -> Intrinsic {
    Intrinsic::EachMemberIn(json(check), json(allowed))
}

/// `{"Fn::RefAll": parameter_type}`: the values of every parameter of an
/// AWS-specific type (`AWS::EC2::VPC::Id`) in the account and region, a rule function.
pub fn ref_all(parameter_type: impl Into<String>) -> Value<Vec<Value<String>>> {
    Intrinsic::RefAll(parameter_type.into()).into()
}

/// `{"Fn::ValueOf": [parameter, attribute]}`: an attribute (`Tags.Department`)
/// of the resource a parameter names, a rule function.
pub fn value_of<T>(parameter: impl Into<Json>, attribute: impl Into<String>) -> Value<T> {
    Intrinsic::ValueOf(json(parameter), attribute.into()).into()
}

/// `{"Fn::ValueOfAll": [parameter_type, attribute]}`, a rule function.
pub fn value_of_all(
    parameter_type: impl Into<String>,
    attribute: impl Into<String>,
) -> Value<Vec<Value<String>>> {
    Intrinsic::ValueOfAll(parameter_type.into(), attribute.into()).into()
}

/// Pseudo parameters: `{"Ref": "AWS::..."}` values that CloudFormation resolves.
pub mod pseudo {
    use super::Intrinsic;
    use crate::value::Value;

    fn pseudo<T>(name: &str) -> Value<T> {
        Intrinsic::Ref(name.to_owned()).into()
    }

    /// `AWS::AccountId`.
    pub fn account_id() -> Value<String> {
        pseudo("AWS::AccountId")
    }
    /// `AWS::Region`.
    pub fn region() -> Value<String> {
        pseudo("AWS::Region")
    }
    /// `AWS::Partition` (`aws`, `aws-cn`, `aws-us-gov`).
    pub fn partition() -> Value<String> {
        pseudo("AWS::Partition")
    }
    /// `AWS::StackName`.
    pub fn stack_name() -> Value<String> {
        pseudo("AWS::StackName")
    }
    /// `AWS::StackId`.
    pub fn stack_id() -> Value<String> {
        pseudo("AWS::StackId")
    }
    /// `AWS::URLSuffix` (`amazonaws.com` in most partitions).
    pub fn url_suffix() -> Value<String> {
        pseudo("AWS::URLSuffix")
    }
    /// `AWS::NotificationARNs`.
    pub fn notification_arns() -> Value<Vec<Value<String>>> {
        pseudo("AWS::NotificationARNs")
    }
    /// `AWS::NoValue`: removes the property it stands for, usually inside `Fn::If`.
    pub fn no_value<T>() -> Value<T> {
        pseudo("AWS::NoValue")
    }
}

//! What every generated resource type provides: its type name, its attributes
//! and the registry metadata that validation, diff and the execution role use.

use std::marker::PhantomData;

use serde::Serialize;

use crate::intrinsic::Intrinsic;
use crate::value::Value;

/// A CloudFormation resource type generated from its registry schema.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a CloudFormation resource type",
    label = "not a resource type",
    note = "every field of a `#[derive(Stack)]` struct is a resource type from `infra_model::aws`, such as `infra_model::aws::dynamodb::Table` (behind the service's cargo feature)"
)]
pub trait Resource: Serialize {
    /// The registry type name, for example `AWS::DynamoDB::Table`.
    const TYPE_NAME: &'static str;
    /// Whether deleting or replacing the resource loses data: such a resource
    /// gets `DeletionPolicy`/`UpdateReplacePolicy` `Retain` unless its field says otherwise.
    const HOLDS_DATA: bool = false;
    /// The GetAtt attributes CloudFormation accepts for this type: the key
    /// `#[output(..)]` takes (the constant of [`Resource::Attributes`],
    /// `EndpointAddress`) and the name written in `Fn::GetAtt` (`Endpoint.Address`).
    const ATTRIBUTES: &'static [(&'static str, &'static str)];
    /// The compile error for an attribute the type lacks: it lists the valid ones.
    const NO_SUCH_ATTRIBUTE: &'static str;
    /// A type whose associated constants are the GetAtt attributes of this
    /// resource (`TableAttributes::Arn`); naming one it lacks does not compile.
    type Attributes;
    /// The typed handle of this type (`TableHandle`), see [`Handle`].
    type Handle: AnyHandle<Resource = Self>;
}

/// A typed reference to a resource of type `R` by its logical ID:
/// `Handle<dynamodb::Table>` is the generated `dynamodb::TableHandle`.
///
/// Each resource type has a handle type of its own, generated with it, so
/// that its GetAtt accessors are plain methods (`TableHandle::stream_arn`)
/// and a reference to an attribute that does not exist is a compile error.
/// Every handle has `new(logical_id)` (a `const fn`), `logical_id()`,
/// `r#ref()` and `get_att(attribute)`; generic code reaches them through
/// [`AnyHandle`].
pub type Handle<R> = <R as Resource>::Handle;

/// What every generated handle type provides, for code generic over the resource type.
pub trait AnyHandle: Copy + std::fmt::Debug {
    /// The resource type the handle refers to.
    type Resource: Resource;
    /// The logical ID in the template.
    fn logical_id(&self) -> &'static str;
    /// `{"Ref": logical_id}`: what the type's `Ref` returns.
    fn r#ref(&self) -> Value<String> {
        ref_to(self.logical_id())
    }
    /// `{"Fn::GetAtt": [logical_id, attribute]}` for an attribute of the resource type.
    fn get_att<T>(&self, attribute: Attribute<Self::Resource, T>) -> Value<T> {
        get_att(self.logical_id(), attribute.name())
    }
}

/// `{"Ref": logical_id}`, for the generated handles.
pub fn ref_to<T>(logical_id: &str) -> Value<T> {
    Intrinsic::Ref(logical_id.to_owned()).into()
}

/// `{"Fn::GetAtt": [logical_id, attribute]}`, for the generated handles.
pub fn get_att<T>(logical_id: &str, attribute: &str) -> Value<T> {
    Intrinsic::GetAtt(logical_id.to_owned(), attribute.to_owned()).into()
}

/// A GetAtt attribute of resource type `R` whose value has type `T`.
#[derive(Debug)]
pub struct Attribute<R, T> {
    name: &'static str,
    _types: PhantomData<fn() -> (R, T)>,
}

impl<R, T> Clone for Attribute<R, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R, T> Copy for Attribute<R, T> {}

impl<R, T> Attribute<R, T> {
    /// The attribute `name` (as written in `Fn::GetAtt`).
    pub const fn new(name: &'static str) -> Self {
        Attribute {
            name,
            _types: PhantomData,
        }
    }

    /// The attribute's name as written in `Fn::GetAtt`.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

/// Registry metadata of one resource type, generated from its schema.
/// Property paths are JSON pointers as in the schema (`/properties/KeySchema`).
#[derive(Debug)]
pub struct ResourceMeta {
    pub type_name: &'static str,
    /// The service feature that holds the Rust type (`dynamodb`).
    pub service: &'static str,
    /// GetAtt attributes, from `readOnlyProperties` (`Arn`, `StreamArn`).
    pub attributes: &'static [&'static str],
    /// What `Ref` returns: the `primaryIdentifier` when it has one member.
    pub ref_returns: Option<&'static str>,
    pub primary_identifier: &'static [&'static str],
    /// A change to one of these replaces the resource.
    pub create_only: &'static [&'static str],
    /// A change to one of these may replace the resource.
    pub conditional_create_only: &'static [&'static str],
    pub write_only: &'static [&'static str],
    /// IAM actions CloudFormation needs for each handler.
    pub permissions: Permissions,
    /// Whether the resource holds data that is lost when it is deleted or replaced.
    pub holds_data: bool,
    /// Array properties whose order does not matter (`insertionOrder: false`).
    pub unordered: &'static [&'static str],
    /// Literal-value constraints, for synth-time validation.
    pub constraints: &'static [Constraint],
}

/// IAM actions per handler, from the schema's `handlers.*.permissions`.
#[derive(Debug, Default)]
pub struct Permissions {
    pub create: &'static [&'static str],
    pub read: &'static [&'static str],
    pub update: &'static [&'static str],
    pub delete: &'static [&'static str],
    pub list: &'static [&'static str],
}

/// A constraint on the literal values at `path`, a property path below
/// `Properties` where `*` stands for any array item or map value
/// (`KeySchema/*/AttributeName`).
#[derive(Debug)]
pub struct Constraint {
    pub path: &'static str,
    pub rule: Rule,
}

/// One schema keyword kept as data.
#[derive(Debug)]
pub enum Rule {
    Enum(&'static [&'static str]),
    Pattern(&'static str),
    MinLength(u64),
    MaxLength(u64),
    Minimum(f64),
    Maximum(f64),
    MinItems(u64),
    MaxItems(u64),
}

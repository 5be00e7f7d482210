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
    /// Whether every GetAtt name is accepted (custom resources return any
    /// attribute their provider sends): `#[output(Name = ..)]` then reads
    /// the attribute `Name` without a check against [`Resource::ATTRIBUTES`].
    const ANY_ATTRIBUTE: bool = false;
    /// A type whose associated constants are the GetAtt attributes of this
    /// resource (`TableAttributes::Arn`); naming one it lacks does not compile.
    type Attributes;
    /// The GetAtt accessors of [`Handle<Self>`] (`table::Accessors`): a
    /// `#[repr(transparent)]` wrapper of the handle.
    type Accessors: ref_cast::RefCast<From = Handle<Self>>;

    /// The type name this value is written with in the template: [`Resource::TYPE_NAME`],
    /// except for a type chosen at run time ([`crate::Untyped`]).
    fn type_name(&self) -> &str {
        Self::TYPE_NAME
    }
}

/// A typed reference to a resource of a stack by its logical ID.
///
/// It dereferences to the generated accessors of `R` (`Handle<Table>` to
/// `table::Accessors`), one method per GetAtt attribute
/// (`handle.stream_arn()`), so a reference to an attribute that does not
/// exist is a compile error. The accessors are generated in `R`'s own crate,
/// which may not add methods to this type itself.
#[derive(Debug)]
pub struct Handle<R: ?Sized> {
    logical_id: &'static str,
    _resource: PhantomData<fn() -> R>,
}

impl<R: ?Sized> Clone for Handle<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: ?Sized> Copy for Handle<R> {}

impl<R: Resource> Handle<R> {
    /// A handle to the resource with `logical_id`.
    pub const fn new(logical_id: &'static str) -> Self {
        Handle {
            logical_id,
            _resource: PhantomData,
        }
    }

    /// The logical ID in the template.
    pub const fn logical_id(&self) -> &'static str {
        self.logical_id
    }

    /// `{"Ref": logical_id}`: what the type's `Ref` returns.
    pub fn r#ref(&self) -> Value<String> {
        Intrinsic::Ref(self.logical_id.to_owned()).into()
    }

    /// `{"Fn::GetAtt": [logical_id, attribute]}` for an attribute of `R`.
    pub fn get_att<T>(&self, attribute: Attribute<R, T>) -> Value<T> {
        Intrinsic::GetAtt(self.logical_id.to_owned(), Box::new(attribute.name.into())).into()
    }
}

impl<R: Resource> std::ops::Deref for Handle<R> {
    type Target = R::Accessors;

    fn deref(&self) -> &R::Accessors {
        <R::Accessors as ref_cast::RefCast>::ref_cast(self)
    }
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

//! `writes!`: the fields a client may send to create or change a record type, declared once.
//!
//! One line per field names its kind and, per action, how it is given:
//!
//! ```text
//! /// Shared description (both inputs).
//! owner_id: Id(User) [create optional "Create-only description."] [update set];
//! ```
//!
//! - `create required | optional | default [= literal]`: the create input has the field as
//!   given / nullable / with a default; the service struct as `T`, `Option<T>`, `T`.
//! - `update set | clear`: the update input has it nullable (`null` keeps) / as
//!   `MaybeUndefined` (`null` clears); the service struct as `Option<T>` / `Option<Option<T>>`.
//! - Kinds: `Text`, `Int`, `Bool`, `Money`, `Date`, `DateTime`, `Texts`, `Id(Type)`,
//!   `Enum(Name)` (the GraphQL and entity enums of that name), `Each(GqlInput, ServiceItem)`,
//!   `Json(GqlInput)` (a GraphQL input the service keeps as its JSON value, e.g. a stored filter).
//!
//! From it come the service's `New…` and `…Patch` structs (here, where the rules read them),
//! and a macro, named after `inputs`, that the GraphQL side invokes to get the create and
//! update input objects and their conversions (`graphql/input/writes.rs`): no field is
//! listed twice, and the service never names a GraphQL type.

/// Declares a record type's write fields; see the module documentation.
#[macro_export]
macro_rules! writes {
    (
        inputs $cb:ident;
        $(#[doc = $cdoc:literal])*
        create $new:ident as $create:ident $(, derive($($derive:ident),*))?;
        $(
            $(#[doc = $udoc:literal])*
            update $patch:ident as $update:ident;
        )?
        fields $fields:tt
    ) => {
        $crate::__writes_svc! {
            @create [$(#[doc = $cdoc])* #[derive(Debug, Clone $($(, $derive)*)?)] pub struct $new] []
            $fields
        }
        $(
            $crate::__writes_svc! {
                @update [$(#[doc = $udoc])* #[derive(Debug, Clone, Default)] pub struct $patch] []
                $fields
            }
        )?
        /// The GraphQL create and update inputs of these fields, with their conversions.
        macro_rules! $cb {
            () => {
                $crate::__writes_gql! { @create [$(#[doc = $cdoc])*] $new $create [] [] $fields }
                $(
                    $crate::__writes_gql! { @update [$(#[doc = $udoc])*] $patch $update [] [] $fields }
                )?
            };
        }
        pub(crate) use $cb;
    };
}

/// The service structs of [`writes!`]: munches the field lines one at a time.
#[doc(hidden)]
#[macro_export]
macro_rules! __writes_svc {
    (@$action:ident $head:tt $acc:tt { $($fields:tt)* }) => {
        $crate::__writes_svc! { @$action $head $acc $($fields)* }
    };
    (@$action:ident [$($head:tt)*] [$($acc:tt)*]) => {
        $($head)* { $($acc)* }
    };
    // create
    (@create $head:tt [$($acc:tt)*] $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))?
        [create required $($cd:literal)?] $([$($u:tt)*])?; $($tail:tt)*) => {
        $crate::__writes_svc! { @create $head [$($acc)* $(#[doc = $d])* $(#[doc = $cd])?
            pub $f: $crate::__w_required_ty!($k $(($($ka)*))?),] $($tail)* }
    };
    (@create $head:tt [$($acc:tt)*] $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))?
        [create optional $($cd:literal)?] $([$($u:tt)*])?; $($tail:tt)*) => {
        $crate::__writes_svc! { @create $head [$($acc)* $(#[doc = $d])* $(#[doc = $cd])?
            pub $f: Option<$crate::__w_svc_ty!($k $(($($ka)*))?)>,] $($tail)* }
    };
    (@create $head:tt [$($acc:tt)*] $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))?
        [create default $(= $v:literal)? $($cd:literal)?] $([$($u:tt)*])?; $($tail:tt)*) => {
        $crate::__writes_svc! { @create $head [$($acc)* $(#[doc = $d])* $(#[doc = $cd])?
            pub $f: $crate::__w_svc_ty!($k $(($($ka)*))?),] $($tail)* }
    };
    (@create $head:tt $acc:tt $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))?
        [update $($u:tt)*]; $($tail:tt)*) => {
        $crate::__writes_svc! { @create $head $acc $($tail)* }
    };
    // update
    (@update $head:tt [$($acc:tt)*] $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))?
        $([create $($c:tt)*])? [update set $($ud:literal)?]; $($tail:tt)*) => {
        $crate::__writes_svc! { @update $head [$($acc)* $(#[doc = $d])* $(#[doc = $ud])?
            pub $f: Option<$crate::__w_svc_ty!($k $(($($ka)*))?)>,] $($tail)* }
    };
    (@update $head:tt [$($acc:tt)*] $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))?
        $([create $($c:tt)*])? [update clear $($ud:literal)?]; $($tail:tt)*) => {
        $crate::__writes_svc! { @update $head [$($acc)* $(#[doc = $d])* $(#[doc = $ud])?
            pub $f: Option<Option<$crate::__w_svc_ty!($k $(($($ka)*))?)>>,] $($tail)* }
    };
    (@update $head:tt $acc:tt $(#[doc = $d:literal])* $f:ident : $k:ident $(($($ka:tt)*))?
        [create $($c:tt)*]; $($tail:tt)*) => {
        $crate::__writes_svc! { @update $head $acc $($tail)* }
    };
}

/// The service type of a required create field: a reference stays optional so that the
/// reference check reports a missing or malformed id as `NOT_FOUND`.
#[doc(hidden)]
#[macro_export]
macro_rules! __w_required_ty {
    (Id($t:ident)) => { Option<::uuid::Uuid> };
    ($($kind:tt)*) => { $crate::__w_svc_ty!($($kind)*) };
}

/// The service type of a kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __w_svc_ty {
    (Text) => { String };
    (Int) => { i32 };
    (Bool) => { bool };
    (Money) => { ::rust_decimal::Decimal };
    (Date) => { ::chrono::NaiveDate };
    (DateTime) => { ::chrono::DateTime<::chrono::Utc> };
    (Texts) => { Vec<String> };
    (Id($t:ident)) => { ::uuid::Uuid };
    (Enum($e:ident)) => { ::entity::enums::$e };
    (Each($g:ty, $s:ty)) => { Vec<$s> };
    (Json($g:ty)) => { ::serde_json::Value };
}

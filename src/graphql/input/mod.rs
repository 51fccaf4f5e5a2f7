//! Input objects, one file per domain noun, plus the shared filter operators.

pub mod activity;
pub mod auth;
pub mod contact;
pub mod custom_field;
pub mod customer;
pub mod filter;
mod filter_macros;
pub mod marketing;
pub mod segment;
pub mod writes;

use async_graphql::MaybeUndefined;

/// The id behind an optional global ID of `kind`; a malformed one becomes the nil id so
/// the reference check reports it as `NOT_FOUND`.
pub(crate) fn opt_id(id: Option<&async_graphql::ID>, kind: &str) -> Option<uuid::Uuid> {
    id.map(|id| crate::graphql::relay::expect_id(id, kind).unwrap_or_default())
}

/// `MaybeUndefined` as the service reads it: `None` keeps, `Some(None)` clears.
pub fn patch<T, U>(value: MaybeUndefined<T>, map: impl FnOnce(T) -> U) -> Option<Option<U>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(map(v))),
    }
}

/// Declares the delete and restore inputs of a record type.
#[macro_export]
macro_rules! lifecycle_inputs {
    ($delete:ident, $restore:ident) => {
        /// Soft-deletes a record: hidden everywhere, restorable by admins and managers.
        #[derive(async_graphql::InputObject, Debug)]
        pub struct $delete {
            /// Idempotency key: a retry with the same key replays the first result.
            pub client_mutation_id: Option<String>,
            pub id: async_graphql::ID,
            /// When given, the delete happens only at this version.
            pub expected_version: Option<i32>,
        }

        /// Restores a soft-deleted record.
        #[derive(async_graphql::InputObject, Debug)]
        pub struct $restore {
            /// Idempotency key: a retry with the same key replays the first result.
            pub client_mutation_id: Option<String>,
            pub id: async_graphql::ID,
        }
    };
}

/// Sets `row.$field` when `$value` is given, recording the field name.
#[macro_export]
macro_rules! set_field {
    ($row:ident, $fields:ident, $field:ident, $name:literal, $value:expr) => {{
        $row.$field = sea_orm::ActiveValue::Set($value);
        $fields.push($name);
    }};
}

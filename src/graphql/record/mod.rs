//! A record type declared once. [`record!`](crate::record) takes one line per stored
//! column — its GraphQL field, the model field when the name differs, the entity column,
//! its kind, whether the field policy governs it, and whether it can be filtered on and
//! sorted by — and writes from it:
//!
//! - the GraphQL object: `id`, one resolver per column (through the field policy when the
//!   column is `guarded`), the record's version and timestamps, then the resolvers written
//!   by hand (nested lists, computed fields) given verbatim;
//! - one resolver per to-one reference (`owner owner_id: User(user);`, `optional` when the
//!   column may be null), loaded in batches (`relay::one`);
//! - the direct path's column map and references (`Type::COLUMNS`, `Type::REFERENCES`, read
//!   by `graphql::direct::fields`);
//! - the filter input (the filterable columns plus the lines given for ids and timestamps)
//!   and the `orderBy` input (the sortable columns plus the lines given).
//!
//! Adding a plain column is one line in the type's declaration plus the migration (and the
//! service's create/update structs if clients write it). Unit tests below tie each
//! declaration to the schema and to the policy table.
//!
//! Kinds: `Text`, `OptText`, `Int`, `OptInt`, `Float`, `OptFloat`, `Bool`, `DateTime`, `OptDateTime`,
//! `Date`, `OptDate`, `Money` (ten-thousandths, as `Decimal`), `Enum(G)`, `OptEnum(G)` with
//! `G` the GraphQL enum. Guards: `guarded` (a denied value answers `null` with `FORBIDDEN`)
//! or `guarded_nonnull` (a non-null field: a denial is an error that nulls the parent).

use super::direct::fields::Kind;

mod kinds;
#[doc(hidden)]
pub use kinds::{camel_bytes, camel_len};

/// A stored column of a declared record type, as the direct path and the tests read it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The GraphQL field.
    pub name: &'static str,
    /// The table column.
    pub column: &'static str,
    pub kind: Kind,
    /// The field policy table (`auth::policy::POLICY`) has a row for it.
    pub guarded: bool,
}

/// A to-one reference of a declared record type: the field, the column holding the id, and
/// the type it names.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    pub name: &'static str,
    pub column: &'static str,
    pub target: &'static str,
}

/// The id a reference column holds: `Some(id)` of a required one, the column itself of an
/// `optional` one.
#[doc(hidden)]
#[macro_export]
macro_rules! __reference {
    ($id:expr) => {
        Some($id)
    };
    ($id:expr, optional) => {
        $id
    };
}

/// Declares a record type once; see the [module doc](crate::graphql::record).
#[macro_export]
macro_rules! record {
    (
        $(#[$doc:meta])*
        $ty:ident($module:ident) {
            $(
                $(#[$fdoc:meta])*
                $field:ident $(= $model:ident)? $col:ident: $kind:ident $(($arg:ty))? $($guard:ident)?
                    $(, filter $filter:ty)? $(, sort $sort:ident)?;
            )*
        }
        references { $($references:tt)* }
        $(#[$filter_doc:meta])*
        filter $filter_name:ident { $($filters:tt)* } related { $($related:tt)* } $(custom { $($custom:tt)* })?
        order $order:ident($order_field:ident), default $default:ident $dir:ident $(, custom fields of $cf:ident)? { $($sorts:tt)* }
        resolvers { $($extra:tt)* }
    ) => {
        $crate::record! {
            $(#[$doc])*
            $ty($module) {
                $(
                    $(#[$fdoc])*
                    $field $(= $model)? $col: $kind $(($arg))? $($guard)?;
                )*
            }
            references { $($references)* }
            resolvers { $($extra)* }
        }

        $crate::record_filter! {
            $(#[$filter_doc])*
            $filter_name for $module as (stringify!($ty)) {
                $($($field: $filter => $col,)?)*
                $($filters)*
            }
            related { $($related)* }
            $(custom { $($custom)* })?
        }

        $crate::record_order!($order, $order_field for $module as (stringify!($ty)), $(custom fields of $cf,)? default $default $dir {
            $($($sort => $col,)?)*
            $($sorts)*
        });
    };
    (
        $(#[$doc:meta])*
        $ty:ident($module:ident) {
            $(
                $(#[$fdoc:meta])*
                $field:ident $(= $model:ident)? $col:ident: $kind:ident $(($arg:ty))? $($guard:ident)?;
            )*
        }
        references {
            $(
                $(#[$rdoc:meta])*
                $reference:ident $rcol:ident: $target:ident($tmodule:ident) $($optional:ident)?;
            )*
        }
        resolvers { $($extra:tt)* }
    ) => {
        $(#[$doc])*
        #[derive(Clone, serde::Serialize, serde::Deserialize)]
        pub struct $ty(pub entity::$module::Model);

        #[async_graphql::Object]
        impl $ty {
            /// Opaque global identifier.
            pub async fn id(&self) -> async_graphql::ID {
                $crate::graphql::relay::global_id(stringify!($ty), self.0.id)
            }
            $(
                $(#[$fdoc])*
                async fn $field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                ) -> async_graphql::Result<$crate::__column_type!($kind $(($arg))? $($guard)?)> {
                    let _ = ctx;
                    Ok($crate::__column_value!(
                        ctx, stringify!($ty), $crate::__camel!($field), self.0.id, $crate::__model_field!(self.0; $field $(= $model)?);
                        $kind $(($arg))? $($guard)?
                    ))
                }
            )*
            $(
                $(#[$rdoc])*
                async fn $reference(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                ) -> async_graphql::Result<$crate::graphql::relay::One<$target>> {
                    let id = $crate::__reference!(self.0.$rcol $(, $optional)?);
                    $crate::graphql::relay::one::<entity::$tmodule::Entity, _>(ctx, id, $target).await
                }
            )*
            $($extra)*
            #[graphql(flatten)]
            async fn meta(&self) -> $crate::graphql::relay::RecordMeta {
                $crate::meta!(self.0)
            }
            /// The record's field history.
            #[graphql(flatten)]
            async fn field_changes(&self) -> $crate::__history_type!($ty) {
                $crate::__history_value!($ty, self.0)
            }
        }

        impl $ty {
            /// The stored columns, as the direct path reads them.
            pub const COLUMNS: &'static [$crate::graphql::record::Column] = {
                use $crate::graphql::direct::fields::Kind;
                &[$($crate::graphql::record::Column {
                    name: $crate::__camel!($field),
                    column: $crate::__model_field!($field $(= $model)?),
                    kind: $crate::__column_kind!($kind),
                    guarded: $crate::__guarded!($($guard)?),
                }),*]
            };

            /// The to-one references, as the direct path reads them.
            pub const REFERENCES: &'static [$crate::graphql::record::Reference] = &[$(
                $crate::graphql::record::Reference {
                    name: $crate::__camel!($reference),
                    column: stringify!($rcol),
                    target: stringify!($target),
                }
            ),*];
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Column;
    use crate::auth::policy::POLICY;
    use crate::graphql::types::all::*;

    /// Every declared type and its columns.
    const DECLARED: &[(&str, &[Column])] = &[
        ("Customer", Customer::COLUMNS),
        ("Contact", Contact::COLUMNS),
        ("Interaction", Interaction::COLUMNS),
        ("Purchase", Purchase::COLUMNS),
        ("Deal", Deal::COLUMNS),
        ("Ticket", Ticket::COLUMNS),
        ("Feedback", Feedback::COLUMNS),
        ("Campaign", Campaign::COLUMNS),
        ("CampaignParticipation", CampaignParticipation::COLUMNS),
        ("Survey", Survey::COLUMNS),
        ("SurveyResponse", SurveyResponse::COLUMNS),
        ("Tag", Tag::COLUMNS),
        ("Segment", Segment::COLUMNS),
        ("CustomFieldDefinition", CustomFieldDefinition::COLUMNS),
        ("User", User::COLUMNS),
    ];

    /// Governed fields whose resolver is written by hand (a mask that reads two columns).
    const HAND_GUARDED: &[(&str, &str)] = &[
        ("Customer", "address"),
        ("Customer", "sensitiveCustomFields"),
        ("Contact", "sensitiveCustomFields"),
        ("Deal", "sensitiveCustomFields"),
        ("Ticket", "sensitiveCustomFields"),
        ("SurveyResponse", "textAnswers"),
    ];

    /// A column is declared `guarded` exactly when the policy table has a row for it, so a
    /// row added to the table without the guard (or the reverse) fails here, not in
    /// production where one read path would mask and the other would not.
    #[test]
    fn guards_match_the_policy_table() {
        for (ty, columns) in DECLARED {
            for column in *columns {
                let has_row = POLICY.iter().any(|(t, f, _)| t == ty && *f == column.name);
                assert_eq!(
                    column.guarded, has_row,
                    "{ty}.{}: guarded in the declaration vs the policy table",
                    column.name
                );
            }
        }
        for (ty, field, _) in POLICY {
            let declared = DECLARED.iter().any(|(t, cols)| t == ty && cols.iter().any(|c| c.name == *field));
            assert!(
                declared || HAND_GUARDED.contains(&(ty, field)),
                "{ty}.{field} has a policy row and no guarded resolver"
            );
        }
    }

    /// Every declared column is a field of its schema type, under the name the direct
    /// path and the policy use.
    #[test]
    fn declared_columns_are_schema_fields() {
        let registry = crate::graphql::shape::registry();
        for (ty, columns) in DECLARED {
            let object = registry.types.get(*ty).unwrap_or_else(|| panic!("{ty} not in the schema"));
            for column in *columns {
                assert!(object.field_by_name(column.name).is_some(), "{ty}.{} not in the schema", column.name);
            }
        }
    }

    #[test]
    fn names_turn_camel_at_compile_time() {
        assert_eq!(crate::__camel!(expected_close_date), "expectedCloseDate");
        assert_eq!(crate::__camel!(id), "id");
        assert_eq!(Deal::COLUMNS.iter().find(|c| c.name == "amount").map(|c| c.column), Some("amount_e4"));
    }
}

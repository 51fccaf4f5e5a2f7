//! The macros that declare a record type's filter and `orderBy` inputs from a list of
//! fields, so the per-type sameness is written once.

/// The record type an ID filter points at (empty for other filters).
#[doc(hidden)]
#[macro_export]
macro_rules! __kind {
    () => {
        ""
    };
    ($k:literal) => {
        $k
    };
}

/// Declares a record filter: operator inputs per field, one-hop related filters, and
/// `and` / `or` / `not`, with the translation into one condition.
#[macro_export]
macro_rules! record_filter {
    (
        $(#[$doc:meta])* $name:ident for $module:ident as $tyname:tt {
            $($field:ident : $ftype:ty => $col:ident $(($kind:literal))?),* $(,)?
        }
        related {
            $($rel:ident : $rtype:ty => ($local:expr, $remote_entity:ty, $remote:expr)),* $(,)?
        }
        $(custom {
            $($cfield:ident : $ctype:ty => $cfn:path),* $(,)?
        })?
    ) => {
        $(#[$doc])*
        #[derive(async_graphql::InputObject, Default, Debug, Clone)]
        pub struct $name {
            $(pub $field: Option<$ftype>,)*
            $(pub $rel: Option<Box<$rtype>>,)*
            $($(pub $cfield: Option<Box<$ctype>>,)*)?
            /// All of these hold.
            pub and: Option<Vec<$name>>,
            /// At least one of these holds.
            pub or: Option<Vec<$name>>,
            /// This does not hold.
            pub not: Option<Box<$name>>,
        }

        impl $name {
            /// The filter as one condition. A field the viewer sees masked or denied
            /// cannot be filtered on (`FORBIDDEN`): no oracle through filters.
            pub fn condition(&self, viewer: &$crate::auth::Viewer) -> $crate::error::AppResult<sea_orm::Condition> {
                use $crate::graphql::input::filter::FieldFilter;
                #[allow(unused_mut)]
                let mut c = sea_orm::Condition::all();
                $(if let Some(f) = &self.$field {
                    $crate::graphql::policy::require_readable(viewer, $tyname, &$crate::graphql::policy::camel(stringify!($field)))?;
                    c = c.add(f.on(entity::$module::Column::$col, $crate::__kind!($($kind)?))?);
                })*
                $(if let Some(f) = &self.$rel {
                    c = c.add($crate::graphql::input::filter::related::<_, $remote_entity>($local, $remote, f.condition(viewer)?));
                })*
                $($(if let Some(f) = &self.$cfield {
                    c = c.add($cfn(f, viewer)?);
                })*)?
                if let Some(list) = &self.and {
                    for f in list {
                        c = c.add(f.condition(viewer)?);
                    }
                }
                if let Some(list) = &self.or {
                    let mut any = sea_orm::Condition::any();
                    for f in list {
                        any = any.add(f.condition(viewer)?);
                    }
                    c = c.add(any);
                }
                if let Some(f) = &self.not {
                    c = c.add(f.condition(viewer)?.not());
                }
                Ok(c)
            }
        }
    };
}

/// Declares the `orderBy` input of a record type: the sortable fields (non-null columns
/// only, so keyset cursors stay exact) and their translation; with `custom fields of T`,
/// also `customField` (a custom field's key, resolved to its type by the pager).
#[macro_export]
macro_rules! record_order {
    ($order:ident, $field_enum:ident for $module:ident as $tyname:tt, default $default:ident $ddir:ident { $($variant:ident => $col:ident),+ $(,)? }) => {
        $crate::__order_fields!($field_enum { $($variant),+ });

        /// One sort key; ties are always broken by id.
        #[derive(async_graphql::InputObject, Debug, Clone)]
        pub struct $order {
            pub field: $field_enum,
            #[graphql(default)]
            pub direction: $crate::graphql::input::filter::OrderDirection,
        }

        impl $order {
            /// The sort keys as the service takes them. A field the viewer sees masked
            /// or denied cannot be sorted on (`FORBIDDEN`).
            pub fn spec(
                viewer: &$crate::auth::Viewer,
                order: Option<Vec<$order>>,
            ) -> $crate::error::AppResult<$crate::service::page::SortSpec<entity::$module::Column>> {
                use $crate::graphql::input::filter::OrderDirection;
                let order = order.filter(|o| !o.is_empty()).unwrap_or_else(|| vec![$order { field: $field_enum::$default, direction: OrderDirection::$ddir }]);
                order
                    .into_iter()
                    .map(|o| {
                        let key = $crate::__order_column!(viewer, $tyname, $module, $field_enum, o.field => { $($variant => $col),+ })?;
                        Ok((key, o.direction.into()))
                    })
                    .collect()
            }
        }
    };
    ($order:ident, $field_enum:ident for $module:ident as $tyname:tt, custom fields of $custom:ident, default $default:ident $ddir:ident { $($variant:ident => $col:ident),+ $(,)? }) => {
        $crate::__order_fields!($field_enum { $($variant),+ });

        /// One sort key — a field or a custom field, not both; ties are always broken by
        /// id. Records without a value for a custom field come last in either direction.
        #[derive(async_graphql::InputObject, Debug, Clone)]
        pub struct $order {
            pub field: Option<$field_enum>,
            /// A custom field's key (not a MULTI_SELECT; a sensitive one only for roles
            /// that read it in full).
            pub custom_field: Option<String>,
            #[graphql(default)]
            pub direction: $crate::graphql::input::filter::OrderDirection,
        }

        impl $order {
            /// The sort keys as the service takes them. A field the viewer sees masked
            /// or denied cannot be sorted on (`FORBIDDEN`).
            pub fn spec(
                viewer: &$crate::auth::Viewer,
                order: Option<Vec<$order>>,
            ) -> $crate::error::AppResult<$crate::service::page::SortSpec<entity::$module::Column>> {
                use $crate::graphql::input::filter::OrderDirection;
                let order = order.filter(|o| !o.is_empty()).unwrap_or_else(|| vec![$order { field: Some($field_enum::$default), custom_field: None, direction: OrderDirection::$ddir }]);
                order
                    .into_iter()
                    .map(|o| {
                        let key = match (o.field, o.custom_field) {
                            (Some(field), None) => $crate::__order_column!(viewer, $tyname, $module, $field_enum, field => { $($variant => $col),+ })?,
                            (None, Some(key)) => $crate::graphql::input::filter::custom_sort(
                                viewer,
                                $tyname,
                                entity::$module::Column::CustomFields,
                                entity::enums::CustomRecordType::$custom,
                                key,
                            )?,
                            _ => return Err($crate::error::AppError::BadUserInput("give each sort key `field` or `customField`, one of them".into())),
                        };
                        Ok((key, o.direction.into()))
                    })
                    .collect()
            }
        }
    };
}

/// The enum of a record type's sortable fields.
#[doc(hidden)]
#[macro_export]
macro_rules! __order_fields {
    ($field_enum:ident { $($variant:ident),+ }) => {
        /// Fields this list can be ordered by.
        #[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
        pub enum $field_enum { $($variant),+ }
    };
}

/// A sortable field's column, once the viewer is known to read it.
#[doc(hidden)]
#[macro_export]
macro_rules! __order_column {
    ($viewer:ident, $tyname:tt, $module:ident, $field_enum:ident, $field:expr => { $($variant:ident => $col:ident),+ }) => {{
        let (col, name) = match $field { $($field_enum::$variant => (entity::$module::Column::$col, stringify!($variant))),+ };
        $crate::graphql::policy::require_readable($viewer, $tyname, &$crate::graphql::policy::camel_variant(name))
            .map(|()| $crate::service::page::SortKey::Column(col))
    }};
}

/// Declares `<Enum>Filter { eq, in, isNull }` for a GraphQL enum mirrored from an entity enum.
#[macro_export]
macro_rules! enum_filter {
    ($filter:ident, $gql:ty, $entity:ty) => {
        /// Operators on an enum field.
        #[derive(async_graphql::InputObject, Default, Debug, Clone)]
        pub struct $filter {
            pub eq: Option<$gql>,
            #[graphql(name = "in")]
            pub in_: Option<Vec<$gql>>,
            pub is_null: Option<bool>,
        }

        impl $crate::graphql::input::filter::FieldFilter for $filter {
            fn on<C: sea_orm::ColumnTrait>(&self, col: C, _kind: &str) -> $crate::error::AppResult<sea_orm::Condition> {
                self.condition(col)
            }
        }

        impl $filter {
            /// The condition on `col`.
            pub fn condition<C: sea_orm::ColumnTrait>(&self, col: C) -> $crate::error::AppResult<sea_orm::Condition> {
                let mut cond = sea_orm::Condition::all();
                if let Some(v) = self.eq {
                    cond = cond.add(col.eq(<$entity>::from(v)));
                }
                if let Some(list) = &self.in_ {
                    cond = cond.add(col.is_in(list.iter().map(|v| <$entity>::from(*v))));
                }
                if let Some(null) = self.is_null {
                    cond = cond.add(if null { col.is_null() } else { col.is_not_null() });
                }
                Ok(cond)
            }
        }
    };
}

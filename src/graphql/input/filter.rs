//! Filter operators, written once per scalar kind and applied to any column.
//!
//! Each operator input translates into a sea-orm `Condition` on the column it is given;
//! every set operator in one input must hold (AND).

use crate::error::{AppError, AppResult};
use crate::graphql::relay::expect_id;
use async_graphql::{ID, InputObject};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, Condition};

/// Most values an `in` list may hold.
const MAX_IN: usize = 100;

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn check_in_len<T>(list: &Option<Vec<T>>) -> AppResult<()> {
    match list {
        Some(values) if values.len() > MAX_IN => {
            Err(AppError::BadUserInput(format!("`in` takes at most {MAX_IN} values")))
        }
        _ => Ok(()),
    }
}

/// An operator input that turns into a condition on one column.
pub trait FieldFilter {
    /// The condition on `col`; `kind` is the record type an ID column points at.
    fn on<C: ColumnTrait>(&self, col: C, kind: &str) -> AppResult<Condition>;
}

/// Implements [`FieldFilter`] for a filter whose `condition` ignores the kind.
macro_rules! plain_filter {
    ($($t:ty),+) => {$(
        impl FieldFilter for $t {
            fn on<C: ColumnTrait>(&self, col: C, _kind: &str) -> AppResult<Condition> {
                self.condition(col)
            }
        }
    )+};
}

plain_filter!(StringFilter, DateTimeFilter, BooleanFilter, DateFilter, IntFilter, FloatFilter, MoneyFilter);

impl FieldFilter for IdFilter {
    fn on<C: ColumnTrait>(&self, col: C, kind: &str) -> AppResult<Condition> {
        self.condition(col, kind)
    }
}

/// Declares `Filter { eq, gt, gte, lt, lte, isNull }` over a value type mapped to a column value.
macro_rules! range_filter {
    ($(#[$doc:meta])* $name:ident, $value:ty, |$v:ident| $convert:expr) => {
        $(#[$doc])*
        #[derive(InputObject, Default, Debug, Clone)]
        pub struct $name {
            pub eq: Option<$value>,
            pub gt: Option<$value>,
            pub gte: Option<$value>,
            pub lt: Option<$value>,
            pub lte: Option<$value>,
            pub is_null: Option<bool>,
        }

        impl $name {
            /// The condition on `col`.
            pub fn condition<C: ColumnTrait>(&self, col: C) -> AppResult<Condition> {
                let convert = |$v: &$value| -> AppResult<sea_orm::Value> { $convert };
                let mut cond = Condition::all();
                if let Some(v) = &self.eq {
                    cond = cond.add(col.eq(convert(v)?));
                }
                if let Some(v) = &self.gt {
                    cond = cond.add(col.gt(convert(v)?));
                }
                if let Some(v) = &self.gte {
                    cond = cond.add(col.gte(convert(v)?));
                }
                if let Some(v) = &self.lt {
                    cond = cond.add(col.lt(convert(v)?));
                }
                if let Some(v) = &self.lte {
                    cond = cond.add(col.lte(convert(v)?));
                }
                if let Some(null) = self.is_null {
                    cond = cond.add(if null { col.is_null() } else { col.is_not_null() });
                }
                Ok(cond)
            }
        }
    };
}

range_filter!(/// Operators on a calendar date.
    DateFilter, crate::graphql::relay::Date, |v| Ok(v.0.into()));
range_filter!(/// Operators on a whole number.
    IntFilter, i32, |v| Ok((*v).into()));
range_filter!(/// Operators on a number with a fraction.
    FloatFilter, f64, |v| Ok((*v).into()));
range_filter!(/// Operators on an amount of money (exact; at most four decimal places).
    MoneyFilter, rust_decimal::Decimal, |v| entity::money::to_e4(*v)
        .map(Into::into)
        .ok_or_else(|| AppError::BadUserInput(format!("amount {v} has more than four decimal places or is too large"))));

/// `local IN (SELECT remote FROM remote_table WHERE cond AND remote_table.deleted_at IS NULL)`:
/// the one-hop related filter, in either direction of a relation.
pub fn related<L, R>(local: L, remote: R::Column, cond: Condition) -> Condition
where
    L: ColumnTrait,
    R: entity::record::Record,
{
    let sub = sea_orm::sea_query::Query::select()
        .column(remote)
        .from(R::default())
        .cond_where(cond)
        .and_where(Expr::col(R::deleted_column()).is_null())
        .to_owned();
    Condition::all().add(local.in_subquery(sub))
}

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
        $(#[$doc:meta])* $name:ident for $module:ident as $tyname:literal {
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
/// only, so keyset cursors stay exact) and their translation.
#[macro_export]
macro_rules! record_order {
    ($order:ident, $field_enum:ident for $module:ident as $tyname:literal, default $default:ident $ddir:ident { $($variant:ident => $col:ident),+ $(,)? }) => {
        /// Fields this list can be ordered by.
        #[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
        pub enum $field_enum { $($variant),+ }

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
                        let (col, name) = match o.field { $($field_enum::$variant => (entity::$module::Column::$col, stringify!($variant))),+ };
                        $crate::graphql::policy::require_readable(viewer, $tyname, &$crate::graphql::policy::camel_variant(name))?;
                        Ok((col, if o.direction == OrderDirection::Asc { sea_orm::Order::Asc } else { sea_orm::Order::Desc }))
                    })
                    .collect()
            }
        }
    };
}

/// Ascending or descending.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// Operators on a text field.
#[derive(InputObject, Default, Debug, Clone)]
pub struct StringFilter {
    /// Equal to.
    pub eq: Option<String>,
    /// Equal to one of.
    #[graphql(name = "in")]
    pub in_: Option<Vec<String>>,
    /// Contains (case-sensitive; LIKE metacharacters are matched literally).
    pub contains: Option<String>,
    /// Starts with.
    pub starts_with: Option<String>,
    /// `true`: no value; `false`: has a value.
    pub is_null: Option<bool>,
}

impl StringFilter {
    /// The condition on `col`.
    pub fn condition<C: ColumnTrait>(&self, col: C) -> AppResult<Condition> {
        check_in_len(&self.in_)?;
        let mut cond = Condition::all();
        if let Some(v) = &self.eq {
            cond = cond.add(col.eq(v.clone()));
        }
        if let Some(v) = &self.in_ {
            cond = cond.add(col.is_in(v.clone()));
        }
        if let Some(v) = &self.contains {
            cond = cond.add(Expr::col(col).like(LikeExpr::new(format!("%{}%", escape_like(v))).escape('\\')));
        }
        if let Some(v) = &self.starts_with {
            cond = cond.add(Expr::col(col).like(LikeExpr::new(format!("{}%", escape_like(v))).escape('\\')));
        }
        if let Some(null) = self.is_null {
            cond = cond.add(if null { col.is_null() } else { col.is_not_null() });
        }
        Ok(cond)
    }
}

/// Operators on a timestamp field.
#[derive(InputObject, Default, Debug, Clone)]
pub struct DateTimeFilter {
    pub eq: Option<DateTime<Utc>>,
    pub gt: Option<DateTime<Utc>>,
    pub gte: Option<DateTime<Utc>>,
    pub lt: Option<DateTime<Utc>>,
    pub lte: Option<DateTime<Utc>>,
    pub is_null: Option<bool>,
}

impl DateTimeFilter {
    /// The condition on `col`.
    pub fn condition<C: ColumnTrait>(&self, col: C) -> AppResult<Condition> {
        let mut cond = Condition::all();
        if let Some(v) = self.eq {
            cond = cond.add(col.eq(v));
        }
        if let Some(v) = self.gt {
            cond = cond.add(col.gt(v));
        }
        if let Some(v) = self.gte {
            cond = cond.add(col.gte(v));
        }
        if let Some(v) = self.lt {
            cond = cond.add(col.lt(v));
        }
        if let Some(v) = self.lte {
            cond = cond.add(col.lte(v));
        }
        if let Some(null) = self.is_null {
            cond = cond.add(if null { col.is_null() } else { col.is_not_null() });
        }
        Ok(cond)
    }
}

/// Operators on a reference to another record.
#[derive(InputObject, Default, Debug, Clone)]
pub struct IdFilter {
    pub eq: Option<ID>,
    #[graphql(name = "in")]
    pub in_: Option<Vec<ID>>,
    pub is_null: Option<bool>,
}

impl IdFilter {
    /// The condition on `col`, whose values are global IDs of `kind`. An ID of another
    /// kind matches nothing.
    pub fn condition<C: ColumnTrait>(&self, col: C, kind: &str) -> AppResult<Condition> {
        check_in_len(&self.in_)?;
        let mut cond = Condition::all();
        if let Some(v) = &self.eq {
            match expect_id(v, kind) {
                Ok(id) => cond = cond.add(col.eq(id)),
                Err(_) => cond = cond.add(Expr::val(1).eq(0)),
            }
        }
        if let Some(list) = &self.in_ {
            let ids: Vec<_> = list.iter().filter_map(|v| expect_id(v, kind).ok()).collect();
            cond = cond.add(col.is_in(ids));
        }
        if let Some(null) = self.is_null {
            cond = cond.add(if null { col.is_null() } else { col.is_not_null() });
        }
        Ok(cond)
    }
}

/// Operators on a yes/no field.
#[derive(InputObject, Default, Debug, Clone)]
pub struct BooleanFilter {
    pub eq: Option<bool>,
}

impl BooleanFilter {
    /// The condition on `col`.
    pub fn condition<C: ColumnTrait>(&self, col: C) -> AppResult<Condition> {
        Ok(match self.eq {
            Some(v) => Condition::all().add(col.eq(v)),
            None => Condition::all(),
        })
    }
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

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

/// Ascending or descending.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

impl From<OrderDirection> for sea_orm::Order {
    fn from(d: OrderDirection) -> Self {
        match d {
            OrderDirection::Asc => sea_orm::Order::Asc,
            OrderDirection::Desc => sea_orm::Order::Desc,
        }
    }
}

/// A sort key on the custom field `key` of records of type `ty`; the pager looks up its
/// type and whether it is sensitive.
pub fn custom_sort<C: sea_orm::ColumnTrait>(
    viewer: &crate::auth::Viewer,
    ty: &str,
    column: C,
    record_type: entity::enums::CustomRecordType,
    key: String,
) -> crate::error::AppResult<crate::service::page::SortKey<C>> {
    if !crate::service::custom_field::valid_key(&key) {
        return Err(crate::error::AppError::BadUserInput(format!("`{key}` is not a custom field key")));
    }
    let sensitive_readable =
        crate::auth::policy::rule(viewer, ty, "sensitiveCustomFields") == crate::auth::policy::Rule::Allow;
    Ok(crate::service::page::SortKey::Custom(crate::service::page::CustomSort {
        column,
        record_type,
        key,
        sensitive_readable,
        numeric: None,
    }))
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

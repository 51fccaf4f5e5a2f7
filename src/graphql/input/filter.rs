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

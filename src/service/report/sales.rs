//! Sales by period: purchase count and exact amount per period (day, week from Monday,
//! month, quarter, year), currency and optionally owner, team, product or region — over
//! the purchases the caller may see, in one grouped statement. A purchase's date is a
//! calendar date, so periods need no time-zone conversion.

use super::{split_sums_of, summary};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::counted;
use chrono::NaiveDate;
use entity::{customer, purchase, user};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query};
use sea_orm::{Condition, ConnectionTrait, DatabaseConnection, DbBackend};
use uuid::Uuid;

/// Most rows a report answers; a longer one asks for a coarser period or a shorter range.
pub const MAX_ROWS: usize = 10_000;

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// What each period is split by, besides currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesBy {
    Nothing,
    Owner,
    Team,
    Product,
    Region,
}

/// The split a row belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Nothing,
    /// A user or a team (`None`: none).
    Id(Option<Uuid>),
    /// A product or a region (`None`: none).
    Text(Option<String>),
}

/// Sales of one period, split and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesRow {
    /// The period's first day.
    pub period: NaiveDate,
    pub key: Key,
    pub currency: String,
    pub count: i64,
    pub amount: rust_decimal::Decimal,
}

/// The first day of the period holding the date in `column` (SQL), as `YYYY-MM-DD` text.
fn bucket(backend: DbBackend, period: Period, column: &str) -> Expr {
    let sql = match (backend, period) {
        (DbBackend::Postgres, Period::Day) => format!("to_char({column}, 'YYYY-MM-DD')"),
        (DbBackend::Postgres, period) => {
            let unit = match period {
                Period::Week => "week",
                Period::Month => "month",
                Period::Quarter => "quarter",
                _ => "year",
            };
            format!("to_char(date_trunc('{unit}', {column}), 'YYYY-MM-DD')")
        }
        (_, Period::Day) => format!("date({column})"),
        (_, Period::Week) => {
            format!("date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7) || ' days')")
        }
        (_, Period::Month) => format!("date({column}, 'start of month')"),
        (_, Period::Quarter) => format!(
            "date({column}, 'start of month', '-' || ((CAST(strftime('%m', {column}) AS INTEGER) - 1) % 3) || ' months')"
        ),
        (_, Period::Year) => format!("date({column}, 'start of year')"),
    };
    Expr::cust(sql)
}

/// Purchases from `from` up to (not including) `to`, by period, split and currency: from
/// the monthly summaries when the request allows (no filter; periods of months; split by
/// nothing, owner or team; `from` and `to` on a month's first day; a row scope of owners),
/// else in one grouped statement over the purchases.
pub async fn sales(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: Period,
    by: SalesBy,
    range: (NaiveDate, NaiveDate),
    filter: Option<Condition>,
    summaries: summary::Reads,
) -> AppResult<Vec<SalesRow>> {
    use entity::summary::sales_total;
    let (from, to) = range;
    if to <= from {
        return Err(AppError::BadUserInput("`to` comes after `from`".into()));
    }
    let monthly = matches!(period, Period::Month | Period::Quarter | Period::Year)
        && matches!(by, SalesBy::Nothing | SalesBy::Owner | SalesBy::Team)
        && summary::month_of(from) == from
        && summary::month_of(to) == to;
    if filter.is_none()
        && monthly
        && summaries.0
        && let Some(scope) = summary::scope(viewer, sales_total::Column::OwnerId)
    {
        return sales_summed(db, scope, period, by, range).await;
    }
    sales_grouped(db, viewer, period, by, range, filter).await
}

/// [`sales`] from the monthly summaries, over the rows `scope` admits.
pub async fn sales_summed(
    db: &DatabaseConnection,
    scope: Condition,
    period: Period,
    by: SalesBy,
    (from, to): (NaiveDate, NaiveDate),
) -> AppResult<Vec<SalesRow>> {
    use entity::summary::sales_total::{Column as T, Entity};
    let backend = db.get_database_backend();
    let mut q = Query::select();
    q.expr_as(bucket(backend, period, "sales_totals.month"), Alias::new("period"))
        .from(Entity)
        .cond_where(scope)
        .and_where(Expr::col((Entity, T::Month)).gte(from))
        .and_where(Expr::col((Entity, T::Month)).lt(to));
    let owner = || -> Expr {
        Func::cust(Alias::new("NULLIF")).args([Expr::col((Entity, T::OwnerId)), Expr::val(Uuid::nil())]).into()
    };
    let key: Option<Expr> = match by {
        SalesBy::Owner => Some(owner()),
        SalesBy::Team => {
            q.join(
                JoinType::LeftJoin,
                user::Entity,
                Expr::col((user::Entity, user::Column::Id)).equals((Entity, T::OwnerId)),
            );
            Some(Expr::col((user::Entity, user::Column::TeamId)))
        }
        _ => None,
    };
    let sum = |c: T| -> Expr {
        Func::coalesce([Func::cast_as(Expr::col((Entity, c)).sum(), "BIGINT").into(), Expr::val(0i64)]).into()
    };
    q.expr_as(Expr::col((Entity, T::Currency)), Alias::new("currency"))
        .expr_as(sum(T::Count), Alias::new("count"))
        .expr_as(sum(T::High), Alias::new("high"))
        .expr_as(sum(T::Low), Alias::new("low"))
        .group_by_col(Alias::new("period"))
        .group_by_col((Entity, T::Currency))
        .and_having(Expr::col((Entity, T::Count)).sum().gt(0))
        .order_by(Alias::new("period"), Order::Asc)
        .order_by((Entity, T::Currency), Order::Asc)
        .limit(MAX_ROWS as u64 + 1);
    if let Some(key) = key {
        q.expr_as(key, Alias::new("key"));
        q.group_by_col(Alias::new("key"));
        q.order_by(Alias::new("key"), Order::Asc);
    }
    rows_of(db, q, by).await
}

/// [`sales`] as one grouped statement over the purchases (the definition).
pub async fn sales_grouped(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: Period,
    by: SalesBy,
    (from, to): (NaiveDate, NaiveDate),
    filter: Option<Condition>,
) -> AppResult<Vec<SalesRow>> {
    let backend = db.get_database_backend();
    let mut q = Query::select();
    q.expr_as(bucket(backend, period, "purchases.purchased_at"), Alias::new("period"))
        .from(purchase::Entity)
        .join(
            JoinType::InnerJoin,
            customer::Entity,
            Expr::col((customer::Entity, customer::Column::Id))
                .equals((purchase::Entity, purchase::Column::CustomerId)),
        )
        .cond_where(counted::<purchase::Entity>(viewer, false))
        .and_where(Expr::col((purchase::Entity, purchase::Column::PurchasedAt)).gte(from))
        .and_where(Expr::col((purchase::Entity, purchase::Column::PurchasedAt)).lt(to));
    if let Some(filter) = filter {
        q.cond_where(filter);
    }
    let key: Option<Expr> = match by {
        SalesBy::Nothing => None,
        SalesBy::Owner => Some(Expr::col((customer::Entity, customer::Column::OwnerId))),
        SalesBy::Team => {
            q.join(
                JoinType::LeftJoin,
                user::Entity,
                Expr::col((user::Entity, user::Column::Id)).equals((customer::Entity, customer::Column::OwnerId)),
            );
            Some(Expr::col((user::Entity, user::Column::TeamId)))
        }
        SalesBy::Product => Some(Expr::col((purchase::Entity, purchase::Column::Product))),
        SalesBy::Region => Some(Expr::col((customer::Entity, customer::Column::Region))),
    };
    if let Some(key) = &key {
        q.expr_as(key.clone(), Alias::new("key"));
    }
    let [high, low] = split_sums_of(|| Expr::col((purchase::Entity, purchase::Column::AmountE4)));
    q.expr_as(Expr::col((purchase::Entity, purchase::Column::Currency)), Alias::new("currency"))
        .expr_as(Expr::col((purchase::Entity, purchase::Column::Id)).count(), Alias::new("count"))
        .expr_as(high, Alias::new("high"))
        .expr_as(low, Alias::new("low"))
        .group_by_col(Alias::new("period"))
        .group_by_col((purchase::Entity, purchase::Column::Currency))
        .order_by(Alias::new("period"), Order::Asc)
        .order_by((purchase::Entity, purchase::Column::Currency), Order::Asc)
        .limit(MAX_ROWS as u64 + 1);
    if let Some(key) = key {
        q.add_group_by([key.clone()]);
        q.order_by_expr(key, Order::Asc);
    }
    rows_of(db, q, by).await
}

/// The rows of a sales statement (`period`, `key`, `currency`, `count` and split sums).
async fn rows_of(
    db: &DatabaseConnection,
    q: sea_orm::sea_query::SelectStatement,
    by: SalesBy,
) -> AppResult<Vec<SalesRow>> {
    let rows = db.query_all_raw(db.get_database_backend().build(&q)).await?;
    if rows.len() > MAX_ROWS {
        return Err(AppError::QueryTooComplex(format!(
            "more than {MAX_ROWS} rows: choose a longer period or a shorter range"
        )));
    }
    rows.into_iter()
        .map(|row| {
            let text: String = row.try_get("", "period")?;
            let period = text.parse().map_err(|e| AppError::internal(format!("period `{text}`: {e}")))?;
            let key = match by {
                SalesBy::Nothing => Key::Nothing,
                SalesBy::Owner | SalesBy::Team => Key::Id(row.try_get("", "key")?),
                SalesBy::Product | SalesBy::Region => Key::Text(row.try_get("", "key")?),
            };
            Ok(SalesRow {
                period,
                key,
                currency: row.try_get("", "currency")?,
                count: row.try_get("", "count")?,
                amount: super::total(&row)?,
            })
        })
        .collect()
}

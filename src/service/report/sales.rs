//! Sales by period: purchase count and exact amount per period (day, week from Monday,
//! month, quarter, year), currency and optionally owner, team, product or region — over
//! the purchases the caller may see, in one grouped statement. A purchase's date is a
//! calendar date, so periods need no time-zone conversion.

use super::split_sums_of;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::visible;
use chrono::NaiveDate;
use entity::{customer, purchase, user};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
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

/// The first day of the period holding `purchases.purchased_at`, as `YYYY-MM-DD` text.
fn bucket(backend: DbBackend, period: Period) -> Expr {
    let sql = match (backend, period) {
        (DbBackend::Postgres, Period::Day) => "to_char(purchases.purchased_at, 'YYYY-MM-DD')",
        (DbBackend::Postgres, Period::Week) => "to_char(date_trunc('week', purchases.purchased_at), 'YYYY-MM-DD')",
        (DbBackend::Postgres, Period::Month) => "to_char(date_trunc('month', purchases.purchased_at), 'YYYY-MM-DD')",
        (DbBackend::Postgres, Period::Quarter) => {
            "to_char(date_trunc('quarter', purchases.purchased_at), 'YYYY-MM-DD')"
        }
        (DbBackend::Postgres, Period::Year) => "to_char(date_trunc('year', purchases.purchased_at), 'YYYY-MM-DD')",
        (_, Period::Day) => "date(purchases.purchased_at)",
        (_, Period::Week) => {
            "date(purchases.purchased_at, '-' || ((CAST(strftime('%w', purchases.purchased_at) AS INTEGER) + 6) % 7) || ' days')"
        }
        (_, Period::Month) => "date(purchases.purchased_at, 'start of month')",
        (_, Period::Quarter) => {
            "date(purchases.purchased_at, 'start of month', '-' || ((CAST(strftime('%m', purchases.purchased_at) AS INTEGER) - 1) % 3) || ' months')"
        }
        (_, Period::Year) => "date(purchases.purchased_at, 'start of year')",
    };
    Expr::cust(sql)
}

/// Purchases from `from` up to (not including) `to`, by period, split and currency.
pub async fn sales(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: Period,
    by: SalesBy,
    (from, to): (NaiveDate, NaiveDate),
    filter: Option<Condition>,
) -> AppResult<Vec<SalesRow>> {
    if to <= from {
        return Err(AppError::BadUserInput("`to` comes after `from`".into()));
    }
    let backend = db.get_database_backend();
    let mut q = Query::select();
    q.expr_as(bucket(backend, period), Alias::new("period"))
        .from(purchase::Entity)
        .join(
            JoinType::InnerJoin,
            customer::Entity,
            Expr::col((customer::Entity, customer::Column::Id))
                .equals((purchase::Entity, purchase::Column::CustomerId)),
        )
        .cond_where(visible::<purchase::Entity>(viewer, false))
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
    let rows = db.query_all_raw(backend.build(&q)).await?;
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

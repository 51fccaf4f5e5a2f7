//! Purchase habits over the purchases the caller may see in a date range, for a set of
//! customers: per currency the purchases, buying customers, frequency and average order
//! value; the top products; the repurchase rate (buying customers with another purchase
//! within N days of one); and the customers ranked by spend.

use super::split_sums_of;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::counted;
use chrono::NaiveDate;
use entity::purchase;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use uuid::Uuid;

/// Most products and customers a ranking lists.
pub const MAX_TOP: u64 = 100;

/// Purchases in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyHabits {
    pub currency: String,
    pub purchases: i64,
    pub customers: i64,
    pub amount: Decimal,
}

/// A product's purchases in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductLine {
    pub product: String,
    pub currency: String,
    pub purchases: i64,
    pub amount: Decimal,
}

/// A customer's spend in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spender {
    pub customer: Uuid,
    pub amount: Decimal,
}

/// The purchases of the report: visible, in `[from, to)`, by customers of `customers`.
fn base(viewer: &Viewer, (from, to): (NaiveDate, NaiveDate), customers: &SelectStatement) -> SelectStatement {
    let col = |c| Expr::col((purchase::Entity, c));
    Query::select()
        .from(purchase::Entity)
        .cond_where(counted::<purchase::Entity>(viewer, false))
        .and_where(col(purchase::Column::PurchasedAt).gte(from))
        .and_where(col(purchase::Column::PurchasedAt).lt(to))
        .and_where(col(purchase::Column::CustomerId).in_subquery(customers.clone()))
        .to_owned()
}

fn sums() -> [Expr; 2] {
    split_sums_of(|| Expr::col((purchase::Entity, purchase::Column::AmountE4)))
}

/// Per currency: purchases, distinct customers, total.
pub async fn by_currency(
    db: &DatabaseConnection,
    viewer: &Viewer,
    range: (NaiveDate, NaiveDate),
    customers: &SelectStatement,
) -> AppResult<Vec<CurrencyHabits>> {
    check(range)?;
    let [high, low] = sums();
    let mut q = base(viewer, range, customers);
    q.expr_as(Expr::col((purchase::Entity, purchase::Column::Currency)), Alias::new("currency"))
        .expr_as(Expr::col((purchase::Entity, purchase::Column::Id)).count(), Alias::new("purchases"))
        .expr_as(Expr::cust("COUNT(DISTINCT purchases.customer_id)"), Alias::new("customers"))
        .expr_as(high, Alias::new("high"))
        .expr_as(low, Alias::new("low"))
        .group_by_col((purchase::Entity, purchase::Column::Currency))
        .order_by((purchase::Entity, purchase::Column::Currency), Order::Asc);
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            Ok(CurrencyHabits {
                currency: row.try_get("", "currency")?,
                purchases: row.try_get("", "purchases")?,
                customers: row.try_get("", "customers")?,
                amount: super::total(row)?,
            })
        })
        .collect()
}

/// The `top` products by purchases (then amount), per currency.
pub async fn top_products(
    db: &DatabaseConnection,
    viewer: &Viewer,
    range: (NaiveDate, NaiveDate),
    customers: &SelectStatement,
    top: u64,
) -> AppResult<Vec<ProductLine>> {
    check(range)?;
    let [high, low] = sums();
    let mut q = base(viewer, range, customers);
    q.expr_as(Expr::col((purchase::Entity, purchase::Column::Product)), Alias::new("product"))
        .expr_as(Expr::col((purchase::Entity, purchase::Column::Currency)), Alias::new("currency"))
        .expr_as(Expr::col((purchase::Entity, purchase::Column::Id)).count(), Alias::new("purchases"))
        .expr_as(high, Alias::new("high"))
        .expr_as(low, Alias::new("low"))
        .group_by_col((purchase::Entity, purchase::Column::Product))
        .group_by_col((purchase::Entity, purchase::Column::Currency))
        .order_by(Alias::new("purchases"), Order::Desc)
        .order_by(Alias::new("high"), Order::Desc)
        .order_by(Alias::new("low"), Order::Desc)
        .order_by((purchase::Entity, purchase::Column::Product), Order::Asc)
        .limit(std::cmp::min(top, MAX_TOP));
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            Ok(ProductLine {
                product: row.try_get("", "product")?,
                currency: row.try_get("", "currency")?,
                purchases: row.try_get("", "purchases")?,
                amount: super::total(row)?,
            })
        })
        .collect()
}

/// Buying customers, and those of them with two purchases at most `days` apart.
pub async fn repurchase(
    db: &DatabaseConnection,
    viewer: &Viewer,
    range: (NaiveDate, NaiveDate),
    customers: &SelectStatement,
    days: u32,
) -> AppResult<(i64, i64)> {
    check(range)?;
    let backend = db.get_database_backend();
    let within = match backend {
        DbBackend::Postgres => format!("later.purchased_at <= purchases.purchased_at + {days}"),
        _ => format!("later.purchased_at <= date(purchases.purchased_at, '+{days} days')"),
    };
    let mut q = base(viewer, range, customers);
    q.expr_as(Expr::cust("COUNT(DISTINCT purchases.customer_id)"), Alias::new("buyers"));
    let buyers_stmt = backend.build(&q);
    let buyers: i64 = db.query_one_raw(buyers_stmt).await?.map(|r| r.try_get("", "buyers")).transpose()?.unwrap_or(0);
    let mut again = base(viewer, range, customers);
    let mut exists = Query::select();
    exists.expr(Expr::val(1)).from_as(purchase::Entity, Alias::new("later")).and_where(Expr::cust(format!(
        "later.customer_id = purchases.customer_id AND later.id <> purchases.id \
             AND later.purchased_at >= purchases.purchased_at AND {within} AND later.deleted_at IS NULL"
    )));
    again
        .expr_as(Expr::cust("COUNT(DISTINCT purchases.customer_id)"), Alias::new("again"))
        .and_where(Expr::exists(exists));
    let repeat: i64 =
        db.query_one_raw(backend.build(&again)).await?.map(|r| r.try_get("", "again")).transpose()?.unwrap_or(0);
    Ok((buyers, repeat))
}

/// The `top` customers by spend in `currency`.
pub async fn top_spenders(
    db: &DatabaseConnection,
    viewer: &Viewer,
    range: (NaiveDate, NaiveDate),
    customers: &SelectStatement,
    currency: &str,
    top: u64,
) -> AppResult<Vec<Spender>> {
    check(range)?;
    let [high, low] = sums();
    let mut q = base(viewer, range, customers);
    q.expr_as(Expr::col((purchase::Entity, purchase::Column::CustomerId)), Alias::new("customer"))
        .expr_as(high, Alias::new("high"))
        .expr_as(low, Alias::new("low"))
        .and_where(Expr::col((purchase::Entity, purchase::Column::Currency)).eq(currency))
        .group_by_col((purchase::Entity, purchase::Column::CustomerId))
        .order_by(Alias::new("high"), Order::Desc)
        .order_by(Alias::new("low"), Order::Desc)
        .order_by((purchase::Entity, purchase::Column::CustomerId), Order::Asc)
        .limit(std::cmp::min(top, MAX_TOP));
    let backend = db.get_database_backend();
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| Ok(Spender { customer: row.try_get("", "customer")?, amount: super::total(row)? }))
        .collect()
}

fn check((from, to): (NaiveDate, NaiveDate)) -> AppResult<()> {
    if to <= from {
        return Err(AppError::BadUserInput("`to` comes after `from`".into()));
    }
    Ok(())
}

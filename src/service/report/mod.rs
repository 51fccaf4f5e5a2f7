//! Aggregates over exactly the rows the caller may see: the pipeline by stage (here), sales
//! by period (`sales`), service times (`service`) and satisfaction by value tier
//! (`satisfaction`).

pub mod habits;
pub mod marketing;
pub mod pipeline;
pub mod sales;
pub mod satisfaction;
pub mod service;
pub mod summary;
pub mod volume;

use super::record::counted;
use crate::auth::Viewer;
use crate::error::AppResult;
use entity::deal::{self, Column};
use entity::enums::DealStage;
use entity::money;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// One row of the pipeline: a stage in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageTotal {
    pub stage: DealStage,
    pub currency: String,
    pub count: i64,
    /// Sum of amounts, exact (see `entity::money::SPLIT`).
    pub amount: rust_decimal::Decimal,
}

/// `SUM(units / SPLIT)` and `SUM(units % SPLIT)` of an `amount_e4` column: sums that
/// cannot overflow 64 bits for amounts within `entity::money::MAX_AMOUNT_E4` (SQLite's
/// `SUM` would fail on overflow, and a plain sum of two large deals overflows).
pub(crate) fn split_sums_of(units: impl Fn() -> Expr) -> [Expr; 2] {
    let part = |e: Expr| Func::coalesce([Func::cast_as(e.sum(), "BIGINT").into(), Expr::val(0i64)]).into();
    [part(units().div(money::SPLIT)), part(units().modulo(money::SPLIT))]
}

fn split_sums() -> [Expr; 2] {
    split_sums_of(|| Expr::col((deal::Entity, Column::AmountE4)))
}

/// The split sums as one `"<high>:<low>"` text (for the direct path, one JSON value).
pub fn split_sum_text() -> Expr {
    use sea_orm::sea_query::BinOper;
    let [high, low] = split_sums();
    let concat = BinOper::Custom("||");
    let text = |e: Expr| -> Expr { Func::cast_as(e, "TEXT").into() };
    text(high).binary(concat, Expr::val(":")).binary(concat, text(low))
}

/// Deal count and total amount per stage and currency over the deals the viewer may see
/// (and `filter`): from the summaries when there is no filter and the row scope is one of
/// owners, else in one grouped statement over the deals.
pub async fn deals_by_stage(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Option<Condition>,
    summaries: summary::Reads,
) -> AppResult<Vec<StageTotal>> {
    use entity::summary::deal_total;
    if filter.is_none()
        && summaries.0
        && let Some(scope) = summary::scope(viewer, deal_total::Column::ScopeOwnerId)
    {
        return deals_by_stage_summed(db, scope).await;
    }
    deals_by_stage_grouped(db, viewer, filter).await
}

/// [`deals_by_stage`] from the summaries, over the rows `scope` admits.
pub async fn deals_by_stage_summed(db: &DatabaseConnection, scope: Condition) -> AppResult<Vec<StageTotal>> {
    use entity::summary::deal_total::{Column as T, Entity};
    let sum =
        |c: T| -> Expr { Func::coalesce([Func::cast_as(Expr::col(c).sum(), "BIGINT").into(), Expr::val(0i64)]).into() };
    let rows: Vec<(DealStage, String, i64, i64, i64)> = Entity::find()
        .select_only()
        .column(T::Stage)
        .column(T::Currency)
        .column_as(sum(T::Count), "count")
        .column_as(sum(T::High), "high")
        .column_as(sum(T::Low), "low")
        .filter(scope)
        .group_by(T::Stage)
        .group_by(T::Currency)
        .having(Expr::col(T::Count).sum().gt(0))
        .order_by_asc(T::Stage)
        .order_by_asc(T::Currency)
        .into_tuple()
        .all(db)
        .await?;
    Ok(stage_totals(rows))
}

/// [`deals_by_stage`] as one grouped statement over the deals (the definition).
pub async fn deals_by_stage_grouped(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Option<Condition>,
) -> AppResult<Vec<StageTotal>> {
    let select = deal::Entity::find()
        .select_only()
        .column(Column::Stage)
        .column(Column::Currency)
        .column_as(Expr::col(Column::Id).count(), "count");
    let [high, low] = split_sums();
    let mut select =
        select.column_as(high, "high").column_as(low, "low").filter(counted::<deal::Entity>(viewer, false));
    if let Some(filter) = filter {
        select = select.filter(filter);
    }
    let rows: Vec<(DealStage, String, i64, i64, i64)> = select
        .group_by(Column::Stage)
        .group_by(Column::Currency)
        .order_by_asc(Column::Stage)
        .order_by_asc(Column::Currency)
        .into_tuple()
        .all(db)
        .await?;
    Ok(stage_totals(rows))
}

/// Rows of `(stage, currency, count, high, low)` as totals.
fn stage_totals(rows: Vec<(DealStage, String, i64, i64, i64)>) -> Vec<StageTotal> {
    rows.into_iter()
        .map(|(stage, currency, count, high, low)| StageTotal {
            stage,
            currency,
            count,
            amount: money::from_parts(high, low),
        })
        .collect()
}

/// The exact total a row's `high` and `low` split sums hold (see [`split_sums_of`]).
pub(crate) fn total(row: &sea_orm::QueryResult) -> Result<rust_decimal::Decimal, sea_orm::DbErr> {
    Ok(money::from_parts(row.try_get("", "high")?, row.try_get("", "low")?))
}

//! Aggregates: pipeline by stage.

use super::record::visible;
use crate::auth::Viewer;
use crate::error::AppResult;
use entity::deal::{self, Column};
use entity::enums::DealStage;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// One row of the pipeline: a stage in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageTotal {
    pub stage: DealStage,
    pub currency: String,
    pub count: i64,
    /// Sum of amounts, in ten-thousandths (see `entity::money`).
    pub amount_e4: i64,
}

/// Deal count and total amount per stage and currency over the deals the viewer may see
/// (and `filter`), in one grouped statement.
pub async fn deals_by_stage(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: Option<Condition>,
) -> AppResult<Vec<StageTotal>> {
    let mut select = deal::Entity::find()
        .select_only()
        .column(Column::Stage)
        .column(Column::Currency)
        .column_as(Expr::col(Column::Id).count(), "count")
        // SUM of a BIGINT is NUMERIC on PostgreSQL; cast back so both databases answer i64.
        .column_as(Expr::col(Column::AmountE4).sum().cast_as("BIGINT"), "amount")
        .filter(visible::<deal::Entity>(viewer, false));
    if let Some(filter) = filter {
        select = select.filter(filter);
    }
    let rows: Vec<(DealStage, String, i64, Option<i64>)> = select
        .group_by(Column::Stage)
        .group_by(Column::Currency)
        .order_by_asc(Column::Stage)
        .order_by_asc(Column::Currency)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(stage, currency, count, amount)| StageTotal { stage, currency, count, amount_e4: amount.unwrap_or(0) })
        .collect())
}

//! Reports: the sales pipeline by stage.

use crate::graphql::context;
use crate::graphql::input::activity::DealFilter;
use crate::graphql::policy;
use crate::graphql::types::enums::DealStage;
use crate::service::report::{StageTotal, deals_by_stage};
use async_graphql::{Context, Object, Result};
use rust_decimal::Decimal;

/// Deals in one stage and currency.
pub struct DealStageTotal(StageTotal);

#[Object]
impl DealStageTotal {
    async fn stage(&self) -> DealStage {
        self.0.stage.into()
    }
    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Number of deals.
    async fn count(&self) -> i64 {
        self.0.count
    }
    /// Sum of their amounts, exact (governed like `Deal.amount`).
    async fn amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Deal", "amount", None, Some(self.0.amount))
    }
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// The pipeline: deal count and total amount per stage and currency, over the deals
    /// the caller may see that match `filter` (e.g. `{ ownerId: { eq: $me } }`).
    async fn deals_by_stage(&self, ctx: &Context<'_>, filter: Option<DealFilter>) -> Result<Vec<DealStageTotal>> {
        let viewer = context::viewer(ctx)?;
        let filter = filter.map(|f| f.condition(viewer)).transpose()?;
        Ok(deals_by_stage(context::db(ctx)?, viewer, filter, context::summaries(ctx))
            .await?
            .into_iter()
            .map(DealStageTotal)
            .collect())
    }
}

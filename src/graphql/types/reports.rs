//! The business reports in the API: sales by period, team performance, satisfaction by
//! value tier, segment sizes, campaign effectiveness (service reports: `service_reports`). Every figure is over exactly the rows the caller may see; amounts only where the
//! field policy lets the caller read them. The statements live in `service::report`.

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::input::activity::{DealFilter, PurchaseFilter};
use crate::graphql::policy;
use crate::graphql::relay::{Date, One, expect_id, one};
use crate::graphql::types::all::{Campaign, Team, User};
use crate::graphql::types::enums::{CampaignKind, ValueTier};
use crate::service::report::{marketing, pipeline, sales, satisfaction};
use async_graphql::{Context, Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// The length of a report period.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReportPeriod {
    Day,
    /// From Monday.
    Week,
    Month,
    Quarter,
    Year,
}

impl From<ReportPeriod> for sales::Period {
    fn from(period: ReportPeriod) -> Self {
        match period {
            ReportPeriod::Day => Self::Day,
            ReportPeriod::Week => Self::Week,
            ReportPeriod::Month => Self::Month,
            ReportPeriod::Quarter => Self::Quarter,
            ReportPeriod::Year => Self::Year,
        }
    }
}

/// What sales are split by, besides period and currency.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SalesGroup {
    /// The customer's owner.
    Owner,
    /// The team of the customer's owner.
    Team,
    Product,
    /// The customer's region.
    Region,
}

/// Sales of one period, split and currency.
pub struct SalesTotal(sales::SalesRow, sales::SalesBy);

#[Object]
impl SalesTotal {
    /// The period's first day.
    async fn period(&self) -> Date {
        Date(self.0.period)
    }
    /// With `by: OWNER`.
    async fn owner(&self, ctx: &Context<'_>) -> Result<One<User>> {
        match (&self.0.key, self.1) {
            (sales::Key::Id(Some(id)), sales::SalesBy::Owner) => {
                one::<entity::user::Entity, _>(ctx, Some(*id), User).await
            }
            _ => Ok(None),
        }
    }
    /// With `by: TEAM`.
    async fn team(&self, ctx: &Context<'_>) -> Result<One<Team>> {
        match (&self.0.key, self.1) {
            (sales::Key::Id(Some(id)), sales::SalesBy::Team) => {
                one::<entity::team::Entity, _>(ctx, Some(*id), Team).await
            }
            _ => Ok(None),
        }
    }
    /// With `by: PRODUCT` or `by: REGION`.
    async fn key(&self) -> Option<&str> {
        match &self.0.key {
            sales::Key::Text(text) => text.as_deref(),
            _ => None,
        }
    }
    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Number of purchases.
    async fn count(&self) -> i64 {
        self.0.count
    }
    /// Their total, exact (governed like `Purchase.amount`).
    async fn amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Purchase", "amount", None, Some(self.0.amount))
    }
}

/// A survey's score among customers of one value tier.
pub struct TierSatisfaction(satisfaction::TierScore);

#[Object]
impl TierSatisfaction {
    /// `null`: unclassified customers.
    async fn value_tier(&self) -> Option<ValueTier> {
        self.0.tier.map(Into::into)
    }
    async fn responses(&self) -> i64 {
        self.0.responses
    }
    /// By the survey's kind: NPS, CSAT % or CES mean (CUSTOM: the mean response score).
    async fn score(&self) -> Option<f64> {
        self.0.score
    }
}

/// One owner's pipeline in one currency.
pub struct PipelineCurrency(pipeline::CurrencyLine);

#[Object]
impl PipelineCurrency {
    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Open deals (not WON or LOST).
    async fn open_count(&self) -> i64 {
        self.0.open_count
    }
    /// Their total (governed like `Deal.amount`).
    async fn open_amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Deal", "amount", None, Some(self.0.open_amount))
    }
    /// Σ amount × probability of the open deals, exact (governed like `Deal.amount`).
    async fn weighted_amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Deal", "amount", None, Some(self.0.weighted_amount))
    }
    /// Total of the deals won in the range (governed like `Deal.amount`).
    async fn won_amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Deal", "amount", None, Some(self.0.won_amount))
    }
}

/// One deal owner's performance.
pub struct OwnerPerformance(pipeline::OwnerLine);

#[Object]
impl OwnerPerformance {
    async fn owner(&self, ctx: &Context<'_>) -> Result<One<User>> {
        one::<entity::user::Entity, _>(ctx, Some(self.0.owner), User).await
    }
    /// Deals won in the range.
    async fn won_count(&self) -> i64 {
        self.0.won
    }
    /// Deals lost in the range.
    async fn lost_count(&self) -> i64 {
        self.0.lost
    }
    /// Won per closed deal, in percent.
    async fn win_rate(&self) -> Option<f64> {
        self.0.win_rate()
    }
    /// Mean days from creation to winning, of the deals won in the range.
    async fn average_cycle_days(&self) -> Option<f64> {
        self.0.cycle_days
    }
    /// Communication records the owner logged in the range.
    async fn activities(&self) -> i64 {
        self.0.activities
    }
    /// The open pipeline and won amounts per currency.
    async fn currencies(&self) -> Vec<PipelineCurrency> {
        self.0.currencies.iter().cloned().map(PipelineCurrency).collect()
    }
}

/// A classification dimension.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum SegmentDimension {
    Lifecycle,
    ValueTier,
    NeedUrgency,
    /// Each behaviour held: HIGH_FREQUENCY, DORMANT, COMPLAINANT.
    Behaviours,
}

/// Customers with one value of a dimension.
#[derive(async_graphql::SimpleObject, Clone, Debug)]
pub struct SegmentSize {
    /// The class (`null`: none yet).
    pub value: Option<String>,
    pub customers: i64,
}

/// One campaign's effect.
pub struct CampaignEffect(marketing::CampaignEffect, u32);

#[Object]
impl CampaignEffect {
    async fn campaign(&self, ctx: &Context<'_>) -> Result<One<Campaign>> {
        one::<entity::campaign::Entity, _>(ctx, Some(self.0.campaign), Campaign).await
    }
    async fn kind(&self) -> CampaignKind {
        self.0.kind.into()
    }
    /// Participants you see.
    async fn participants(&self) -> i64 {
        self.0.participants
    }
    /// Of them, with a deal opened within the window after the start.
    async fn with_deals(&self) -> i64 {
        self.0.with_deals
    }
    /// Of them, with a purchase within the window.
    async fn with_purchases(&self) -> i64 {
        self.0.with_purchases
    }
    /// `withPurchases` per participant, in percent.
    async fn conversion_rate(&self) -> Option<f64> {
        (self.0.participants > 0)
            .then(|| (self.0.with_purchases as f64 / self.0.participants as f64 * 1000.0).round() / 10.0)
    }
    /// The window, in days.
    async fn within_days(&self) -> u32 {
        self.1
    }
}

#[derive(Default)]
pub struct ReportsQuery;

#[Object]
impl ReportsQuery {
    /// Purchases per period from `from` up to (not including) `to`, per currency and, with
    /// `by`, per owner, team, product or region.
    async fn sales_by_period(
        &self,
        ctx: &Context<'_>,
        period: ReportPeriod,
        from: Date,
        to: Date,
        by: Option<SalesGroup>,
        filter: Option<PurchaseFilter>,
    ) -> Result<Vec<SalesTotal>> {
        let viewer = context::viewer(ctx)?;
        let filter = filter.map(|f| f.condition(viewer)).transpose()?;
        let period = period.into();
        let by = match by {
            None => sales::SalesBy::Nothing,
            Some(SalesGroup::Owner) => sales::SalesBy::Owner,
            Some(SalesGroup::Team) => sales::SalesBy::Team,
            Some(SalesGroup::Product) => sales::SalesBy::Product,
            Some(SalesGroup::Region) => sales::SalesBy::Region,
        };
        let rows = sales::sales(context::db(ctx)?, viewer, period, by, (from.0, to.0), filter, context::summaries(ctx))
            .await?;
        Ok(rows.into_iter().map(|row| SalesTotal(row, by)).collect())
    }

    /// Per deal owner: the open pipeline with its weighted value, deals won and lost in
    /// `[from, to)` with the win rate and sales cycle, and the records they logged.
    async fn team_performance(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: Option<DealFilter>,
    ) -> Result<Vec<OwnerPerformance>> {
        let viewer = context::viewer(ctx)?;
        let filter = filter.map(|f| f.condition(viewer)).transpose()?;
        let rows = pipeline::by_owner(context::db(ctx)?, viewer, (from, to), filter).await?;
        Ok(rows.into_iter().map(OwnerPerformance).collect())
    }

    /// Customers you see per class of a classification dimension.
    async fn segment_sizes(&self, ctx: &Context<'_>, dimension: SegmentDimension) -> Result<Vec<SegmentSize>> {
        let viewer = context::viewer(ctx)?;
        let dimension = match dimension {
            SegmentDimension::Lifecycle => marketing::Dimension::Lifecycle,
            SegmentDimension::ValueTier => marketing::Dimension::ValueTier,
            SegmentDimension::NeedUrgency => marketing::Dimension::NeedUrgency,
            SegmentDimension::Behaviours => marketing::Dimension::Behaviours,
        };
        let rows = marketing::sizes(context::db(ctx)?, viewer, dimension).await?;
        Ok(rows.into_iter().map(|(value, customers)| SegmentSize { value, customers }).collect())
    }

    /// Per campaign (of `kind`): participants, and how many opened a deal or bought within
    /// `withinDays` (1–365, default 30) of its start.
    async fn campaign_effectiveness(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 30)] within_days: u32,
        kind: Option<CampaignKind>,
    ) -> Result<Vec<CampaignEffect>> {
        if !(1..=365).contains(&within_days) {
            return Err(AppError::BadUserInput("`withinDays` is between 1 and 365".into()).into());
        }
        let viewer = context::viewer(ctx)?;
        let rows =
            marketing::campaign_effectiveness(context::db(ctx)?, viewer, within_days, kind.map(Into::into)).await?;
        Ok(rows.into_iter().map(|row| CampaignEffect(row, within_days)).collect())
    }

    /// A survey's score per customer value tier, over the responses you may see.
    async fn satisfaction_by_value_tier(&self, ctx: &Context<'_>, survey_id: ID) -> Result<Vec<TierSatisfaction>> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let id = expect_id(&survey_id, "Survey").map_err(|_| AppError::BadUserInput("no such Survey".into()))?;
        let survey = crate::service::record::find::<entity::survey::Entity>(db, viewer, id)
            .await?
            .ok_or_else(|| AppError::BadUserInput("no such Survey".into()))?;
        let rows = satisfaction::by_value_tier(db, viewer, survey.id, survey.kind).await?;
        Ok(rows.into_iter().map(TierSatisfaction).collect())
    }
}

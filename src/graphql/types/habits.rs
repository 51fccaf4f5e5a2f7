//! `purchaseHabits`: frequency, average order value, top products, repurchase rate and the
//! customers ranked by spend, each field one statement run only when selected.

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::policy;
use crate::graphql::relay::{Date, One, expect_id, one};
use crate::graphql::types::all::Customer;
use crate::service::record::{counted, find};
use crate::service::report::habits;
use async_graphql::{Context, ID, Object, Result};
use chrono::NaiveDate;
use entity::customer;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Query, SelectStatement};

/// Purchases in one currency.
pub struct CurrencyHabits(habits::CurrencyHabits);

#[Object]
impl CurrencyHabits {
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn purchases(&self) -> i64 {
        self.0.purchases
    }
    /// Customers who bought.
    async fn customers(&self) -> i64 {
        self.0.customers
    }
    /// Purchases per buying customer.
    async fn frequency(&self) -> Option<f64> {
        (self.0.customers > 0).then(|| (self.0.purchases as f64 / self.0.customers as f64 * 100.0).round() / 100.0)
    }
    /// Their total, exact (governed like `Purchase.amount`).
    async fn amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Purchase", "amount", None, Some(self.0.amount))
    }
    /// Total per purchase, to the cent (governed like `Purchase.amount`).
    async fn average_order_value(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        let average = (self.0.purchases > 0).then(|| (self.0.amount / Decimal::from(self.0.purchases)).round_dp(2));
        match average {
            Some(v) => policy::value(ctx, "Purchase", "amount", None, Some(v)),
            None => Ok(None),
        }
    }
}

/// A product's purchases in one currency.
pub struct ProductHabits(habits::ProductLine);

#[Object]
impl ProductHabits {
    async fn product(&self) -> &str {
        &self.0.product
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn purchases(&self) -> i64 {
        self.0.purchases
    }
    /// Governed like `Purchase.amount`.
    async fn amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Purchase", "amount", None, Some(self.0.amount))
    }
}

/// A customer's spend.
pub struct CustomerSpend(habits::Spender);

#[Object]
impl CustomerSpend {
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<customer::Entity, _>(ctx, Some(self.0.customer), Customer).await
    }
    /// Governed like `Purchase.amount`.
    async fn amount(&self, ctx: &Context<'_>) -> Result<Option<Decimal>> {
        policy::value(ctx, "Purchase", "amount", None, Some(self.0.amount))
    }
}

/// Purchase habits of a set of customers over a date range.
pub struct PurchaseHabits {
    range: (NaiveDate, NaiveDate),
    customers: SelectStatement,
}

#[Object]
impl PurchaseHabits {
    /// Per currency: purchases, buyers, frequency, average order value.
    async fn currencies(&self, ctx: &Context<'_>) -> Result<Vec<CurrencyHabits>> {
        let viewer = context::viewer(ctx)?;
        let rows = habits::by_currency(context::db(ctx)?, viewer, self.range, &self.customers).await?;
        Ok(rows.into_iter().map(CurrencyHabits).collect())
    }
    /// The most bought products (at most 100).
    async fn top_products(&self, ctx: &Context<'_>, #[graphql(default = 10)] first: u32) -> Result<Vec<ProductHabits>> {
        let viewer = context::viewer(ctx)?;
        let rows =
            habits::top_products(context::db(ctx)?, viewer, self.range, &self.customers, u64::from(first)).await?;
        Ok(rows.into_iter().map(ProductHabits).collect())
    }
    /// Buying customers with two purchases at most `withinDays` apart, in percent of the
    /// buying customers.
    async fn repurchase_rate(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 90)] within_days: u32,
    ) -> Result<Option<f64>> {
        if !(1..=3660).contains(&within_days) {
            return Err(AppError::BadUserInput("`withinDays` is between 1 and 3660".into()).into());
        }
        let viewer = context::viewer(ctx)?;
        let (buyers, again) =
            habits::repurchase(context::db(ctx)?, viewer, self.range, &self.customers, within_days).await?;
        Ok((buyers > 0).then(|| (again as f64 / buyers as f64 * 1000.0).round() / 10.0))
    }
    /// The customers who spent most in `currency` (at most 100): the value ranking.
    async fn top_customers(
        &self,
        ctx: &Context<'_>,
        currency: String,
        #[graphql(default = 10)] first: u32,
    ) -> Result<Vec<CustomerSpend>> {
        let viewer = context::viewer(ctx)?;
        let currency = currency.trim().to_uppercase();
        let rows =
            habits::top_spenders(context::db(ctx)?, viewer, self.range, &self.customers, &currency, u64::from(first))
                .await?;
        Ok(rows.into_iter().map(CustomerSpend).collect())
    }
}

#[derive(Default)]
pub struct HabitsQuery;

#[Object]
impl HabitsQuery {
    /// Purchase habits from `from` up to (not including) `to`, of every customer you see or
    /// of a saved segment's members.
    async fn purchase_habits(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
        segment_id: Option<ID>,
    ) -> Result<PurchaseHabits> {
        let viewer = context::viewer(ctx)?;
        if to.0 <= from.0 {
            return Err(AppError::BadUserInput("`to` comes after `from`".into()).into());
        }
        let mut customers = Query::select();
        customers
            .column(customer::Column::Id)
            .from(customer::Entity)
            .cond_where(counted::<customer::Entity>(viewer, false));
        if let Some(segment) = segment_id {
            let id = expect_id(&segment, "Segment").map_err(|_| AppError::BadUserInput("no such Segment".into()))?;
            let segment = find::<entity::segment::Entity>(context::db(ctx)?, viewer, id)
                .await?
                .ok_or_else(|| AppError::BadUserInput("no such Segment".into()))?;
            customers.cond_where(crate::graphql::types::segment::condition(&segment, viewer)?);
        }
        Ok(PurchaseHabits { range: (from.0, to.0), customers: customers.to_owned() })
    }
}

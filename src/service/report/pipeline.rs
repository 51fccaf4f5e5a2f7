//! Team performance: per deal owner, the open pipeline (count, amount, weighted amount =
//! amount × probability) per currency, the deals won and lost in a range with the win
//! rate and the mean sales cycle (creation to win), and the communication records each
//! logged — over the deals and records the caller may see. Two grouped statements.

use super::split_sums_of;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::record::counted;
use chrono::{DateTime, Utc};
use entity::enums::DealStage;
use entity::{deal, interaction, money};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use sea_orm::{Condition, ConnectionTrait, DatabaseConnection, DbBackend};
use std::collections::BTreeMap;
use uuid::Uuid;

/// One owner's amounts in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CurrencyLine {
    pub currency: String,
    pub open_count: i64,
    pub open_amount: Decimal,
    /// Σ amount × probability / 100, exact.
    pub weighted_amount: Decimal,
    pub won_amount: Decimal,
}

/// One owner's figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OwnerLine {
    pub owner: Uuid,
    pub won: i64,
    pub lost: i64,
    /// Mean days from creation to winning, of the deals won in the range.
    pub cycle_days: Option<f64>,
    /// Communication records the owner logged in the range.
    pub activities: i64,
    pub currencies: Vec<CurrencyLine>,
}

impl OwnerLine {
    /// Won per closed deal, in percent.
    pub fn win_rate(&self) -> Option<f64> {
        let closed = self.won + self.lost;
        (closed > 0).then(|| (self.won as f64 / closed as f64 * 1000.0).round() / 10.0)
    }
}

/// `value` on rows matching `when`, else 0.
fn when(cond: &Condition, value: Expr) -> Expr {
    Expr::case(cond.clone(), value).finally(0).into()
}

/// The sum over rows matching `cond` of `value`, as `ty`.
fn sum_if(cond: &Condition, value: Expr, ty: &str) -> Expr {
    Func::cast_as(when(cond, value).sum(), Alias::new(ty)).into()
}

/// Per owner: open pipeline now, won/lost/cycle for deals closed in `[from, to)`, records
/// logged in `[from, to)`; deals also restricted by `filter`.
pub async fn by_owner(
    db: &DatabaseConnection,
    viewer: &Viewer,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    filter: Option<Condition>,
) -> AppResult<Vec<OwnerLine>> {
    if to <= from {
        return Err(AppError::BadUserInput("`to` comes after `from`".into()));
    }
    let backend = db.get_database_backend();
    let stage = || Expr::col((deal::Entity, deal::Column::Stage));
    let closed = || Expr::col((deal::Entity, deal::Column::ClosedAt));
    let amount = || Expr::col((deal::Entity, deal::Column::AmountE4));
    let open = Condition::all().add(stage().is_not_in([DealStage::Won.as_str(), DealStage::Lost.as_str()]));
    let closed_in =
        |s: DealStage| Condition::all().add(stage().eq(s.as_str())).add(closed().gte(from)).add(closed().lt(to));
    let (won, lost) = (closed_in(DealStage::Won), closed_in(DealStage::Lost));
    let days = Expr::cust(match backend {
        DbBackend::Postgres => "EXTRACT(EPOCH FROM (deals.closed_at - deals.created_at)) / 86400.0",
        _ => "(julianday(deals.closed_at) - julianday(deals.created_at))",
    });
    let [open_high, open_low] = split_sums_of(|| when(&open, amount()));
    let [weighted_high, weighted_low] =
        split_sums_of(|| when(&open, amount().mul(Expr::col((deal::Entity, deal::Column::Probability)))));
    let [won_high, won_low] = split_sums_of(|| when(&won, amount()));
    let mut q = Query::select();
    q.expr_as(Expr::col((deal::Entity, deal::Column::OwnerId)), Alias::new("owner"))
        .expr_as(Expr::col((deal::Entity, deal::Column::Currency)), Alias::new("currency"))
        .expr_as(sum_if(&open, Expr::val(1), "BIGINT"), Alias::new("open_count"))
        .expr_as(open_high, Alias::new("open_high"))
        .expr_as(open_low, Alias::new("open_low"))
        .expr_as(weighted_high, Alias::new("weighted_high"))
        .expr_as(weighted_low, Alias::new("weighted_low"))
        .expr_as(won_high, Alias::new("won_high"))
        .expr_as(won_low, Alias::new("won_low"))
        .expr_as(sum_if(&won, Expr::val(1), "BIGINT"), Alias::new("won"))
        .expr_as(sum_if(&lost, Expr::val(1), "BIGINT"), Alias::new("lost"))
        .expr_as(sum_if(&won, days, "DOUBLE PRECISION"), Alias::new("cycle"))
        .from(deal::Entity)
        .cond_where(counted::<deal::Entity>(viewer, false))
        .group_by_col((deal::Entity, deal::Column::OwnerId))
        .group_by_col((deal::Entity, deal::Column::Currency))
        .order_by((deal::Entity, deal::Column::OwnerId), Order::Asc)
        .order_by((deal::Entity, deal::Column::Currency), Order::Asc);
    if let Some(filter) = filter {
        q.cond_where(filter);
    }
    let mut owners: BTreeMap<Uuid, (OwnerLine, f64)> = BTreeMap::new();
    for row in db.query_all_raw(backend.build(&q)).await? {
        let owner: Uuid = row.try_get("", "owner")?;
        let entry = owners.entry(owner).or_insert_with(|| (OwnerLine { owner, ..OwnerLine::default() }, 0.0));
        let won: i64 = row.try_get("", "won")?;
        entry.0.won += won;
        entry.0.lost += row.try_get::<i64>("", "lost")?;
        entry.1 += row.try_get::<Option<f64>>("", "cycle")?.unwrap_or(0.0);
        let part = |high: &str, low: &str| -> AppResult<Decimal> {
            Ok(money::from_parts(row.try_get("", high)?, row.try_get("", low)?))
        };
        entry.0.currencies.push(CurrencyLine {
            currency: row.try_get("", "currency")?,
            open_count: row.try_get("", "open_count")?,
            open_amount: part("open_high", "open_low")?,
            weighted_amount: part("weighted_high", "weighted_low")? / Decimal::from(100),
            won_amount: part("won_high", "won_low")?,
        });
    }
    let mut a = Query::select();
    a.expr_as(Expr::col((interaction::Entity, interaction::Column::UserId)), Alias::new("owner"))
        .expr_as(Expr::col((interaction::Entity, interaction::Column::Id)).count(), Alias::new("activities"))
        .from(interaction::Entity)
        .cond_where(counted::<interaction::Entity>(viewer, false))
        .and_where(Expr::col((interaction::Entity, interaction::Column::OccurredAt)).gte(from))
        .and_where(Expr::col((interaction::Entity, interaction::Column::OccurredAt)).lt(to))
        .group_by_col((interaction::Entity, interaction::Column::UserId));
    for row in db.query_all_raw(backend.build(&a)).await? {
        let owner: Uuid = row.try_get("", "owner")?;
        let activities: i64 = row.try_get("", "activities")?;
        if let Some(entry) = owners.get_mut(&owner) {
            entry.0.activities = activities;
        }
    }
    Ok(owners
        .into_values()
        .map(|(mut line, cycle_total)| {
            line.cycle_days = (line.won > 0).then(|| (cycle_total / line.won as f64 * 10.0).round() / 10.0);
            line
        })
        .collect())
}

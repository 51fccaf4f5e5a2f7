//! Dashboard summaries: the pipeline per customer owner × deal owner × stage × currency
//! and sales per customer owner × month × currency (`entity::summary`), kept current in the
//! transaction of every write that can move them, and read by `dealsByStage` and
//! `salesByPeriod` when the request allows (`deals_by_stage`, `sales`).
//!
//! Keeping them current is one rule for every write: [`Watch::start`] locks the customers a
//! write touches and reads what their live records contribute; [`Watch::finish`] reads it
//! again after the write and adds the difference. A deal's stage or amount, a purchase, a
//! deleted or restored record, a customer's new owner, its deletion or a merge all move the
//! totals the same way. The customer's row lock orders the writes of one customer, so two
//! concurrent writes never count each other's change twice.
//!
//! Reading them is the speed path `summaries` (`CLIENTELE_FAST_PATHS`); the grouped
//! statements over the records are the definition, and a test compares both after random
//! writes.

use crate::auth::Viewer;
use crate::error::AppResult;
use chrono::{Datelike, NaiveDate};
use entity::enums::{DealStage, Role};
use entity::money::SPLIT;
use entity::summary::{deal_total, sales_total};
use entity::{customer, deal, purchase, user};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Whether reports read the summaries where they can (the `summaries` speed path; schema
/// data). They are kept current either way, so turning it on again needs no rebuild.
#[derive(Debug, Clone, Copy)]
pub struct Reads(pub bool);

type DealKey = (Uuid, Uuid, DealStage, String);
type SalesKey = (Uuid, NaiveDate, String);
/// Count and split sums.
type Sums = [i64; 3];

/// What some customers' live records add to the summaries.
#[derive(Debug, Default, PartialEq, Eq)]
struct Share {
    deals: HashMap<DealKey, Sums>,
    sales: HashMap<SalesKey, Sums>,
}

fn add(sums: &mut Sums, units: i64) {
    sums[0] += 1;
    sums[1] += units / SPLIT;
    sums[2] += units % SPLIT;
}

/// The first day of `date`'s month.
pub(crate) fn month_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// A write's hold on the summaries of the customers it touches.
#[must_use = "a started watch must be finished in the same transaction"]
pub struct Watch {
    customers: Vec<Uuid>,
    before: Share,
}

impl Watch {
    /// Locks `customers` (in id order, so two writes never wait on each other crosswise)
    /// and reads what they contribute now.
    pub async fn start(txn: &DatabaseTransaction, customers: &[Uuid]) -> AppResult<Self> {
        let mut customers = customers.to_vec();
        customers.sort_unstable();
        customers.dedup();
        let before = share(txn, &customers, true).await?;
        Ok(Self { customers, before })
    }

    /// Reads the customers' contribution after the write and adds the difference.
    pub async fn finish(self, txn: &DatabaseTransaction) -> AppResult<()> {
        let after = share(txn, &self.customers, false).await?;
        let deals = difference(&self.before.deals, &after.deals);
        let sales = difference(&self.before.sales, &after.sales);
        for ((scope_owner_id, owner_id, stage, currency), [count, high, low]) in deals {
            let row = deal_total::ActiveModel {
                scope_owner_id: sea_orm::Set(scope_owner_id),
                owner_id: sea_orm::Set(owner_id),
                stage: sea_orm::Set(stage),
                currency: sea_orm::Set(currency),
                count: sea_orm::Set(count),
                high: sea_orm::Set(high),
                low: sea_orm::Set(low),
            };
            use deal_total::Column as C;
            deal_total::Entity::insert(row)
                .on_conflict(accumulate(
                    "deal_totals",
                    OnConflict::columns([C::ScopeOwnerId, C::OwnerId, C::Stage, C::Currency]),
                ))
                .exec_without_returning(txn)
                .await?;
        }
        for ((owner_id, month, currency), [count, high, low]) in sales {
            let row = sales_total::ActiveModel {
                owner_id: sea_orm::Set(owner_id),
                month: sea_orm::Set(month),
                currency: sea_orm::Set(currency),
                count: sea_orm::Set(count),
                high: sea_orm::Set(high),
                low: sea_orm::Set(low),
            };
            use sales_total::Column as C;
            sales_total::Entity::insert(row)
                .on_conflict(accumulate("sales_totals", OnConflict::columns([C::OwnerId, C::Month, C::Currency])))
                .exec_without_returning(txn)
                .await?;
        }
        Ok(())
    }
}

/// `ON CONFLICT … DO UPDATE` adding the new row's count and sums to the stored ones.
fn accumulate(table: &str, mut on: OnConflict) -> OnConflict {
    for column in ["count", "high", "low"] {
        on.value(
            sea_orm::sea_query::Alias::new(column),
            Expr::cust(format!(r#""{table}"."{column}" + "excluded"."{column}""#)),
        );
    }
    on.to_owned()
}

/// `after − before`, keys whose difference is zero left out.
fn difference<K: Clone + Eq + std::hash::Hash>(before: &HashMap<K, Sums>, after: &HashMap<K, Sums>) -> Vec<(K, Sums)> {
    let mut out: HashMap<K, Sums> = after.clone();
    for (key, sums) in before {
        let entry = out.entry(key.clone()).or_default();
        for (slot, value) in entry.iter_mut().zip(sums) {
            *slot -= value;
        }
    }
    out.into_iter().filter(|(_, sums)| sums.iter().any(|v| *v != 0)).collect()
}

/// What the live records of the live customers among `customers` add to the summaries
/// (locking the customers' rows first when `lock`).
async fn share(txn: &DatabaseTransaction, customers: &[Uuid], lock: bool) -> AppResult<Share> {
    let mut out = Share::default();
    if customers.is_empty() {
        return Ok(out);
    }
    let mut select = customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .column(customer::Column::OwnerId)
        .filter(customer::Column::Id.is_in(customers.iter().copied()))
        .filter(customer::Column::DeletedAt.is_null())
        .order_by_asc(customer::Column::Id);
    if lock {
        select = select.lock_exclusive();
    }
    let owners: HashMap<Uuid, Uuid> = select
        .into_tuple::<(Uuid, Option<Uuid>)>()
        .all(txn)
        .await?
        .into_iter()
        .map(|(id, owner)| (id, owner.unwrap_or_default()))
        .collect();
    if owners.is_empty() {
        return Ok(out);
    }
    let deals: Vec<(Uuid, Uuid, DealStage, String, i64)> = deal::Entity::find()
        .select_only()
        .columns([deal::Column::CustomerId, deal::Column::OwnerId, deal::Column::Stage, deal::Column::Currency])
        .column(deal::Column::AmountE4)
        .filter(deal::Column::CustomerId.is_in(owners.keys().copied()))
        .filter(deal::Column::DeletedAt.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    for (customer, owner, stage, currency, units) in deals {
        let scope = owners.get(&customer).copied().unwrap_or_default();
        add(out.deals.entry((scope, owner, stage, currency)).or_default(), units);
    }
    let purchases: Vec<(Uuid, NaiveDate, String, i64)> = purchase::Entity::find()
        .select_only()
        .columns([purchase::Column::CustomerId, purchase::Column::PurchasedAt, purchase::Column::Currency])
        .column(purchase::Column::AmountE4)
        .filter(purchase::Column::CustomerId.is_in(owners.keys().copied()))
        .filter(purchase::Column::DeletedAt.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    for (customer, date, currency, units) in purchases {
        let owner = owners.get(&customer).copied().unwrap_or_default();
        add(out.sales.entry((owner, month_of(date), currency)).or_default(), units);
    }
    Ok(out)
}

/// The summary rows `viewer` may see, as a condition on their customer-owner column — the
/// row scope of customers (`entity::customer::visible_to`) restated over owners — or `None`
/// when the scope is not a matter of owners (MARKETING users and partner keys see customers
/// by consent):
/// the report then runs its grouped statement over the records.
pub fn scope(viewer: &Viewer, owner: impl ColumnTrait) -> Option<Condition> {
    let all = Condition::all();
    Some(match viewer.role {
        Role::Admin | Role::Service | Role::Analyst => all,
        Role::Sales => all.add(owner.eq(viewer.user_id)),
        Role::Manager => match viewer.team_id {
            None => all.add(owner.eq(viewer.user_id)),
            Some(team) => {
                let members = Query::select()
                    .column(user::Column::Id)
                    .from(user::Entity)
                    .and_where(Expr::col(user::Column::TeamId).eq(team))
                    .to_owned();
                Condition::any().add(owner.eq(viewer.user_id)).add(owner.in_subquery(members))
            }
        },
        // Consent decides what these see (`service::consent`), not owners.
        Role::Partner | Role::Marketing => return None,
    })
}

/// Refills the summaries from the records in one transaction (after seeding, or to repair).
pub async fn rebuild(db: &sea_orm::DatabaseConnection) -> AppResult<()> {
    let txn = crate::engine::rows::begin(db).await?;
    migration::rebuild_summaries(&txn).await?;
    crate::engine::rows::commit(txn).await?;
    Ok(())
}

/// True when a rebuild would change nothing: every total equals the grouped statement's
/// (for checks and tests).
pub async fn consistent<C: ConnectionTrait>(db: &C) -> AppResult<bool> {
    let deals: Vec<deal_total::Model> =
        deal_total::Entity::find().filter(deal_total::Column::Count.ne(0)).all(db).await?;
    let sales: Vec<sales_total::Model> =
        sales_total::Entity::find().filter(sales_total::Column::Count.ne(0)).all(db).await?;
    let fresh_deals = deals_by_record(db).await?;
    let fresh_sales = sales_by_record(db).await?;
    let kept_deals: HashMap<DealKey, Sums> = deals
        .into_iter()
        .map(|r| ((r.scope_owner_id, r.owner_id, r.stage, r.currency), normal(r.count, r.high, r.low)))
        .collect();
    let kept_sales: HashMap<SalesKey, Sums> =
        sales.into_iter().map(|r| ((r.owner_id, r.month, r.currency), normal(r.count, r.high, r.low))).collect();
    Ok(kept_deals == fresh_deals && kept_sales == fresh_sales)
}

/// Split sums compared by the amount they stand for (`high`·SPLIT + `low` is what counts).
fn normal(count: i64, high: i64, low: i64) -> Sums {
    let units = i128::from(high) * i128::from(SPLIT) + i128::from(low);
    [count, (units / i128::from(SPLIT)) as i64, (units % i128::from(SPLIT)) as i64]
}

async fn deals_by_record<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<DealKey, Sums>> {
    let rows: Vec<(Option<Uuid>, Uuid, DealStage, String, i64)> = deal::Entity::find()
        .select_only()
        .column(customer::Column::OwnerId)
        .columns([deal::Column::OwnerId, deal::Column::Stage, deal::Column::Currency, deal::Column::AmountE4])
        .join(sea_orm::JoinType::InnerJoin, deal::Relation::Customer.def())
        .filter(deal::Column::DeletedAt.is_null())
        .filter(customer::Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<DealKey, Sums> = HashMap::new();
    for (scope, owner, stage, currency, units) in rows {
        add(out.entry((scope.unwrap_or_default(), owner, stage, currency)).or_default(), units);
    }
    Ok(out.into_iter().map(|(k, [c, h, l])| (k, normal(c, h, l))).collect())
}

async fn sales_by_record<C: ConnectionTrait>(db: &C) -> AppResult<HashMap<SalesKey, Sums>> {
    let rows: Vec<(Option<Uuid>, NaiveDate, String, i64)> = purchase::Entity::find()
        .select_only()
        .column(customer::Column::OwnerId)
        .columns([purchase::Column::PurchasedAt, purchase::Column::Currency, purchase::Column::AmountE4])
        .join(sea_orm::JoinType::InnerJoin, purchase::Relation::Customer.def())
        .filter(purchase::Column::DeletedAt.is_null())
        .filter(customer::Column::DeletedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<SalesKey, Sums> = HashMap::new();
    for (owner, date, currency, units) in rows {
        add(out.entry((owner.unwrap_or_default(), month_of(date), currency)).or_default(), units);
    }
    Ok(out.into_iter().map(|(k, [c, h, l])| (k, normal(c, h, l))).collect())
}

//! The service-level sweep, run every minute in the server (and by tests with a moved
//! clock): breaches flagged as due times pass, resolutions the customer never answered
//! closed as NO_ANSWER, and open tickets whose customer changed value tier given the due
//! times of their new tier. Under a PostgreSQL advisory lock, so that of several instances
//! one sweeps at a time; on SQLite the one process runs it.

use super::tickets::{OPEN_STATUSES, record_move};
use crate::error::AppResult;
use chrono::{DateTime, Duration, Utc};
use entity::enums::{ResolutionOutcome, TicketStatus};
use entity::{customer, ticket};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The advisory lock of the sweep ("SLA" in ASCII).
const LOCK: i64 = 0x534c41;
/// Days a resolution waits for the customer's answer before it closes as NO_ANSWER.
pub const NO_ANSWER_DAYS: i64 = 7;
/// Tickets closed or re-timed per statement batch, and most batches per sweep.
const BATCH: u64 = 500;
const MAX_BATCHES: usize = 20;

/// What a sweep changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub first_response_breaches: u64,
    pub resolution_breaches: u64,
    pub closed_without_answer: u64,
    pub retimed: u64,
}

/// Sweeps as of `at`; `None` when another instance holds the sweep.
pub async fn run(db: &DatabaseConnection, at: DateTime<Utc>) -> AppResult<Option<Swept>> {
    let txn = crate::engine::rows::begin_write(db).await?;
    if !crate::service::try_job_lock(&txn, LOCK).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    let open = || ticket::Column::Status.is_in(OPEN_STATUSES).and(ticket::Column::DeletedAt.is_null());
    let first = ticket::Entity::update_many()
        .col_expr(ticket::Column::FirstResponseBreached, Expr::val(true))
        .filter(open())
        .filter(ticket::Column::FirstResponseAt.is_null())
        .filter(ticket::Column::FirstResponseDueAt.lt(at))
        .filter(ticket::Column::FirstResponseBreached.eq(false))
        .exec(&txn)
        .await?
        .rows_affected;
    let resolution = ticket::Entity::update_many()
        .col_expr(ticket::Column::ResolutionBreached, Expr::val(true))
        .filter(open())
        .filter(ticket::Column::ResolutionDueAt.lt(at))
        .filter(ticket::Column::ResolutionBreached.eq(false))
        .exec(&txn)
        .await?
        .rows_affected;
    let closed = close_unanswered(&txn, at).await?;
    let retimed = retime(&txn, at).await?;
    txn.commit().await?;
    Ok(Some(Swept {
        first_response_breaches: first,
        resolution_breaches: resolution,
        closed_without_answer: closed,
        retimed,
    }))
}

/// Resolved tickets whose resolution waited `NO_ANSWER_DAYS` without an answer: closed,
/// outcome NO_ANSWER, the move in their history (by the server).
async fn close_unanswered<C: ConnectionTrait>(txn: &C, at: DateTime<Utc>) -> AppResult<u64> {
    let mut closed = 0;
    for _ in 0..MAX_BATCHES {
        let ids: Vec<uuid::Uuid> = ticket::Entity::find()
            .select_only()
            .column(ticket::Column::Id)
            .filter(ticket::Column::Status.eq(TicketStatus::Resolved))
            .filter(ticket::Column::ResolutionOutcome.is_null())
            .filter(ticket::Column::ResolvedAt.lt(at - Duration::days(NO_ANSWER_DAYS)))
            .filter(ticket::Column::DeletedAt.is_null())
            .order_by_asc(ticket::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(txn)
            .await?;
        if ids.is_empty() {
            break;
        }
        ticket::Entity::update_many()
            .col_expr(ticket::Column::Status, Expr::val(TicketStatus::Closed.as_str()))
            .col_expr(ticket::Column::ResolutionOutcome, Expr::val(ResolutionOutcome::NoAnswer.as_str()))
            .col_expr(ticket::Column::Version, Expr::col(ticket::Column::Version).add(1))
            .col_expr(ticket::Column::UpdatedAt, Expr::val(at))
            .filter(ticket::Column::Id.is_in(ids.clone()))
            .exec(txn)
            .await?;
        for id in &ids {
            record_move(txn, *id, None, Some(TicketStatus::Resolved), TicketStatus::Closed, at).await?;
        }
        closed += ids.len() as u64;
    }
    Ok(closed)
}

/// Open tickets whose customer's value tier is not the one their due times were computed
/// for: due times of the tier now, from their opening, under the policy in force. (Tickets
/// opened before service levels existed have no tier and stay without due times.)
async fn retime<C: ConnectionTrait>(txn: &C, at: DateTime<Utc>) -> AppResult<u64> {
    let policy = super::current(txn).await?.policy;
    let tier_now = Expr::cust("COALESCE(customers.value_tier, 'NONE')");
    let mut retimed = 0;
    for _ in 0..MAX_BATCHES {
        let rows: Vec<(ticket::Model, Option<customer::Model>)> = ticket::Entity::find()
            .find_also_related(customer::Entity)
            .filter(ticket::Column::Status.is_in(OPEN_STATUSES))
            .filter(ticket::Column::DeletedAt.is_null())
            .filter(Expr::col((ticket::Entity, ticket::Column::SlaTier)).is_not_null())
            .filter(Expr::col((ticket::Entity, ticket::Column::SlaTier)).ne(tier_now.clone()))
            .order_by_asc(ticket::Column::Id)
            .limit(BATCH)
            .all(txn)
            .await?;
        if rows.is_empty() {
            break;
        }
        for (current, customer) in &rows {
            let tier = customer.as_ref().and_then(|c| c.value_tier);
            let due = policy.due(current.opened_at, current.priority, tier);
            let mut row = ticket::ActiveModel::default();
            let mut fields = Vec::new();
            crate::service::ticket::set_due(&mut row, &mut fields, current, due, tier, at);
            ticket::Entity::update_many()
                .set(row)
                .col_expr(ticket::Column::Version, Expr::col(ticket::Column::Version).add(1))
                .col_expr(ticket::Column::UpdatedAt, Expr::val(at))
                .filter(ticket::Column::Id.eq(current.id))
                .exec(txn)
                .await?;
        }
        retimed += rows.len() as u64;
    }
    Ok(retimed)
}

/// Sweeps every `every` (`clock` tells the time) for as long as the server runs. Failures
/// are logged and retried at the next tick.
pub async fn run_forever(
    db: DatabaseConnection,
    every: std::time::Duration,
    clock: impl Fn() -> DateTime<Utc> + Send + 'static,
) {
    // A sweep that found nothing is not worth a line.
    let sweep = || async { Ok(run(&db, clock()).await?.filter(|swept| *swept != Swept::default())) };
    crate::service::every("service-level sweep", every, sweep).await;
}

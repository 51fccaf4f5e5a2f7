//! What the SLA policy means for a ticket: due times on opening and on a priority or tier
//! change, the first response and its breach, the status history, routing to senior staff,
//! reopening, the customer's confirmation, and the return visit after a complaint.

use crate::error::AppResult;
use entity::enums::{Role, TicketCategory, TicketStatus, ValueTier};
use entity::{customer, ticket, ticket_status_change as change, user};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SubQueryStatement};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, Order, QueryFilter, QuerySelect, QueryTrait, Value,
};
use uuid::Uuid;

/// The statuses of a ticket still being worked on.
pub const OPEN_STATUSES: [TicketStatus; 3] = [TicketStatus::Open, TicketStatus::InProgress, TicketStatus::Waiting];

/// Days after a complaint's resolution its customer is due a return visit.
pub const RETURN_VISIT_DAYS: i64 = 2;

/// The stored spelling of a tier for `sla_tier` (`NONE`: unclassified).
pub fn tier_code(tier: Option<ValueTier>) -> String {
    tier.map_or("NONE", ValueTier::as_str).to_owned()
}

/// The senior service user with the fewest open tickets (ties: the first by id), if any:
/// where an URGENT ticket of a HIGH-value customer goes when opened unassigned.
pub async fn senior_assignee<C: ConnectionTrait>(db: &C) -> AppResult<Option<Uuid>> {
    let load = Query::select()
        .expr(Expr::col((Alias::new("t"), ticket::Column::Id)).count())
        .from_as(ticket::Entity, Alias::new("t"))
        .and_where(Expr::col((Alias::new("t"), ticket::Column::AssigneeId)).equals((user::Entity, user::Column::Id)))
        .and_where(Expr::col((Alias::new("t"), ticket::Column::Status)).is_in(OPEN_STATUSES.map(|s| s.as_str())))
        .and_where(Expr::col((Alias::new("t"), ticket::Column::DeletedAt)).is_null())
        .to_owned();
    let mut select = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Senior.eq(true))
        .filter(user::Column::Role.eq(Role::Service))
        .filter(user::Column::DeletedAt.is_null())
        .limit(1);
    QueryTrait::query(&mut select)
        .order_by_expr(Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(load))), Order::Asc)
        .order_by((user::Entity, user::Column::Id), Order::Asc);
    Ok(select.into_tuple::<Uuid>().one(db).await?)
}

/// Records a move of ticket `id` from `from` to `to` by `actor` (`None`: the server).
pub async fn record_move<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    actor: Option<Uuid>,
    from: Option<TicketStatus>,
    to: TicketStatus,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let row = change::ActiveModel {
        id: Set(entity::new_id()),
        ticket_id: Set(id),
        from_status: Set(from),
        to_status: Set(to),
        actor_id: Set(actor),
        changed_at: Set(at),
    };
    change::Entity::insert(row).exec_without_returning(db).await?;
    Ok(())
}

/// A status as the generic write path reads it from a model.
fn status_of(value: Value) -> Option<TicketStatus> {
    match value {
        Value::String(Some(s)) => <TicketStatus as sea_orm::ActiveEnum>::try_from_value(&s).ok(),
        _ => None,
    }
}

/// After a ticket write (in its transaction): a status move goes into the history, and a
/// resolved complaint makes its customer due a return visit.
pub async fn after_write<C: ConnectionTrait>(
    txn: &C,
    actor: Uuid,
    saved: &ticket::Model,
    before: Value,
) -> AppResult<()> {
    let from = status_of(before);
    if from == Some(saved.status) {
        return Ok(());
    }
    let at = saved.updated_at;
    record_move(txn, saved.id, Some(actor), from, saved.status, at).await?;
    if saved.status == TicketStatus::Resolved && saved.category == TicketCategory::Complaint {
        return_visit(txn, saved.customer_id, at + chrono::Duration::days(RETURN_VISIT_DAYS)).await?;
    }
    Ok(())
}

/// Sets the customer's next follow-up to `at` unless an earlier one is planned.
async fn return_visit<C: ConnectionTrait>(
    txn: &C,
    customer_id: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    customer::Entity::update_many()
        .col_expr(customer::Column::NextFollowUpAt, Expr::val(at))
        .col_expr(customer::Column::Version, Expr::col(customer::Column::Version).add(1))
        .col_expr(customer::Column::UpdatedAt, Expr::val(crate::service::now()))
        .filter(customer::Column::Id.eq(customer_id))
        .filter(
            sea_orm::Condition::any()
                .add(customer::Column::NextFollowUpAt.is_null())
                .add(customer::Column::NextFollowUpAt.gt(at)),
        )
        .exec(txn)
        .await?;
    Ok(())
}

/// Records the first response to ticket `id` at `at` (a staff member's communication
/// record about it), with its breach, unless it has one.
pub async fn responded<C: ConnectionTrait>(txn: &C, id: Uuid, at: chrono::DateTime<chrono::Utc>) -> AppResult<()> {
    let late = Expr::col(ticket::Column::FirstResponseDueAt).lt(at);
    ticket::Entity::update_many()
        .col_expr(ticket::Column::FirstResponseAt, Expr::val(at))
        .col_expr(
            ticket::Column::FirstResponseBreached,
            Expr::case(late, true).finally(Expr::col(ticket::Column::FirstResponseBreached)).into(),
        )
        .col_expr(ticket::Column::Version, Expr::col(ticket::Column::Version).add(1))
        .col_expr(ticket::Column::UpdatedAt, Expr::val(crate::service::now()))
        .filter(ticket::Column::Id.eq(id))
        .filter(ticket::Column::FirstResponseAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Whether a response or resolution at `at` is late for `due`.
pub fn late(due: Option<chrono::DateTime<chrono::Utc>>, at: chrono::DateTime<chrono::Utc>) -> bool {
    due.is_some_and(|due| at > due)
}

/// Open tickets overdue at `now` (`within: None`: a first response or resolution past its
/// due time), or, with `within`, falling due by `now + within` and not yet overdue.
pub fn queue_condition(now: chrono::DateTime<chrono::Utc>, within: Option<chrono::Duration>) -> sea_orm::Condition {
    use sea_orm::Condition;
    let due_by = |at: chrono::DateTime<chrono::Utc>| {
        Condition::any()
            .add(
                Condition::all()
                    .add(ticket::Column::FirstResponseAt.is_null())
                    .add(ticket::Column::FirstResponseDueAt.lt(at)),
            )
            .add(ticket::Column::ResolutionDueAt.lt(at))
    };
    let open = Condition::all().add(ticket::Column::Status.is_in(OPEN_STATUSES));
    match within {
        None => open.add(due_by(now)),
        Some(span) => open.add(due_by(now + span)).add(due_by(now).not()),
    }
}

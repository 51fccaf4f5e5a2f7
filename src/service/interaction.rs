//! Communication records (沟通记录): logging one (as the viewer), changing it, and the
//! customer it is logged under, kept current.

use super::now;
use super::record::{Change, Checked, check_ref, visible};
use super::reference::same_customer;
use super::validate::{Checker, ErrorCode, FieldError};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::set_field;
use entity::record::Record;
use entity::{contact, customer, deal, interaction, ticket};
use sea_orm::ActiveValue::Set;
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

/// Claims the customer an interaction is logged under, in the interaction's transaction
/// and before it is stored, with one statement: moves the customer's `lastInteractionAt`
/// forward to `occurred_at` (never back) and sets `nextFollowUpAt` when one is given.
/// Only a live customer the viewer may see is claimed; otherwise the answer is a
/// `NOT_FOUND` error on `customerId` and nothing is written. Derived fields: the
/// customer's version is not bumped.
pub async fn claim_customer(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    row: &interaction::ActiveModel,
) -> AppResult<Checked<()>> {
    let (Some(&customer_id), Some(&occurred_at)) = (row.customer_id.try_as_ref(), row.occurred_at.try_as_ref()) else {
        return Err(AppError::internal("an interaction row without its customer or time"));
    };
    let next_follow_up_at = row.next_follow_up_at.try_as_ref().copied().flatten();
    let last = Expr::col(customer::Column::LastInteractionAt);
    let later =
        Expr::case(last.clone().is_null().or(last.clone().lt(occurred_at)), Expr::val(occurred_at)).finally(last);
    let mut update = customer::Entity::update_many().col_expr(customer::Column::LastInteractionAt, later.into());
    if let Some(next) = next_follow_up_at {
        update = update.col_expr(customer::Column::NextFollowUpAt, Expr::val(next));
    }
    let result = update
        .filter(customer::Column::Id.eq(customer_id))
        .filter(customer::Column::ErasedAt.is_null())
        .filter(visible::<customer::Entity>(viewer, false))
        .exec(txn)
        .await?;
    if result.rows_affected == 1 {
        Ok(Ok(()))
    } else {
        Ok(Err(vec![FieldError::new("customerId", ErrorCode::NotFound, format!("no such {}", customer::Entity::NAME))]))
    }
}

/// After an interaction is changed, deleted or restored: the customer's
/// `lastInteractionAt` is the latest of its live interactions again (creating only moves it
/// forward, in [`claim_customer`]).
pub async fn refresh_last<C: sea_orm::ConnectionTrait>(txn: &C, customer_id: uuid::Uuid) -> AppResult<()> {
    use sea_orm::sea_query::{Query, QueryStatementBuilder};
    let latest = Query::select()
        .expr(Expr::col(interaction::Column::OccurredAt).max())
        .from(interaction::Entity)
        .and_where(Expr::col(interaction::Column::CustomerId).eq(customer_id))
        .and_where(Expr::col(interaction::Column::DeletedAt).is_null())
        .to_owned();
    customer::Entity::update_many()
        .col_expr(
            customer::Column::LastInteractionAt,
            Expr::SubQuery(None, Box::new(latest.into_sub_query_statement())),
        )
        .filter(customer::Column::Id.eq(customer_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Re-evaluates the customer's lifecycle and contact behaviours in the interaction's
/// transaction.
pub async fn after_create(
    txn: &sea_orm::DatabaseTransaction,
    _viewer: &crate::auth::Viewer,
    saved: &interaction::Model,
) -> AppResult<()> {
    // A staff member's communication about a ticket is its first response, if none came yet.
    if let Some(ticket) = saved.ticket_id {
        super::sla::tickets::responded(txn, ticket, std::cmp::min(saved.occurred_at, now())).await?;
    }
    let dimensions = ["LIFECYCLE", "HIGH_FREQUENCY", "DORMANT"];
    super::classification::one::reevaluate(txn, saved.customer_id, &dimensions, now()).await.map(drop)
}

crate::writes! {
    inputs interaction_inputs;
    /// A communication record to log.
    create NewInteraction as CreateInteractionInput;
    /// Changes to a communication record.
    update InteractionPatch as UpdateInteractionInput;
    fields {
        customer_id: Id(Customer) [create required];
        contact_id: Id(Contact) [create optional];
        deal_id: Id(Deal) [create optional];
        /// The service ticket this answers (the customer's own); the first such record is
        /// the ticket's first response.
        ticket_id: Id(Ticket) [create optional];
        channel: Enum(Channel) [create required] [update set];
        occurred_at: DateTime [create optional "When it happened; now when left out."] [update set];
        summary: Text [create required] [update set];
        outcome: Text [create optional] [update clear];
        next_step: Text [create optional] [update clear];
        next_follow_up_at: DateTime [create optional] [update clear];
    }
}

/// The row to insert (logged as the viewer), or the field errors. The customer is
/// checked when the row is stored, by the statement that updates it ([`claim_customer`]);
/// here only when there are other errors, so that all are reported at once.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewInteraction,
) -> AppResult<Checked<interaction::ActiveModel>> {
    let mut c = Checker::default();
    let customer_id = new.customer_id.unwrap_or_default();
    let contact = check_ref::<contact::Entity>(db, viewer, &mut c, "contactId", new.contact_id).await?;
    same_customer(&mut c, "contactId", customer_id, contact.as_ref().map(|m| m.customer_id));
    let deal = check_ref::<deal::Entity>(db, viewer, &mut c, "dealId", new.deal_id).await?;
    same_customer(&mut c, "dealId", customer_id, deal.as_ref().map(|m| m.customer_id));
    let ticket = check_ref::<ticket::Entity>(db, viewer, &mut c, "ticketId", new.ticket_id).await?;
    same_customer(&mut c, "ticketId", customer_id, ticket.as_ref().map(|m| m.customer_id));
    let ts = now();
    let occurred_at = new.occurred_at.unwrap_or(ts);
    if occurred_at > ts + chrono::Duration::minutes(5) {
        c.push("occurredAt", ErrorCode::Invalid, "occurredAt cannot be in the future");
    }
    let row = interaction::ActiveModel {
        customer_id: Set(customer_id),
        contact_id: Set(contact.map(|m| m.id)),
        deal_id: Set(deal.map(|m| m.id)),
        ticket_id: Set(ticket.map(|m| m.id)),
        user_id: Set(viewer.user_id),
        channel: Set(new.channel),
        occurred_at: Set(occurred_at),
        summary: Set(c.name("summary", &new.summary, 5_000)),
        outcome: Set(c.long_text("outcome", new.outcome.as_deref(), 5_000)),
        next_step: Set(c.long_text("nextStep", new.next_step.as_deref(), 2_000)),
        next_follow_up_at: Set(new.next_follow_up_at),
        ..entity::record::new_row::<interaction::Entity>(ts)
    };
    if !c.errors.is_empty() {
        let mut first = Checker::default();
        check_ref::<customer::Entity>(db, viewer, &mut first, "customerId", new.customer_id).await?;
        first.errors.append(&mut c.errors);
        c = first;
    }
    Ok(c.finish(row))
}

/// The change `patch` makes to a communication record.
pub async fn change(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    _current: &interaction::Model,
    patch: InteractionPatch,
) -> AppResult<Change<interaction::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = interaction::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = patch.channel {
        set_field!(row, fields, channel, "channel", v);
    }
    if let Some(v) = patch.occurred_at {
        set_field!(row, fields, occurred_at, "occurredAt", v);
    }
    if let Some(v) = &patch.summary {
        set_field!(row, fields, summary, "summary", c.name("summary", v, 5_000));
    }
    if let Some(v) = patch.outcome {
        set_field!(row, fields, outcome, "outcome", c.long_text("outcome", v.as_deref(), 5_000));
    }
    if let Some(v) = patch.next_step {
        set_field!(row, fields, next_step, "nextStep", c.long_text("nextStep", v.as_deref(), 2_000));
    }
    if let Some(v) = patch.next_follow_up_at {
        set_field!(row, fields, next_follow_up_at, "nextFollowUpAt", v);
    }
    Ok(c.finish((row, fields)))
}

//! Service tickets: opening one (numbered `T` + date + sequence), changing it, assigning
//! and resolving it.

use super::record::{Change, Checked, check_ref};
use super::reference::{check_assignee, same_customer};
use super::validate::{Checker, ErrorCode};
use super::{now, sequence};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::set_field;
use entity::enums::{TicketPriority, TicketStatus};
use entity::{contact, customer, ticket, user};
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

/// A complaint makes its customer a complainant, in the ticket's transaction.
pub async fn reclassify(txn: &sea_orm::DatabaseTransaction, saved: &ticket::Model) -> AppResult<()> {
    if saved.category != entity::enums::TicketCategory::Complaint {
        return Ok(());
    }
    super::classification::one::reevaluate(txn, saved.customer_id, &["COMPLAINANT"], now()).await.map(drop)
}
use crate::service::custom_field;
use entity::enums::CustomRecordType;

crate::writes! {
    inputs ticket_inputs;
    /// A service request to open.
    create NewTicket as CreateTicketInput;
    /// Changes to a ticket (assign with `assignTicket`, resolve with `resolveTicket`).
    update TicketPatch as UpdateTicketInput;
    fields {
        customer_id: Id(Customer) [create required];
        contact_id: Id(Contact) [create optional];
        subject: Text [create required] [update set];
        description: Text [create optional] [update clear];
        category: Enum(TicketCategory) [create required] [update set];
        priority: Enum(TicketPriority) [create optional "NORMAL when left out."] [update set];
        status: Enum(TicketStatus)
            [update set "OPEN, IN_PROGRESS, WAITING or CLOSED; RESOLVED goes through `resolveTicket`."];
        due_at: DateTime [create optional] [update clear];
        assignee_id: Id(User) [create optional];
        /// Values of custom fields (`customFieldDefinitions`); on update, the given keys
        /// change (`null` clears), the rest stay.
        custom_fields: Each(crate::graphql::types::custom_field::CustomFieldValueInput, crate::service::custom_field::values::FieldValue)
            [create default] [update set];
    }
}

/// The row of a new ticket, or the field errors.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewTicket,
) -> AppResult<Checked<ticket::ActiveModel>> {
    let mut c = Checker::default();
    let customer = check_ref::<customer::Entity>(db, viewer, &mut c, "customerId", new.customer_id).await?;
    let customer_id = customer.map(|m| m.id).unwrap_or_default();
    let contact = check_ref::<contact::Entity>(db, viewer, &mut c, "contactId", new.contact_id).await?;
    same_customer(&mut c, "contactId", customer_id, contact.as_ref().map(|m| m.customer_id));
    check_assignee(&mut c, viewer, "assigneeId", new.assignee_id);
    let assignee = check_ref::<user::Entity>(db, viewer, &mut c, "assigneeId", new.assignee_id).await?;
    let ts = now();
    let subject = c.name("subject", &new.subject, 300);
    let description = c.long_text("description", new.description.as_deref(), 20_000);
    if new.due_at.is_some_and(|d| d < ts) {
        c.push("dueAt", ErrorCode::Invalid, "dueAt cannot be in the past");
    }
    let custom = custom_field::for_new(db, &mut c, CustomRecordType::Ticket, &new.custom_fields).await?;
    if !c.is_clean() {
        return Ok(Err(c.errors));
    }
    Ok(Ok(ticket::ActiveModel {
        code: Set(sequence::next_code(db, "T", ts.date_naive()).await?),
        customer_id: Set(customer_id),
        contact_id: Set(contact.map(|m| m.id)),
        assignee_id: Set(assignee.map(|u| u.id)),
        subject: Set(subject),
        description: Set(description),
        category: Set(new.category),
        priority: Set(new.priority.unwrap_or(TicketPriority::Normal)),
        status: Set(TicketStatus::Open),
        opened_at: Set(ts),
        first_response_at: Set(None),
        resolved_at: Set(None),
        due_at: Set(new.due_at),
        resolution: Set(None),
        custom_fields: Set(custom),
        ..entity::record::new_row::<ticket::Entity>(ts)
    }))
}

/// The change `patch` makes to `current`: leaving OPEN records the first response,
/// reopening clears the resolution time.
pub async fn change(
    db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &ticket::Model,
    patch: TicketPatch,
) -> AppResult<Change<ticket::ActiveModel>> {
    use TicketStatus as S;
    let mut c = Checker::default();
    let mut row = ticket::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.subject {
        set_field!(row, fields, subject, "subject", c.name("subject", v, 300));
    }
    if let Some(v) = patch.description {
        set_field!(row, fields, description, "description", c.long_text("description", v.as_deref(), 20_000));
    }
    if let Some(v) = patch.category {
        set_field!(row, fields, category, "category", v);
    }
    if let Some(v) = patch.priority {
        set_field!(row, fields, priority, "priority", v);
    }
    if let Some(status) = patch.status {
        if status == S::Resolved {
            c.push("status", ErrorCode::Invalid, "resolve a ticket with resolveTicket");
        }
        if status != current.status {
            if current.first_response_at.is_none() && status != S::Open {
                set_field!(row, fields, first_response_at, "firstResponseAt", Some(now()));
            }
            if matches!(status, S::Open | S::InProgress | S::Waiting) && current.resolved_at.is_some() {
                set_field!(row, fields, resolved_at, "resolvedAt", None);
            }
        }
        set_field!(row, fields, status, "status", status);
    }
    if let Some(v) = patch.due_at {
        set_field!(row, fields, due_at, "dueAt", v);
    }
    if let Some(given) = &patch.custom_fields {
        let v = custom_field::for_change(db, &mut c, CustomRecordType::Ticket, &current.custom_fields, given).await?;
        set_field!(row, fields, custom_fields, "customFields", v);
    }
    Ok(c.finish((row, fields)))
}

/// Gives `current` to `assignee` (or takes it back with `None`); an OPEN ticket moves
/// to IN_PROGRESS.
pub async fn assign(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: &ticket::Model,
    assignee: Option<Uuid>,
) -> AppResult<Change<ticket::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = ticket::ActiveModel::default();
    let mut fields = Vec::new();
    check_assignee(&mut c, viewer, "assigneeId", assignee);
    let user = check_ref::<user::Entity>(db, viewer, &mut c, "assigneeId", assignee).await?;
    if user.as_ref().is_some_and(|u| !u.active) {
        c.push("assigneeId", ErrorCode::InvalidState, "the user is not active");
    }
    set_field!(row, fields, assignee_id, "assigneeId", user.map(|u| u.id));
    if current.status == TicketStatus::Open {
        set_field!(row, fields, status, "status", TicketStatus::InProgress);
    }
    Ok(c.finish((row, fields)))
}

/// Resolves `current` with `resolution`: records the solution and when.
pub async fn resolve(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &ticket::Model,
    resolution: String,
) -> AppResult<Change<ticket::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = ticket::ActiveModel::default();
    let mut fields = Vec::new();
    if matches!(current.status, TicketStatus::Resolved | TicketStatus::Closed) {
        c.push("id", ErrorCode::InvalidState, "the ticket is already resolved or closed");
    }
    let ts = now();
    set_field!(row, fields, resolution, "resolution", Some(c.name("resolution", &resolution, 20_000)));
    set_field!(row, fields, status, "status", TicketStatus::Resolved);
    set_field!(row, fields, resolved_at, "resolvedAt", Some(ts));
    if current.first_response_at.is_none() {
        set_field!(row, fields, first_response_at, "firstResponseAt", Some(ts));
    }
    Ok(c.finish((row, fields)))
}

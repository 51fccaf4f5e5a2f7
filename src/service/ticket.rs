//! Service tickets: opening one (numbered `T` + date + sequence), changing it, assigning
//! and resolving it.

use super::record::{Change, Checked, check_ref};
use super::reference::{check_assignee, same_customer};
use super::validate::{Checker, ErrorCode};
use super::{now, sequence, sla};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::set_field;
use entity::enums::{ResolutionOutcome, TicketPriority, TicketStatus, ValueTier};
use entity::{contact, customer, ticket, user};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use uuid::Uuid;

/// In the new ticket's transaction: its opening goes into the status history, and a
/// complaint makes its customer a complainant.
pub async fn after_create(txn: &sea_orm::DatabaseTransaction, viewer: &Viewer, saved: &ticket::Model) -> AppResult<()> {
    sla::tickets::record_move(txn, saved.id, Some(viewer.user_id), None, saved.status, saved.opened_at).await?;
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
    let customer_id = customer.as_ref().map(|m| m.id).unwrap_or_default();
    let contact = check_ref::<contact::Entity>(db, viewer, &mut c, "contactId", new.contact_id).await?;
    same_customer(&mut c, "contactId", customer_id, contact.as_ref().map(|m| m.customer_id));
    check_assignee(&mut c, viewer, "assigneeId", new.assignee_id);
    let mut assignee =
        check_ref::<user::Entity>(db, viewer, &mut c, "assigneeId", new.assignee_id).await?.map(|u| u.id);
    let ts = now();
    let priority = new.priority.unwrap_or(TicketPriority::Normal);
    let tier = customer.as_ref().and_then(|m| m.value_tier);
    let due = sla::current(db).await?.policy.due(ts, priority, tier);
    // An URGENT ticket of a HIGH-value customer goes to senior service staff.
    if assignee.is_none() && priority == TicketPriority::Urgent && tier == Some(ValueTier::High) {
        assignee = sla::tickets::senior_assignee(db).await?;
    }
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
        assignee_id: Set(assignee),
        subject: Set(subject),
        description: Set(description),
        category: Set(new.category),
        priority: Set(priority),
        status: Set(TicketStatus::Open),
        opened_at: Set(ts),
        first_response_at: Set(None),
        resolved_at: Set(None),
        due_at: Set(new.due_at.or(due.map(|d| d.resolution))),
        resolution: Set(None),
        first_response_due_at: Set(due.map(|d| d.first_response)),
        resolution_due_at: Set(due.map(|d| d.resolution)),
        first_response_breached: Set(false),
        resolution_breached: Set(false),
        sla_tier: Set(Some(sla::tickets::tier_code(tier))),
        resolution_outcome: Set(None),
        reopen_count: Set(0),
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
    if let Some(v) = patch.priority
        && v != current.priority
    {
        set_field!(row, fields, priority, "priority", v);
        // New targets from the opening time, for the customer's tier now.
        let tier = customer::Entity::find_by_id(current.customer_id).one(db).await?.and_then(|m| m.value_tier);
        let due = sla::current(db).await?.policy.due(current.opened_at, v, tier);
        set_due(&mut row, &mut fields, current, due, tier, now());
    }
    if let Some(status) = patch.status {
        if status == S::Resolved {
            c.push("status", ErrorCode::Invalid, "resolve a ticket with resolveTicket");
        }
        if status != current.status {
            if current.first_response_at.is_none() && status != S::Open {
                first_response(&mut row, &mut fields, current, now());
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
    set_field!(row, fields, resolution_outcome, "resolutionOutcome", None);
    if sla::tickets::late(current.resolution_due_at, ts) {
        set_field!(row, fields, resolution_breached, "resolutionBreached", true);
    }
    if current.first_response_at.is_none() {
        first_response(&mut row, &mut fields, current, ts);
    }
    Ok(c.finish((row, fields)))
}

/// Reopens a resolved or closed ticket: back to work (IN_PROGRESS when assigned, else
/// OPEN), the resolution's outcome REOPENED, counted.
pub async fn reopen(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &ticket::Model,
    reason: String,
) -> AppResult<Change<ticket::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = ticket::ActiveModel::default();
    let mut fields = Vec::new();
    if !matches!(current.status, TicketStatus::Resolved | TicketStatus::Closed) {
        c.push("id", ErrorCode::InvalidState, "only a resolved or closed ticket can be reopened");
    }
    let reason = c.name("reason", &reason, 2_000);
    let status = if current.assignee_id.is_some() { TicketStatus::InProgress } else { TicketStatus::Open };
    set_field!(row, fields, status, "status", status);
    set_field!(row, fields, resolved_at, "resolvedAt", None);
    set_field!(row, fields, resolution_outcome, "resolutionOutcome", Some(ResolutionOutcome::Reopened));
    set_field!(row, fields, reopen_count, "reopenCount", current.reopen_count + 1);
    let note = format!("{}\n[reopened] {reason}", current.resolution.as_deref().unwrap_or_default());
    set_field!(row, fields, resolution, "resolution", Some(note.trim_start().to_owned()));
    Ok(c.finish((row, fields)))
}

/// The customer confirmed the resolution: the ticket closes, outcome CONFIRMED.
pub async fn confirm(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &ticket::Model,
    _: (),
) -> AppResult<Change<ticket::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = ticket::ActiveModel::default();
    let mut fields = Vec::new();
    if current.status != TicketStatus::Resolved {
        c.push("id", ErrorCode::InvalidState, "only a resolved ticket's resolution can be confirmed");
    }
    set_field!(row, fields, status, "status", TicketStatus::Closed);
    set_field!(row, fields, resolution_outcome, "resolutionOutcome", Some(ResolutionOutcome::Confirmed));
    Ok(c.finish((row, fields)))
}

/// Records the first response at `at`, and whether it was late.
fn first_response(
    row: &mut ticket::ActiveModel,
    fields: &mut Vec<&'static str>,
    current: &ticket::Model,
    at: chrono::DateTime<chrono::Utc>,
) {
    set_field!(row, fields, first_response_at, "firstResponseAt", Some(at));
    if sla::tickets::late(current.first_response_due_at, at) {
        set_field!(row, fields, first_response_breached, "firstResponseBreached", true);
    }
}

/// New due times `due` for a ticket whose customer is in `tier`, with the breaches they
/// imply as of `at` for what has not happened yet.
pub fn set_due(
    row: &mut ticket::ActiveModel,
    fields: &mut Vec<&'static str>,
    current: &ticket::Model,
    due: Option<sla::Due>,
    tier: Option<ValueTier>,
    at: chrono::DateTime<chrono::Utc>,
) {
    let first = due.map(|d| d.first_response);
    let resolution = due.map(|d| d.resolution);
    set_field!(row, fields, first_response_due_at, "firstResponseDueAt", first);
    set_field!(row, fields, resolution_due_at, "resolutionDueAt", resolution);
    set_field!(row, fields, sla_tier, "slaTier", Some(sla::tickets::tier_code(tier)));
    let first_at = current.first_response_at.unwrap_or(at);
    set_field!(row, fields, first_response_breached, "firstResponseBreached", sla::tickets::late(first, first_at));
    let resolved_at = current.resolved_at.unwrap_or(at);
    set_field!(row, fields, resolution_breached, "resolutionBreached", sla::tickets::late(resolution, resolved_at));
}

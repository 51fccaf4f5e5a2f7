//! Inputs of tickets and the service-desk actions.

use super::*;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::patch;
use crate::graphql::types::enums::{TicketCategory, TicketPriority, TicketStatus};
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::{Checker, ErrorCode};
use crate::service::{now, sequence};
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};
use entity::{contact, customer, ticket, user};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

enum_filter!(TicketCategoryFilter, TicketCategory, entity::enums::TicketCategory);
enum_filter!(TicketPriorityFilter, TicketPriority, entity::enums::TicketPriority);
enum_filter!(TicketStatusFilter, TicketStatus, entity::enums::TicketStatus);

record_filter! {
    /// Conditions on tickets.
    TicketFilter for ticket as "Ticket" {
        id: IdFilter => Id("Ticket"),
        code: StringFilter => Code,
        customer_id: IdFilter => CustomerId("Customer"),
        contact_id: IdFilter => ContactId("Contact"),
        assignee_id: IdFilter => AssigneeId("User"),
        subject: StringFilter => Subject,
        category: TicketCategoryFilter => Category,
        priority: TicketPriorityFilter => Priority,
        status: TicketStatusFilter => Status,
        opened_at: DateTimeFilter => OpenedAt,
        first_response_at: DateTimeFilter => FirstResponseAt,
        resolved_at: DateTimeFilter => ResolvedAt,
        due_at: DateTimeFilter => DueAt,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (ticket::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
}

record_order!(TicketOrder, TicketOrderField for ticket as "Ticket", default OpenedAt Desc {
    OpenedAt => OpenedAt,
    Code => Code,
    UpdatedAt => UpdatedAt,
});

lifecycle_inputs!(DeleteTicketInput, RestoreTicketInput);

/// A service request to open.
#[derive(InputObject, Debug, Clone)]
pub struct CreateTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub contact_id: Option<ID>,
    pub subject: String,
    pub description: Option<String>,
    pub category: TicketCategory,
    /// NORMAL when left out.
    pub priority: Option<TicketPriority>,
    pub due_at: Option<DateTime<Utc>>,
    pub assignee_id: Option<ID>,
}

impl CreateTicketInput {
    /// The row to insert (numbered `T` + date + sequence), or the field errors.
    pub async fn into_row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<ticket::ActiveModel>> {
        let mut c = Checker::default();
        let customer = check_ref::<customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            opt_id(Some(&self.customer_id), "Customer"),
        )
        .await?;
        let customer_id = customer.map(|m| m.id).unwrap_or_default();
        let contact =
            check_ref::<contact::Entity>(db, viewer, &mut c, "contactId", opt_id(self.contact_id.as_ref(), "Contact"))
                .await?;
        same_customer(&mut c, "contactId", customer_id, contact.as_ref().map(|m| m.customer_id));
        let assignee = opt_id(self.assignee_id.as_ref(), "User");
        check_assignee(&mut c, viewer, "assigneeId", assignee);
        let assignee = check_ref::<user::Entity>(db, viewer, &mut c, "assigneeId", assignee).await?;
        let ts = now();
        let subject = c.name("subject", &self.subject, 300);
        let description = c.long_text("description", self.description.as_deref(), 20_000);
        if self.due_at.is_some_and(|d| d < ts) {
            c.push("dueAt", ErrorCode::Invalid, "dueAt cannot be in the past");
        }
        if !c.is_clean() {
            return Ok(Err(c.errors));
        }
        let row = ticket::ActiveModel {
            code: Set(sequence::next_code(db, "T", ts.date_naive()).await?),
            customer_id: Set(customer_id),
            contact_id: Set(contact.map(|m| m.id)),
            assignee_id: Set(assignee.map(|u| u.id)),
            subject: Set(subject),
            description: Set(description),
            category: Set(self.category.into()),
            priority: Set(self.priority.map_or(entity::enums::TicketPriority::Normal, Into::into)),
            status: Set(entity::enums::TicketStatus::Open),
            opened_at: Set(ts),
            first_response_at: Set(None),
            resolved_at: Set(None),
            due_at: Set(self.due_at),
            resolution: Set(None),
            ..entity::record::new_row::<entity::ticket::Entity>(ts)
        };
        Ok(Ok(row))
    }
}

/// Changes to a ticket (assign with `assignTicket`, resolve with `resolveTicket`).
#[derive(InputObject, Debug, Clone)]
pub struct UpdateTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub subject: Option<String>,
    pub description: MaybeUndefined<String>,
    pub category: Option<TicketCategory>,
    pub priority: Option<TicketPriority>,
    /// OPEN, IN_PROGRESS, WAITING or CLOSED; RESOLVED goes through `resolveTicket`.
    pub status: Option<TicketStatus>,
    pub due_at: MaybeUndefined<DateTime<Utc>>,
}

impl UpdateTicketInput {
    /// The change to write.
    pub fn change(self, current: &ticket::Model) -> Change<ticket::ActiveModel> {
        use entity::enums::TicketStatus as S;
        let mut c = Checker::default();
        let mut row = ticket::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.subject {
            set_field!(row, fields, subject, "subject", c.name("subject", v, 300));
        }
        if let Some(v) = patch(self.description, |v| v) {
            set_field!(row, fields, description, "description", c.long_text("description", v.as_deref(), 20_000));
        }
        if let Some(v) = self.category {
            set_field!(row, fields, category, "category", v.into());
        }
        if let Some(v) = self.priority {
            set_field!(row, fields, priority, "priority", v.into());
        }
        if let Some(v) = self.status {
            let status: S = v.into();
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
        if let Some(v) = patch(self.due_at, |v| v) {
            set_field!(row, fields, due_at, "dueAt", v);
        }
        c.finish((row, fields))
    }
}

/// Gives a ticket to a user (or takes it back with `assigneeId: null`).
#[derive(InputObject, Debug, Clone)]
pub struct AssignTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub assignee_id: Option<ID>,
}

impl AssignTicketInput {
    /// The change to write.
    pub async fn change(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
        current: &ticket::Model,
    ) -> AppResult<Change<ticket::ActiveModel>> {
        let mut c = Checker::default();
        let mut row = ticket::ActiveModel::default();
        let mut fields = Vec::new();
        let assignee = opt_id(self.assignee_id.as_ref(), "User");
        check_assignee(&mut c, viewer, "assigneeId", assignee);
        let user = check_ref::<user::Entity>(db, viewer, &mut c, "assigneeId", assignee).await?;
        if user.as_ref().is_some_and(|u| !u.active) {
            c.push("assigneeId", ErrorCode::InvalidState, "the user is not active");
        }
        set_field!(row, fields, assignee_id, "assigneeId", user.map(|u| u.id));
        if current.status == entity::enums::TicketStatus::Open {
            set_field!(row, fields, status, "status", entity::enums::TicketStatus::InProgress);
        }
        Ok(c.finish((row, fields)))
    }
}

/// Resolves a ticket: records the solution and when.
#[derive(InputObject, Debug, Clone)]
pub struct ResolveTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub resolution: String,
}

impl ResolveTicketInput {
    /// The change to write.
    pub fn change(self, current: &ticket::Model) -> Change<ticket::ActiveModel> {
        use entity::enums::TicketStatus as S;
        let mut c = Checker::default();
        let mut row = ticket::ActiveModel::default();
        let mut fields = Vec::new();
        if matches!(current.status, S::Resolved | S::Closed) {
            c.push("id", ErrorCode::InvalidState, "the ticket is already resolved or closed");
        }
        let ts = now();
        set_field!(row, fields, resolution, "resolution", Some(c.name("resolution", &self.resolution, 20_000)));
        set_field!(row, fields, status, "status", S::Resolved);
        set_field!(row, fields, resolved_at, "resolvedAt", Some(ts));
        if current.first_response_at.is_none() {
            set_field!(row, fields, first_response_at, "firstResponseAt", Some(ts));
        }
        c.finish((row, fields))
    }
}

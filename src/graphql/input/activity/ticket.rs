//! Inputs of tickets and the service-desk actions.

use super::opt_id;
use crate::graphql::input::patch;
use crate::graphql::types::enums::{TicketCategory, TicketPriority, TicketStatus};
use crate::service::ticket::{NewTicket, TicketPatch};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

enum_filter!(TicketCategoryFilter, TicketCategory, entity::enums::TicketCategory);
enum_filter!(TicketPriorityFilter, TicketPriority, entity::enums::TicketPriority);
enum_filter!(TicketStatusFilter, TicketStatus, entity::enums::TicketStatus);

pub use crate::graphql::types::activity::{TicketFilter, TicketOrder, TicketOrderField};

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

/// Gives a ticket to a user (or takes it back with `assigneeId: null`).
#[derive(InputObject, Debug, Clone)]
pub struct AssignTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub assignee_id: Option<ID>,
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

impl From<CreateTicketInput> for NewTicket {
    fn from(input: CreateTicketInput) -> Self {
        Self {
            customer_id: opt_id(Some(&input.customer_id), "Customer"),
            contact_id: opt_id(input.contact_id.as_ref(), "Contact"),
            subject: input.subject,
            description: input.description,
            category: input.category.into(),
            priority: input.priority.map(Into::into),
            due_at: input.due_at,
            assignee_id: opt_id(input.assignee_id.as_ref(), "User"),
        }
    }
}

impl From<UpdateTicketInput> for TicketPatch {
    fn from(input: UpdateTicketInput) -> Self {
        Self {
            subject: input.subject,
            description: patch(input.description, |v| v),
            category: input.category.map(Into::into),
            priority: input.priority.map(Into::into),
            status: input.status.map(Into::into),
            due_at: patch(input.due_at, |v| v),
        }
    }
}

/// The assignee a ticket is given (`None`: taken back).
impl From<AssignTicketInput> for Option<uuid::Uuid> {
    fn from(input: AssignTicketInput) -> Self {
        opt_id(input.assignee_id.as_ref(), "User")
    }
}

/// The resolution text.
impl From<ResolveTicketInput> for String {
    fn from(input: ResolveTicketInput) -> Self {
        input.resolution
    }
}

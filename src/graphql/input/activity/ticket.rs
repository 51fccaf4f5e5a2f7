//! Inputs of tickets and the service-desk actions.

use super::opt_id;
use crate::graphql::types::enums::{TicketCategory, TicketPriority, TicketStatus};
use crate::service::ticket::{NewTicket, TicketPatch};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject};

enum_filter!(TicketCategoryFilter, TicketCategory, entity::enums::TicketCategory);
enum_filter!(TicketPriorityFilter, TicketPriority, entity::enums::TicketPriority);
enum_filter!(TicketStatusFilter, TicketStatus, entity::enums::TicketStatus);

pub use crate::graphql::types::activity::{TicketFilter, TicketOrder, TicketOrderField};

lifecycle_inputs!(DeleteTicketInput, RestoreTicketInput);

crate::service::ticket::ticket_inputs!();

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

/// Reopens a resolved or closed ticket (the customer says it is not solved).
#[derive(InputObject, Debug, Clone)]
pub struct ReopenTicketInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    /// Why: what the customer reported.
    pub reason: String,
}

/// The reason for reopening.
impl From<ReopenTicketInput> for String {
    fn from(input: ReopenTicketInput) -> Self {
        input.reason
    }
}

/// Records that the customer confirmed a resolved ticket's solution; the ticket closes.
#[derive(InputObject, Debug, Clone)]
pub struct ConfirmTicketResolutionInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
}

/// Nothing beyond the ticket.
impl From<ConfirmTicketResolutionInput> for () {
    fn from(_: ConfirmTicketResolutionInput) -> Self {}
}

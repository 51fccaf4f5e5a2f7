//! `Ticket`: an after-sales service request.

use crate::graphql::input::activity::{FeedbackFilter, FeedbackOrder};
use crate::graphql::input::activity::{TicketCategoryFilter, TicketPriorityFilter, TicketStatusFilter};
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{BooleanFilter, DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::marketing::{SurveyResponseFilter, SurveyResponseOrder};
use crate::graphql::loader::{TicketFeedback, TicketSurveyResponses};
use crate::graphql::types::all::{Contact, Customer, Feedback, SurveyResponse, User};
use crate::graphql::types::enums::{ResolutionOutcome, TicketCategory, TicketPriority, TicketStatus};
use entity::{customer, ticket};

crate::record! {
    /// An after-sales service request and its resolution.
    Ticket(ticket) {
        /// Human-readable number, `T` + date + sequence.
        code Code: Text, filter StringFilter, sort Code;
        subject Subject: Text, filter StringFilter;
        description Description: OptText guarded;
        category Category: Enum(TicketCategory), filter TicketCategoryFilter;
        priority Priority: Enum(TicketPriority), filter TicketPriorityFilter;
        status Status: Enum(TicketStatus), filter TicketStatusFilter;
        opened_at OpenedAt: DateTime, filter DateTimeFilter, sort OpenedAt;
        first_response_at FirstResponseAt: OptDateTime, filter DateTimeFilter;
        resolved_at ResolvedAt: OptDateTime, filter DateTimeFilter;
        due_at DueAt: OptDateTime, filter DateTimeFilter;
        resolution Resolution: OptText guarded;
        /// When the first response is due under the SLA policy.
        first_response_due_at FirstResponseDueAt: OptDateTime, filter DateTimeFilter;
        /// When the resolution is due under the SLA policy.
        resolution_due_at ResolutionDueAt: OptDateTime, filter DateTimeFilter;
        /// The first response came, or is still missing, after its due time.
        first_response_breached FirstResponseBreached: Bool, filter BooleanFilter;
        /// The resolution came, or is still missing, after its due time.
        resolution_breached ResolutionBreached: Bool, filter BooleanFilter;
        /// What became of the last resolution (`null` while none or awaiting the customer).
        resolution_outcome ResolutionOutcome: OptEnum(ResolutionOutcome);
        /// Times the ticket was reopened after a resolution.
        reopen_count ReopenCount: Int;
    }
    references {
        assignee assignee_id: User(user) optional;
        customer customer_id: Customer(customer);
        contact contact_id: Contact(contact) optional;
    }
    /// Conditions on tickets.
    filter TicketFilter {
        id: IdFilter => Id("Ticket"),
        customer_id: IdFilter => CustomerId("Customer"),
        contact_id: IdFilter => ContactId("Contact"),
        assignee_id: IdFilter => AssigneeId("User"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (ticket::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
    custom {
        custom_field: crate::graphql::types::custom_field::CustomFieldFilter
            => crate::graphql::types::custom_field::ticket_custom_field,
    }
    order TicketOrder(TicketOrderField), default OpenedAt Desc, custom fields of Ticket {
        UpdatedAt => UpdatedAt,
    }
    resolvers {
        /// Either service level was missed.
        async fn breached(&self) -> bool {
            self.0.first_response_breached || self.0.resolution_breached
        }
        /// From opening to the first response (`null` until then).
        async fn time_to_first_response(&self) -> Option<crate::graphql::types::sla::IsoDuration> {
            self.0.first_response_at.map(|at| crate::graphql::types::sla::IsoDuration(at - self.0.opened_at))
        }
        /// From opening to the resolution (`null` until resolved).
        async fn time_to_resolution(&self) -> Option<crate::graphql::types::sla::IsoDuration> {
            self.0.resolved_at.map(|at| crate::graphql::types::sla::IsoDuration(at - self.0.opened_at))
        }
        /// Every status move, oldest first: who moved it from what to what, when.
        async fn history(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<Vec<crate::graphql::types::sla::TicketStatusChange>> {
            crate::graphql::types::sla::history(ctx, self.0.id).await
        }
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> TicketLists {
            TicketLists(self.0.id)
        }
        /// Custom fields.
        #[graphql(flatten)]
        async fn custom(&self) -> crate::graphql::types::custom_field::CustomFields {
            crate::graphql::types::custom_field::CustomFields::of(entity::enums::CustomRecordType::Ticket, &self.0.custom_fields)
        }
    }
}

crate::lists! {
    /// The nested lists of `Ticket`, flattened into it.
    TicketLists {
        /// Feedback about this ticket.
        feedback: TicketFeedback => Feedback(FeedbackFilter, FeedbackOrder);
        /// Survey responses about this ticket.
        survey_responses: TicketSurveyResponses => SurveyResponse(SurveyResponseFilter, SurveyResponseOrder);
    }
}

//! `Ticket`: an after-sales service request.

use crate::graphql::input::activity::{FeedbackFilter, FeedbackOrder};
use crate::graphql::input::activity::{TicketCategoryFilter, TicketPriorityFilter, TicketStatusFilter};
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::marketing::{SurveyResponseFilter, SurveyResponseOrder};
use crate::graphql::loader::{TicketFeedback, TicketSurveyResponses};
use crate::graphql::types::all::{Contact, Customer, Feedback, SurveyResponse, User};
use crate::graphql::types::enums::{TicketCategory, TicketPriority, TicketStatus};
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

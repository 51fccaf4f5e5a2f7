//! `Feedback`: praise, a suggestion or a complaint.

use super::Ticket;
use crate::graphql::input::activity::{FeedbackKindFilter, SentimentFilter};
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::types::all::Customer;
use crate::graphql::types::enums::{FeedbackKind, Sentiment};
use entity::{customer, feedback};

crate::record! {
    /// Praise, a suggestion or a complaint (反馈).
    Feedback(feedback) {
        kind Kind: Enum(FeedbackKind), filter FeedbackKindFilter;
        sentiment Sentiment: Enum(Sentiment), filter SentimentFilter;
        content Content: Text guarded, filter StringFilter;
        /// Where it came in (phone, email, app review …).
        source Source: OptText, filter StringFilter;
        received_at ReceivedAt: DateTime, filter DateTimeFilter, sort ReceivedAt;
    }
    references {
        customer customer_id: Customer(customer);
        ticket ticket_id: Ticket(ticket) optional;
    }
    /// Conditions on feedback.
    filter FeedbackFilter {
        id: IdFilter => Id("Feedback"),
        customer_id: IdFilter => CustomerId("Customer"),
        ticket_id: IdFilter => TicketId("Ticket"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (feedback::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
    order FeedbackOrder(FeedbackOrderField), default ReceivedAt Desc {
        CreatedAt => CreatedAt,
    }
    resolvers {}
}

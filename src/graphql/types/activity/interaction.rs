//! `Interaction`: a communication record.

use super::Deal;
use crate::graphql::input::activity::InteractionChannelFilter;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::types::all::{Contact, Customer, Ticket, User};
use crate::graphql::types::enums::Channel;
use entity::{customer, interaction};

crate::record! {
    /// A communication record (沟通记录): a call, mail, meeting, chat or visit.
    Interaction(interaction) {
        channel Channel: Enum(Channel), filter InteractionChannelFilter;
        occurred_at OccurredAt: DateTime, filter DateTimeFilter, sort OccurredAt;
        summary Summary: Text guarded, filter StringFilter;
        outcome Outcome: OptText guarded;
        next_step NextStep: OptText guarded;
        next_follow_up_at NextFollowUpAt: OptDateTime, filter DateTimeFilter;
    }
    references {
        /// Who talked to the customer.
        user user_id: User(user);
        customer customer_id: Customer(customer);
        contact contact_id: Contact(contact) optional;
        deal deal_id: Deal(deal) optional;
        /// The service ticket this answers.
        ticket ticket_id: Ticket(ticket) optional;
    }
    /// Conditions on communication records.
    filter InteractionFilter {
        id: IdFilter => Id("Interaction"),
        customer_id: IdFilter => CustomerId("Customer"),
        contact_id: IdFilter => ContactId("Contact"),
        deal_id: IdFilter => DealId("Deal"),
        user_id: IdFilter => UserId("User"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (interaction::Column::CustomerId, customer::Entity, customer::Column::Id),
    }
    order InteractionOrder(InteractionOrderField), default OccurredAt Desc {
        CreatedAt => CreatedAt,
        UpdatedAt => UpdatedAt,
    }
    resolvers {}
}

//! `Contact`: a contact person at a customer.

use super::activity::{Interaction, Ticket};
use super::customer::Customer;
use super::enums::DecisionRole;
use crate::graphql::input::activity::*;
use crate::graphql::input::contact::DecisionRoleFilter;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{BooleanFilter, DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::loader::{ContactInteractions, ContactTickets};
use entity::contact::Column;

crate::record! {
    /// A contact person at a (usually company) customer.
    Contact(contact) {
        name Name: Text guarded_nonnull, filter StringFilter, sort Name;
        title Title: OptText, filter StringFilter;
        decision_role DecisionRole: OptEnum(DecisionRole), filter DecisionRoleFilter;
        /// E.164 phone number.
        phone Phone: OptText guarded, filter StringFilter;
        email Email: OptText guarded, filter StringFilter;
        /// The customer's main contact.
        is_primary IsPrimary: Bool, filter BooleanFilter;
        notes Notes: OptText guarded;
    }
    references {
        /// The customer this contact works for.
        customer customer_id: Customer(customer);
    }
    /// Conditions on contacts.
    filter ContactFilter {
        id: IdFilter => Id("Contact"),
        customer_id: IdFilter => CustomerId("Customer"),
        created_at: DateTimeFilter => CreatedAt,
        updated_at: DateTimeFilter => UpdatedAt,
    }
    related {
        customer: CustomerFilter => (Column::CustomerId, entity::customer::Entity, entity::customer::Column::Id),
    }
    custom {
        custom_field: crate::graphql::types::custom_field::CustomFieldFilter
            => crate::graphql::types::custom_field::contact_custom_field,
    }
    order ContactOrder(ContactOrderField), default CreatedAt Asc, custom fields of Contact {
        CreatedAt => CreatedAt,
        UpdatedAt => UpdatedAt,
    }
    resolvers {
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> ContactLists {
            ContactLists(self.0.id)
        }
        /// Custom fields.
        #[graphql(flatten)]
        async fn custom(&self) -> crate::graphql::types::custom_field::CustomFields {
            crate::graphql::types::custom_field::CustomFields::of(entity::enums::CustomRecordType::Contact, &self.0.custom_fields)
        }
    }
}

crate::lists! {
    /// The nested lists of `Contact`, flattened into it.
    ContactLists {
        /// Communication records with this contact.
        interactions: ContactInteractions => Interaction(InteractionFilter, InteractionOrder);
        /// Tickets this contact raised.
        tickets: ContactTickets => Ticket(TicketFilter, TicketOrder);
    }
}

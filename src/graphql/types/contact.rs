//! `Contact`: a contact person at a customer.

use super::activity::{Interaction, Ticket};
use super::customer::Customer;
use super::enums::DecisionRole;
use crate::graphql::input::activity::*;
use crate::graphql::loader::{ContactInteractions, ContactTickets};
use crate::graphql::policy;
use crate::graphql::relay::{One, RecordMeta, global_id, one};
use crate::meta;
use async_graphql::{Context, ID, Object, Result};
use entity::contact::Model;

/// A contact person at a (usually company) customer.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Contact(pub Model);

#[Object]
impl Contact {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Contact", self.0.id)
    }
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        policy::required_text(ctx, "Contact", "name", &self.0.name)
    }
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn decision_role(&self) -> Option<DecisionRole> {
        self.0.decision_role.map(Into::into)
    }
    /// E.164 phone number.
    async fn phone(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Contact", "phone", self.0.phone.as_deref())
    }
    async fn email(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Contact", "email", self.0.email.as_deref())
    }
    /// The customer's main contact.
    async fn is_primary(&self) -> bool {
        self.0.is_primary
    }
    async fn notes(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        policy::text(ctx, "Contact", "notes", self.0.notes.as_deref())
    }
    /// The customer this contact works for.
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    /// The nested lists.
    #[graphql(flatten)]
    async fn lists(&self) -> ContactLists {
        ContactLists(self.0.id)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
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

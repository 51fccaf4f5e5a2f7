//! `Contact`: a contact person at a customer.

use super::activity::{Interaction, Ticket};
use super::customer::Customer;
use super::enums::DecisionRole;
use crate::graphql::context;
use crate::graphql::input::activity::*;
use crate::graphql::loader::{ContactInteractions, ContactTickets};
use crate::graphql::policy;
use crate::graphql::relay::{Conn, One, RecordMeta, global_id, nested, one, page_args, page_complexity};
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
    /// Communication records with this contact.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn interactions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<InteractionFilter>,
        order_by: Option<Vec<InteractionOrder>>,
    ) -> Result<Conn<Interaction>> {
        nested::<ContactInteractions, _>(
            ctx,
            self.0.id,
            page_args(first, after, last, before),
            filter.map(|f| f.condition(context::viewer(ctx)?)).transpose()?,
            order_by.map(|o| InteractionOrder::spec(context::viewer(ctx)?, Some(o))).transpose()?,
            Interaction,
        )
        .await
    }
    /// Tickets this contact raised.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn tickets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TicketFilter>,
        order_by: Option<Vec<TicketOrder>>,
    ) -> Result<Conn<Ticket>> {
        nested::<ContactTickets, _>(
            ctx,
            self.0.id,
            page_args(first, after, last, before),
            filter.map(|f| f.condition(context::viewer(ctx)?)).transpose()?,
            order_by.map(|o| TicketOrder::spec(context::viewer(ctx)?, Some(o))).transpose()?,
            Ticket,
        )
        .await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

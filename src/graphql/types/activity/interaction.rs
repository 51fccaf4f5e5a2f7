//! `Interaction`: a communication record.

use super::Deal;
use crate::graphql::input::activity::InteractionChannelFilter;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::relay::{One, one};
use crate::graphql::types::all::{Contact, Customer, User};
use crate::graphql::types::enums::Channel;
use async_graphql::{Context, Result};
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
    resolvers {
        /// Who talked to the customer.
        async fn user(&self, ctx: &Context<'_>) -> Result<One<User>> {
            one::<entity::user::Entity, _>(ctx, Some(self.0.user_id), User).await
        }
        async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
            one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
        }
        async fn contact(&self, ctx: &Context<'_>) -> Result<One<Contact>> {
            one::<entity::contact::Entity, _>(ctx, self.0.contact_id, Contact).await
        }
        async fn deal(&self, ctx: &Context<'_>) -> Result<One<Deal>> {
            one::<entity::deal::Entity, _>(ctx, self.0.deal_id, Deal).await
        }
    }
}

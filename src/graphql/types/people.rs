//! `User` and `Team`.

use super::activity::{Deal, Ticket};
use super::customer::Customer;
use super::enums::Role;
use crate::graphql::context;
use crate::graphql::input::activity::{DealFilter, DealOrder, TicketFilter, TicketOrder};
use crate::graphql::input::customer::{CustomerFilter, CustomerOrder};
use crate::graphql::loader::{TeamMembers, UserCustomers, UserDeals, UserTickets};
use crate::graphql::relay::{Conn, One, RecordMeta, global_id, nested, one, page_args, page_complexity};
use crate::meta;
use async_graphql::{Context, ID, Object, Result};

/// A Clientele user.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct User(pub entity::user::Model);

#[Object]
impl User {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("User", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn email(&self, ctx: &Context<'_>) -> Result<String> {
        crate::graphql::policy::required_text(ctx, "User", "email", &self.0.email)
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn team(&self, ctx: &Context<'_>) -> Result<One<Team>> {
        one::<entity::team::Entity, _>(ctx, self.0.team_id, Team).await
    }
    /// Customers this user owns (those the caller may see).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<CustomerFilter>,
        order_by: Option<Vec<CustomerOrder>>,
    ) -> Result<Conn<Customer>> {
        let viewer = context::viewer(ctx)?;
        let filter = filter.map(|f| f.condition(viewer)).transpose()?;
        let order = order_by.map(|o| CustomerOrder::spec(viewer, Some(o))).transpose()?;
        nested::<UserCustomers, _>(ctx, self.0.id, page_args(first, after, last, before), filter, order, Customer).await
    }
    /// Deals this user owns.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn deals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<DealFilter>,
        order_by: Option<Vec<DealOrder>>,
    ) -> Result<Conn<Deal>> {
        let viewer = context::viewer(ctx)?;
        let filter = filter.map(|f| f.condition(viewer)).transpose()?;
        let order = order_by.map(|o| DealOrder::spec(viewer, Some(o))).transpose()?;
        nested::<UserDeals, _>(ctx, self.0.id, page_args(first, after, last, before), filter, order, Deal).await
    }
    /// Tickets assigned to this user.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn assigned_tickets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TicketFilter>,
        order_by: Option<Vec<TicketOrder>>,
    ) -> Result<Conn<Ticket>> {
        let viewer = context::viewer(ctx)?;
        let filter = filter.map(|f| f.condition(viewer)).transpose()?;
        let order = order_by.map(|o| TicketOrder::spec(viewer, Some(o))).transpose()?;
        nested::<UserTickets, _>(ctx, self.0.id, page_args(first, after, last, before), filter, order, Ticket).await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

/// A sales or service team.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Team(pub entity::team::Model);

#[Object]
impl Team {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Team", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The team's users, by name.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<User>> {
        nested::<TeamMembers, _>(ctx, self.0.id, page_args(first, after, last, before), None, None, User).await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

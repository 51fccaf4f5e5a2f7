//! `User` and `Team`.

use super::activity::{Deal, Ticket};
use super::customer::Customer;
use super::enums::Role;
use crate::graphql::input::activity::{DealFilter, DealOrder, TicketFilter, TicketOrder};
use crate::graphql::input::customer::{CustomerFilter, CustomerOrder};
use crate::graphql::loader::{TeamMembers, UserCustomers, UserDeals, UserTickets};
use crate::graphql::relay::{Conn, RecordMeta, global_id, nested, page_args, page_complexity};
use crate::meta;
use async_graphql::{Context, ID, Object, Result};

crate::record! {
    /// A Clientele user.
    User(user) {
        name Name: Text;
        email Email: Text guarded_nonnull;
        role Role: Enum(Role);
        active Active: Bool;
        /// Senior service staff: URGENT tickets of HIGH-value customers are routed to them.
        senior Senior: Bool;
    }
    references {
        team team_id: Team(team) optional;
    }
    resolvers {
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> UserLists {
            UserLists(self.0.id)
        }
    }
}

crate::lists! {
    /// The nested lists of `User`, flattened into it.
    UserLists {
        /// Customers this user owns (those the caller may see).
        customers: UserCustomers => Customer(CustomerFilter, CustomerOrder);
        /// Deals this user owns.
        deals: UserDeals => Deal(DealFilter, DealOrder);
        /// Tickets assigned to this user.
        assigned_tickets: UserTickets => Ticket(TicketFilter, TicketOrder);
    }
}

/// A sales or service team (its `members` connection takes a complexity expression, which
/// `record!`'s hygiene would hide from async-graphql, so it is written out).
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

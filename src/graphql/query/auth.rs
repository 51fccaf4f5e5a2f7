//! `users`, `teams` and `apiKeys`.

use crate::graphql::context;
use crate::graphql::relay::{Conn, TotalCount, connection, page_args, page_complexity};
use crate::graphql::types::all::{Team, User};
use crate::graphql::types::auth::ApiKey;
use crate::service::{api_key, record};
use async_graphql::{Context, Object, Result};
use entity::{team, user};
use sea_orm::Order;

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// Users, by name (staff; partners see none).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        #[graphql(default)] include_deleted: bool,
    ) -> Result<Conn<User>> {
        let viewer = context::viewer(ctx)?;
        let order = crate::service::page::by(&[(user::Column::Name, Order::Asc)]);
        let args = page_args(first, after, last, before);
        let (page, count) =
            record::list::<user::Entity>(context::db(ctx)?, viewer, None, &order, &args, include_deleted).await?;
        Ok(connection(page, TotalCount::Statement(Box::new(count)), User))
    }

    /// Teams, by name.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn teams(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<Team>> {
        let viewer = context::viewer(ctx)?;
        let order = crate::service::page::by(&[(team::Column::Name, Order::Asc)]);
        let args = page_args(first, after, last, before);
        let (page, count) = record::list::<team::Entity>(context::db(ctx)?, viewer, None, &order, &args, false).await?;
        Ok(connection(page, TotalCount::Statement(Box::new(count)), Team))
    }

    /// API keys without their secrets, newest first (admins).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<ApiKey>> {
        let viewer = context::viewer(ctx)?;
        let (page, count) = api_key::list(context::db(ctx)?, viewer, &page_args(first, after, last, before)).await?;
        Ok(connection(page, TotalCount::Statement(Box::new(count)), ApiKey))
    }
}

//! `viewer`: the signed-in user.

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::relay::one;
use crate::graphql::types::all::User;
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The user the request is authenticated as.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<User> {
        let viewer = context::viewer(ctx)?;
        let user = one::<entity::user::Entity, _>(ctx, Some(viewer.user_id), User).await?;
        Ok(user.ok_or(AppError::Unauthenticated)?.0)
    }
}

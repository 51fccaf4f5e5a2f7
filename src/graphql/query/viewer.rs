//! `viewer`: the signed-in user.

use crate::graphql::context;
use crate::graphql::types::user::User;
use async_graphql::{Context, Object, Result};

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// The user the request is authenticated as.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<User> {
        let viewer = context::viewer(ctx)?;
        let user = context::loaders(ctx)?.users.load_one(viewer.user_id).await?;
        Ok(user.map(User).ok_or(crate::error::AppError::Unauthenticated)?)
    }
}

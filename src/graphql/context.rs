//! Typed access to what every request carries: the viewer, the database, the loaders.

use super::loader::Loaders;
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use async_graphql::Context;
use sea_orm::DatabaseConnection;

/// The authenticated caller, or `UNAUTHENTICATED`.
pub fn viewer<'a>(ctx: &Context<'a>) -> AppResult<&'a Viewer> {
    ctx.data_opt::<Option<Viewer>>().and_then(Option::as_ref).ok_or(AppError::Unauthenticated)
}

/// The database pool.
pub fn db<'a>(ctx: &Context<'a>) -> AppResult<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>().map_err(|_| AppError::internal("database missing from schema data"))
}

/// This request's loaders.
pub fn loaders<'a>(ctx: &Context<'a>) -> AppResult<&'a Loaders> {
    ctx.data::<Loaders>().map_err(|_| AppError::internal("loaders missing from request data"))
}

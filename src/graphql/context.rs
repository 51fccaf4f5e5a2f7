//! Typed access to what every request carries: the viewer, the database, the loaders.

use super::loader::Loaders;
use crate::auth::Viewer;
use crate::auth::gate::Gate;
use crate::error::{AppError, AppResult};
use async_graphql::Context;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// The authenticated caller, or `UNAUTHENTICATED`. While the request's [`Gate`] waits
/// (the viewer is a guess), asking closes it: only code that confirms the credential in
/// its own write may act as a guessed viewer ([`gated_viewer`]).
pub fn viewer<'a>(ctx: &Context<'a>) -> AppResult<&'a Viewer> {
    let (viewer, gate) = gated_viewer(ctx)?;
    if let Some(gate) = gate {
        gate.close();
        return Err(AppError::Unauthenticated);
    }
    Ok(viewer)
}

/// The caller, with the request's gate while it waits: the caller must confirm the
/// credential before it writes or answers anything as that viewer (see
/// [`crate::auth::gate`]).
pub fn gated_viewer<'a>(ctx: &Context<'a>) -> AppResult<(&'a Viewer, Option<&'a Gate>)> {
    let viewer = ctx.data_opt::<Option<Viewer>>().and_then(Option::as_ref).ok_or(AppError::Unauthenticated)?;
    let gate = ctx.data_opt::<Arc<Gate>>().map(Arc::as_ref).filter(|g| !g.passed());
    Ok((viewer, gate))
}

/// The database pool.
pub fn db<'a>(ctx: &Context<'a>) -> AppResult<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>().map_err(|_| AppError::internal("database missing from schema data"))
}

/// This request's loaders (which load as the viewer: refused, closing the gate, while the
/// viewer is an unconfirmed guess).
pub fn loaders<'a>(ctx: &Context<'a>) -> AppResult<&'a Loaders> {
    if let Some(gate) = ctx.data_opt::<Arc<Gate>>().filter(|g| !g.passed()) {
        gate.close();
        return Err(AppError::Unauthenticated);
    }
    ctx.data::<Loaders>().map_err(|_| AppError::internal("loaders missing from request data"))
}

/// Whether reports read the dashboard summaries (the `summaries` speed path).
pub fn summaries(ctx: &Context<'_>) -> crate::service::report::summary::Reads {
    ctx.data_opt::<crate::service::report::summary::Reads>()
        .copied()
        .unwrap_or(crate::service::report::summary::Reads(false))
}

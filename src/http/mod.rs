//! HTTP: the router, its middleware and the shared application state.

pub mod answer;
pub mod budget;
pub mod graphql;
pub mod health;
pub mod request;
pub mod request_id;
pub mod tls;

use crate::auth::jwt::JwtKeys;
use crate::graphql::AppSchema;
use crate::metrics::Metrics;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub db: DatabaseConnection,
    /// The GraphQL schema.
    pub schema: AppSchema,
    /// Token verification keys.
    pub jwt: Arc<JwtKeys>,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
    /// Serve GraphiQL to browsers.
    pub graphiql: bool,
    /// The outside identity provider, if configured.
    pub external: Option<Arc<crate::auth::external::ExternalKeys>>,
    /// Login throttling.
    pub throttle: Arc<crate::auth::throttle::LoginThrottle>,
    /// Recent credential → viewer guesses that let a read start before its check ends.
    pub hints: Arc<crate::auth::hints::ViewerHints>,
    /// Direct answers' settings: the complexity limit, documents validated so far.
    pub direct: Arc<crate::graphql::direct::Settings>,
    /// Cost budgets per credential (rate limits).
    pub budget: Arc<budget::Budget>,
    /// The document checks' verdicts, kept per query text.
    pub verdicts: Arc<crate::graphql::verdicts::Verdicts>,
    /// Parsed documents, kept per query text.
    pub documents: Arc<crate::engine::documents::Documents>,
    /// The speed paths on (`CLIENTELE_FAST_PATHS`).
    pub fast: crate::fast_paths::FastPaths,
    /// Longest a GraphQL request may take.
    pub request_timeout: std::time::Duration,
    /// The audit of personal-data reads: the queue its writer stores.
    pub access: crate::service::access_log::AccessLog,
}

/// All routes with their middleware.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    Router::new()
        .route("/graphql", get(graphql::get_graphql).post(graphql::post_graphql))
        .route("/graphiql", get(graphql::graphiql))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/schema.graphql", get(health::schema_sdl))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), request_id::middleware))
        .with_state(state)
}

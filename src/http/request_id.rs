//! A request id for every request: taken from a well-formed `x-request-id` header or made
//! anew, echoed in the response header, attached to every log line of the request and
//! (through the GraphQL layer) to `extensions.requestId`.

use super::AppState;
use crate::metrics::RequestLabels;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The request id of the request being served on this task, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

fn well_formed(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Middleware: assigns the id, logs the request, counts it.
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| well_formed(v))
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_string);
    let route = match request.uri().path() {
        p @ ("/graphql" | "/graphiql" | "/healthz" | "/readyz" | "/metrics" | "/schema.graphql") => p.to_string(),
        _ => "other".to_string(),
    };
    let span = tracing::info_span!("request", request_id = %id, method = %request.method(), route = %route);
    let started = Instant::now();
    let mut response = REQUEST_ID.scope(id.clone(), next.run(request).instrument(span.clone())).await;
    let status = response.status().as_u16();
    span.in_scope(|| tracing::info!(status, elapsed_ms = started.elapsed().as_secs_f64() * 1000.0, "served"));
    state.metrics.requests.get_or_create(&RequestLabels { route, status }).inc();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

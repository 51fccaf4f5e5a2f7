//! `/graphql`: one JSON request per POST, queries over GET, GraphiQL for browsers.
//!
//! Why not async-graphql-axum's stock extractor: it accepts batch arrays of any length,
//! runs mutations sent over GET and parses any content type (even `text/plain`, a CSRF
//! vector) as JSON. Here POST needs `application/json`, batches are refused, GET runs
//! queries only, and the body is read under the router's size limit.

use super::AppState;
use super::request::{Method, run};
use async_graphql::http::GraphiQLSource;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::net::SocketAddr;
use std::pin::Pin;

/// `POST /graphql`.
pub async fn post_graphql(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    if !json {
        return error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "BAD_USER_INPUT", "Content-Type must be application/json");
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return error(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", "batch requests are not supported");
    }
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &format!("invalid GraphQL request: {e}")),
    };
    within_time(&state, Box::pin(run(&state, &headers, peer, request, Method::Post))).await
}

/// Answers with `run` unless it takes longer than the request timeout. A request
/// stopped there drops its future: its transaction, if any, rolls back (`engine::rows`).
///
/// `run` comes boxed: the handler's future stays small, and moving it copies a pointer
/// (built in place and then moved, the request's whole state machine was copied twice).
async fn within_time(state: &AppState, run: Pin<Box<dyn Future<Output = Response> + Send + '_>>) -> Response {
    match tokio::time::timeout(state.request_timeout, run).await {
        Ok(response) => response,
        Err(_) => {
            let seconds = state.request_timeout.as_secs_f64();
            tracing::warn!(seconds, "request timed out");
            error(
                StatusCode::SERVICE_UNAVAILABLE,
                "INTERNAL",
                &format!(
                    "the request took longer than {seconds} s and was stopped; nothing it left unfinished was kept"
                ),
            )
        }
    }
}

/// `GET /graphql`: a query in the URL, or GraphiQL for a browser.
pub async fn get_graphql(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        let html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
        if html && state.graphiql {
            return graphiql_page();
        }
        return error(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", "pass a query, or POST a JSON request");
    };
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", &format!("invalid query string: {e}")),
    };
    within_time(&state, Box::pin(run(&state, &headers, peer, request, Method::Get))).await
}

/// `GET /graphiql`.
pub async fn graphiql(State(state): State<AppState>) -> Response {
    if state.graphiql { graphiql_page() } else { StatusCode::NOT_FOUND.into_response() }
}

fn graphiql_page() -> Response {
    Html(GraphiQLSource::build().endpoint("/graphql").title("Clientele").finish()).into_response()
}

/// A GraphQL-shaped error response for failures before execution.
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }],
        "extensions": { "requestId": crate::http::request_id::current() },
    });
    (status, axum::Json(body)).into_response()
}

//! `/graphql`: one JSON request per POST, queries over GET, GraphiQL for browsers.
//!
//! Why not async-graphql-axum's stock extractor: it accepts batch arrays of any length,
//! runs mutations sent over GET and parses any content type (even `text/plain`, a CSRF
//! vector) as JSON. Here POST needs `application/json`, batches are refused, GET runs
//! queries only, and the body is read under the router's size limit.

use super::AppState;
use crate::auth::gate::{Credential, Gate, Progress};
use crate::auth::{Viewer, authenticate};
use crate::error::AppError;
use crate::graphql::direct::Direct;
use crate::graphql::verdicts::Verdict;
use crate::http::budget::{Charge, cost_json};
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

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
    within_time(&state, Box::pin(run(&state, &headers, peer, request))).await
}

/// Answers with `run` unless it takes longer than the request timeout. A request
/// stopped there drops its future: its transaction, if any, rolls back (`service::rows`).
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
    if !is_query_only(&request) {
        return error(StatusCode::METHOD_NOT_ALLOWED, "BAD_USER_INPUT", "mutations must be sent with POST");
    }
    within_time(&state, Box::pin(run(&state, &headers, peer, request))).await
}

/// `GET /graphiql`.
pub async fn graphiql(State(state): State<AppState>) -> Response {
    if state.graphiql { graphiql_page() } else { StatusCode::NOT_FOUND.into_response() }
}

fn graphiql_page() -> Response {
    Html(GraphiQLSource::build().endpoint("/graphql").title("Clientele").finish()).into_response()
}

/// True when the operation the request would run is a query (unparsable documents pass:
/// execution reports their errors without running anything).
fn is_query_only(request: &async_graphql::Request) -> bool {
    crate::graphql::documents::inspect(&request.query, |doc| {
        crate::graphql::documents::selected(doc, request.operation_name.as_deref())
            .is_none_or(|op| op.ty == OperationType::Query)
    })
    .unwrap_or(true)
}

/// The one mutation field of `request`'s operation, when it may run as a guessed viewer
/// (`graphql::mutation::gated`): nothing else in the operation, no directives.
fn is_gated_mutation(request: &async_graphql::Request) -> bool {
    crate::graphql::documents::inspect(&request.query, |doc| {
        let Some(op) = crate::graphql::documents::selected(doc, request.operation_name.as_deref()) else {
            return false;
        };
        let [item] = op.selection_set.node.items.as_slice() else { return false };
        match &item.node {
            async_graphql::parser::types::Selection::Field(field) => {
                op.ty == OperationType::Mutation
                    && op.directives.is_empty()
                    && field.node.directives.is_empty()
                    && crate::graphql::mutation::gated(field.node.name.node.as_str())
            }
            _ => false,
        }
    })
    .unwrap_or(false)
}

/// Checks the credentials and executes the request.
///
/// A read whose credential resolved to a viewer before starts at once as that viewer, while
/// the credential is checked against the user record beside it (one round trip less
/// before the first row). The answer is kept only when the check names the very same
/// viewer; otherwise it is dropped unsent and the read runs again as the viewer the check
/// found, or the request is refused. A `create<Type>` mutation starts at once too, its
/// write confirming the credential before it commits (`auth::gate`); other mutations wait
/// for the check.
async fn run(state: &AppState, headers: &HeaderMap, peer: SocketAddr, request: async_graphql::Request) -> Response {
    // Before anything parses the document (the checks below do): see `graphql::limits`.
    if let Err(refusal) = state.direct.limits.precheck(&request.query, &request.variables) {
        return respond(state, Answer::Standard(crate::graphql::execute::refused(&state.direct.limits, refusal)), None);
    }
    // The document's own limits before its cost: a refused document is not charged.
    let limits = &state.direct.limits;
    let operation = request.operation_name.as_deref();
    let cost = match state.verdicts.judge(limits, &request.query, operation, &request.variables) {
        Verdict::Cost(cost) => cost,
        Verdict::Refused(refusal) => {
            return respond(state, Answer::Standard(crate::graphql::execute::refused(limits, refusal)), None);
        }
    };
    let bill = |viewer: Option<&Viewer>| crate::http::budget::charge(state, peer, viewer, cost);
    let header = headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("invalid"));
    let check = authenticate(header, &state.jwt, state.external.as_deref(), &state.db);
    let guess = header.and_then(|h| state.hints.guess(h));
    let query_only = guess.is_some() && is_query_only(&request);
    let gated = match &guess {
        Some(guess) if !query_only && is_gated_mutation(&request) => {
            bearer_credential(state, header).filter(|c| c.fits(guess)).map(|c| Arc::new(Gate::new(c)))
        }
        _ => None,
    };
    let (response, charged) = match (guess, gated) {
        (Some(guess), Some(gate)) => {
            let charged = match bill(Some(&guess)) {
                Ok(charged) => charged,
                Err(refused) => return *refused,
            };
            let retry = same_request(&request);
            let answer = execute(state, peer, request.data(gate.clone()), Some(guess.clone()), false).await;
            let answer = match gate.state() {
                // The write's own transaction confirmed the credential.
                Progress::Passed => answer,
                // Nothing was written: a waiting gate's answer stands if the check names the
                // guess; a closed gate's is dropped and the request runs again as checked.
                progress => match check.await {
                    Ok(viewer) if progress == Progress::Waiting && viewer.as_ref() == Some(&guess) => answer,
                    Ok(viewer) => {
                        remember(state, header, viewer.as_ref());
                        execute(state, peer, retry, viewer, true).await
                    }
                    Err(refused) => return refuse(state, header, refused),
                },
            };
            (answer, charged)
        }
        (Some(guess), None) if query_only => {
            let charged = match bill(Some(&guess)) {
                Ok(charged) => charged,
                Err(refused) => return *refused,
            };
            // First the one-statement answer that also reads the credential's user record
            // (`graphql::direct`); if the planner does not know the query, the standard
            // path beside the check, as before.
            let credential = bearer_credential(state, header).filter(|c| c.fits(&guess));
            let direct = match &credential {
                Some(credential) => {
                    let (db, metrics, settings) = (&state.db, &state.metrics, &state.direct);
                    crate::graphql::direct::answer(db, metrics, settings, &request, Some(&guess), Some(credential))
                        .await
                }
                None => None,
            };
            let answer = match direct {
                Some(Direct { body, confirmed: true }) => Answer::Direct(body),
                Some(Direct { body, confirmed: false }) => match check.await {
                    Ok(viewer) if viewer.as_ref() == Some(&guess) => Answer::Direct(body),
                    Ok(viewer) => {
                        remember(state, header, viewer.as_ref());
                        execute(state, peer, request, viewer, true).await
                    }
                    Err(refused) => return refuse(state, header, refused),
                },
                None => {
                    let retry = same_request(&request);
                    let tried = credential.is_some();
                    let guessed = execute(state, peer, request, Some(guess.clone()), !tried);
                    let (checked, answer) = futures::join!(check, guessed);
                    match checked {
                        Ok(viewer) if viewer.as_ref() == Some(&guess) => answer,
                        Ok(viewer) => {
                            remember(state, header, viewer.as_ref());
                            execute(state, peer, retry, viewer, true).await
                        }
                        Err(refused) => return refuse(state, header, refused),
                    }
                }
            };
            (answer, charged)
        }
        _ => match check.await {
            Ok(viewer) => {
                remember(state, header, viewer.as_ref());
                let charged = match bill(viewer.as_ref()) {
                    Ok(charged) => charged,
                    Err(refused) => return *refused,
                };
                (execute(state, peer, request, viewer, true).await, charged)
            }
            Err(refused) => return refuse(state, header, refused),
        },
    };
    respond(state, response, charged)
}

/// The HTTP response for an answer, with `extensions.cost` when the request was charged.
fn respond(state: &AppState, answer: Answer, charged: Option<Charge>) -> Response {
    match answer {
        Answer::Direct(mut body) => {
            // The direct body is `{"data":…` with the object left open for extensions.
            body.extend_from_slice(b",\"extensions\":");
            let mut extensions = serde_json::Map::new();
            if let Some(id) = crate::http::request_id::current() {
                extensions.insert("requestId".into(), id.into());
            }
            if let Some(charged) = &charged {
                extensions.insert("cost".into(), cost_json(charged));
            }
            let _ = serde_json::to_writer(&mut body, &extensions);
            body.push(b'}');
            respond_body(body)
        }
        Answer::Standard(mut response) => {
            if let Some(charged) = &charged
                && let Ok(cost) = async_graphql::Value::from_json(cost_json(charged))
            {
                response.extensions.insert("cost".into(), cost);
            }
            respond_body(standard_body(state, response))
        }
    }
}

fn respond_body(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The body of a standard answer; its internal errors are counted.
fn standard_body(state: &AppState, response: async_graphql::Response) -> Vec<u8> {
    let internal = response
        .errors
        .iter()
        .filter(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .is_some_and(|c| c == &async_graphql::Value::from("INTERNAL"))
        })
        .count();
    if internal > 0 {
        state.metrics.internal_errors.inc_by(internal as u64);
    }
    serde_json::to_vec(&response).unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"internal error\"}]}".to_vec())
}

/// An answer: written directly from one statement, or by the standard executor.
enum Answer {
    Direct(Vec<u8>),
    Standard(async_graphql::Response),
}

/// Answers `request` as `viewer`: directly when the planner knows every field of it (see
/// `graphql::direct`; unless `direct` is false: it was just tried), else through the
/// schema (which also teaches the direct path that the document is valid).
async fn execute(
    state: &AppState,
    peer: SocketAddr,
    request: async_graphql::Request,
    viewer: Option<Viewer>,
    direct: bool,
) -> Answer {
    if direct {
        let (db, metrics, settings) = (&state.db, &state.metrics, &state.direct);
        if let Some(answer) =
            crate::graphql::direct::answer(db, metrics, settings, &request, viewer.as_ref(), None).await
        {
            return Answer::Direct(answer.body);
        }
    }
    let unlearned = (!state.direct.validated(&request.query)).then(|| request.query.clone());
    let request = request.data(ClientAddr(peer.ip())).data(state.jwt.clone()).data(state.throttle.clone());
    let response = crate::graphql::execute(&state.schema, &state.db, &state.direct.limits, request, viewer).await;
    if let Some(query) = unlearned {
        state.direct.learn(&query, &response);
    }
    Answer::Standard(response)
}

/// The subject of a bearer token of our own issuer whose signature and times check out
/// (what `authenticate` verifies before it reads the database), or `None`.
fn bearer_credential(state: &AppState, header: Option<&str>) -> Option<Credential> {
    let header = header?;
    let token = header.strip_prefix("Bearer ").or_else(|| header.strip_prefix("bearer "))?.trim();
    if token.is_empty() {
        return None;
    }
    if let Some(external) = &state.external
        && crate::auth::external::peek_issuer(token).as_deref() == Some(external.issuer())
    {
        return None;
    }
    let subject = state.jwt.verify_subject(token).ok()?;
    Some(Credential { user_id: subject.user_id, session: subject.session })
}

/// The request as the client sent it, to run again.
fn same_request(request: &async_graphql::Request) -> async_graphql::Request {
    let mut copy = async_graphql::Request::new(request.query.clone()).variables(request.variables.clone());
    copy.operation_name = request.operation_name.clone();
    copy.extensions = request.extensions.clone();
    copy
}

fn remember(state: &AppState, header: Option<&str>, viewer: Option<&Viewer>) {
    if let (Some(header), Some(viewer)) = (header, viewer) {
        state.hints.remember(header, viewer);
    }
}

/// The answer to credentials that failed their check.
fn refuse(state: &AppState, header: Option<&str>, refused: AppError) -> Response {
    if let Some(header) = header {
        state.hints.forget(header);
    }
    if matches!(refused, AppError::Unauthenticated) {
        let mut response = error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "invalid or expired credentials");
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        return response;
    }
    error(StatusCode::INTERNAL_SERVER_ERROR, refused.code(), &refused.to_string())
}

/// The address of the client that sent the request (for login throttling).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// A GraphQL-shaped error response for failures before execution.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }],
        "extensions": { "requestId": crate::http::request_id::current() },
    });
    (status, axum::Json(body)).into_response()
}

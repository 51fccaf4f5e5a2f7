//! Answering an admitted request — directly from one statement or through the schema —
//! and writing the HTTP response, with `extensions.cost` when the request was charged.

use super::AppState;
use super::budget::{Charge, cost_json};
use super::request::Admitted;
use crate::auth::Viewer;
use crate::auth::gate::Gate;
use crate::error::AppError;
use crate::graphql::limits::Limits;
use crate::service::access_log::Reads;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// An answer: written directly from one statement, or by the standard executor; with
/// what it read of personal data and as whom, logged when it is sent
/// (`service::access_log`).
pub enum Answer {
    Direct(Vec<u8>, Read),
    Standard(async_graphql::Response, Read),
}

/// The personal data an answer carried unmasked, and the viewer it was computed for.
pub type Read = Option<(Viewer, Arc<Reads>)>;

impl Answer {
    /// The answer to a request refused before execution.
    pub fn refused(limits: &Limits, error: async_graphql::ServerError) -> Self {
        Answer::Standard(crate::graphql::execute::refused(limits, error), None)
    }

    /// A direct answer computed for `viewer`.
    pub fn direct(direct: crate::graphql::direct::Direct, viewer: Option<&Viewer>) -> Self {
        let read = viewer.filter(|v| Reads::applies(v)).map(|v| (v.clone(), Arc::new(direct.reads)));
        Answer::Direct(direct.body, read)
    }
}

/// The address of the client that sent the request (for login throttling).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// Answers `admitted` as `viewer`: directly when the planner knows every field of it (see
/// `graphql::direct`; unless `direct` is false: it was just tried), else through the
/// schema (which also teaches the direct path that the document is valid). A `gate`
/// goes into the request's data for the create it guards.
pub async fn execute(
    state: &AppState,
    peer: SocketAddr,
    admitted: &Admitted,
    viewer: Option<Viewer>,
    gate: Option<Arc<Gate>>,
    direct: bool,
) -> Answer {
    let limits = &state.direct.limits;
    let document = match &admitted.document {
        Ok(document) => document,
        Err(error) => return Answer::refused(limits, error.clone()),
    };
    let original = &admitted.request;
    if direct && state.fast.direct {
        let (db, metrics, settings) = (&state.db, &state.metrics, &state.direct);
        if let Some(answer) =
            crate::graphql::direct::answer(db, metrics, settings, original, document, viewer.as_ref(), None).await
        {
            return Answer::direct(answer, viewer.as_ref());
        }
    }
    let mut request = async_graphql::Request::new(original.query.clone()).variables(original.variables.clone());
    request.operation_name = original.operation_name.clone();
    request.extensions = original.extensions.clone();
    let mut request = request.data(ClientAddr(peer.ip())).data(state.jwt.clone()).data(state.throttle.clone());
    if let Some(gate) = gate {
        request = request.data(gate);
    }
    // The field policy notes what leaves unmasked here, for the audit of reads.
    let read = viewer.as_ref().filter(|v| Reads::applies(v)).map(|v| (v.clone(), Arc::new(Reads::default())));
    if let Some((_, reads)) = &read {
        request = request.data(reads.clone());
    }
    let response = crate::graphql::execute(&state.schema, &state.db, limits, request, document, viewer).await;
    if state.fast.direct && !state.direct.validated(&original.query) {
        state.direct.learn(&original.query, &response);
    }
    Answer::Standard(response, read)
}

/// The HTTP response for an answer, with `extensions.cost` when the request was charged.
pub fn respond(state: &AppState, answer: Answer, charged: Option<Charge>) -> Response {
    // This answer is the one sent: what it read of personal data is logged.
    if let Answer::Direct(_, Some((viewer, reads))) | Answer::Standard(_, Some((viewer, reads))) = &answer {
        state.access.submit(viewer, reads);
    }
    match answer {
        Answer::Direct(mut body, _) => {
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
            json_body(body)
        }
        Answer::Standard(mut response, _) => {
            if let Some(charged) = &charged
                && let Ok(cost) = async_graphql::Value::from_json(cost_json(charged))
            {
                response.extensions.insert("cost".into(), cost);
            }
            json_body(standard_body(state, response))
        }
    }
}

fn json_body(body: Vec<u8>) -> Response {
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

/// The answer to credentials that failed their check.
pub fn refuse(state: &AppState, header: Option<&str>, refused: AppError) -> Response {
    if let Some(header) = header {
        state.hints.forget(header);
    }
    if matches!(refused, AppError::Unauthenticated) {
        let mut response =
            super::graphql::error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", "invalid or expired credentials");
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        return response;
    }
    super::graphql::error(StatusCode::INTERNAL_SERVER_ERROR, refused.code(), &refused.to_string())
}

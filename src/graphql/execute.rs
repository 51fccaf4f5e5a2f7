//! Runs one GraphQL request through the schema with its per-request loaders (driven by
//! `engine::drive`), then gives every error a code and mends the answer's shape.

use super::AppSchema;
use super::limits::Limits;
use super::loader::Loaders;
use crate::auth::Viewer;
use crate::engine::drive::{TaskQueue, drive};
use async_graphql::parser::types::ExecutableDocument;
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// Executes `request`, whose query parsed to `document`, as `viewer`. The request has
/// passed `Limits::precheck`, `Limits::check` and the schema's depth and complexity
/// limits (the HTTP handler checks them before it charges the request's cost).
pub async fn execute(
    schema: &AppSchema,
    db: &DatabaseConnection,
    limits: &Limits,
    request: async_graphql::Request,
    document: &Arc<ExecutableDocument>,
    viewer: Option<Viewer>,
) -> async_graphql::Response {
    let mut request = request;
    if let Err(error) = prepare(&mut request, document) {
        return refused(limits, error);
    }
    let (operation, variables) = (request.operation_name.clone(), request.variables.clone());
    let queue: TaskQueue = Arc::default();
    let loaders = Loaders::new(db.clone(), viewer.clone(), queue.clone());
    let request = request.data(viewer).data(loaders);
    let mut response = drive(schema.execute(request), queue).await;
    super::shape::mend(&mut response.data, document, operation.as_deref(), &variables, &response.errors);
    finish(limits, &mut response);
    response
}

/// The response to a request refused before execution.
pub fn refused(limits: &Limits, error: async_graphql::ServerError) -> async_graphql::Response {
    let mut response = async_graphql::Response::from_errors(vec![error]);
    finish(limits, &mut response);
    response
}

/// Checks the argument values of `document` and hands it to the request, so that
/// async-graphql validates and runs it without parsing the text again.
fn prepare(request: &mut async_graphql::Request, document: &ExecutableDocument) -> async_graphql::ServerResult<()> {
    super::arguments::check(document, request.operation_name.as_deref(), &request.variables)?;
    request.set_parsed_query(document.clone());
    Ok(())
}

/// Gives every error a code and the response its request id, by where the error arose:
/// one at a field path without a code is something unforeseen inside a resolver (its text
/// is logged and replaced, so no internal detail — SQL, paths — reaches the client); one
/// outside any field is async-graphql's verdict on the document (validation), the
/// caller's. Limits have been checked with their own code before execution
/// (`verdicts`), so no message text is read here.
fn finish(limits: &Limits, response: &mut async_graphql::Response) {
    limits.cap_errors(&mut response.errors);
    for error in &mut response.errors {
        let has_code = error.extensions.as_ref().is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let code = if error.path.is_empty() {
            "BAD_USER_INPUT"
        } else {
            tracing::error!(error = %error.message, path = ?error.path, "uncoded error in a resolver");
            error.message = "internal error".to_string();
            "INTERNAL"
        };
        error.extensions.get_or_insert_with(Default::default).set("code", code);
    }
    if let Some(id) = crate::http::request_id::current() {
        response.extensions.insert("requestId".to_string(), async_graphql::Value::from(id));
    }
}

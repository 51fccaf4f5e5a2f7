//! Runs one GraphQL request with its per-request loaders.
//!
//! Why a driver of our own: async-graphql's DataLoader spawns a task per batch and, by
//! default, waits 1 ms so that sibling fields can add their keys — a fixed delay at every
//! nesting level. Here a batch task is queued and polled inside the request's own task,
//! only after the executor has polled every sibling field and returned `Pending`. Every
//! key of a level is therefore in the batch, with no timer at all.

use super::AppSchema;
use super::limits::Limits;
use super::loader::Loaders;
use crate::auth::Viewer;
use async_graphql::parser::types::ExecutableDocument;
use futures::future::BoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use futures::task::ArcWake;
use sea_orm::DatabaseConnection;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// Tasks spawned by this request's loaders, waiting to be polled by the request.
pub type TaskQueue = Arc<Mutex<Vec<BoxFuture<'static, ()>>>>;

/// Executes `request` as `viewer`; the request has passed `Limits::precheck` and
/// `Limits::check` (the HTTP handler checks both before it charges the request's cost).
pub async fn execute(
    schema: &AppSchema,
    db: &DatabaseConnection,
    limits: &Limits,
    request: async_graphql::Request,
    viewer: Option<Viewer>,
) -> async_graphql::Response {
    let mut request = request;
    let document = match prepare(&mut request) {
        Ok(document) => document,
        Err(error) => return refused(limits, error),
    };
    let (operation, variables) = (request.operation_name.clone(), request.variables.clone());
    let queue: TaskQueue = Arc::default();
    let loaders = Loaders::new(db.clone(), viewer.clone(), queue.clone());
    let request = request.data(viewer).data(loaders);
    let mut response = drive(schema.execute(request), queue).await;
    super::shape::mend(&mut response.data, &document, operation.as_deref(), &variables, &response.errors);
    finish(limits, &mut response);
    response
}

/// The response to a request refused before execution.
pub fn refused(limits: &Limits, error: async_graphql::ServerError) -> async_graphql::Response {
    let mut response = async_graphql::Response::from_errors(vec![error]);
    finish(limits, &mut response);
    response
}

/// Parses the query (through the document cache) and checks its argument values, before
/// async-graphql validates and runs it. The request's limits were checked before it was
/// costed (`http::graphql`, the one caller), so they are not walked again here.
fn prepare(request: &mut async_graphql::Request) -> async_graphql::ServerResult<Arc<ExecutableDocument>> {
    let document = super::documents::parse(&request.query)?;
    super::arguments::check(&document, request.operation_name.as_deref(), &request.variables)?;
    request.set_parsed_query((*document).clone());
    Ok(document)
}

/// Gives every error a code and the response its request id. An error without a code
/// from inside execution is something unforeseen: its text is logged and replaced, so no
/// internal detail (SQL, paths) reaches the client.
fn finish(limits: &Limits, response: &mut async_graphql::Response) {
    limits.cap_errors(&mut response.errors);
    for error in &mut response.errors {
        let has_code = error.extensions.as_ref().is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        // A value that passed `arguments` but not a resolver's parse is still the caller's.
        let code = if error.message.starts_with("Failed to parse \"") {
            "BAD_USER_INPUT"
        } else if !error.path.is_empty() {
            tracing::error!(error = %error.message, path = ?error.path, "uncoded error in a resolver");
            error.message = "internal error".to_string();
            "INTERNAL"
        } else if is_limit(&error.message) {
            "QUERY_TOO_COMPLEX"
        } else {
            "BAD_USER_INPUT"
        };
        error.extensions.get_or_insert_with(Default::default).set("code", code);
    }
    if let Some(id) = crate::http::request_id::current() {
        response.extensions.insert("requestId".to_string(), async_graphql::Value::from(id));
    }
}

fn is_limit(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("too complex") || m.contains("nested too deep") || m.contains("recursive depth")
}

/// Polls `main`, then every task it queued, in the same task, until `main` finishes.
///
/// `main` is polled until it stops waking itself (async-graphql's list resolution uses
/// `FuturesUnordered`, which yields after a few items and wakes itself), so every sibling
/// at a level has queued its key before any batch runs.
async fn drive<F: Future>(main: F, queue: TaskQueue) -> F::Output {
    /// Bound on back-to-back polls of a self-waking `main` before batches run anyway.
    const MAX_SPINS: usize = 10_000;
    let mut main = pin!(main);
    let mut tasks: FuturesUnordered<BoxFuture<'static, ()>> = FuturesUnordered::new();
    poll_fn(move |cx| {
        let flag = Arc::new(WakeFlag { woken: AtomicBool::new(false), inner: cx.waker().clone() });
        let waker = futures::task::waker(flag.clone());
        let mut main_cx = Context::from_waker(&waker);
        loop {
            for _ in 0..MAX_SPINS {
                flag.woken.store(false, Ordering::SeqCst);
                if let Poll::Ready(out) = main.as_mut().poll(&mut main_cx) {
                    return Poll::Ready(out);
                }
                if !flag.woken.load(Ordering::SeqCst) {
                    break;
                }
            }
            let queued: Vec<_> = match queue.lock() {
                Ok(mut q) => std::mem::take(&mut *q),
                Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
            };
            let added = !queued.is_empty();
            tasks.extend(queued);
            let mut finished = false;
            while let Poll::Ready(Some(())) = tasks.poll_next_unpin(cx) {
                finished = true;
            }
            if !added && !finished {
                return Poll::Pending;
            }
        }
    })
    .await
}

/// A waker that remembers it was woken, then wakes the request's task.
struct WakeFlag {
    woken: AtomicBool,
    inner: Waker,
}

impl ArcWake for WakeFlag {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.woken.store(true, Ordering::SeqCst);
        arc_self.inner.wake_by_ref();
    }
}

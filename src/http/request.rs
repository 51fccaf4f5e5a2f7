//! One GraphQL request, from its checks to its answer, as a small state machine:
//!
//! 1. **Admit** ([`Admitted::new`]): the raw text's limits, the document parsed once (every
//!    later step reads that tree), GET limited to queries, the document's limits and cost.
//! 2. **Route** ([`Route::choose`]): how the credential is checked. Without a speed path
//!    that is always [`Route::Checked`]: authenticate, charge, answer.
//!    [`Route::GuessedRead`] (`guess`) starts a query as the viewer the credential resolved
//!    to last time while the check runs, and [`Route::GatedCreate`] (`gate`) starts a
//!    `create<Type>` that way, its audit row confirming the credential before it commits.
//!    A guessed answer is kept only when the check (or the statement itself) names the very
//!    same viewer; otherwise it is dropped unsent and the request runs as checked.
//! 3. **Answer** (`answer`): directly from one statement (`direct`) or through the schema.
//!
//! Every step answers the same as the plain path; `CLIENTELE_FAST_PATHS` switches each
//! speed path off (see `fast_paths`).

use super::AppState;
use super::answer::{Answer, execute, refuse, respond};
use super::budget::Charge;
use crate::auth::gate::{Gate, Progress};
use crate::auth::{Viewer, authenticate};
use crate::error::AppResult;
use crate::graphql::verdicts::Verdict;
use async_graphql::ServerError;
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;

/// Answers `request`, sent with `method`: each step either answers or hands on.
pub async fn run(
    state: &AppState,
    headers: &HeaderMap,
    peer: SocketAddr,
    request: async_graphql::Request,
    method: Method,
) -> Response {
    let admitted = match Admitted::new(state, request, method) {
        Ok(admitted) => admitted,
        Err(response) => return *response,
    };
    let header = headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("invalid"));
    let request = Request { state, peer, header, admitted: &admitted };
    let answered = match Route::choose(&request) {
        Route::Checked => request.checked().await,
        Route::GuessedRead(guess) => request.guessed_read(guess).await,
        Route::GatedCreate(guess, gate) => request.gated_create(guess, gate).await,
    };
    match answered {
        Ok((answer, charged)) => respond(state, answer, charged),
        Err(response) => *response,
    }
}

/// How the request came: GET may run queries only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

/// A request within every limit, its document parsed once, its cost known.
pub struct Admitted {
    pub request: async_graphql::Request,
    /// The parsed document, or why it does not parse (execution reports that).
    pub document: Result<Arc<ExecutableDocument>, ServerError>,
    pub cost: u64,
}

impl Admitted {
    /// Checks the raw text, parses it, checks the document; a refusal is the answer.
    fn new(state: &AppState, request: async_graphql::Request, method: Method) -> Result<Self, Early> {
        let limits = &state.direct.limits;
        let refused = |error| Box::new(respond(state, Answer::refused(limits, error), None));
        // Before anything parses the document: see `graphql::limits`.
        limits.precheck(&request.query, &request.variables).map_err(refused)?;
        let document = state.documents.parse(&request.query);
        let operation = request.operation_name.as_deref();
        let cost = match &document {
            // A document that does not parse costs little; execution reports its error.
            Err(_) => 1,
            Ok(document) => match state.verdicts.judge(limits, &request.query, document, operation, &request.variables)
            {
                Verdict::Cost(cost) => cost,
                Verdict::Refused(refusal) => return Err(refused(refusal)),
            },
        };
        let admitted = Self { request, document, cost };
        if method == Method::Get && admitted.operation() != Some(OperationType::Query) && admitted.document.is_ok() {
            let message = "mutations must be sent with POST";
            return Err(Box::new(super::graphql::error(StatusCode::METHOD_NOT_ALLOWED, "BAD_USER_INPUT", message)));
        }
        Ok(admitted)
    }

    /// The kind of operation the request runs, if its document names one.
    fn operation(&self) -> Option<OperationType> {
        let document = self.document.as_ref().ok()?;
        crate::engine::documents::selected(document, self.request.operation_name.as_deref()).map(|op| op.ty)
    }

    /// True when the operation is one `create<Type>` mutation and nothing else, without
    /// directives: the one shape a gate may start (`graphql::mutation::gated`).
    fn is_gated_create(&self) -> bool {
        let Ok(document) = &self.document else { return false };
        let Some(op) = crate::engine::documents::selected(document, self.request.operation_name.as_deref()) else {
            return false;
        };
        let [item] = op.selection_set.node.items.as_slice() else { return false };
        let Selection::Field(field) = &item.node else { return false };
        op.ty == OperationType::Mutation
            && op.directives.is_empty()
            && field.node.directives.is_empty()
            && crate::graphql::mutation::gated(field.node.name.node.as_str())
    }
}

/// How a request's credential is checked.
enum Route {
    /// Authenticate, then charge and answer as the viewer found.
    Checked,
    /// A query started as the guessed viewer beside the check.
    GuessedRead(Viewer),
    /// A `create<Type>` started as the guessed viewer behind a gate.
    GatedCreate(Viewer, Arc<Gate>),
}

impl Route {
    fn choose(request: &Request<'_>) -> Self {
        let Request { state, header, admitted, .. } = *request;
        let guess = header.filter(|_| state.fast.guess).and_then(|h| state.hints.guess(h));
        let Some(guess) = guess else { return Route::Checked };
        if admitted.operation() == Some(OperationType::Query) {
            return Route::GuessedRead(guess);
        }
        if state.fast.gate
            && admitted.is_gated_create()
            && let Some(credential) = request.credential().filter(|c| c.fits(&guess))
        {
            return Route::GatedCreate(guess, Arc::new(Gate::new(credential)));
        }
        Route::Checked
    }
}

/// A request on its way: what every route needs.
#[derive(Clone, Copy)]
struct Request<'a> {
    state: &'a AppState,
    peer: SocketAddr,
    header: Option<&'a str>,
    admitted: &'a Admitted,
}

/// The response that ends a request early (boxed: a `Response` is large).
type Early = Box<Response>;

/// An answer with its charge, or the response that ends the request early.
type Answered = Result<(Answer, Option<Charge>), Early>;

impl Request<'_> {
    /// Authenticates, charges the viewer found and answers as that viewer.
    async fn checked(self) -> Answered {
        let viewer = self.check().await.map_err(|refused| Box::new(refuse(self.state, self.header, refused)))?;
        self.remember(viewer.as_ref());
        let charged = self.bill(viewer.as_ref())?;
        Ok((execute(self.state, self.peer, self.admitted, viewer, None, true).await, charged))
    }

    /// A query as `guess`: first the one statement that also confirms the credential
    /// (`graphql::direct`), else the standard path beside the check.
    async fn guessed_read(self, guess: Viewer) -> Answered {
        let charged = self.bill(Some(&guess))?;
        let credential = self.credential().filter(|c| c.fits(&guess));
        let direct_tried = credential.is_some();
        let direct = match (&credential, &self.admitted.document) {
            (Some(credential), Ok(document)) if self.state.fast.direct => {
                let (db, metrics, settings) = (&self.state.db, &self.state.metrics, &self.state.direct);
                let request = &self.admitted.request;
                crate::graphql::direct::answer(db, metrics, settings, request, document, Some(&guess), Some(credential))
                    .await
            }
            _ => None,
        };
        let answer = match direct {
            Some(direct) if direct.confirmed => Answer::direct(direct, Some(&guess)),
            Some(direct) => self.settle(self.check().await, Some(&guess), Answer::direct(direct, Some(&guess))).await?,
            None => {
                let guessed = execute(self.state, self.peer, self.admitted, Some(guess.clone()), None, !direct_tried);
                let (checked, answer) = futures::join!(self.check(), guessed);
                self.settle(checked, Some(&guess), answer).await?
            }
        };
        Ok((answer, charged))
    }

    /// A `create<Type>` as `guess` behind `gate`: the write's own transaction confirms
    /// the credential, or nothing is written and the check decides.
    async fn gated_create(self, guess: Viewer, gate: Arc<Gate>) -> Answered {
        let charged = self.bill(Some(&guess))?;
        let answer =
            execute(self.state, self.peer, self.admitted, Some(guess.clone()), Some(gate.clone()), false).await;
        let answer = match gate.state() {
            Progress::Passed => answer,
            // Nothing was written: a waiting gate's answer stands if the check names the
            // guess; a closed gate's is dropped and the request runs again as checked.
            Progress::Waiting => self.settle(self.check().await, Some(&guess), answer).await?,
            Progress::Closed => self.settle(self.check().await, None, answer).await?,
        };
        Ok((answer, charged))
    }

    /// `answer` when the check names `kept` (the guess it was computed for); otherwise the
    /// request runs again as the viewer the check found, or is refused.
    async fn settle(
        self,
        checked: AppResult<Option<Viewer>>,
        kept: Option<&Viewer>,
        answer: Answer,
    ) -> Result<Answer, Early> {
        match checked {
            Ok(viewer) if viewer.is_some() && viewer.as_ref() == kept => Ok(answer),
            Ok(viewer) => {
                self.remember(viewer.as_ref());
                Ok(execute(self.state, self.peer, self.admitted, viewer, None, true).await)
            }
            Err(refused) => Err(Box::new(refuse(self.state, self.header, refused))),
        }
    }

    /// The full credential check against the user record.
    async fn check(self) -> AppResult<Option<Viewer>> {
        authenticate(self.header, &self.state.jwt, self.state.external.as_deref(), &self.state.db).await
    }

    /// The bearer token's credential, verified but not yet checked against the database.
    fn credential(self) -> Option<crate::auth::gate::Credential> {
        crate::auth::credential(self.header, &self.state.jwt, self.state.external.as_deref())
    }

    fn bill(self, viewer: Option<&Viewer>) -> Result<Option<Charge>, Early> {
        super::budget::charge(self.state, self.peer, viewer, self.admitted.cost)
    }

    fn remember(self, viewer: Option<&Viewer>) {
        if let (true, Some(header), Some(viewer)) = (self.state.fast.guess, self.header, viewer) {
            self.state.hints.remember(header, viewer);
        }
    }
}

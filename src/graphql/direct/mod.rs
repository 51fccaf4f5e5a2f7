//! Direct reads: a query whose every field maps to a column, a to-one record or a nested
//! connection is answered by one SQL statement that builds each level's values as JSON,
//! and the response is written from that JSON with no resolver per field.
//!
//! Why: on a page of 50 customers with owner, contacts, deals and tickets the standard
//! path spent ~18 M instructions, a third of them in async-graphql's response tree, and
//! a single customer with five nested lists took seven statements in three waves. Here
//! that is one statement, and the answer is written straight into the response body.
//!
//! The standard path stays the definition of every answer: a document is answered
//! directly only after the standard path has run it once without a document error (so
//! validation is async-graphql's), and anything the planner does not know — fragments,
//! directives, computed fields, a denied field, cursors of nested lists, variables of
//! other types — goes the standard way. Tests compare both paths' answers byte for byte.

mod columns;
pub(crate) mod fields;
mod levels;
mod plan;
mod prepared;
mod render;
mod report;
mod who;

use crate::auth::Viewer;
use crate::auth::gate::Credential;
use crate::engine::rows::Reader;
use crate::metrics::Metrics;
use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;
use prepared::{Id, Key, Prepared};
use sea_orm::DatabaseConnection;
use std::hash::RandomState;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// What direct answers need of the server besides the database: the query texts its
/// schema has validated (per server: validation depends on the schema's limits), and the
/// plans kept for reuse.
pub struct Settings {
    /// The server's document limits.
    pub limits: crate::graphql::limits::Limits,
    /// Plans are kept for reuse (the `plans` speed path).
    keep_plans: bool,
    /// Reports read the dashboard summaries (the `summaries` speed path): a report they
    /// answer is left to its resolver.
    summaries: bool,
    validated: Mutex<LruCache<String, ()>>,
    /// Plans kept for reuse (see [`prepared`]), by [`Key::fingerprint`].
    prepared: Mutex<LruCache<u64, Arc<Prepared>>>,
    /// Keys whose probe showed the plan cannot be reused: planned once, without a probe.
    refused: Mutex<LruCache<u64, Key>>,
    /// Keys seen once: a plan is probed and kept only when its key comes back, so many
    /// viewers each reading once cost one planning each, not two.
    seen: Mutex<LruCache<u64, ()>>,
    hasher: RandomState,
}

impl Settings {
    /// Settings for a server with `limits`, keeping plans when `keep_plans`, leaving
    /// reports to the summaries when `summaries`; nothing validated yet.
    pub fn new(limits: crate::graphql::limits::Limits, keep_plans: bool, summaries: bool) -> Self {
        let capacity = NonZeroUsize::MIN.saturating_add(511);
        Self {
            limits,
            keep_plans,
            summaries,
            validated: Mutex::new(LruCache::new(capacity)),
            prepared: Mutex::new(LruCache::new(capacity)),
            refused: Mutex::new(LruCache::new(capacity)),
            seen: Mutex::new(LruCache::new(NonZeroUsize::MIN.saturating_add(4095))),
            hasher: RandomState::new(),
        }
    }

    /// The plan kept at `slot` (see [`Key::fingerprint`]) for `request` as `viewer` with
    /// `credential`, whose variables hold `ids`.
    fn prepared(
        &self,
        slot: u64,
        request: &async_graphql::Request,
        viewer: &Viewer,
        credential: Option<&Credential>,
        ids: &[Id],
    ) -> Option<Arc<Prepared>> {
        let kept = self.prepared.lock().ok()?.get(&slot).cloned()?;
        kept.key().matches(request, viewer, credential, ids).then_some(kept)
    }

    /// True when the probe refused reuse for the key at `slot` before.
    fn refused(
        &self,
        slot: u64,
        request: &async_graphql::Request,
        viewer: &Viewer,
        credential: Option<&Credential>,
        ids: &[Id],
    ) -> bool {
        self.refused.lock().is_ok_and(|mut refused| {
            refused.get(&slot).is_some_and(|key| key.matches(request, viewer, credential, ids))
        })
    }

    /// True when a request of the key at `slot` came before (and remembers this one).
    fn seen_before(&self, slot: u64) -> bool {
        self.seen.lock().is_ok_and(|mut seen| seen.put(slot, ()).is_some())
    }

    /// Remembers that the key at `slot` cannot be reused.
    fn refuse(&self, slot: u64, key: Key) {
        if let Ok(mut refused) = self.refused.lock() {
            refused.put(slot, key);
        }
    }

    /// Keeps `prepared` at `slot`.
    fn keep(&self, slot: u64, prepared: Arc<Prepared>) {
        if let Ok(mut kept) = self.prepared.lock() {
            kept.put(slot, prepared);
        }
    }

    /// True when the standard path has validated `query` (run it with no error outside a
    /// field).
    pub fn validated(&self, query: &str) -> bool {
        self.validated.lock().is_ok_and(|mut cache| cache.get(query).is_some())
    }

    /// Records that the standard path answered `query` with `response`: a response without
    /// a document-level error (every error has a field path) means the document is valid.
    pub fn learn(&self, query: &str, response: &async_graphql::Response) {
        if response.errors.iter().all(|e| !e.path.is_empty())
            && let Ok(mut cache) = self.validated.lock()
        {
            cache.put(query.to_string(), ());
        }
    }
}

/// A plan, kept for reuse or made for one request.
enum Planned {
    Kept(Arc<Prepared>),
    Fresh(Box<plan::Plan>),
}

impl Planned {
    fn plan(&self) -> &plan::Plan {
        match self {
            Planned::Kept(kept) => &kept.plan,
            Planned::Fresh(plan) => plan,
        }
    }
}

/// Every field the direct path reads, as `(type, field, selection under the field)`, for
/// the test that runs each one both ways (`tests/api/direct/fields.rs`).
pub fn mapped_fields() -> Vec<(&'static str, &'static str, &'static str)> {
    use fields::{Field, Ty};
    let mut out = Vec::new();
    for ty in Ty::ALL {
        for (name, field) in ty.fields() {
            let under = match field {
                Field::Column(..) => "",
                Field::One(..) => "{ id }",
                Field::Many(_) => "(first: 2) { nodes { id } }",
            };
            out.push((ty.name(), name, under));
        }
    }
    out
}

/// A direct answer.
pub struct Direct {
    /// The response body without its extensions: `{"data":{…}` with the outer object open.
    pub body: Vec<u8>,
    /// The statement read the credential's user record and it names the very viewer the
    /// answer was computed for: the request is authenticated (see [`answer`]).
    pub confirmed: bool,
    /// The governed values it carried unmasked (the audit of personal-data reads).
    pub reads: crate::service::access_log::Reads,
}

/// The response body for `request` (its query parsed to `document`, within every limit)
/// from one statement, or `None` when the standard path must answer it.
///
/// With a `credential` (a bearer token whose signature and times are checked, for the
/// user `viewer` was guessed to be), the statement also reads whether the credential
/// stands and names `viewer` (`Credential::names`, the predicate authentication and the
/// gate use too), and the answer is `confirmed` when it does. An unconfirmed answer may
/// only be sent after the full check names `viewer`.
pub async fn answer(
    db: &DatabaseConnection,
    metrics: &Metrics,
    settings: &Settings,
    request: &async_graphql::Request,
    document: &ExecutableDocument,
    viewer: Option<&Viewer>,
    credential: Option<&Credential>,
) -> Option<Direct> {
    let viewer = viewer?;
    if !request.extensions.is_empty() {
        return None;
    }
    let credential = credential.filter(|c| c.fits(viewer));
    let ask = Ask { request, document, viewer, credential, backend: db.get_database_backend() };
    let (planned, statement) = settings.planned(metrics, &ask)?;
    let plan = planned.plan();
    let rows = match statement {
        Some(statement) => match db.rows(statement).await {
            Ok(rows) => rows,
            Err(error) => {
                tracing::error!(%error, "direct read failed; answering on the standard path");
                metrics.direct_failures.inc();
                return None;
            }
        },
        None => Vec::new(),
    };
    let mut body = Vec::with_capacity(1024 + 512 * rows.len());
    body.extend_from_slice(b"{\"data\":{");
    render::write_key(&mut body, &plan.key);
    let reads = crate::service::access_log::Reads::default();
    if let Err(error) = render::root(&mut body, plan, &rows, &reads) {
        tracing::error!(%error, "direct answer not written; answering on the standard path");
        metrics.direct_failures.inc();
        return None;
    }
    // The outer object stays open: the HTTP layer adds the extensions and closes it.
    body.push(b'}');
    metrics.direct_answers.inc();
    let confirmed = credential.is_some() && who::confirms(rows.first());
    Some(Direct { body, confirmed, reads })
}

/// One request to answer directly.
struct Ask<'a> {
    request: &'a async_graphql::Request,
    document: &'a ExecutableDocument,
    viewer: &'a Viewer,
    credential: Option<&'a Credential>,
    backend: sea_orm::DbBackend,
}

/// A plan and its built statement (`None`: the answer needs no statement).
type WithStatement = (Planned, Option<sea_orm::Statement>);

impl Settings {
    /// The plan for `ask`: a kept one when its key matches, else a fresh one (kept for
    /// the next request when the probe allows).
    fn planned(&self, metrics: &Metrics, ask: &Ask<'_>) -> Option<WithStatement> {
        let Ask { request, viewer, credential, .. } = *ask;
        let ids = prepared::ids(&request.variables).filter(|_| self.keep_plans);
        let Some(ids) = ids.as_deref() else { return self.fresh(ask, None) };
        let slot = Key::fingerprint(&self.hasher, request, viewer, credential, ids);
        if let Some(kept) = self.prepared(slot, request, viewer, credential, ids) {
            metrics.direct_reused.inc();
            let statement = kept.statement(ask.backend, ids);
            return Some((Planned::Kept(kept), statement));
        }
        self.fresh(ask, Some((slot, ids)))
    }

    /// A plan made for `ask` — of a document the standard path has validated — kept at
    /// `slot` when the key came before and a probe with other IDs shows where they go.
    fn fresh(&self, ask: &Ask<'_>, reuse: Option<(u64, &[Id])>) -> Option<WithStatement> {
        let Ask { request, document, viewer, credential, backend } = *ask;
        if !self.validated(&request.query) {
            return None;
        }
        let operation = request.operation_name.as_deref();
        let plan =
            |variables| plan::plan(document, operation, variables, viewer, (backend, self.summaries), credential);
        let first = plan(&request.variables)?;
        let built = first.statement.as_ref().map(|s| backend.build(s));
        let Some((slot, ids)) = reuse else { return Some((Planned::Fresh(Box::new(first)), built)) };
        if !self.seen_before(slot) || self.refused(slot, request, viewer, credential, ids) {
            return Some((Planned::Fresh(Box::new(first)), built));
        }
        // The probe: the same document with other IDs of the same types.
        let (variables, probes) = prepared::probe(&request.variables, ids);
        let probe = plan(&variables).and_then(|p| p.statement).map(|s| backend.build(&s));
        let key = Key::new(request, viewer, credential, ids);
        let Some(slots) = prepared::slots(built.as_ref(), probe.as_ref(), ids, &probes) else {
            self.refuse(slot, key);
            return Some((Planned::Fresh(Box::new(first)), built));
        };
        let kept = Arc::new(Prepared::new(key, first, built.clone(), slots));
        self.keep(slot, kept.clone());
        Some((Planned::Kept(kept), built))
    }
}

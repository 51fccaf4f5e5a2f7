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

mod cost;
mod fields;
mod levels;
mod plan;
mod prepared;
mod render;
mod report;
mod who;

use crate::auth::Viewer;
use crate::auth::gate::Credential;
use crate::metrics::Metrics;
use crate::service::rows::Reader;
use lru::LruCache;
use prepared::{Id, Key, Prepared};
use sea_orm::DatabaseConnection;
use std::hash::RandomState;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// What direct answers need of the server besides the database: its schema's complexity
/// limit, and the query texts its schema has validated (per server: validation depends on
/// the schema's limits).
pub struct Settings {
    /// The schema's complexity limit, checked with each request's variables.
    pub complexity_limit: usize,
    /// The server's document limits (page sizes are checked with each request's variables).
    pub limits: crate::graphql::limits::Limits,
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
    /// Settings for a schema with `complexity_limit`; nothing validated yet.
    pub fn new(complexity_limit: usize, limits: crate::graphql::limits::Limits) -> Self {
        let capacity = NonZeroUsize::MIN.saturating_add(511);
        Self {
            complexity_limit,
            limits,
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

/// A direct answer.
pub struct Direct {
    /// The response body without its extensions: `{"data":{…}` with the outer object open.
    pub body: Vec<u8>,
    /// The statement read the credential's user record and it names the very viewer the
    /// answer was computed for: the request is authenticated (see [`answer`]).
    pub confirmed: bool,
}

/// The response body for `request` from one statement, or `None` when the standard path
/// must answer it.
///
/// With a `credential` (a bearer token whose signature and times are checked, for the
/// user `viewer` was guessed to be), the statement also reads what authentication reads —
/// the user's role, team, whether it is active and not deleted, whether the token's
/// session is still open — and the answer is `confirmed` when that names `viewer`.
/// An unconfirmed answer may only be sent after the full check names `viewer`.
pub async fn answer(
    db: &DatabaseConnection,
    metrics: &Metrics,
    settings: &Settings,
    request: &async_graphql::Request,
    viewer: Option<&Viewer>,
    credential: Option<&Credential>,
) -> Option<Direct> {
    let viewer = viewer?;
    if !request.extensions.is_empty() {
        return None;
    }
    let credential = credential.filter(|c| c.fits(viewer));
    let backend = db.get_database_backend();
    let ids = prepared::ids(&request.variables);
    let kept = ids.as_deref().map(|ids| {
        let slot = Key::fingerprint(&settings.hasher, request, viewer, credential, ids);
        (slot, settings.prepared(slot, request, viewer, credential, ids))
    });
    let (planned, statement) = match (kept, ids.as_deref()) {
        (Some((_, Some(kept))), Some(ids)) => {
            metrics.direct_reused.inc();
            let statement = kept.statement(backend, ids);
            (Planned::Kept(kept), statement)
        }
        (kept, ids) => {
            if !settings.validated(&request.query) {
                return None;
            }
            crate::graphql::documents::inspect(&request.query, |document| {
                settings.limits.check(document, &request.variables, request.operation_name.as_deref()).ok()?;
                let operation = request.operation_name.as_deref();
                let limit = settings.complexity_limit;
                let plan = |variables| plan::plan(document, operation, variables, viewer, backend, limit, credential);
                let first = plan(&request.variables)?;
                let built = first.statement.as_ref().map(|s| backend.build(s));
                let (Some((slot, _)), Some(ids)) = (kept, ids) else {
                    return Some((Planned::Fresh(Box::new(first)), built));
                };
                if !settings.seen_before(slot) || settings.refused(slot, request, viewer, credential, ids) {
                    return Some((Planned::Fresh(Box::new(first)), built));
                }
                // The probe: the same document with other IDs of the same types.
                let (variables, probes) = prepared::probe(&request.variables, ids);
                let probe = plan(&variables).and_then(|p| p.statement).map(|s| backend.build(&s));
                let key = Key::new(request, viewer, credential, ids);
                let Some(slots) = prepared::slots(built.as_ref(), probe.as_ref(), ids, &probes) else {
                    settings.refuse(slot, key);
                    return Some((Planned::Fresh(Box::new(first)), built));
                };
                let kept = Arc::new(Prepared::new(key, first, built.clone(), slots));
                settings.keep(slot, kept.clone());
                Some((Planned::Kept(kept), built))
            })
            .ok()??
        }
    };
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
    if let Err(error) = render::root(&mut body, plan, &rows) {
        tracing::error!(%error, "direct answer not written; answering on the standard path");
        metrics.direct_failures.inc();
        return None;
    }
    // The outer object stays open: the HTTP layer adds the extensions and closes it.
    body.push(b'}');
    metrics.direct_answers.inc();
    let confirmed = credential.is_some() && who::confirms(rows.first(), viewer);
    Some(Direct { body, confirmed })
}

//! Parsing query documents, once per request, and keeping them per query text.
//!
//! Replaces: async-graphql's own parse inside `Schema::execute` (the request hands it the
//! tree with `Request::set_parsed_query`). Why: clients send the same few query texts over
//! and over; parsing one of the benchmark's pages took about a tenth of the request's CPU,
//! a kept tree is an `Arc` clone. Validation, limits and execution still run each time.
//! The HTTP handler parses each request's document here once and hands the tree to every
//! later step (limits, cost, the direct planner, execution).
//!
//! Parsing happens here rather than in an async-graphql extension on purpose: with any
//! extension registered, async-graphql routes every field of every response through the
//! extension chain (type names, a registry lookup and boxed futures per field).

use async_graphql::ServerError;
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, OperationType};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Distinct query texts kept; the least recently used goes first.
const CAPACITY: NonZeroUsize = NonZeroUsize::MIN.saturating_add(511);

/// Longest query text kept (bytes); longer ones are parsed each time.
const MAX_KEPT_QUERY: usize = 16 * 1024;

/// Parsed documents, kept per query text when on (the `documents` speed path).
pub struct Documents {
    kept: Option<Mutex<LruCache<String, Arc<ExecutableDocument>>>>,
}

impl Documents {
    /// A parser that keeps documents when `keep`.
    pub fn new(keep: bool) -> Self {
        Self { kept: keep.then(|| Mutex::new(LruCache::new(CAPACITY))) }
    }

    /// The syntax tree of `query`, kept or freshly parsed.
    pub fn parse(&self, query: &str) -> Result<Arc<ExecutableDocument>, ServerError> {
        let Some(kept) = &self.kept else { return parse(query) };
        // A poisoned lock only means another request panicked mid-insert; parse afresh.
        if let Some(document) = kept.lock().ok().and_then(|mut kept| kept.get(query).cloned()) {
            return Ok(document);
        }
        let document = parse(query)?;
        if query.len() <= MAX_KEPT_QUERY
            && let Ok(mut kept) = kept.lock()
        {
            kept.put(query.to_string(), document.clone());
        }
        Ok(document)
    }
}

/// The syntax tree of `query`, freshly parsed.
pub fn parse(query: &str) -> Result<Arc<ExecutableDocument>, ServerError> {
    // The parser recurses per nesting level: whatever the caller checked, never hand it
    // more than the hard ceiling (see `graphql::limits`).
    let ceiling = crate::graphql::limits::Limits {
        query_bytes: usize::MAX,
        tokens: usize::MAX,
        nesting: crate::graphql::limits::HARD_MAX_NESTING,
        ..Default::default()
    };
    ceiling.precheck(query, &async_graphql::Variables::default())?;
    Ok(Arc::new(async_graphql::parser::parse_query(query)?))
}

/// The operation a request runs: the one `name` names, or the document's first.
pub fn selected<'d>(document: &'d ExecutableDocument, name: Option<&str>) -> Option<&'d OperationDefinition> {
    let mut operations = document.operations.iter();
    let found = match name {
        Some(name) => operations.find(|(n, _)| n.is_some_and(|n| n.as_str() == name)),
        None => operations.next(),
    };
    found.map(|(_, op)| &op.node)
}

/// The schema's root type for `op` (`None` for subscriptions, which the schema has not).
pub fn root_type(op: &OperationDefinition) -> Option<&'static str> {
    match op.ty {
        OperationType::Query => Some("Query"),
        OperationType::Mutation => Some("Mutation"),
        OperationType::Subscription => None,
    }
}

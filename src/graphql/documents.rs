//! Parsed query documents, cached. Clients send the same few query texts over and over;
//! parsing one of the benchmark's pages took about a tenth of the request's CPU, a cache
//! hit is a clone of the syntax tree. Validation, limits and execution still run each time.
//!
//! Parsing happens here rather than in an async-graphql extension on purpose: with any
//! extension registered, async-graphql routes every field of every response through the
//! extension chain (type names, a registry lookup and boxed futures per field).

use async_graphql::ServerError;
use async_graphql::parser::types::{ExecutableDocument, OperationDefinition, OperationType};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, LazyLock, Mutex};

/// Distinct query texts kept; the least recently used goes first.
const CAPACITY: NonZeroUsize = NonZeroUsize::MIN.saturating_add(511);

/// Longest query text cached (bytes); longer ones are parsed each time.
const MAX_CACHED_QUERY: usize = 16 * 1024;

static CACHE: LazyLock<Mutex<LruCache<String, Arc<ExecutableDocument>>>> =
    LazyLock::new(|| Mutex::new(LruCache::new(CAPACITY)));

/// Runs `look` on the syntax tree of `query` without copying a cached one.
pub fn inspect<T>(query: &str, look: impl FnOnce(&ExecutableDocument) -> T) -> Result<T, ServerError> {
    if let Some(mut cache) = CACHE.lock().ok()
        && let Some(document) = cache.get(query)
    {
        return Ok(look(document));
    }
    parse(query).map(|document| look(&document))
}

/// The syntax tree of `query`, from the cache or freshly parsed.
pub fn parse(query: &str) -> Result<Arc<ExecutableDocument>, ServerError> {
    // A poisoned lock only means another request panicked mid-insert; parse afresh.
    if let Some(document) = CACHE.lock().ok().and_then(|mut cache| cache.get(query).cloned()) {
        return Ok(document);
    }
    // The parser recurses per nesting level: whatever the caller checked, never hand it
    // more than the hard ceiling (see `limits`).
    let ceiling = super::limits::Limits {
        query_bytes: usize::MAX,
        tokens: usize::MAX,
        nesting: super::limits::HARD_MAX_NESTING,
        ..Default::default()
    };
    ceiling.precheck(query, &async_graphql::Variables::default())?;
    let document = Arc::new(async_graphql::parser::parse_query(query)?);
    if query.len() <= MAX_CACHED_QUERY
        && let Ok(mut cache) = CACHE.lock()
    {
        cache.put(query.to_string(), document.clone());
    }
    Ok(document)
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

//! Prometheus metrics of one server instance (a registry per app, so tests that start
//! several apps in one process keep their numbers apart).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use std::sync::Arc;

/// Labels of the HTTP request counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// Route (`/graphql`, `/healthz` …; unknown paths are `other`).
    pub route: String,
    /// Status code.
    pub status: u16,
}

/// The counters the server keeps.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    /// HTTP requests by route and status.
    pub requests: Family<RequestLabels, Counter>,
    /// SQL statements executed.
    pub db_statements: Counter,
    /// SQL statements that failed.
    pub db_statement_errors: Counter,
    /// GraphQL errors sent with code `INTERNAL`.
    pub internal_errors: Counter,
    /// Queries answered by one statement (`graphql::direct`).
    pub direct_answers: Counter,
    /// Direct answers given up for the standard path after a failure (logged).
    pub direct_failures: Counter,
    /// Direct answers whose plan and statement text were kept from an earlier request.
    pub direct_reused: Counter,
}

impl Metrics {
    /// A fresh registry with every counter registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("clientele");
        let requests = Family::<RequestLabels, Counter>::default();
        let db_statements = Counter::default();
        let db_statement_errors = Counter::default();
        let internal_errors = Counter::default();
        let direct_answers = Counter::default();
        let direct_failures = Counter::default();
        let direct_reused = Counter::default();
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register("db_statements", "SQL statements executed", db_statements.clone());
        registry.register("db_statement_errors", "SQL statements that failed", db_statement_errors.clone());
        registry.register("graphql_internal_errors", "GraphQL errors with code INTERNAL", internal_errors.clone());
        registry.register("graphql_direct_answers", "Queries answered by one statement", direct_answers.clone());
        registry.register(
            "graphql_direct_failures",
            "Direct answers given up for the standard path after a failure",
            direct_failures.clone(),
        );
        registry.register(
            "graphql_direct_plans_reused",
            "Direct answers whose plan was kept from an earlier request",
            direct_reused.clone(),
        );
        Self {
            registry: Arc::new(registry),
            requests,
            db_statements,
            db_statement_errors,
            internal_errors,
            direct_answers,
            direct_failures,
            direct_reused,
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

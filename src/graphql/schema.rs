//! Builds the schema with its limits, and renders the SDL.

use super::mutation::MutationRoot;
use super::query::QueryRoot;
use crate::config::Config;
use async_graphql::{EmptySubscription, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;
use std::sync::LazyLock;

/// The application schema.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema with depth and complexity limits, request limits and no field suggestions
/// (they would map the schema for an attacker).
pub fn build_schema(db: Option<DatabaseConnection>, config: &Config) -> AppSchema {
    build(db, config.query_depth_limit, config.query_complexity_limit, config.fast_paths.summaries)
}

/// No async-graphql extension is registered, on purpose (see `documents`); the items of
/// lists resolve their fields without the extension hook (`listed`).
pub(crate) fn build(db: Option<DatabaseConnection>, depth: usize, complexity: usize, summaries: bool) -> AppSchema {
    let mut builder = Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .limit_depth(depth)
        .limit_complexity(complexity)
        .limit_recursive_depth(32)
        .disable_suggestions()
        .data(crate::service::report::summary::Reads(summaries));
    if let Some(db) = db {
        builder = builder.data(db);
    }
    builder.finish()
}

/// The SDL clients build against (`schema.graphql`), rendered once per process (limits
/// do not change it).
pub fn sdl() -> String {
    static SDL: LazyLock<String> = LazyLock::new(|| {
        build(None, usize::MAX, usize::MAX, true)
            .sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_enum_items())
    });
    SDL.clone()
}

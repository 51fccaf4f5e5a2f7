//! Builds the schema with its limits, and renders the SDL.

use super::limits::RequestLimits;
use super::mutation::MutationRoot;
use super::query::QueryRoot;
use crate::config::Config;
use async_graphql::{EmptySubscription, SDLExportOptions, Schema};
use sea_orm::DatabaseConnection;

/// The application schema.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// The schema with depth and complexity limits, request limits and no field suggestions
/// (they would map the schema for an attacker).
pub fn build_schema(db: Option<DatabaseConnection>, config: &Config) -> AppSchema {
    let mut builder = Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .limit_depth(config.query_depth_limit)
        .limit_complexity(config.query_complexity_limit)
        .limit_recursive_depth(32)
        .disable_suggestions()
        .extension(RequestLimits);
    if let Some(db) = db {
        builder = builder.data(db);
    }
    builder.finish()
}

/// The SDL clients build against (`schema.graphql`).
pub fn sdl() -> String {
    let schema = build_schema(None, &default_config());
    schema.sdl_with_options(SDLExportOptions::new().sorted_fields().sorted_enum_items())
}

fn default_config() -> Config {
    // The SDL does not depend on settings; defaults never fail to parse.
    Config::from_lookup(|_| None).unwrap_or_else(|e| panic!("default config is invalid: {e}"))
}

//! Clientele: a CRM backend serving customer records through a GraphQL API.

// The merged query and mutation roots nest deeper than rustc's default layout limit.
#![recursion_limit = "256"]

/// Credentials → `Viewer`: JWT, passwords.
pub mod auth;
/// The command line: serve, migrate, schema, user, token, seed.
pub mod cli;
/// Typed configuration from `CLIENTELE_*` variables.
pub mod config;
/// Connecting, migrating, settings.
pub mod db;
/// Where async-graphql or sea-orm is replaced in part, and why.
pub mod engine;
/// `AppError` and its client codes.
pub mod error;
/// The speed paths and their switch (`CLIENTELE_FAST_PATHS`).
pub mod fast_paths;
/// The GraphQL schema, resolvers and loaders.
pub mod graphql;
/// HTTP routes and middleware.
pub mod http;
/// Prometheus counters.
pub mod metrics;
/// Demo data.
pub mod seed;
/// The domain services.
pub mod service;
/// Building and serving the app.
pub mod startup;
/// Logging set-up.
pub mod telemetry;

//! The GraphQL API: schema assembly, request execution, and one folder per role.

pub mod arguments;
pub mod context;
pub mod cost;
pub mod crud;
pub mod direct;
pub mod execute;
pub mod idempotency;
pub mod input;
pub mod limits;
pub mod loader;
pub mod mutation;
pub mod policy;
pub mod query;
pub mod record;
pub mod relay;
pub mod schema;
pub mod shape;
pub mod types;
pub mod verdicts;

pub use execute::execute;
pub use schema::{AppSchema, build_schema, sdl};

//! Where Clientele replaces part of async-graphql or sea-orm, each for a measured reason.
//! Everything else uses the libraries as documented. Each module says what it replaces,
//! why, and what it relies on; `tests/api/engine.rs` fails when an upgrade of either
//! library changes that behaviour (answers and statement counts, not only speed).
//!
//! - [`documents`]: parsing once per request and keeping parsed documents (replaces the
//!   parse inside `Schema::execute`).
//! - [`drive`]: polling loader batches inside the request's task once every sibling field
//!   has asked (replaces `DataLoader`'s spawner and its 1 ms delay).
//! - [`listed`]: resolving list items' plain selections in one joined future (replaces
//!   async-graphql's per-field boxed futures for list items and to-one records).
//! - [`rows`]: decoding whole-record rows by column position, and transactions that finish
//!   when a request is dropped (replaces sea-orm's by-name `FromQueryResult`).

pub mod documents;
pub mod drive;
pub mod listed;
pub mod rows;

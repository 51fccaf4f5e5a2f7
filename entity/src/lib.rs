//! Clientele's database entities (sea-orm). Plain data: no HTTP, no GraphQL.
//!
//! Every business table has a time-ordered UUID v7 key, `created_at` and `updated_at`;
//! mutable records also carry `version` (bumped on each write) and `deleted_at` (soft delete).
//! Money is stored exactly as an integer count of ten-thousandths of the currency unit
//! (`*_e4` columns), which sums exactly on SQLite and PostgreSQL alike; see [`money`].

pub mod api_key;
pub mod audit_event;
pub mod campaign;
pub mod campaign_participation;
pub mod classification;
pub mod consent;
pub mod contact;
pub mod correction_request;
pub mod custom_field;
pub mod customer;
pub mod customer_merge;
pub mod customer_review;
pub mod customer_tag;
pub mod deal;
pub mod enums;
pub mod erasure;
pub mod feedback;
pub mod idempotency_key;
pub mod interaction;
pub mod money;
pub mod personal_data_access;
pub mod privacy_notice;
pub mod purchase;
pub mod record;
pub mod refresh_token;
pub mod segment;
pub mod setting;
pub mod sla_policy;
pub mod summary;
pub mod survey;
pub mod survey_invitation;
pub mod survey_response;
pub mod tag;
pub mod team;
pub mod ticket;
pub mod ticket_status_change;
pub mod user;

pub use sea_orm;

/// A new time-ordered primary key (UUID v7): inserts stay append-only in the indexes.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

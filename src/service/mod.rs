//! The domain: free async functions per noun, returning `AppResult`. No GraphQL here.

pub mod api_key;
pub mod audit;
pub mod campaign;
pub mod classification;
pub mod contact;
pub mod cursor;
pub mod custom_field;
pub mod customer;
pub mod deal;
pub mod duplicate;
pub mod feedback;
pub mod follow_up;
pub mod idempotency;
pub mod insert;
pub mod interaction;
pub mod merge;
pub mod page;
pub mod permission;
pub mod purchase;
pub mod record;
pub mod reference;
pub mod report;
pub mod segment;
pub mod sequence;
pub mod session;
pub mod sla;
pub mod survey;
pub mod tag;
pub mod ticket;
pub mod user;
pub mod validate;
pub mod writes;

/// The current time at the precision both databases keep (microseconds), so values read
/// back compare equal to values written (cursors depend on it).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}

//! Classification (seed 004, DOMAIN.md "Classification"): each customer's lifecycle stage,
//! value tier, need urgency and behaviours, computed from its records by rules the team
//! reads and changes (`classificationRules`), over all customers in set-based statements.
//!
//! - [`rules`]: the rules as versioned data (validated, audited), defaults from DOMAIN.md.
//! - [`sql`]: the statements, one per dimension; each change is kept with its facts.
//! - [`reason`]: the sentence a person reads, from the facts a class was decided on.
//! - [`job`]: the in-server daily run, once across instances.
//!
//! Time is a parameter everywhere (`at`), so tests move it. Classification is derived,
//! not written by a client: it does not bump a record's `version`.

pub mod job;
pub mod one;
pub mod reason;
pub mod rules;
pub mod sql;

pub use rules::{BehaviourRules, LifecycleRules, NeedRules, Rules, Stored, ValueRules};
pub use sql::{Changed, DIMENSIONS, reclassify};

use crate::error::AppResult;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};

/// Reclassifies every live customer as of `at` by the stored rules.
pub async fn reclassify_all<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    at: DateTime<Utc>,
    step: impl FnMut(&str, u64),
) -> AppResult<Changed> {
    let stored = rules::current(db).await?;
    reclassify(db, &stored.rules, stored.version, at, step).await
}

/// The dimensions a write of `record` (changing `fields`) may move for its customer: what
/// an update, delete or restore re-evaluates in its own transaction (`record::write_versioned`).
pub fn touched_by(record: &str, fields: &[&str]) -> &'static [&'static str] {
    match record {
        "Interaction" => &["LIFECYCLE", "HIGH_FREQUENCY", "DORMANT"],
        "Purchase" => &["LIFECYCLE", "VALUE"],
        "Ticket" | "Feedback" => &["COMPLAINANT"],
        "Customer" if fields.iter().any(|f| matches!(*f, "potentialNeeds" | "needPriority" | "needExpectedDate")) => {
            &["NEED"]
        }
        _ => &[],
    }
}

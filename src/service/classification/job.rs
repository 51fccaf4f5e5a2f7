//! The in-server daily classification: every instance checks now and then; the one that
//! finds a day passed since the last run (kept in `settings`) runs it, under a PostgreSQL
//! advisory lock so that several instances run it once. On SQLite the one process runs it.
//! The time is a parameter, so tests move it.

use super::sql::LOCK;
use super::{Changed, reclassify_all};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use entity::setting;
use sea_orm::{DatabaseConnection, EntityTrait};
use std::time::Duration;

/// The `settings` key holding the last run's time (RFC 3339).
pub const LAST_RUN: &str = "classification.last_run";

/// Runs the classification as of `at` if `every` has passed since the last run and no
/// other instance is running it; `None` when it was not due or taken elsewhere.
pub async fn run_due(db: &DatabaseConnection, at: DateTime<Utc>, every: Duration) -> AppResult<Option<Changed>> {
    let txn = crate::engine::rows::begin(db).await?;
    if !crate::service::try_job_lock(&txn, LOCK).await? {
        txn.rollback().await?;
        return Ok(None);
    }
    let last = setting::Entity::find_by_id(LAST_RUN.to_string()).one(&txn).await?;
    let last = last.and_then(|s| DateTime::parse_from_rfc3339(&s.value).ok()).map(|t| t.with_timezone(&Utc));
    let every = chrono::Duration::from_std(every).map_err(|e| AppError::internal(e.to_string()))?;
    if last.is_some_and(|last| at < last + every) {
        // Explicitly: a dropped transaction rolls back only when its connection is next
        // used, and until then its session would keep holding the lock.
        txn.rollback().await?;
        return Ok(None);
    }
    let changed = reclassify_all(&txn, at, |_, _| {}).await?;
    crate::db::put_setting(&txn, LAST_RUN, at.to_rfc3339(), at).await?;
    txn.commit().await?;
    Ok(Some(changed))
}

/// Checks every `check` whether the daily run is due (`clock` tells the time), for as
/// long as the server runs. Failures are logged and retried at the next check.
pub async fn run_forever(
    db: DatabaseConnection,
    every: Duration,
    check: Duration,
    clock: impl Fn() -> DateTime<Utc> + Send + 'static,
) {
    crate::service::every("daily classification", check, || run_due(&db, clock(), every)).await;
}

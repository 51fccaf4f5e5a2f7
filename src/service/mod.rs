//! The domain: free async functions per noun, returning `AppResult`. No GraphQL here.

pub mod access_log;
pub mod api_key;
pub mod audit;
pub mod audit_trail;
pub mod campaign;
pub mod classification;
pub mod consent;
pub mod contact;
pub mod correction;
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
pub mod retention;
pub mod segment;
pub mod sequence;
pub mod session;
pub mod sla;
pub mod subject;
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

/// Runs `job` every `check` for as long as the server runs: what it did (`Some`) is logged
/// as `what`, failures are logged and retried at the next check. The daily jobs and the
/// service-level sweep run this way.
pub async fn every<T, F, Fut>(what: &'static str, check: std::time::Duration, mut job: F)
where
    T: std::fmt::Debug,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = crate::error::AppResult<Option<T>>>,
{
    let mut ticks = tokio::time::interval(check);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match job().await {
            Ok(Some(done)) => tracing::info!(?done, "{what} ran"),
            Ok(None) => {}
            Err(err) => tracing::warn!(error = %err, "{what} failed; retrying at the next check"),
        }
    }
}

/// Takes the PostgreSQL advisory lock `key` for the rest of `txn` if no other session holds
/// it (`false`: another instance is doing the work). On SQLite the one process holds every
/// lock: `true`.
pub async fn try_job_lock(txn: &sea_orm::DatabaseTransaction, key: i64) -> crate::error::AppResult<bool> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(true);
    }
    let sql = format!("SELECT pg_try_advisory_xact_lock({key}) AS taken");
    let row = txn.query_one_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
    Ok(row.map(|r| r.try_get("", "taken")).transpose()?.unwrap_or(false))
}

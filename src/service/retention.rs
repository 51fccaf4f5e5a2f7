//! Retention (PIPL art. 19, GDPR art. 5(1)(e)): personal data is kept for a defined period
//! and then deleted or anonymised by a standard. Policies are data (admins set them, each
//! audited); `clientele retention run [--dry-run]` and an in-server daily job apply them as
//! of a time the caller gives (tests move it), under a PostgreSQL advisory lock so that
//! several instances run them once.
//!
//! | kind | what it does after `keepDays` |
//! |---|---|
//! | PURGE_DELETED (per record type) | soft-deleted records are removed for good, with everything under them |
//! | ANONYMISE_INACTIVE_INTERACTIONS | the free text of interactions of customers without contact for the period is erased |
//! | REMOVE_SURVEY_TEXT | text answers of survey responses older than the period are removed (ratings and choices stay) |
//! | REMOVE_AUDIT_VALUES | old → new values of older audit events are removed (who did what when stays) |
//! | PURGE_IDEMPOTENCY_KEYS | stored idempotent requests and replies are deleted |
//!
//! Every purged or anonymised record gets an audit event (`purge`, `anonymise`); the runs
//! of the other kinds one event each with the count.

use super::record::Checked;
use super::subject::ERASED;
use super::validate::{ErrorCode, FieldError};
use super::{audit, now};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Days, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait, Value};
use serde::{Deserialize, Serialize};

/// The advisory lock of the retention run.
const LOCK: i64 = 0x7265_7465; // "rete"
/// The `settings` key holding the policies (JSON).
pub const POLICIES: &str = "retention.policies";
/// The `settings` key holding the last daily run's time (RFC 3339).
pub const LAST_RUN: &str = "retention.last_run";

/// What a policy does once its period has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Kind {
    PurgeDeleted,
    AnonymiseInactiveInteractions,
    RemoveSurveyText,
    RemoveAuditValues,
    PurgeIdempotencyKeys,
}

impl Kind {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PurgeDeleted => "PURGE_DELETED",
            Self::AnonymiseInactiveInteractions => "ANONYMISE_INACTIVE_INTERACTIONS",
            Self::RemoveSurveyText => "REMOVE_SURVEY_TEXT",
            Self::RemoveAuditValues => "REMOVE_AUDIT_VALUES",
            Self::PurgeIdempotencyKeys => "PURGE_IDEMPOTENCY_KEYS",
        }
    }
}

/// The record types whose soft-deleted rows PURGE_DELETED removes, and their tables.
pub const PURGEABLE: [(&str, &str); 8] = [
    ("Customer", "customers"),
    ("Contact", "contacts"),
    ("Interaction", "interactions"),
    ("Purchase", "purchases"),
    ("Deal", "deals"),
    ("Ticket", "tickets"),
    ("Feedback", "feedback"),
    ("SurveyResponse", "survey_responses"),
];

/// One policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub kind: Kind,
    /// PURGE_DELETED only: the record type.
    pub record_type: Option<String>,
    pub keep_days: u32,
    pub enabled: bool,
}

/// The policies when none was set: everything off but the purge of idempotency keys after
/// a week (a retry comes within minutes).
fn defaults() -> Vec<Policy> {
    let mut out: Vec<Policy> = PURGEABLE
        .iter()
        .map(|(name, _)| Policy {
            kind: Kind::PurgeDeleted,
            record_type: Some((*name).into()),
            keep_days: 30,
            enabled: false,
        })
        .collect();
    out.extend([
        Policy { kind: Kind::AnonymiseInactiveInteractions, record_type: None, keep_days: 3 * 365, enabled: false },
        Policy { kind: Kind::RemoveSurveyText, record_type: None, keep_days: 365, enabled: false },
        Policy { kind: Kind::RemoveAuditValues, record_type: None, keep_days: 2 * 365, enabled: false },
        Policy { kind: Kind::PurgeIdempotencyKeys, record_type: None, keep_days: 7, enabled: true },
    ]);
    out
}

/// Every policy as set (or by default).
pub async fn policies<C: ConnectionTrait>(db: &C) -> AppResult<Vec<Policy>> {
    use sea_orm::EntityTrait;
    let stored = entity::setting::Entity::find_by_id(POLICIES.to_string()).one(db).await?;
    let set: Vec<Policy> = match stored {
        Some(row) => serde_json::from_str(&row.value)
            .map_err(|e| AppError::internal(format!("the stored retention policies cannot be read: {e}")))?,
        None => Vec::new(),
    };
    Ok(defaults()
        .into_iter()
        .map(|d| set.iter().find(|p| p.kind == d.kind && p.record_type == d.record_type).cloned().unwrap_or(d))
        .collect())
}

/// Sets one policy (admins; audited).
pub async fn set(db: &DatabaseConnection, viewer: &Viewer, policy: Policy) -> AppResult<Checked<Policy>> {
    if !viewer.is_admin() {
        return Err(AppError::Forbidden("only admins set retention policies".into()));
    }
    let mut errors = Vec::new();
    let needs_type = policy.kind == Kind::PurgeDeleted;
    match (&policy.record_type, needs_type) {
        (Some(t), true) if !PURGEABLE.iter().any(|(name, _)| name == t) => errors.push(FieldError::new(
            "recordType",
            ErrorCode::Invalid,
            format!("one of {}", PURGEABLE.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")),
        )),
        (None, true) => {
            errors.push(FieldError::new("recordType", ErrorCode::Required, "PURGE_DELETED needs a record type"))
        }
        (Some(_), false) => {
            errors.push(FieldError::new("recordType", ErrorCode::Invalid, "only PURGE_DELETED takes a record type"))
        }
        _ => {}
    }
    if !(1..=36_500).contains(&policy.keep_days) {
        errors.push(FieldError::new("keepDays", ErrorCode::Invalid, "1 to 36,500 days"));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let txn = crate::engine::rows::begin(db).await?;
    let mut all = policies(&txn).await?;
    let before = all.iter().find(|p| p.kind == policy.kind && p.record_type == policy.record_type).cloned();
    all.retain(|p| !(p.kind == policy.kind && p.record_type == policy.record_type));
    all.push(policy.clone());
    let text = serde_json::to_string(&all).map_err(|e| AppError::internal(e.to_string()))?;
    crate::db::put_setting(&txn, POLICIES, text, now()).await?;
    let changes = serde_json::json!([{ "field": "policy", "old": before, "new": policy }]);
    audit::record_changes(
        &txn,
        viewer,
        "setRetentionPolicy",
        ("RetentionPolicy", uuid::Uuid::nil()),
        &["policy"],
        changes,
    )
    .await?;
    crate::engine::rows::commit(txn).await?;
    Ok(Ok(policy))
}

/// What one policy did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub kind: Kind,
    pub record_type: Option<String>,
    /// Records purged, anonymised or cleaned.
    pub count: u64,
}

/// Applies every enabled policy as of `at` (or counts what it would do with `dry_run`), each
/// in its own transaction; `progress` hears each policy as it starts. `None` when another
/// instance holds the run's lock.
pub async fn run(
    db: &DatabaseConnection,
    at: DateTime<Utc>,
    dry_run: bool,
    progress: impl FnMut(&Policy),
) -> AppResult<Option<Vec<Line>>> {
    run_if_due(db, at, dry_run, None, progress).await
}

/// [`run`], unless `every` is given and has not passed since the last run (checked under
/// the lock, so that instances that found it due at once run it once).
async fn run_if_due(
    db: &DatabaseConnection,
    at: DateTime<Utc>,
    dry_run: bool,
    every: Option<chrono::Duration>,
    mut progress: impl FnMut(&Policy),
) -> AppResult<Option<Vec<Line>>> {
    // The lock's transaction only holds the lock (on PostgreSQL); the work runs beside it.
    let lock = db.begin().await?;
    if !super::try_job_lock(&lock, LOCK).await? {
        lock.rollback().await?;
        return Ok(None);
    }
    if let Some(every) = every {
        let last = crate::db::setting(db, LAST_RUN).await?;
        let last = last.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|t| t.with_timezone(&Utc));
        if last.is_some_and(|last| at < last + every) {
            lock.rollback().await?;
            return Ok(None);
        }
    }
    let mut report = Vec::new();
    for policy in policies(db).await?.into_iter().filter(|p| p.enabled) {
        progress(&policy);
        let cutoff = at.checked_sub_days(Days::new(u64::from(policy.keep_days))).unwrap_or(at);
        let count = if dry_run {
            count(db, &policy, cutoff).await?
        } else {
            let txn = crate::engine::rows::begin(db).await?;
            let n = apply(&txn, &policy, cutoff, at).await?;
            txn.commit().await?;
            n
        };
        report.push(Line { kind: policy.kind, record_type: policy.record_type.clone(), count });
    }
    if !dry_run {
        crate::db::put_setting(db, LAST_RUN, at.to_rfc3339(), at).await?;
    }
    lock.commit().await?;
    Ok(Some(report))
}

/// The rows a policy concerns, as `FROM … WHERE …` with `$1` the cutoff.
fn target(policy: &Policy) -> Option<String> {
    Some(match policy.kind {
        Kind::PurgeDeleted => {
            let table = PURGEABLE.iter().find(|(n, _)| Some(*n) == policy.record_type.as_deref())?.1;
            format!("{table} t WHERE t.deleted_at IS NOT NULL AND t.deleted_at < $1")
        }
        Kind::AnonymiseInactiveInteractions => format!(
            "interactions t WHERE t.summary <> '{ERASED}' AND t.customer_id IN (
                SELECT c.id FROM customers c WHERE COALESCE(c.last_interaction_at, c.created_at) < $1)"
        ),
        Kind::RemoveSurveyText => "survey_responses t WHERE t.submitted_at < $1".into(),
        Kind::RemoveAuditValues => "audit_events t WHERE t.changes IS NOT NULL AND t.created_at < $1".into(),
        Kind::PurgeIdempotencyKeys => "idempotency_keys t WHERE t.created_at < $1".into(),
    })
}

fn statement(backend: DbBackend, sql: String, values: Vec<Value>) -> Statement {
    // SQLite numbers its parameters `?1`, `?2` (one may appear several times).
    let sql = if backend == DbBackend::Sqlite { sql.replace("$1", "?1").replace("$2", "?2") } else { sql };
    Statement::from_sql_and_values(backend, sql, values)
}

/// How many records a policy would touch.
async fn count<C: ConnectionTrait>(db: &C, policy: &Policy, cutoff: DateTime<Utc>) -> AppResult<u64> {
    if policy.kind == Kind::RemoveSurveyText {
        return survey_text(db, cutoff, false).await;
    }
    let Some(from) = target(policy) else { return Ok(0) };
    let backend = db.get_database_backend();
    let row =
        db.query_one_raw(statement(backend, format!("SELECT COUNT(*) AS n FROM {from}"), vec![cutoff.into()])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0).max(0) as u64)
}

/// Applies a policy in `txn`.
async fn apply<C: ConnectionTrait>(
    txn: &C,
    policy: &Policy,
    cutoff: DateTime<Utc>,
    at: DateTime<Utc>,
) -> AppResult<u64> {
    let backend = txn.get_database_backend();
    let Some(from) = target(policy) else { return Ok(0) };
    let all = match backend {
        DbBackend::Postgres => "CAST('[\"*\"]' AS json)",
        _ => "'[\"*\"]'",
    };
    let fields = match backend {
        DbBackend::Postgres => "CAST('[\"summary\",\"outcome\",\"nextStep\"]' AS json)",
        _ => "'[\"summary\",\"outcome\",\"nextStep\"]'",
    };
    match policy.kind {
        Kind::PurgeDeleted => {
            let record = policy.record_type.clone().unwrap_or_default();
            // The values in the audit trail of what goes (and, for customers, of everything
            // under them, which the foreign keys remove with them) go too.
            let mut about = format!("SELECT t.id FROM {from}");
            if record == "Customer" {
                for (_, table) in &PURGEABLE[1..] {
                    about.push_str(&format!(
                        " UNION ALL SELECT u.id FROM {table} u WHERE u.customer_id IN (SELECT t.id FROM {from})"
                    ));
                }
            }
            let scrub = format!("UPDATE audit_events SET changes = NULL WHERE entity_id IN ({about})");
            txn.execute_raw(statement(backend, scrub, vec![cutoff.into()])).await?;
            each(txn, "purge", &record, all, &from, at, cutoff).await?;
            let table = from.split_whitespace().next().unwrap_or_default();
            let purge = format!("DELETE FROM {table} WHERE id IN (SELECT t.id FROM {from})");
            Ok(txn.execute_raw(statement(backend, purge, vec![cutoff.into()])).await?.rows_affected())
        }
        Kind::AnonymiseInactiveInteractions => {
            let scrub = format!("UPDATE audit_events SET changes = NULL WHERE entity_id IN (SELECT t.id FROM {from})");
            txn.execute_raw(statement(backend, scrub, vec![cutoff.into()])).await?;
            each(txn, "anonymise", "Interaction", fields, &from, at, cutoff).await?;
            let erase = format!(
                "UPDATE interactions SET summary = '{ERASED}', outcome = NULL, next_step = NULL
                 WHERE id IN (SELECT t.id FROM {from})"
            );
            Ok(txn.execute_raw(statement(backend, erase, vec![cutoff.into()])).await?.rows_affected())
        }
        Kind::RemoveSurveyText => {
            let n = survey_text(txn, cutoff, true).await?;
            summary(txn, "retention.removeSurveyText", "SurveyResponse", n).await?;
            Ok(n)
        }
        Kind::RemoveAuditValues | Kind::PurgeIdempotencyKeys => {
            let sql = match policy.kind {
                Kind::RemoveAuditValues => {
                    format!("UPDATE audit_events SET changes = NULL WHERE id IN (SELECT t.id FROM {from})")
                }
                _ => format!("DELETE FROM idempotency_keys WHERE id IN (SELECT t.id FROM {from})"),
            };
            let n = txn.execute_raw(statement(backend, sql, vec![cutoff.into()])).await?.rows_affected();
            let (action, entity) = match policy.kind {
                Kind::RemoveAuditValues => ("retention.removeAuditValues", "AuditEvent"),
                _ => ("retention.purgeIdempotencyKeys", "IdempotencyKey"),
            };
            summary(txn, action, entity, n).await?;
            Ok(n)
        }
    }
}

/// An audit event `action` (no actor) for each record of `from`, naming `fields` (a JSON
/// array in SQL).
async fn each<C: ConnectionTrait>(
    txn: &C,
    action: &str,
    entity: &str,
    fields: &str,
    from: &str,
    at: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> AppResult<()> {
    let backend = txn.get_database_backend();
    let id = if backend == DbBackend::Postgres { "gen_random_uuid()" } else { "randomblob(16)" };
    let sql = format!(
        "INSERT INTO audit_events (id, actor_id, action, entity, entity_id, fields, created_at, updated_at)
         SELECT {id}, NULL, '{action}', '{entity}', t.id, {fields}, $2, $2 FROM {from}"
    );
    txn.execute_raw(statement(backend, sql, vec![cutoff.into(), at.into()])).await?;
    Ok(())
}

/// One audit event for a run that changed `n` rows (none for none).
async fn summary<C: ConnectionTrait>(txn: &C, action: &str, entity: &str, n: u64) -> AppResult<()> {
    if n == 0 {
        return Ok(());
    }
    let count = format!("count:{n}");
    audit::record_unattended(txn, action, entity, entity::new_id(), &[count.as_str()]).await
}

/// Removes (or, without `write`, counts) the text answers of responses submitted before
/// `cutoff`, a page of 1,000 at a time.
async fn survey_text<C: ConnectionTrait>(db: &C, cutoff: DateTime<Utc>, write: bool) -> AppResult<u64> {
    use entity::survey_response::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let mut after: Option<uuid::Uuid> = None;
    let mut changed = 0;
    loop {
        let mut page = Entity::find().filter(Column::SubmittedAt.lt(cutoff)).order_by_asc(Column::Id).limit(1000);
        if let Some(after) = after {
            page = page.filter(Column::Id.gt(after));
        }
        let rows = page.all(db).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id);
        for row in rows {
            let serde_json::Value::Object(mut answers) = row.answers else { continue };
            let before = answers.len();
            answers.retain(|_, v| !v.is_string());
            if answers.len() == before {
                continue;
            }
            changed += 1;
            if write {
                Entity::update_many()
                    .col_expr(Column::Answers, sea_orm::sea_query::Expr::val(serde_json::Value::Object(answers)))
                    .filter(Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
            }
        }
    }
    Ok(changed)
}

/// Runs the policies as of `at` if `every` has passed since the last run (kept in
/// `settings`); `None` when not due or taken by another instance.
pub async fn run_due(
    db: &DatabaseConnection,
    at: DateTime<Utc>,
    every: std::time::Duration,
) -> AppResult<Option<Vec<Line>>> {
    let every = chrono::Duration::from_std(every).map_err(|e| AppError::internal(e.to_string()))?;
    run_if_due(db, at, false, Some(every), |_| {}).await
}

/// Checks every `check` whether the daily run is due (`clock` tells the time), for as long
/// as the server runs.
pub async fn run_forever(
    db: DatabaseConnection,
    every: std::time::Duration,
    check: std::time::Duration,
    clock: impl Fn() -> DateTime<Utc> + Send + 'static,
) {
    super::every("retention", check, || run_due(&db, clock(), every)).await;
}

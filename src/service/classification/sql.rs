//! The classification statements: per dimension, one `SELECT` computes every live
//! customer's class and the facts behind it into a staging table; then the changes are
//! kept as history, the current class (with `since` and facts) replaced where it changed,
//! and the customer's own column (lifecycle stage, value tier, need urgency) updated.
//! A handful of statements per dimension whatever the number of customers.

use super::rules::{BehaviourRules, LifecycleRules, NeedRules, Rules, ValueRules};
use crate::error::AppResult;
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionSession, TransactionTrait, Value};

/// How many customers changed class, by dimension (in [`DIMENSIONS`] order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    pub lifecycle: u64,
    pub value: u64,
    pub need: u64,
    pub behaviours: u64,
}

/// The PostgreSQL advisory lock key of classification runs.
pub const LOCK: i64 = 0x636c_7373; // "clss"

/// The dimensions, in the order [`reclassify`] runs them (for a progress display).
pub const DIMENSIONS: [&str; 6] = ["LIFECYCLE", "VALUE", "NEED", "HIGH_FREQUENCY", "DORMANT", "COMPLAINANT"];

/// One dimension: its statement (with `$n` parameters), their values, and the customer
/// column that mirrors it.
struct Dimension {
    name: &'static str,
    select: &'static str,
    params: Vec<Value>,
    column: Option<&'static str>,
}

fn dimensions(rules: &Rules, at: DateTime<Utc>) -> [Dimension; 6] {
    [
        Dimension {
            name: DIMENSIONS[0],
            select: LIFECYCLE,
            params: lifecycle(&rules.lifecycle, at),
            column: Some("lifecycle_stage"),
        },
        Dimension { name: DIMENSIONS[1], select: VALUE, params: value(&rules.value, at), column: Some("value_tier") },
        Dimension { name: DIMENSIONS[2], select: NEED, params: need(&rules.need, at), column: Some("need_urgency") },
        Dimension {
            name: DIMENSIONS[3],
            select: HIGH_FREQUENCY,
            params: frequency(&rules.behaviour, at),
            column: None,
        },
        Dimension { name: DIMENSIONS[4], select: DORMANT, params: dormant(&rules.behaviour, at), column: None },
        Dimension { name: DIMENSIONS[5], select: COMPLAINANT, params: complaint(&rules.behaviour, at), column: None },
    ]
}

/// Reclassifies every live customer as of `at` under `rules` (of `version`), in one
/// transaction; `step` is told each dimension done.
pub async fn reclassify<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    rules: &Rules,
    version: i32,
    at: DateTime<Utc>,
    mut step: impl FnMut(&str, u64),
) -> AppResult<Changed> {
    let txn = crate::engine::rows::begin_write(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // One classification at a time across instances (a second waits, then finds
        // nothing left to change); the daily job tries the same lock and skips if taken.
        run(&txn, &format!("SELECT pg_advisory_xact_lock({LOCK})"), vec![]).await?;
        // A run over every customer is a batch job, not a request: the request-sized
        // statement timeout (`CLIENTELE_DB_STATEMENT_TIMEOUT_MS`) would cut a first run,
        // which writes every class. Bounded still, for this transaction only.
        run(&txn, "SET LOCAL statement_timeout = '300s'", vec![]).await?;
    }
    let mut changed = Changed::default();
    run(&txn, "DROP TABLE IF EXISTS cls_stage", vec![]).await?;
    run(&txn, STAGE, vec![]).await?;
    for dimension in dimensions(rules, at) {
        let n = apply(&txn, &dimension, version, at).await?;
        match dimension.name {
            "LIFECYCLE" => changed.lifecycle = n,
            "VALUE" => changed.value = n,
            "NEED" => changed.need = n,
            _ => changed.behaviours += n,
        }
        step(dimension.name, n);
    }
    run(&txn, "DROP TABLE cls_stage", vec![]).await?;
    txn.commit().await?;
    Ok(changed)
}

async fn apply<C: ConnectionTrait>(txn: &C, d: &Dimension, version: i32, at: DateTime<Utc>) -> AppResult<u64> {
    run(txn, "DELETE FROM cls_stage", vec![]).await?;
    let stage = format!("INSERT INTO cls_stage (id, value, amount, share, at, count) {}", d.select);
    run(txn, &stage, d.params.clone()).await?;
    if d.name == "VALUE" {
        keep_cutoff(txn, at, d.params[5].clone()).await?;
    }
    let kept = vec![d.name.into(), at.into(), version.into()];
    let changes = run(txn, &CHANGES.replace("{target}", HISTORY_TARGET), kept.clone()).await?;
    if changes > 0 {
        run(txn, &format!("{}{UPSERT_TAIL}", CHANGES.replace("{target}", CURRENT_TARGET)), kept).await?;
    }
    if let Some(column) = d.column {
        run(txn, &MIRROR.replace("{column}", column), vec![]).await?;
    }
    Ok(changes)
}

/// The `settings` key of the spend that made the top share at the last full run.
/// (Spelled out in [`VALUE`] too.)
pub const VALUE_CUTOFF: &str = "classification.value_cutoff";

/// Keeps the lowest spend among the top share (see [`VALUE_CUTOFF`]); none: no entry.
async fn keep_cutoff<C: ConnectionTrait>(txn: &C, at: DateTime<Utc>, top: Value) -> AppResult<()> {
    run(txn, "DELETE FROM settings WHERE key = $1", vec![VALUE_CUTOFF.into()]).await?;
    let sql = "INSERT INTO settings (key, value, created_at, updated_at)
        SELECT $1, CAST(x.m AS VARCHAR(32)), $2, $2
        FROM (SELECT MIN(amount) AS m FROM cls_stage WHERE share < $3 AND amount > 0) x WHERE x.m IS NOT NULL";
    run(txn, sql, vec![VALUE_CUTOFF.into(), at.into(), top]).await?;
    Ok(())
}

/// Runs `sql` (written with `$n` placeholders) on either database; the rows it changed.
pub(super) async fn run<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> AppResult<u64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        // SQLite numbers its parameters `?NNN`.
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_string(),
    };
    Ok(db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected())
}

/// `at` less `months` calendar months (the earliest time when that underflows).
pub fn months_before(at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    at.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn day(at: DateTime<Utc>) -> NaiveDate {
    at.date_naive()
}

/// The staging table one dimension's classes are computed into.
const STAGE: &str = "CREATE TEMPORARY TABLE cls_stage (
    id UUID PRIMARY KEY, value VARCHAR(32), amount BIGINT, share DOUBLE PRECISION, at DATE, count INTEGER)";

/// Where a change goes: `$1` the dimension, `$2` the time, `$3` the rules version.
const HISTORY_TARGET: &str = "INSERT INTO classification_history
    (customer_id, dimension, from_value, to_value, changed_at, amount, share, at, count, rules_version)
    SELECT s.id, $1, cc.value, s.value, $2, s.amount, s.share, s.at, s.count, $3";
const CURRENT_TARGET: &str = "INSERT INTO customer_classifications
    (customer_id, dimension, value, since, amount, share, at, count, rules_version)
    SELECT s.id, $1, s.value, $2, s.amount, s.share, s.at, s.count, $3";

/// The staged classes that differ from the current ones (a first class counts when set).
const CHANGES: &str = "{target}
    FROM cls_stage s
    LEFT JOIN customer_classifications cc ON cc.customer_id = s.id AND cc.dimension = $1
    WHERE (cc.customer_id IS NULL AND s.value IS NOT NULL)
       OR (cc.customer_id IS NOT NULL AND cc.value IS DISTINCT FROM s.value)";

const UPSERT_TAIL: &str = "
    ON CONFLICT (customer_id, dimension) DO UPDATE SET value = excluded.value, since = excluded.since,
        amount = excluded.amount, share = excluded.share, at = excluded.at, count = excluded.count,
        rules_version = excluded.rules_version";

/// The customer's own column, where it differs from the staged class.
const MIRROR: &str = "UPDATE customers SET {column} = s.value FROM cls_stage s
    WHERE customers.id = s.id AND customers.{column} IS DISTINCT FROM s.value";

/// `$1` first purchases on or after it are NEW; `$2` last interactions before it are at
/// CHURN_RISK. Facts: the first purchase's date, or the last contact's for CHURN_RISK.
pub(super) const LIFECYCLE: &str = "
SELECT t.id, t.stage, NULL, NULL,
    CASE t.stage WHEN 'POTENTIAL' THEN NULL WHEN 'CHURN_RISK' THEN date(t.last_contact) ELSE date(t.first_purchase) END,
    NULL
FROM (
    SELECT c.id, p.first_purchase, COALESCE(i.last_interaction, c.created_at) AS last_contact,
        CASE
            WHEN p.first_purchase IS NULL THEN 'POTENTIAL'
            WHEN p.first_purchase >= $1 THEN 'NEW'
            WHEN COALESCE(i.last_interaction, c.created_at) < $2 THEN 'CHURN_RISK'
            ELSE 'ESTABLISHED'
        END AS stage
    FROM customers c
    LEFT JOIN (
        SELECT customer_id, MIN(purchased_at) AS first_purchase FROM purchases
        WHERE deleted_at IS NULL GROUP BY customer_id
    ) p ON p.customer_id = c.id
    LEFT JOIN (
        SELECT customer_id, MAX(occurred_at) AS last_interaction FROM interactions
        WHERE deleted_at IS NULL GROUP BY customer_id
    ) i ON i.customer_id = c.id
    WHERE c.deleted_at IS NULL
) t";

pub(super) fn lifecycle(rules: &LifecycleRules, at: DateTime<Utc>) -> Vec<Value> {
    vec![
        day(months_before(at, rules.new_within_months)).into(),
        months_before(at, rules.churn_risk_after_months).into(),
    ]
}

/// `$1` the base currency; `$2` the window's first day; `$3` the growth span's first day
/// and `$4` the span before it; `$5` HIGH's threshold, `$6` its top share (0–1, against
/// each customer's `PERCENT_RANK` by spend), `$7` MEDIUM's threshold, `$8` a spend that makes
/// HIGH too: none over all customers; for one customer alone, whose rank among all is not
/// computed (`$6` is then -1), null, and the spend that made the top share at the last
/// full run is read from `settings` instead. Spend is in whole
/// units (`amount_e4 / 10000`), so the sums cannot overflow. Facts: the window's spend
/// (the growth span's for POTENTIAL) and the rank.
pub(super) const VALUE: &str = "
SELECT r.id,
    CASE
        WHEN NOT r.purchased THEN NULL
        WHEN r.spend > 0 AND (r.spend >= $5 OR r.share < $6 OR r.spend >= COALESCE($8, (SELECT CAST(k.value AS BIGINT) FROM settings k WHERE k.key = 'classification.value_cutoff'))) THEN 'HIGH'
        WHEN r.recent > r.prior THEN 'POTENTIAL'
        WHEN r.spend >= $7 THEN 'MEDIUM'
        ELSE 'LOW'
    END,
    CASE WHEN r.recent > r.prior AND NOT (r.spend > 0 AND (r.spend >= $5 OR r.share < $6 OR r.spend >= COALESCE($8, (SELECT CAST(k.value AS BIGINT) FROM settings k WHERE k.key = 'classification.value_cutoff')))) THEN r.recent
        ELSE r.spend END,
    CASE WHEN $6 < 0 THEN NULL ELSE r.share END, NULL, NULL
FROM (
    SELECT t.*, PERCENT_RANK() OVER (ORDER BY t.spend DESC) AS share
    FROM (
        SELECT c.id,
            COUNT(p.id) > 0 AS purchased,
            COALESCE(SUM(CASE WHEN p.currency = $1 AND p.purchased_at >= $2 THEN p.amount_e4 / 10000 END), 0) AS spend,
            COALESCE(SUM(CASE WHEN p.currency = $1 AND p.purchased_at >= $3 THEN p.amount_e4 / 10000 END), 0) AS recent,
            COALESCE(SUM(CASE WHEN p.currency = $1 AND p.purchased_at >= $4 AND p.purchased_at < $3
                THEN p.amount_e4 / 10000 END), 0) AS prior
        FROM customers c
        LEFT JOIN purchases p ON p.customer_id = c.id AND p.deleted_at IS NULL
        WHERE c.deleted_at IS NULL
        GROUP BY c.id
    ) t
) r";

/// The parameters of [`VALUE`] over all customers.
fn value(rules: &ValueRules, at: DateTime<Utc>) -> Vec<Value> {
    value_with(rules, at, f64::from(rules.high_top_percent) / 100.0, Some(i64::MAX))
}

/// The parameters of [`VALUE`] with a top share and a spend that makes HIGH (`None`: the
/// last full run's cut-off).
pub(super) fn value_with(rules: &ValueRules, at: DateTime<Utc>, top: f64, cutoff: Option<i64>) -> Vec<Value> {
    vec![
        rules.base_currency.clone().into(),
        day(months_before(at, rules.window_months)).into(),
        day(months_before(at, rules.growth_months)).into(),
        day(months_before(at, rules.growth_months.saturating_mul(2))).into(),
        rules.high_threshold.into(),
        top.into(),
        rules.medium_threshold.into(),
        cutoff.into(),
    ]
}

/// `$1` expected dates on or before it are URGENT. No need at all: no class. Fact: the
/// expected date.
pub(super) const NEED: &str = "
SELECT c.id,
    CASE
        WHEN c.potential_needs IS NULL AND c.need_priority IS NULL AND c.need_expected_date IS NULL THEN NULL
        WHEN c.need_priority = 'HIGH' OR c.need_expected_date <= $1 THEN 'URGENT'
        ELSE 'ROUTINE'
    END,
    NULL, NULL, c.need_expected_date, NULL
FROM customers c
WHERE c.deleted_at IS NULL";

pub(super) fn need(rules: &NeedRules, at: DateTime<Utc>) -> Vec<Value> {
    let by = at.checked_add_days(Days::new(u64::from(rules.urgent_within_days))).unwrap_or(at);
    vec![day(by).into()]
}

/// `$1` the window's start, `$2` its end (now), `$3` the count that makes it. Fact: the
/// count.
pub(super) const HIGH_FREQUENCY: &str = "
SELECT c.id, CASE WHEN c.profiling_allowed AND COALESCE(i.n, 0) >= $3 THEN 'HIGH_FREQUENCY' END, NULL, NULL, NULL, COALESCE(i.n, 0)
FROM customers c
LEFT JOIN (
    SELECT customer_id, COUNT(*) AS n FROM interactions
    WHERE deleted_at IS NULL AND occurred_at >= $1 AND occurred_at <= $2 GROUP BY customer_id
) i ON i.customer_id = c.id
WHERE c.deleted_at IS NULL";

pub(super) fn frequency(rules: &BehaviourRules, at: DateTime<Utc>) -> Vec<Value> {
    let from = at.checked_sub_days(Days::new(u64::from(rules.high_frequency_days))).unwrap_or(at);
    vec![from.into(), at.into(), i32::try_from(rules.high_frequency_interactions).unwrap_or(i32::MAX).into()]
}

/// `$1` no interaction since it (counted from creation without any). Fact: the last
/// interaction's date.
pub(super) const DORMANT: &str = "
SELECT c.id, CASE WHEN c.profiling_allowed AND COALESCE(i.last_interaction, c.created_at) < $1 THEN 'DORMANT' END,
    NULL, NULL, date(i.last_interaction), NULL
FROM customers c
LEFT JOIN (
    SELECT customer_id, MAX(occurred_at) AS last_interaction FROM interactions
    WHERE deleted_at IS NULL GROUP BY customer_id
) i ON i.customer_id = c.id
WHERE c.deleted_at IS NULL";

pub(super) fn dormant(rules: &BehaviourRules, at: DateTime<Utc>) -> Vec<Value> {
    vec![months_before(at, rules.dormant_after_months).into()]
}

/// `$1` complaints since it count. Fact: the last complaint's date.
pub(super) const COMPLAINANT: &str = "
SELECT c.id, CASE WHEN c.profiling_allowed AND x.last_complaint IS NOT NULL THEN 'COMPLAINANT' END, NULL, NULL, date(x.last_complaint), NULL
FROM customers c
LEFT JOIN (
    SELECT u.customer_id, MAX(u.at) AS last_complaint FROM (
        SELECT customer_id, opened_at AS at FROM tickets
        WHERE deleted_at IS NULL AND category = 'COMPLAINT' AND opened_at >= $1
        UNION ALL
        SELECT customer_id, received_at AS at FROM feedback
        WHERE deleted_at IS NULL AND kind = 'COMPLAINT' AND received_at >= $1
    ) u GROUP BY u.customer_id
) x ON x.customer_id = c.id
WHERE c.deleted_at IS NULL";

pub(super) fn complaint(rules: &BehaviourRules, at: DateTime<Utc>) -> Vec<Value> {
    vec![months_before(at, rules.complaint_within_months).into()]
}

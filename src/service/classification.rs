//! Classification (seed 004, DOMAIN.md "Classification"): each customer's lifecycle stage
//! and value tier computed from its purchases and interactions by written rules, over all
//! customers in set-based statements (one per dimension, whatever the number of customers).
//!
//! The time is a parameter (`at`), so tests move it; `clientele reclassify` passes now.
//! The rules are [`Rules::default`] (the thresholds of DOMAIN.md) until they are stored
//! and edited through the API. Classification is derived, not written by a client: it does
//! not bump a record's `version` (an `expectedVersion` read before it stays valid).

use crate::error::AppResult;
use chrono::{DateTime, Months, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

/// The thresholds and windows of the classification, by dimension.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rules {
    pub lifecycle: LifecycleRules,
    pub value: ValueRules,
}

/// Lifecycle: POTENTIAL (no purchase) / NEW (first purchase recent) / ESTABLISHED /
/// CHURN_RISK (no interaction for long).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LifecycleRules {
    /// A customer whose first purchase is at most this many months old is NEW.
    pub new_within_months: u32,
    /// A customer with purchases and no interaction for this many months (counted from
    /// the record's creation when it has none) is at CHURN_RISK.
    pub churn_risk_after_months: u32,
}

/// Value: HIGH / MEDIUM / LOW by spend over a window, POTENTIAL when spend is growing.
/// Spend counts purchases in the base currency, in whole units.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ValueRules {
    /// ISO 4217 code of the purchases that count.
    pub base_currency: String,
    /// The spend window, in months back from now.
    pub window_months: u32,
    /// HIGH: at least this spend in the window …
    pub high_threshold: i64,
    /// … or among this top share of customers by spend, in percent.
    pub high_top_percent: u32,
    /// MEDIUM: at least this spend in the window; below it (with a purchase ever), LOW.
    pub medium_threshold: i64,
    /// POTENTIAL: the spend of the last this-many months exceeds that of the same span
    /// before it (and the customer is not HIGH).
    pub growth_months: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            lifecycle: LifecycleRules { new_within_months: 3, churn_risk_after_months: 6 },
            value: ValueRules {
                base_currency: "CNY".to_string(),
                window_months: 12,
                high_threshold: 50_000,
                high_top_percent: 10,
                medium_threshold: 10_000,
                growth_months: 3,
            },
        }
    }
}

/// How many customers a reclassification changed, by dimension.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changed {
    pub lifecycle: u64,
    pub value: u64,
}

/// The dimensions, in the order [`reclassify`] runs them (for a progress display).
pub const DIMENSIONS: [&str; 2] = ["lifecycle", "value"];

/// Reclassifies every live customer as of `at`; `step` is told each dimension done.
pub async fn reclassify<C: ConnectionTrait>(
    db: &C,
    rules: &Rules,
    at: DateTime<Utc>,
    mut step: impl FnMut(&str, u64),
) -> AppResult<Changed> {
    let lifecycle = run(db, LIFECYCLE, lifecycle_values(&rules.lifecycle, at)).await?;
    step(DIMENSIONS[0], lifecycle);
    let value = run(db, VALUE, value_values(&rules.value, at)).await?;
    step(DIMENSIONS[1], value);
    Ok(Changed { lifecycle, value })
}

/// Runs `sql` (written with `$n` placeholders) on either database; the rows it changed.
async fn run<C: ConnectionTrait>(db: &C, sql: &str, values: Vec<Value>) -> AppResult<u64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        // SQLite numbers its parameters `?NNN`.
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_string(),
    };
    Ok(db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?.rows_affected())
}

fn months_before(at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    at.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn day(at: DateTime<Utc>) -> NaiveDate {
    at.date_naive()
}

/// `$1` first purchases on or after it are NEW; `$2` last interactions before it are at
/// CHURN_RISK.
const LIFECYCLE: &str = "
UPDATE customers SET lifecycle_stage = s.stage
FROM (
    SELECT c.id,
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
) s
WHERE customers.id = s.id AND customers.lifecycle_stage <> s.stage";

fn lifecycle_values(rules: &LifecycleRules, at: DateTime<Utc>) -> Vec<Value> {
    vec![
        day(months_before(at, rules.new_within_months)).into(),
        months_before(at, rules.churn_risk_after_months).into(),
    ]
}

/// `$1` the base currency; `$2` the window's first day; `$3` the growth span's first day
/// and `$4` the span before it; `$5` HIGH's threshold, `$6` its top share (0–1, against each customer's
/// `PERCENT_RANK` by spend), `$7`
/// MEDIUM's threshold. Spend is in whole units (`amount_e4 / 10000`), so the sums cannot
/// overflow.
const VALUE: &str = "
UPDATE customers SET value_tier = s.tier
FROM (
    SELECT r.id,
        CASE
            WHEN NOT r.purchased THEN NULL
            WHEN r.spend > 0 AND (r.spend >= $5 OR r.share < $6) THEN 'HIGH'
            WHEN r.recent > r.prior THEN 'POTENTIAL'
            WHEN r.spend >= $7 THEN 'MEDIUM'
            ELSE 'LOW'
        END AS tier
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
    ) r
) s
WHERE customers.id = s.id AND customers.value_tier IS DISTINCT FROM s.tier";

fn value_values(rules: &ValueRules, at: DateTime<Utc>) -> Vec<Value> {
    vec![
        rules.base_currency.clone().into(),
        day(months_before(at, rules.window_months)).into(),
        day(months_before(at, rules.growth_months)).into(),
        day(months_before(at, rules.growth_months.saturating_mul(2))).into(),
        rules.high_threshold.into(),
        (f64::from(rules.high_top_percent) / 100.0).into(),
        rules.medium_threshold.into(),
    ]
}

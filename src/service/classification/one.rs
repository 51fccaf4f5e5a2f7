//! One customer re-evaluated inside the transaction of a write that may change its class
//! (a purchase, an interaction, a ticket, feedback): the same statements as the full run,
//! narrowed to the customer and the dimensions the write touches, read in one round trip;
//! only a change writes (history, current class, the customer's column).
//!
//! VALUE's top share needs every customer's spend; alone, a customer is HIGH by the
//! threshold or by reaching the spend that made the top share at the last full run.

use super::rules::{self, Rules};
use super::sql::{self, VALUE_CUTOFF, run};
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use entity::classification::{current, history};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Statement, Value};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a process keeps the rules in force before reading them again (a change made
/// through another instance applies to writes here within this time).
const RULES_FRESH_FOR: Duration = Duration::from_secs(30);

/// What a write reads besides its data: the rules, their version, VALUE's cut-off.
#[derive(Clone)]
struct InForce {
    version: i32,
    rules: Rules,
    cutoff: i64,
    read: Instant,
}

static CACHE: OnceLock<Mutex<Option<InForce>>> = OnceLock::new();

async fn in_force<C: ConnectionTrait>(db: &C) -> AppResult<InForce> {
    let cache = CACHE.get_or_init(Mutex::default);
    if let Some(kept) = cache.lock().unwrap_or_else(|p| p.into_inner()).clone()
        && kept.read.elapsed() < RULES_FRESH_FOR
    {
        return Ok(kept);
    }
    let stored = rules::current(db).await?;
    let cutoff = entity::setting::Entity::find_by_id(VALUE_CUTOFF.to_string())
        .one(db)
        .await?
        .and_then(|s| s.value.trim().parse::<i64>().ok())
        .unwrap_or(i64::MAX);
    let fresh = InForce { version: stored.version, rules: stored.rules, cutoff, read: Instant::now() };
    *cache.lock().unwrap_or_else(|p| p.into_inner()) = Some(fresh.clone());
    Ok(fresh)
}

/// Forgets the rules kept in memory (after this process changed them or ran the full
/// classification, which moves VALUE's cut-off); other instances read them within
/// [`RULES_FRESH_FOR`].
pub fn forget_rules() {
    if let Some(cache) = CACHE.get() {
        *cache.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// One dimension's statement for one customer, and its parameters.
fn narrowed(dimension: &str, rules: &Rules, at: DateTime<Utc>, cutoff: i64) -> Option<(&'static str, Vec<Value>)> {
    Some(match dimension {
        "LIFECYCLE" => (sql::LIFECYCLE, sql::lifecycle(&rules.lifecycle, at)),
        "VALUE" => (sql::VALUE, sql::value_with(&rules.value, at, -1.0, cutoff)),
        "NEED" => (sql::NEED, sql::need(&rules.need, at)),
        "HIGH_FREQUENCY" => (sql::HIGH_FREQUENCY, sql::frequency(&rules.behaviour, at)),
        "DORMANT" => (sql::DORMANT, sql::dormant(&rules.behaviour, at)),
        "COMPLAINANT" => (sql::COMPLAINANT, sql::complaint(&rules.behaviour, at)),
        _ => return None,
    })
}

/// `sql` with its `$n` placeholders moved up by `by`.
fn shifted(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut n = 0usize;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n * 10 + d as usize;
                chars.next();
            }
            out.push_str(&format!("${}", n + by));
        } else {
            out.push(ch);
        }
    }
    out
}

/// The one statement reading `dimensions` of `customer`: per dimension, the class the
/// rules give now beside the current one.
fn statement(
    backend: DbBackend,
    dimensions: &[&str],
    customer: Uuid,
    rules: &Rules,
    at: DateTime<Utc>,
    cutoff: i64,
) -> (String, Vec<Value>) {
    let mut params: Vec<Value> = vec![customer.into()];
    let (mut ctes, mut selects) = (Vec::new(), Vec::new());
    // PostgreSQL types a bare NULL in a CTE as text: cast the facts back.
    let date = if backend == DbBackend::Postgres { "CAST(d.at AS DATE)" } else { "d.at" };
    for (i, dimension) in dimensions.iter().enumerate() {
        let Some((select, values)) = narrowed(dimension, rules, at, cutoff) else { continue };
        let select = shifted(select, params.len())
            .replace("WHERE c.deleted_at IS NULL", "WHERE c.deleted_at IS NULL AND c.id = $1");
        params.extend(values);
        ctes.push(format!("d{i}(id, value, amount, share, at, count) AS ({select})"));
        selects.push(format!(
            "SELECT '{dimension}' AS dimension, d.value AS value, CAST(d.amount AS BIGINT) AS amount,
                CAST(d.share AS DOUBLE PRECISION) AS share, {date} AS at, CAST(d.count AS INTEGER) AS count,
                CASE WHEN cc.customer_id IS NULL THEN 0 ELSE 1 END AS known, cc.value AS current_value
             FROM d{i} d LEFT JOIN customer_classifications cc ON cc.customer_id = d.id AND cc.dimension = '{dimension}'"
        ));
    }
    let sql = format!("WITH {} {}", ctes.join(", "), selects.join(" UNION ALL "));
    let sql = if backend == DbBackend::Sqlite { sql.replace('$', "?") } else { sql };
    (sql, params)
}

/// Re-evaluates `customer` on `dimensions` as of `at`, in `txn`; the number of classes
/// that changed.
pub async fn reevaluate<C: ConnectionTrait>(
    txn: &C,
    customer: Uuid,
    dimensions: &[&str],
    at: DateTime<Utc>,
) -> AppResult<u64> {
    let force = in_force(txn).await?;
    let backend = txn.get_database_backend();
    let (sql, params) = statement(backend, dimensions, customer, &force.rules, at, force.cutoff);
    let rows = txn.query_all_raw(Statement::from_sql_and_values(backend, sql, params)).await?;
    let mut changed = 0;
    for row in rows {
        let dimension: String = row.try_get("", "dimension")?;
        let value: Option<String> = row.try_get("", "value")?;
        let known: i32 = row.try_get("", "known")?;
        let before: Option<String> = row.try_get("", "current_value")?;
        if (known == 0 && value.is_none()) || (known == 1 && before == value) {
            continue;
        }
        let facts = (
            row.try_get::<Option<i64>>("", "amount")?,
            row.try_get::<Option<f64>>("", "share")?,
            row.try_get::<Option<NaiveDate>>("", "at")?,
            row.try_get::<Option<i32>>("", "count")?,
        );
        keep(txn, customer, &dimension, before, value, facts, at, force.version).await?;
        changed += 1;
    }
    Ok(changed)
}

type Facts = (Option<i64>, Option<f64>, Option<NaiveDate>, Option<i32>);

/// Writes one change: history, the current class, the customer's column.
#[allow(clippy::too_many_arguments)]
async fn keep<C: ConnectionTrait>(
    txn: &C,
    customer: Uuid,
    dimension: &str,
    before: Option<String>,
    value: Option<String>,
    (amount, share, at, count): Facts,
    now: DateTime<Utc>,
    version: i32,
) -> AppResult<()> {
    history::Entity::insert(history::ActiveModel {
        customer_id: Set(customer),
        dimension: Set(dimension.to_string()),
        from_value: Set(before),
        to_value: Set(value.clone()),
        changed_at: Set(now),
        amount: Set(amount),
        share: Set(share),
        at: Set(at),
        count: Set(count),
        rules_version: Set(version),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    let row = current::ActiveModel {
        customer_id: Set(customer),
        dimension: Set(dimension.to_string()),
        value: Set(value.clone()),
        since: Set(now),
        amount: Set(amount),
        share: Set(share),
        at: Set(at),
        count: Set(count),
        rules_version: Set(version),
    };
    use current::Column as K;
    let on_conflict = OnConflict::columns([K::CustomerId, K::Dimension])
        .update_columns([K::Value, K::Since, K::Amount, K::Share, K::At, K::Count, K::RulesVersion])
        .to_owned();
    current::Entity::insert(row).on_conflict(on_conflict).exec_without_returning(txn).await?;
    let column = match dimension {
        "LIFECYCLE" => "lifecycle_stage",
        "VALUE" => "value_tier",
        "NEED" => "need_urgency",
        _ => return Ok(()),
    };
    run(txn, &format!("UPDATE customers SET {column} = $1 WHERE id = $2"), vec![value.into(), customer.into()]).await?;
    Ok(())
}

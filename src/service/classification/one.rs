//! One customer re-evaluated inside the transaction of a write that may change its class
//! (a purchase, an interaction, a ticket, feedback): the same statements as the full run,
//! narrowed to the customer and the dimensions the write touches, read in one round trip;
//! only a change writes (history, current class, the customer's column).
//!
//! VALUE's top share needs every customer's spend; alone, a customer is HIGH by the
//! threshold or by reaching the spend that made the top share at the last full run.

use super::rules::{self, Rules};
use super::sql::{self, run};
use crate::error::AppResult;
use chrono::{DateTime, NaiveDate, Utc};
use entity::classification::{current, history};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, Statement, Value};
use std::sync::{Mutex, OnceLock};
use uuid::Uuid;

/// The rules this process last read, by their stored row (`None`: the defaults). Each
/// re-evaluation reads which row is in force within its one statement, and reads the rules
/// again only when that row changed: one round trip per write, yet never stale.
static IN_FORCE: OnceLock<Mutex<Option<Kept>>> = OnceLock::new();

/// The rules' row id, version and rules.
type Kept = (Option<Uuid>, i32, Rules);

fn kept() -> Option<Kept> {
    IN_FORCE.get_or_init(Mutex::default).lock().unwrap_or_else(|p| p.into_inner()).clone()
}

fn keep_rules(stored: &rules::Stored) {
    *IN_FORCE.get_or_init(Mutex::default).lock().unwrap_or_else(|p| p.into_inner()) =
        Some((stored.id, stored.version, stored.rules.clone()));
}

/// One dimension's statement for one customer, and its parameters.
fn narrowed(dimension: &str, rules: &Rules, at: DateTime<Utc>) -> Option<(&'static str, Vec<Value>)> {
    Some(match dimension {
        "LIFECYCLE" => (sql::LIFECYCLE, sql::lifecycle(&rules.lifecycle, at)),
        "VALUE" => (sql::VALUE, sql::value_with(&rules.value, at, -1.0, None)),
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
) -> (String, Vec<Value>) {
    let mut params: Vec<Value> = vec![customer.into()];
    let (mut ctes, mut selects) = (Vec::new(), Vec::new());
    // PostgreSQL types a bare NULL in a CTE as text: cast the facts back.
    let date = if backend == DbBackend::Postgres { "CAST(d.at AS DATE)" } else { "d.at" };
    // The id of the rules in force as text (SQLite keeps UUIDs as 16-byte blobs).
    let rules_id = if backend == DbBackend::Postgres { "CAST(r.id AS VARCHAR(36))" } else { "hex(r.id)" };
    for (i, dimension) in dimensions.iter().enumerate() {
        let Some((select, values)) = narrowed(dimension, rules, at) else { continue };
        let select = shifted(select, params.len())
            .replace("WHERE c.deleted_at IS NULL", "WHERE c.deleted_at IS NULL AND c.id = $1");
        params.extend(values);
        ctes.push(format!("d{i}(id, value, amount, share, at, count) AS ({select})"));
        selects.push(format!(
            "SELECT '{dimension}' AS dimension, d.value AS value, CAST(d.amount AS BIGINT) AS amount,
                CAST(d.share AS DOUBLE PRECISION) AS share, {date} AS at, CAST(d.count AS INTEGER) AS count,
                CASE WHEN cc.customer_id IS NULL THEN 0 ELSE 1 END AS known, cc.value AS current_value,
                (SELECT {rules_id} FROM classification_rules r ORDER BY r.version DESC LIMIT 1) AS rules_id
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
    let backend = txn.get_database_backend();
    let (mut id, mut version, mut rules) = match kept() {
        Some(kept) => kept,
        None => {
            let stored = rules::current(txn).await?;
            keep_rules(&stored);
            (stored.id, stored.version, stored.rules)
        }
    };
    let mut rows;
    let mut tries = 0;
    loop {
        tries += 1;
        let (sql, params) = statement(backend, dimensions, customer, &rules, at);
        rows = txn.query_all_raw(Statement::from_sql_and_values(backend, sql, params)).await?;
        let in_force: Option<String> = match rows.first() {
            Some(row) => row.try_get("", "rules_id")?,
            None => return Ok(0),
        };
        // Twice at most: the second decision is under rules read in this transaction.
        if tries > 1 || in_force.as_deref().map(Uuid::parse_str).transpose().ok().flatten() == id {
            break;
        }
        // The rules changed since this process read them: read them and decide again.
        let stored = rules::current(txn).await?;
        keep_rules(&stored);
        (id, version, rules) = (stored.id, stored.version, stored.rules);
    }
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
        keep(txn, customer, &dimension, before, value, facts, at, version).await?;
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

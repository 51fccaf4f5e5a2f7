//! Human-readable record numbers: a prefix, today's date and a daily sequence
//! (`C20261129001`), drawn from one atomic upsert so concurrent writers never collide.

use crate::error::{AppError, AppResult};
use sea_orm::{ConnectionTrait, Statement};

/// The next number for `prefix` (`C` customers, `T` tickets) on `date`.
pub async fn next_code<C: ConnectionTrait>(db: &C, prefix: &str, date: chrono::NaiveDate) -> AppResult<String> {
    let day = date.format("%Y%m%d").to_string();
    let name = format!("{prefix}{day}");
    let backend = db.get_database_backend();
    // The same statement on both databases (SQLite ≥ 3.35 and PostgreSQL both have
    // ON CONFLICT … RETURNING); only the placeholder style differs.
    let placeholder = match backend {
        sea_orm::DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    let sql = format!(
        "INSERT INTO sequences (name, value) VALUES ({placeholder}, 1) \
         ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1 RETURNING value"
    );
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [name.clone().into()]))
        .await?
        .ok_or_else(|| AppError::internal("sequence upsert returned no row"))?;
    let value: i64 = row.try_get("", "value")?;
    Ok(format!("{name}{value:03}"))
}

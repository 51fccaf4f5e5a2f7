//! The database: connecting (SQLite or PostgreSQL), migrating, settings; every statement
//! is counted in [`Metrics`].

use crate::error::{AppError, AppResult};
use crate::metrics::Metrics;
use chrono::Utc;
use entity::setting;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ActiveValue::Set, ConnectOptions, Database, DatabaseConnection, EntityTrait};
use std::time::Duration;

/// How long a pooled connection may sit idle before it is pinged on checkout.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// Opens a pool with the configured size and timeouts. SQL statement logging stays off:
/// statements carry personal data.
///
/// A request waits at most `db_acquire_timeout` for a connection, and on PostgreSQL a
/// statement runs at most `db_statement_timeout` (`statement_timeout`, set for every
/// connection): both end in a typed error, never a hung request or connection.
pub async fn connect(config: &crate::config::Config, metrics: &Metrics) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let statement_timeout = config.db_statement_timeout.as_millis().to_string();
    let mut options = ConnectOptions::new(&config.database_url);
    options
        .max_connections(config.db_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(config.db_acquire_timeout)
        // sqlx pings a pooled connection on every checkout by default: a second round trip
        // per statement. Only a connection idle long enough to have been dropped by the
        // server or a proxy is checked first.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        // Connections are opened when first needed: a database that is down at start does
        // not stop the server (see `startup::open`).
        .connect_lazy(true)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                // Freed space is zeroed, so an erased or purged value does not linger in
                // the file's free pages (`service::subject`).
                .pragma("secure_delete", "ON")
        })
        .map_sqlx_postgres_opts(move |opts| opts.options([("statement_timeout", statement_timeout.as_str())]));
    let mut db = Database::connect(options).await?;
    let (statements, failed) = (metrics.db_statements.clone(), metrics.db_statement_errors.clone());
    db.set_metric_callback(move |info| {
        statements.inc();
        // Placeholders only: bound values (personal data) are never logged.
        tracing::trace!(target: "clientele::sql", sql = %info.statement.sql, elapsed_us = info.elapsed.as_micros() as u64, failed = info.failed);
        if info.failed {
            failed.inc();
        }
    });
    Ok(db)
}

/// Applies every pending migration over a connection of its own, without the pool's
/// statement timeout: building an index over a large table may take longer than any
/// request may.
pub async fn migrate(url: &str) -> Result<(), sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url);
    options.max_connections(1).min_connections(0).sqlx_logging(false).map_sqlx_sqlite_opts(|opts| {
        opts.create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10))
    });
    let db = Database::connect(options).await?;
    let result = Migrator::up(&db, None).await;
    let _ = db.close().await;
    result
}

/// True when the database answers and no migration is pending.
pub async fn ready(db: &DatabaseConnection) -> bool {
    match Migrator::get_pending_migrations(db).await {
        Ok(pending) => pending.is_empty(),
        Err(_) => false,
    }
}

/// Reads a server-wide setting.
pub async fn setting(db: &DatabaseConnection, key: &str) -> AppResult<Option<String>> {
    Ok(setting::Entity::find_by_id(key.to_string()).one(db).await?.map(|s| s.value))
}

/// Stores `value` under `key`, replacing any value there.
pub async fn put_setting<C: sea_orm::ConnectionTrait>(
    db: &C,
    key: &str,
    value: String,
    at: chrono::DateTime<Utc>,
) -> AppResult<()> {
    let row =
        setting::ActiveModel { key: Set(key.into()), value: Set(value), created_at: Set(at), updated_at: Set(at) };
    setting::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(setting::Column::Key)
                .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Stores `value` under `key` unless a value is already there; returns the value kept.
/// Two servers starting at once on one database agree on the first writer's value.
pub async fn setting_or_insert(db: &DatabaseConnection, key: &str, value: String) -> AppResult<String> {
    let now = Utc::now();
    let row = setting::ActiveModel {
        key: Set(key.to_string()),
        value: Set(value),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let insert = setting::Entity::insert(row).on_conflict_do_nothing_on([setting::Column::Key]).exec(db).await;
    if let Err(err) = insert {
        return Err(AppError::from(err));
    }
    setting(db, key).await?.ok_or_else(|| AppError::internal("setting vanished after insert"))
}

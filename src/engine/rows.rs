//! Records read by column position.
//!
//! sea-orm's derived `FromQueryResult` looks every value up by column name (a hash of the
//! name, twice: once to check the type, once to decode) and formats the column name into a
//! `String` for every NULL it meets, only to drop it. On a page of customers with their
//! contacts, deals and tickets that was about a third of the server's instructions. Here a
//! row of a whole-record select (`E::find()`, columns in declaration order) is decoded by
//! position into the record's `ActiveModel` and converted, with the same sqlx decoders
//! sea-orm uses. A statement whose columns do not line up with the record's (checked on its
//! first row) is decoded by sea-orm as before.

use crate::error::AppResult;
use sea_orm::sea_query::Value;
use sea_orm::sqlx;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ColumnType, ConnectionTrait, DatabaseConnection, DatabaseConnectionType,
    DatabaseTransaction, DbErr, EntityTrait, FromQueryResult, IdenStatic, Iterable, QueryResult, QuerySelect,
    QueryTrait, Select, Statement, TryIntoModel,
};

/// A record type whose rows decode by position: any entity whose `ActiveModel` converts into
/// its `Model` (every derived entity; every `Record` implies it).
pub trait Positional: EntityTrait<ActiveModel: TryIntoModel<<Self as EntityTrait>::Model>> {}

impl<E: EntityTrait<ActiveModel: TryIntoModel<E::Model>>> Positional for E {}

/// Every record `select` finds.
pub async fn all<E, C>(db: &C, select: Select<E>) -> AppResult<Vec<E::Model>>
where
    E: Positional,
    C: Reader,
{
    let statement = select.build(db.get_database_backend());
    by_statement::<E, C>(db, statement).await
}

/// The first record `select` finds.
pub async fn one<E, C>(db: &C, select: Select<E>) -> AppResult<Option<E::Model>>
where
    E: Positional,
    C: Reader,
{
    Ok(all(db, select.limit(1)).await?.into_iter().next())
}

/// A connection reads go through: the pool, or a transaction.
pub trait Reader: ConnectionTrait {
    /// Every row of `statement`.
    fn rows(&self, statement: Statement) -> impl Future<Output = Result<Vec<QueryResult>, DbErr>> + Send;
}

impl Reader for DatabaseConnection {
    /// On PostgreSQL and SQLite, straight to the driver's pool connection (with the same
    /// statement metric and trace): sea-orm's own `query_all_raw` future holds every
    /// driver's arm and a tracing span, and moving it into place copied about 45 k
    /// instructions per statement — a quarter of a small request like Q2.
    async fn rows(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match &self.inner {
            DatabaseConnectionType::SqlxPostgresPoolConnection(pool) => Box::pin(pool.query_all(statement)).await,
            DatabaseConnectionType::SqlxSqlitePoolConnection(pool) => Box::pin(pool.query_all(statement)).await,
            _ => Box::pin(self.query_all_raw(statement)).await,
        }
    }
}

/// Starts a transaction that ends with its request: committed by [`commit`], or rolled
/// back when it is dropped — also when the request's future is dropped (a client that
/// disconnects, a timeout).
///
/// Why the guard: sqlx's `BEGIN` is not cancellation-safe. Dropped after `BEGIN` was sent
/// but before its answer, the connection goes back to the pool inside a transaction that
/// nothing knows of (its rollback guard sees depth 0), and the next request's `COMMIT`
/// would commit this one's work. [`Finish`] hands an unfinished `begin` to a task that
/// finishes it; its transaction is then dropped there and rolled back.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let db = db.clone();
    Finish::new(async move { begin_here(&db).await }).await
}

/// A write transaction on any connection or transaction (a savepoint inside one): on
/// SQLite IMMEDIATE, for the reason [`begin`] gives.
pub async fn begin_write<C: sea_orm::TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    let options = sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    db.begin_with_options(options).await
}

/// Commits `txn`; a `COMMIT` whose request is dropped midway is finished by a task (else
/// the connection would send a `ROLLBACK` after a `COMMIT` the server may have done).
pub async fn commit(txn: DatabaseTransaction) -> Result<(), DbErr> {
    Finish::new(txn.commit()).await
}

/// A future that runs to completion even if whoever awaits it is dropped: on the normal
/// path it is polled in place (no task, no hop between threads); dropped unfinished, it
/// moves into a task of its own that finishes it and drops its output.
pub struct Finish<F: Future + Send + 'static> {
    inner: Option<std::pin::Pin<Box<F>>>,
}

impl<F: Future + Send + 'static> Finish<F> {
    /// Wraps `future`.
    pub fn new(future: F) -> Self {
        Self { inner: Some(Box::pin(future)) }
    }
}

impl<F: Future + Send + 'static> Future for Finish<F> {
    type Output = F::Output;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<F::Output> {
        let Some(inner) = self.inner.as_mut() else { return std::task::Poll::Pending };
        let output = std::task::ready!(inner.as_mut().poll(cx));
        self.inner = None;
        std::task::Poll::Ready(output)
    }
}

impl<F: Future + Send + 'static> Drop for Finish<F> {
    fn drop(&mut self) {
        if let Some(unfinished) = self.inner.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                drop(unfinished.await);
            });
        }
    }
}

/// Starts a transaction on the driver's pool connection (boxed), for the reason
/// [`Reader::rows`] reads there: sea-orm's `begin` future holds every driver's arm, and
/// each level it passes through copied it whole (about 44 k instructions per write).
async fn begin_here(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match &db.inner {
        DatabaseConnectionType::SqlxPostgresPoolConnection(pool) => Box::pin(pool.begin(None, None)).await,
        // IMMEDIATE: a write transaction takes SQLite's write lock when it begins, waiting
        // (busy timeout) for another writer to finish. A deferred one that read first and
        // then writes fails at once (SQLITE_BUSY_SNAPSHOT) if another connection — a
        // concurrent request, the access log's writer, a job — committed in between.
        DatabaseConnectionType::SqlxSqlitePoolConnection(pool) => {
            Box::pin(pool.begin(None, None, Some(sea_orm::SqliteTransactionMode::Immediate))).await
        }
        _ => Box::pin(sea_orm::TransactionTrait::begin(db)).await,
    }
}

impl Reader for DatabaseTransaction {
    async fn rows(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        Box::pin(self.query_all_raw(statement)).await
    }
}

/// Every record a statement returns; its first columns are the record's, in order.
pub async fn by_statement<E, C>(db: &C, statement: Statement) -> AppResult<Vec<E::Model>>
where
    E: Positional,
    C: Reader,
{
    let rows = db.rows(statement).await?;
    let models = if rows.first().is_none_or(lines_up::<E>) {
        let kinds: Vec<ColumnType> = E::Column::iter().map(|c| c.def().get_column_type().clone()).collect();
        let check = match rows.first().and_then(QueryResult::try_as_pg_row) {
            Some(first) if pg_types_match(first, &kinds) => Check::Verified,
            _ => Check::EachValue,
        };
        rows.iter().map(|row| model::<E>(row, &kinds, check)).collect::<Result<Vec<_>, DbErr>>()?
    } else {
        rows.iter().map(|row| E::Model::from_query_result(row, "")).collect::<Result<Vec<_>, DbErr>>()?
    };
    Ok(models)
}

/// True when the row's first columns are `E`'s columns, in declaration order.
fn lines_up<E: EntityTrait>(row: &QueryResult) -> bool {
    let names = row.column_names();
    let mut count = 0;
    for column in E::Column::iter() {
        if names.get(count).map(String::as_str) != Some(column.as_str()) {
            return false;
        }
        count += 1;
    }
    count > 0
}

/// Whether each value's database type is checked against its decoder.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Each value, as it is decoded (SQLite types every value on its own).
    EachValue,
    /// Checked once for the whole result: a PostgreSQL result's column types are its
    /// statement's, the same for every row (see [`pg_types_match`]).
    Verified,
}

/// Evaluates `$body` with `$t` the Rust type a record column of type `$kind` is decoded
/// as (`$other` for a type without a decoder): the one list of those types, used to check a
/// result's column types and to decode its values.
macro_rules! by_kind {
    ($kind:expr, $t:ident => $body:expr, else $other:expr) => {
        by_kind!(@arms $kind, $t, $body, $other,
            ColumnType::Uuid => uuid::Uuid,
            ColumnType::String(_) | ColumnType::Text | ColumnType::Char(_) => String,
            ColumnType::Integer => i32,
            ColumnType::BigInteger => i64,
            ColumnType::Boolean => bool,
            ColumnType::Double => f64,
            ColumnType::Date => chrono::NaiveDate,
            ColumnType::TimestampWithTimeZone => chrono::DateTime<chrono::Utc>,
            ColumnType::Json | ColumnType::JsonBinary => serde_json::Value)
    };
    (@arms $kind:expr, $t:ident, $body:expr, $other:expr, $($pattern:pat => $rust:ty),+) => {
        match $kind {
            $($pattern => {
                type $t = $rust;
                $body
            })+
            _ => $other,
        }
    };
}

/// True when every column type of a PostgreSQL result is one the decoder of the record's
/// column accepts (NULLs included: the type is the column's, not the value's).
fn pg_types_match(row: &sqlx::postgres::PgRow, kinds: &[ColumnType]) -> bool {
    use sqlx::postgres::Postgres;
    use sqlx::{Column, Row, Type};
    let columns = row.columns();
    columns.len() >= kinds.len()
        && columns.iter().zip(kinds).all(
            |(column, kind)| by_kind!(kind, T => <T as Type<Postgres>>::compatible(column.type_info()), else false),
        )
}

/// One record from a row whose first columns line up with `E`'s.
/// `kinds` are the column types of `E`, in declaration order.
fn model<E: Positional>(row: &QueryResult, kinds: &[ColumnType], check: Check) -> Result<E::Model, DbErr> {
    let mut record = <E::ActiveModel as ActiveModelTrait>::default();
    for (index, (column, kind)) in E::Column::iter().zip(kinds).enumerate() {
        record.try_set(column, value(row, index, kind, check)?)?;
    }
    record.try_into_model()
}

/// Decodes column `$index` of a sqlx row as the `Value` variant of `$kind`, with
/// `$get` (`try_get`, or `try_get_unchecked` where the type is known to match).
macro_rules! decode {
    ($row:expr, $index:expr, $kind:expr, $get:ident) => {{
        use sqlx::Row as _;
        let (row, index) = ($row, $index);
        fn failed(e: sqlx::Error) -> DbErr {
            DbErr::Type(e.to_string())
        }
        by_kind!($kind, T => Value::from(row.$get::<Option<T>, _>(index).map_err(failed)?),
            else return Err(DbErr::Type(format!("no positional decoder for {:?}", $kind))))
    }};
}

fn value(row: &QueryResult, index: usize, kind: &ColumnType, check: Check) -> Result<Value, DbErr> {
    if let Some(row) = row.try_as_pg_row() {
        return Ok(match check {
            Check::EachValue => decode!(row, index, kind, try_get),
            Check::Verified => decode!(row, index, kind, try_get_unchecked),
        });
    }
    if let Some(row) = row.try_as_sqlite_row() {
        return Ok(decode!(row, index, kind, try_get));
    }
    Err(DbErr::Type("rows of this database are not decoded by position".to_string()))
}

/// Column `index` of `row` as the `Value` of a record column of type `kind` (each value's
/// type checked), for statements of other shapes than a whole record.
pub fn value_at(row: &QueryResult, index: usize, kind: &ColumnType) -> Result<Value, DbErr> {
    value(row, index, kind, Check::EachValue)
}

#[cfg(test)]
mod tests {
    use super::Finish;

    #[tokio::test]
    async fn a_dropped_finish_still_runs_its_future_to_the_end() {
        let (started_tx, started_rx) = tokio::sync::oneshot::channel::<()>();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
        let (go_tx, go_rx) = tokio::sync::oneshot::channel::<()>();
        let waiting = Finish::new(async move {
            let _ = started_tx.send(());
            let _ = go_rx.await;
            let _ = done_tx.send(());
        });
        let caller = tokio::spawn(waiting);
        started_rx.await.unwrap();
        caller.abort(); // the request is dropped midway
        let _ = caller.await;
        go_tx.send(()).unwrap();
        done_rx.await.unwrap(); // … and its future still finished
        assert_eq!(Finish::new(async { 7 }).await, 7);
    }
}

//! Records decoded by column position (`engine::rows`) equal sea-orm's own decoding, for
//! every record type, NULLs, JSON, enums, dates and money included.

use crate::helpers::fresh_database_url;
use clientele::engine::rows;
use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_clientele");

/// A fresh database filled by `seed --demo` (the directory holds a SQLite file).
async fn demo_database() -> (tempfile::TempDir, sea_orm::DatabaseConnection) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let seeded = Command::new(BIN).args(["seed", "--demo"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    (dir, sea_orm::Database::connect(&url).await.unwrap())
}

macro_rules! same_records {
    ($db:expr, $($module:ident),+ $(,)?) => {$({
        use entity::$module::{Column, Entity};
        let select = || Entity::find().order_by_asc(Column::Id);
        let expected = select().all($db).await.unwrap();
        let positional = rows::all($db, select()).await.unwrap();
        assert!(!expected.is_empty(), "the demo data has {}", stringify!($module));
        assert_eq!(positional, expected, "{}", stringify!($module));
    })+};
}

#[tokio::test]
async fn positional_decoding_matches_sea_orm_for_every_record_type() {
    let (_dir, db) = demo_database().await;
    same_records!(
        &db,
        team,
        user,
        customer,
        contact,
        interaction,
        purchase,
        deal,
        ticket,
        feedback,
        campaign,
        campaign_participation,
        survey,
        survey_response,
        tag,
    );
}

#[tokio::test]
async fn a_statement_whose_columns_differ_is_decoded_by_name() {
    let (_dir, db) = demo_database().await;
    use entity::team::{Column, Entity};
    // The same columns in reverse order: position would pair them wrongly, names do not.
    let reversed = || {
        let mut select = Entity::find().select_only().order_by_asc(Column::Id);
        for column in [
            Column::DeletedAt,
            Column::UpdatedAt,
            Column::CreatedAt,
            Column::Version,
            Column::Description,
            Column::Name,
            Column::Id,
        ] {
            select = select.column(column);
        }
        select
    };
    let expected = Entity::find().order_by_asc(Column::Id).all(&db).await.unwrap();
    assert_eq!(rows::all(&db, reversed()).await.unwrap(), expected);
}

#[tokio::test]
async fn a_column_of_another_type_is_checked_never_decoded_blindly() {
    let (_dir, db) = demo_database().await;
    use entity::team::{Column, Entity};
    // The team's columns in order, but `version` (INTEGER) read as a 64-bit integer.
    let sql = "SELECT id, name, description, CAST(version AS BIGINT) AS version, created_at, updated_at, \
               deleted_at FROM teams ORDER BY id";
    let backend = db.get_database_backend();
    let read = rows::by_statement::<Entity, _>(&db, sea_orm::Statement::from_string(backend, sql)).await;
    if backend == sea_orm::DatabaseBackend::Postgres {
        // PostgreSQL types the column INT8 for every row: refused, never read as four bytes of eight.
        assert!(read.is_err(), "{read:?}");
    } else {
        // SQLite types each value; a BIGINT cast is still an INTEGER value.
        assert_eq!(read.unwrap(), Entity::find().order_by_asc(Column::Id).all(&db).await.unwrap());
    }
}

//! Timeouts: a statement stuck behind a lock ends at the statement timeout (PostgreSQL),
//! a request stuck longer than the request timeout is stopped; both with typed errors.

use crate::helpers::spawn_app_with;
use serde_json::json;
use std::time::{Duration, Instant};

fn postgres() -> bool {
    std::env::var("CLIENTELE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

/// A statement stuck behind a lock ends at the statement timeout (PostgreSQL), and a
/// request stuck longer than the request timeout is stopped, with typed errors, nothing
/// written, and the server serving on.
#[tokio::test]
async fn stuck_statements_and_requests_end_at_their_timeouts_with_typed_errors() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let create = "mutation { createCustomer(input: {name: \"stuck\"}) { customer { id } } }";
    if postgres() {
        let app = spawn_app_with(&[("CLIENTELE_DB_STATEMENT_TIMEOUT_MS", "200")]).await;
        let url = app.db.get_database_backend();
        assert_eq!(url, sea_orm::DbBackend::Postgres);
        // Another session holds the table: the server's statements wait, then time out.
        let other = sea_orm::Database::connect(database_url_of(&app).await).await.unwrap();
        let lock = other.begin().await.unwrap();
        lock.execute_unprepared("LOCK TABLE customers IN ACCESS EXCLUSIVE MODE").await.unwrap();
        let start = Instant::now();
        let reply = crate::admin(&app, "{ customers { totalCount } }", json!({})).await;
        assert!(start.elapsed() < Duration::from_secs(3), "took {:?}", start.elapsed());
        reply.expect_code("INTERNAL");
        assert_eq!(reply.json["errors"][0]["message"], "internal error", "{}", reply.text);
        lock.rollback().await.unwrap();
        crate::admin(&app, "{ customers { totalCount } }", json!({})).await.expect_ok();
    }
    // The request timeout, on either database: a write waits behind another writer.
    let app =
        spawn_app_with(&[("CLIENTELE_REQUEST_TIMEOUT_SECS", "1"), ("CLIENTELE_DB_STATEMENT_TIMEOUT_MS", "30000")])
            .await;
    let other = sea_orm::Database::connect(database_url_of(&app).await).await.unwrap();
    let lock = other.begin().await.unwrap();
    let hold = match app.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "LOCK TABLE customers IN ACCESS EXCLUSIVE MODE",
        _ => "INSERT INTO sequences (name, value) VALUES ('held', 1)",
    };
    lock.execute_unprepared(hold).await.unwrap();
    let start = Instant::now();
    let reply = crate::admin(&app, create, json!({})).await;
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
    assert_eq!(reply.status, 503, "{}", reply.text);
    reply.expect_code("INTERNAL");
    lock.rollback().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.count("customers").await, 0, "the stopped request wrote");
    crate::admin(&app, create, json!({})).await.expect_ok();
}

/// The URL of the database `app` uses.
async fn database_url_of(app: &crate::helpers::TestApp) -> String {
    use sea_orm::ConnectionTrait;
    match app.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let row = app
                .db
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    "SELECT current_database()",
                ))
                .await
                .unwrap()
                .unwrap();
            let name: String = row.try_get_by_index(0).unwrap();
            let server = std::env::var("CLIENTELE_TEST_DATABASE_URL").unwrap();
            format!("{}/{name}", server.rsplit_once('/').unwrap().0)
        }
        _ => {
            let row = app
                .db
                .query_one_raw(sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA database_list"))
                .await
                .unwrap()
                .unwrap();
            let file: String = row.try_get_by_index(2).unwrap();
            format!("sqlite://{file}?mode=rwc")
        }
    }
}

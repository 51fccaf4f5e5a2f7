//! Races: lost updates, idempotency keys, the duplicate check, and clients that hang up
//! in the middle of writes.

use crate::helpers::{TestApp, spawn_app};
use crate::{admin, alive};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id } userErrors { field code message } } }";
const UPDATE: &str = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
    customer { version phone } userErrors { field code message } } }";

async fn all(app: &TestApp, query: &str, inputs: Vec<Value>) -> Vec<Value> {
    let requests = inputs.into_iter().map(|input| {
        let body = json!({ "query": query, "variables": { "input": input } });
        let request = app.client.post(app.url("/graphql")).bearer_auth(&app.admin_token).json(&body);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    });
    futures::future::join_all(requests).await
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql.to_string()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn two_updates_of_one_version_one_wins_the_other_is_stale() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "Contested" })).await;
    let inputs = ["13800000001", "13800000002"]
        .map(|phone| json!({ "id": customer["id"], "expectedVersion": 1, "phone": phone }));
    let replies = all(&app, UPDATE, inputs.to_vec()).await;
    let codes: Vec<&str> =
        replies.iter().map(|r| r["data"]["updateCustomer"]["userErrors"][0]["code"].as_str().unwrap_or("OK")).collect();
    assert!(codes.contains(&"OK") && codes.contains(&"STALE_VERSION"), "{replies:?}");
    assert_eq!(scalar(&app, "SELECT CAST(version AS BIGINT) FROM customers").await, 2);
}

#[tokio::test]
async fn one_idempotency_key_sent_five_times_at_once_writes_once() {
    let app = spawn_app().await;
    let input = json!({ "name": "Once", "clientMutationId": "key-1" });
    let replies = all(&app, CREATE, vec![input; 5]).await;
    assert_eq!(app.count("customers").await, 1, "{replies:?}");
    let ids: Vec<&Value> = replies
        .iter()
        .filter_map(|r| {
            r["data"]["createCustomer"]["customer"]["id"]
                .as_str()
                .map(|_| &r["data"]["createCustomer"]["customer"]["id"])
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "replays answer the first result: {replies:?}");
}

#[tokio::test]
async fn eight_creates_with_one_phone_at_once_store_one_customer() {
    let app = spawn_app().await;
    let inputs = (0..8).map(|i| json!({ "name": format!("Racer {i}"), "phone": "13911112222" })).collect();
    let replies = all(&app, CREATE, inputs).await;
    let created = replies.iter().filter(|r| r["data"]["createCustomer"]["customer"]["id"].is_string()).count();
    assert_eq!(created, 1, "{replies:?}");
    for r in replies.iter().filter(|r| r["data"]["createCustomer"]["customer"].is_null()) {
        assert_eq!(r["data"]["createCustomer"]["userErrors"][0]["code"], "DUPLICATE_SUSPECTED", "{r}");
    }
    assert_eq!(app.count("customers").await, 1);
    // `allowDuplicate` still lets a second one in, on purpose.
    let reply =
        admin(&app, CREATE, json!({ "input": { "name": "Twin", "phone": "13911112222", "allowDuplicate": true } }))
            .await;
    assert!(reply.json["data"]["createCustomer"]["customer"]["id"].is_string(), "{}", reply.text);
}

#[tokio::test]
async fn batches_and_updates_are_checked_for_duplicates_too() {
    let app = spawn_app().await;
    let batch = "mutation($input: CreateCustomersInput!) { createCustomers(input: $input) { customers { id } userErrors { field code message } } }";
    let reply = admin(
        &app,
        batch,
        json!({ "input": { "items": [
        { "name": "One", "phone": "13700001111" }, { "name": "Two", "phone": "137 0000 1111" } ] } }),
    )
    .await;
    let error = &reply.json["data"]["createCustomers"]["userErrors"][0];
    assert_eq!(error["code"], "DUPLICATE_SUSPECTED", "{}", reply.text);
    assert_eq!(app.count("customers").await, 0, "all or nothing");
    let a = app.create_customer(&app.admin_token, json!({ "name": "A", "phone": "13700002222" })).await;
    let b = app.create_customer(&app.admin_token, json!({ "name": "B", "email": "b@example.com" })).await;
    let reply =
        admin(&app, UPDATE, json!({ "input": { "id": b["id"], "expectedVersion": 1, "phone": "13700002222" } })).await;
    let error = &reply.json["data"]["updateCustomer"]["userErrors"][0];
    assert_eq!(
        (error["code"].as_str(), &error["field"]),
        (Some("DUPLICATE_SUSPECTED"), &json!(["input", "phone"])),
        "{}",
        reply.text
    );
    assert!(reply.text.contains(a["code"].as_str().unwrap()), "the admin sees which: {}", reply.text);
    // Its own phone again is no duplicate.
    admin(
        &app,
        UPDATE,
        json!({ "input": { "id": a["id"], "expectedVersion": 1, "phone": "13700002222", "name": "A2" } }),
    )
    .await
    .expect_ok();
}

/// Hundreds of clients hang up in the middle of writes (each write: claim the customer,
/// insert the interaction, its audit row). Afterwards nothing is half written and no
/// connection is left inside a transaction.
#[tokio::test]
async fn clients_that_hang_up_mid_write_leave_nothing_half_written() {
    let app = spawn_app().await;
    let server_log = postgres_log();
    let log_start = server_log.as_ref().map_or(0, |p| std::fs::metadata(p).map_or(0, |m| m.len()));
    let customer = app.create_customer(&app.admin_token, json!({ "name": "Busy" })).await;
    let log = "mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { interaction { id } userErrors { code } } }";
    crate::helpers::tls();
    let hasty = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let writes = (0..300u64).map(|i| {
        let body = json!({ "query": log, "variables": { "input": { "customerId": customer["id"], "channel": "PHONE", "summary": format!("call {i}") } } });
        let request = hasty
            .post(app.url("/graphql"))
            .bearer_auth(&app.admin_token)
            .timeout(std::time::Duration::from_millis(1 + i % 25))
            .json(&body);
        async move {
            let _ = request.send().await;
        }
    });
    futures::future::join_all(writes).await;
    // Let the server finish or roll back what the dropped requests started.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    alive(&app).await;
    let orphans = scalar(
        &app,
        "SELECT COUNT(*) FROM interactions i WHERE NOT EXISTS \
         (SELECT 1 FROM audit_events a WHERE a.entity_id = i.id AND a.action = 'create')",
    )
    .await;
    assert_eq!(orphans, 0, "interactions without their audit row");
    let claimed = scalar(&app, "SELECT COUNT(*) FROM customers WHERE last_interaction_at IS NOT NULL").await;
    let logged = scalar(&app, "SELECT COUNT(DISTINCT customer_id) FROM interactions").await;
    assert_eq!(claimed, logged, "a customer claimed without its interaction, or the reverse");
    if app.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let open = scalar(
            &app,
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
        )
        .await;
        assert_eq!(open, 0, "connections left inside a transaction");
        // PostgreSQL's own word: no `BEGIN` inside a transaction, no `COMMIT` outside one.
        if let Some(text) = server_log.and_then(|p| std::fs::read(p).ok()) {
            let added = String::from_utf8_lossy(&text[(log_start as usize).min(text.len())..]).to_string();
            assert!(!added.contains("transaction in progress"), "PostgreSQL warned: {added}");
        }
    }
    // And the pool still serves writes.
    let reply =
        admin(&app, log, json!({ "input": { "customerId": customer["id"], "channel": "EMAIL", "summary": "after" } }))
            .await;
    assert!(reply.json["data"]["createInteraction"]["interaction"]["id"].is_string(), "{}", reply.text);
}

/// The local PostgreSQL server's log, when this machine keeps it where Debian does.
fn postgres_log() -> Option<std::path::PathBuf> {
    let dir = std::fs::read_dir("/var/log/postgresql").ok()?;
    dir.filter_map(Result::ok).map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "log"))
}

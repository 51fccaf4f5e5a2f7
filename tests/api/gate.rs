//! Creates as a remembered viewer: the write confirms the credential in its own
//! transaction (`auth::gate`), and a changed, deactivated or logged-out user writes
//! nothing.

use crate::helpers::{TestApp, error_code, spawn_fast_app};
use entity::enums::Role;
use serde_json::{Value, json};

const CREATE: &str = "mutation($i: CreateInteractionInput!) { createInteraction(input: $i) {
    interaction { id summary } userErrors { code } clientMutationId } }";

/// Logs an interaction as `token` under `customer` in `month` of 2026.
async fn log(app: &TestApp, token: &str, customer: &Value, summary: &str, month: u32, key: Option<&str>) -> Value {
    let at = format!("2026-{month:02}-01T00:00:00Z");
    let input = json!({ "customerId": customer, "channel": "PHONE", "summary": summary, "occurredAt": at,
                        "clientMutationId": key });
    app.gql(token, CREATE, json!({ "i": input })).await
}

/// What the database holds of the interactions: rows, their audit rows, and the
/// customers' latest interaction times.
async fn written(app: &TestApp) -> (i64, i64, Vec<Option<String>>) {
    use sea_orm::{EntityTrait, QueryOrder};
    let audits = app.count("audit_events WHERE entity = 'Interaction'").await;
    let customers = entity::customer::Entity::find().order_by_asc(entity::customer::Column::Name).all(&app.db);
    let last = customers.await.unwrap().into_iter().map(|c| c.last_interaction_at.map(|t| t.to_rfc3339())).collect();
    (app.count("interactions").await, audits, last)
}

#[tokio::test]
async fn a_remembered_viewer_creates_without_a_lookup_and_a_changed_one_writes_nothing() {
    let app = spawn_fast_app().await;
    let (id, token) = app.user(Role::Sales, None).await;
    let owner = clientele::graphql::relay::global_id("User", id).0;
    let own = app.create_customer(&app.admin_token, json!({ "name": "Own", "ownerId": owner })).await["id"].clone();

    // An interaction logged first classifies the customer (its first classes are written),
    // so the two below differ only in how the credential is checked.
    let body = log(&app, &app.admin_token, &own, "warm-up", 1, None).await;
    assert_eq!(body["data"]["createInteraction"]["userErrors"], json!([]), "{body}");

    // The first request waits for the user lookup; the next confirms the credential in
    // the insert of its audit row: one statement less.
    let before = app.statements();
    let body = log(&app, &token, &own, "first", 1, None).await;
    assert_eq!(body["data"]["createInteraction"]["userErrors"], json!([]), "{body}");
    let looked_up = app.statements() - before;
    let before = app.statements();
    let body = log(&app, &token, &own, "second", 2, None).await;
    assert_eq!(body["data"]["createInteraction"]["interaction"]["summary"], "second", "{body}");
    assert_eq!(app.statements() - before, looked_up - 1);
    let (rows, audits, last) = written(&app).await;
    assert_eq!((rows, audits), (3, 3));
    assert_eq!(last, vec![Some("2026-02-01T00:00:00+00:00".to_string())]);

    // An analyst may not write: the create guessed as the rep is not committed, and the
    // answer is the analyst's.
    app.set_user(id, Role::Analyst, true).await;
    let body = log(&app, &token, &own, "as an analyst", 3, None).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(written(&app).await, (rows, audits, last.clone()));
    let body = log(&app, &token, &own, "again as an analyst", 4, None).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(written(&app).await, (rows, audits, last.clone()));

    // A rep again, remembered as an analyst: the create runs after the check.
    app.set_user(id, Role::Sales, true).await;
    let body = log(&app, &token, &own, "third", 5, None).await;
    assert_eq!(body["data"]["createInteraction"]["interaction"]["summary"], "third", "{body}");
    let now = written(&app).await;
    assert_eq!((now.0, now.1), (4, 4));

    // Deactivated while remembered: the guessed write rolls back, the request is refused.
    app.set_user(id, Role::Sales, false).await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&token)
        .json(&json!({ "query": CREATE, "variables": { "i": {
            "customerId": own, "channel": "PHONE", "summary": "inactive", "occurredAt": "2027-01-01T00:00:00Z" } } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(written(&app).await, now);
}

#[tokio::test]
async fn a_remembered_viewer_whose_session_ended_writes_nothing() {
    let app = spawn_fast_app().await;
    let made = app
        .gql(
            &app.admin_token,
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { code } } }",
            json!({ "i": { "email": "rep@example.com", "name": "Rep", "role": "SALES", "password": "a long enough password" } }),
        )
        .await;
    let rep = made["data"]["createUser"]["user"]["id"].clone();
    let own = app.create_customer(&app.admin_token, json!({ "name": "Own", "ownerId": rep })).await["id"].clone();
    let anonymous = |query: &'static str, variables: Value| {
        let app = &app;
        async move {
            let response =
                app.client.post(app.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
            response.send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let login = anonymous(
        "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }",
        json!({ "i": { "email": "rep@example.com", "password": "a long enough password" } }),
    )
    .await;
    let access = login["data"]["login"]["accessToken"].as_str().unwrap().to_string();
    for (summary, month) in [("first", 1), ("second", 2)] {
        let body = log(&app, &access, &own, summary, month, None).await;
        assert_eq!(body["data"]["createInteraction"]["userErrors"], json!([]), "{body}");
    }
    let kept = written(&app).await;
    let out = anonymous(
        "mutation($t: String!) { logout(input: { refreshToken: $t }) { ok } }",
        json!({ "t": login["data"]["login"]["refreshToken"] }),
    )
    .await;
    assert_eq!(out["data"]["logout"]["ok"], true);
    let body = log(&app, &access, &own, "after logout", 3, None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    assert_eq!(written(&app).await, kept);
}

#[tokio::test]
async fn a_keyed_create_as_a_remembered_viewer_is_written_once() {
    let app = spawn_fast_app().await;
    let (id, token) = app.user(Role::Sales, None).await;
    let owner = clientele::graphql::relay::global_id("User", id).0;
    let own = app.create_customer(&app.admin_token, json!({ "name": "Own", "ownerId": owner })).await["id"].clone();
    log(&app, &token, &own, "teaches the server the viewer", 1, None).await;
    let first = log(&app, &token, &own, "keyed", 2, Some("k-1")).await;
    let payload = &first["data"]["createInteraction"];
    assert_eq!((&payload["userErrors"], &payload["clientMutationId"]), (&json!([]), &json!("k-1")), "{first}");
    // The retry replays the first payload and writes nothing.
    let written_once = written(&app).await;
    let again = log(&app, &token, &own, "keyed", 2, Some("k-1")).await;
    assert_eq!(again["data"]["createInteraction"]["interaction"]["id"], payload["interaction"]["id"], "{again}");
    assert_eq!(written(&app).await, written_once);
    assert_eq!(written_once.0, 2);
}

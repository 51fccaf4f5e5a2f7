//! Communication records and the customer they are logged under: the customer is
//! checked and brought up to date by one statement inside the write.

use crate::helpers::{TestApp, spawn_app};
use crate::records::{customer, mutate_as};
use entity::enums::Role;
use serde_json::{Value, json};

async fn log(app: &TestApp, token: &str, input: Value) -> Value {
    mutate_as(app, token, "createInteraction", "CreateInteractionInput", input, "interaction { id }").await
}

async fn follow_up(app: &TestApp, customer: &str) -> Value {
    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { customer(id: $id) { lastInteractionAt nextFollowUpAt version interactions { totalCount } } }",
            json!({ "id": customer }),
        )
        .await;
    body["data"]["customer"].clone()
}

#[tokio::test]
async fn the_last_interaction_only_moves_forward_and_a_follow_up_is_set() {
    let app = spawn_app().await;
    let c = customer(&app, "Chatty").await;
    let token = app.admin_token.clone();
    let at = json!({ "customerId": c, "channel": "VISIT", "summary": "Visit", "occurredAt": "2026-01-02T03:04:05Z" });
    assert_eq!(log(&app, &token, at).await["userErrors"], json!([]));
    let earlier = json!({ "customerId": c, "channel": "CHAT", "summary": "Older", "occurredAt": "2025-06-01T00:00:00Z",
        "nextFollowUpAt": "2026-12-24T09:00:00Z" });
    assert_eq!(log(&app, &token, earlier).await["userErrors"], json!([]));
    let now = follow_up(&app, &c).await;
    assert_eq!(now["lastInteractionAt"], "2026-01-02T03:04:05+00:00", "{now}");
    assert_eq!(now["nextFollowUpAt"], "2026-12-24T09:00:00+00:00");
    assert_eq!(now["interactions"]["totalCount"], 2);
    assert_eq!(now["version"], 1, "a derived field does not bump the version");
}

#[tokio::test]
async fn a_customer_the_viewer_cannot_see_or_that_is_deleted_is_not_found_and_nothing_is_written() {
    let app = spawn_app().await;
    let (_, rep) = app.user(Role::Sales, None).await;
    let hidden = customer(&app, "Someone Else's").await;
    let gone = customer(&app, "Gone").await;
    let deleted = app
        .gql(
            &app.admin_token,
            "mutation($id: ID!) { deleteCustomer(input: { id: $id }) { userErrors { code } } }",
            json!({ "id": gone }),
        )
        .await;
    assert_eq!(deleted["data"]["deleteCustomer"]["userErrors"], json!([]), "{deleted}");
    let audit_before = app.count("audit_events").await;
    for (token, target) in [(rep.as_str(), hidden.as_str()), (app.admin_token.as_str(), gone.as_str())] {
        let refused = log(&app, token, json!({ "customerId": target, "channel": "PHONE", "summary": "Hi" })).await;
        assert_eq!(refused["interaction"], Value::Null);
        assert_eq!(refused["userErrors"].as_array().map(Vec::len), Some(1), "{refused}");
        assert_eq!(refused["userErrors"][0]["field"], json!(["input", "customerId"]));
        assert_eq!(refused["userErrors"][0]["code"], "NOT_FOUND");
    }
    assert_eq!(app.count("interactions").await, 0);
    assert_eq!(app.count("audit_events").await, audit_before);
    assert_eq!(follow_up(&app, &hidden).await["lastInteractionAt"], Value::Null);
}

#[tokio::test]
async fn a_missing_customer_is_reported_first_beside_the_other_errors() {
    let app = spawn_app().await;
    let c = customer(&app, "Real").await;
    let missing = clientele::graphql::relay::global_id("Customer", uuid::Uuid::now_v7());
    let token = app.admin_token.clone();
    let both = log(&app, &token, json!({ "customerId": missing, "channel": "EMAIL", "summary": "  " })).await;
    let fields: Vec<&Value> = both["userErrors"].as_array().unwrap().iter().map(|e| &e["field"]).collect();
    assert_eq!(fields, [&json!(["input", "customerId"]), &json!(["input", "summary"])], "{both}");
    // A batch is all or nothing: the refused item is named, the first item's customer is untouched.
    let body = app
        .gql(
            &token,
            "mutation($input: CreateInteractionsInput!) { createInteractions(input: $input) {
                interactions { id } userErrors { field code } } }",
            json!({ "input": { "items": [
                { "customerId": c, "channel": "EMAIL", "summary": "Fine", "occurredAt": "2026-01-01T00:00:00Z" },
                { "customerId": missing, "channel": "EMAIL", "summary": "Lost" },
            ] } }),
        )
        .await;
    let payload = &body["data"]["createInteractions"];
    assert_eq!(payload["interactions"], Value::Null, "{body}");
    assert_eq!(payload["userErrors"], json!([{ "field": ["input", "items", "1", "customerId"], "code": "NOT_FOUND" }]));
    assert_eq!(app.count("interactions").await, 0);
    assert_eq!(follow_up(&app, &c).await["lastInteractionAt"], Value::Null);
}

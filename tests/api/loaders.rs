//! Batching: nested relations cost a fixed number of statements, whatever the page size.

use crate::helpers::{TestApp, spawn_app};
use serde_json::json;

const NESTED: &str = "query($n: Int) { customers(first: $n) { totalCount nodes {
    name owner { name } contacts(first: 2) { totalCount nodes { name phone } pageInfo { hasNextPage } } } } }";

async fn statements_for(app: &TestApp, n: i64) -> (u64, serde_json::Value) {
    let before = app.statements();
    let body = app.gql(&app.admin_token, NESTED, json!({ "n": n })).await;
    assert!(body["errors"].is_null(), "{body}");
    // Authentication reads the user once per request; the rest is the query.
    (app.statements() - before, body)
}

#[tokio::test]
async fn nested_contacts_and_owner_take_the_same_statements_for_5_and_50_customers() {
    let app = spawn_app().await;
    for i in 0..50 {
        let c = app.create_customer(&app.admin_token, json!({ "name": format!("Company {i}") })).await;
        for j in 0..(i % 4) {
            let body = app
                .gql(
                    &app.admin_token,
                    "mutation($input: CreateContactInput!) { createContact(input: $input) { userErrors { code } } }",
                    json!({ "input": { "customerId": c["id"], "name": format!("Contact {j}"), "phone": "13800000000" } }),
                )
                .await;
            assert_eq!(body["data"]["createContact"]["userErrors"], json!([]));
        }
    }
    let (small, _) = statements_for(&app, 5).await;
    let (large, body) = statements_for(&app, 50).await;
    assert_eq!(small, large, "statements must not grow with the page size");
    // user (auth), page, count, owners, contact pages, contact counts.
    assert!(large <= 6, "{large} statements");
    let nodes = body["data"]["customers"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 50);
    let with_three = nodes.iter().find(|n| n["contacts"]["totalCount"] == 3).unwrap();
    assert_eq!(with_three["contacts"]["nodes"].as_array().unwrap().len(), 2, "nested first is applied");
    assert_eq!(with_three["contacts"]["pageInfo"]["hasNextPage"], true);
    assert!(nodes.iter().all(|n| n["owner"]["name"] == "Test User"));
}

#[tokio::test]
async fn a_new_primary_contact_demotes_the_previous_one() {
    let app = spawn_app().await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "Acme" })).await;
    for name in ["First", "Second"] {
        app.gql(
            &app.admin_token,
            "mutation($input: CreateContactInput!) { createContact(input: $input) { userErrors { code } } }",
            json!({ "input": { "customerId": c["id"], "name": name, "isPrimary": true } }),
        )
        .await;
    }
    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { customer(id: $id) { contacts { nodes { name isPrimary } } } }",
            json!({ "id": c["id"] }),
        )
        .await;
    assert_eq!(
        body["data"]["customer"]["contacts"]["nodes"],
        json!([{ "name": "First", "isPrimary": false }, { "name": "Second", "isPrimary": true }])
    );
}

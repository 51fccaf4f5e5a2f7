//! Keyset pagination: walking every page forward and back gives each record once.

use crate::helpers::{TestApp, error_code, spawn_app};
use serde_json::{Value, json};
use std::collections::HashSet;

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String, $order: [CustomerOrder!]) {
    customers(first: $first, after: $after, last: $last, before: $before, orderBy: $order) {
        totalCount edges { cursor node { id name } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

async fn seed(app: &TestApp, n: usize) -> HashSet<String> {
    let mut ids = HashSet::new();
    for i in 0..n {
        // Repeated names force ties that only the id can break.
        let c = app.create_customer(&app.admin_token, json!({ "name": format!("Name {}", i % 4) })).await;
        ids.insert(c["id"].as_str().unwrap().to_string());
    }
    ids
}

fn ids_of(body: &Value) -> Vec<String> {
    body["data"]["customers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect()
}

async fn walk_forward(app: &TestApp, order: &Value) -> Vec<String> {
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app.gql(&app.admin_token, PAGE, json!({ "first": 3, "after": after, "order": order })).await;
        seen.extend(ids_of(&body));
        let info = &body["data"]["customers"]["pageInfo"];
        if !info["hasNextPage"].as_bool().unwrap() {
            return seen;
        }
        after = info["endCursor"].clone();
    }
}

async fn walk_backward(app: &TestApp, order: &Value) -> Vec<String> {
    let mut seen = Vec::new();
    let mut before = Value::Null;
    loop {
        let body = app.gql(&app.admin_token, PAGE, json!({ "last": 3, "before": before, "order": order })).await;
        let mut page = ids_of(&body);
        page.extend(seen);
        seen = page;
        let info = &body["data"]["customers"]["pageInfo"];
        if !info["hasPreviousPage"].as_bool().unwrap() {
            return seen;
        }
        before = info["startCursor"].clone();
    }
}

#[tokio::test]
async fn walking_every_page_forward_and_back_gives_each_record_once() {
    let app = spawn_app().await;
    let all = seed(&app, 11).await;
    for order in [
        json!(null),
        json!([{ "field": "NAME" }]),
        json!([{ "field": "NAME", "direction": "DESC" }]),
        json!([{ "field": "CODE", "direction": "DESC" }]),
        json!([{ "field": "UPDATED_AT" }, { "field": "NAME", "direction": "DESC" }]),
    ] {
        let forward = walk_forward(&app, &order).await;
        assert_eq!(forward.len(), all.len(), "order {order}: forward walk length");
        assert_eq!(forward.iter().cloned().collect::<HashSet<_>>(), all, "order {order}: forward walk set");
        let backward = walk_backward(&app, &order).await;
        assert_eq!(backward, forward, "order {order}: backward walk gives the same sequence");
    }
}

#[tokio::test]
async fn name_order_is_really_by_name() {
    let app = spawn_app().await;
    for name in ["Charlie", "Alpha", "Bravo"] {
        app.create_customer(&app.admin_token, json!({ "name": name })).await;
    }
    let body = app
        .gql(&app.admin_token, PAGE, json!({ "first": 10, "order": [{ "field": "NAME", "direction": "DESC" }] }))
        .await;
    let names: Vec<&str> = body["data"]["customers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Charlie", "Bravo", "Alpha"]);
    assert_eq!(body["data"]["customers"]["totalCount"], 3);
}

#[tokio::test]
async fn cursors_stay_valid_when_rows_are_inserted() {
    let app = spawn_app().await;
    seed(&app, 5).await;
    let first = app.gql(&app.admin_token, PAGE, json!({ "first": 2 })).await;
    let cursor = first["data"]["customers"]["pageInfo"]["endCursor"].clone();
    let before_insert = ids_of(&app.gql(&app.admin_token, PAGE, json!({ "first": 10, "after": cursor })).await);
    app.create_customer(&app.admin_token, json!({ "name": "Late arrival" })).await;
    let after_insert = ids_of(&app.gql(&app.admin_token, PAGE, json!({ "first": 10, "after": cursor })).await);
    assert_eq!(&after_insert[..before_insert.len()], &before_insert[..]);
    assert_eq!(after_insert.len(), before_insert.len() + 1);
}

#[tokio::test]
async fn page_arguments_out_of_bounds_are_errors() {
    let app = spawn_app().await;
    let too_big = app.gql(&app.admin_token, PAGE, json!({ "first": 101 })).await;
    assert_eq!(error_code(&too_big), "QUERY_TOO_COMPLEX");
    assert_eq!(too_big["data"], Value::Null, "nothing executed");
    let both = app.gql(&app.admin_token, PAGE, json!({ "first": 2, "last": 2 })).await;
    assert_eq!(error_code(&both), "BAD_USER_INPUT");
    let negative = app.gql(&app.admin_token, PAGE, json!({ "first": -1 })).await;
    assert_eq!(error_code(&negative), "BAD_USER_INPUT");
    let garbage = app.gql(&app.admin_token, PAGE, json!({ "first": 2, "after": "not-a-cursor" })).await;
    assert_eq!(error_code(&garbage), "BAD_USER_INPUT");
    let nested = app
        .gql(&app.admin_token, "{ customers(first: 1) { nodes { contacts(first: 500) { totalCount } } } }", json!({}))
        .await;
    assert_eq!(error_code(&nested), "QUERY_TOO_COMPLEX");
}

#[tokio::test]
async fn a_cursor_from_another_order_is_refused() {
    let app = spawn_app().await;
    seed(&app, 3).await;
    let by_name = app.gql(&app.admin_token, PAGE, json!({ "first": 1, "order": [{ "field": "NAME" }] })).await;
    let cursor = by_name["data"]["customers"]["pageInfo"]["endCursor"].clone();
    let by_code =
        app.gql(&app.admin_token, PAGE, json!({ "first": 1, "after": cursor, "order": [{ "field": "CODE" }] })).await;
    assert_eq!(error_code(&by_code), "BAD_USER_INPUT");
}

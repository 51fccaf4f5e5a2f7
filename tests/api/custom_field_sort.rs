//! Sorting by a custom field: numbers as numbers, text as text, records without a value
//! last in either direction, cursors that page forwards and backwards through all of it,
//! nested lists alike, and the fields that cannot be sorted on refused.

use crate::custom_fields::{customer, define_all};
use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

const LIST: &str = "query($o: [CustomerOrder!], $first: Int, $after: String, $last: Int, $before: String) {
    customers(orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
    nodes { name } pageInfo { endCursor startCursor hasNextPage hasPreviousPage } } }";

/// Every customer in `order`, fetched two at a time forwards.
async fn forwards(app: &TestApp, token: &str, order: Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app.gql(token, LIST, json!({ "o": order, "first": 2, "after": after })).await;
        let page = &body["data"]["customers"];
        let nodes = page["nodes"].as_array().unwrap_or_else(|| panic!("{body}"));
        out.extend(nodes.iter().map(|n| n["name"].as_str().unwrap().to_owned()));
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// Every customer in `order`, fetched two at a time backwards from the end.
async fn backwards(app: &TestApp, token: &str, order: Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut before = Value::Null;
    loop {
        let body = app.gql(token, LIST, json!({ "o": order, "last": 2, "before": before })).await;
        let page = &body["data"]["customers"];
        let nodes = page["nodes"].as_array().unwrap_or_else(|| panic!("{body}"));
        let names: Vec<String> = nodes.iter().map(|n| n["name"].as_str().unwrap().to_owned()).collect();
        out.splice(0..0, names);
        if page["pageInfo"]["hasPreviousPage"] != json!(true) {
            return out;
        }
        before = page["pageInfo"]["startCursor"].clone();
    }
}

async fn seed(app: &TestApp) {
    define_all(app).await;
    for (name, fields) in [
        (
            "甲",
            json!([{ "key": "staff", "value": 9 }, { "key": "credit", "value": "10.50" }, { "key": "industry_code", "value": "C14" }]),
        ),
        ("乙", json!([{ "key": "staff", "value": 100 }, { "key": "credit", "value": "2" }])),
        (
            "丙",
            json!([{ "key": "staff", "value": 10 }, { "key": "credit", "value": "300" }, { "key": "industry_code", "value": "C13" }]),
        ),
        ("丁", json!([])),
        ("戊", json!([{ "key": "staff", "value": 25 }, { "key": "id_card", "value": "110101199001011234" }])),
    ] {
        let payload = customer(app, name, fields).await;
        assert_eq!(payload["userErrors"], json!([]), "{payload}");
    }
}

#[tokio::test]
async fn numbers_sort_as_numbers_and_missing_values_come_last_both_ways() {
    let app = spawn_app().await;
    seed(&app).await;
    let asc = json!([{ "customField": "staff" }]);
    let desc = json!([{ "customField": "staff", "direction": "DESC" }]);
    assert_eq!(forwards(&app, &app.admin_token, asc.clone()).await, ["甲", "丙", "戊", "乙", "丁"]);
    assert_eq!(backwards(&app, &app.admin_token, asc).await, ["甲", "丙", "戊", "乙", "丁"]);
    assert_eq!(forwards(&app, &app.admin_token, desc.clone()).await, ["乙", "戊", "丙", "甲", "丁"]);
    assert_eq!(backwards(&app, &app.admin_token, desc).await, ["乙", "戊", "丙", "甲", "丁"]);

    // DECIMAL compares as a number ("2" < "10.50" < "300"), not as text.
    let credit = json!([{ "customField": "credit" }]);
    let by_credit = forwards(&app, &app.admin_token, credit).await;
    assert_eq!(by_credit[..3], ["乙", "甲", "丙"]);
    // A SELECT sorts by its text; several keys combine, each breaking the previous one's ties.
    let mixed = json!([{ "customField": "industry_code" }, { "field": "CREATED_AT", "direction": "DESC" }]);
    assert_eq!(forwards(&app, &app.admin_token, mixed).await, ["丙", "甲", "戊", "丁", "乙"]);
}

#[tokio::test]
async fn nested_lists_sort_by_custom_fields_too() {
    let app = spawn_app().await;
    seed(&app).await;
    let query = "query($o: [CustomerOrder!]) { viewer { customers(orderBy: $o, first: 3) { nodes { name } } } }";
    let body =
        app.gql(&app.admin_token, query, json!({ "o": [{ "customField": "staff", "direction": "DESC" }] })).await;
    let names: Vec<&str> = body["data"]["viewer"]["customers"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["乙", "戊", "丙"]);
}

#[tokio::test]
async fn fields_that_cannot_be_sorted_on_are_refused() {
    let app = spawn_app().await;
    seed(&app).await;
    let ask = |token: String, order: Value| {
        let app = &app;
        async move { app.gql(&token, LIST, json!({ "o": order })).await }
    };
    for order in [
        json!([{ "customField": "lines" }]),
        json!([{ "customField": "no_such_field" }]),
        json!([{ "customField": "drop table" }]),
        json!([{ "customField": "staff", "field": "CREATED_AT" }]),
        json!([{ "direction": "DESC" }]),
    ] {
        let body = ask(app.admin_token.clone(), order.clone()).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{order}: {body}");
        assert_eq!(body["data"]["customers"], Value::Null, "{body}");
    }
    // A sensitive field sorts only for roles that read it in full: an order would reveal it.
    let (_, service) = app.user(Role::Service, None).await;
    let sensitive = json!([{ "customField": "id_card" }]);
    assert_eq!(error_code(&ask(service, sensitive.clone()).await), "FORBIDDEN");
    let body = ask(app.admin_token.clone(), sensitive).await;
    assert_eq!(body["data"]["customers"]["nodes"][0]["name"], json!("戊"), "{body}");
}

//! The customer slice: create, read, update, soft delete, restore, validation, scope.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

const UPDATE: &str = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
    customer { id name phone email region version } userErrors { field code message } } }";

async fn customer_by_id(app: &TestApp, token: &str, id: &Value) -> Value {
    let body = app
        .gql(
            token,
            "query($id: ID!) { customer(id: $id) { id name phone email region version deletedAt } }",
            json!({ "id": id }),
        )
        .await;
    body["data"]["customer"].clone()
}

#[tokio::test]
async fn create_normalises_input_and_numbers_the_customer() {
    let app = spawn_app().await;
    let c = app
        .create_customer(
            &app.admin_token,
            json!({ "name": "  Ｚｈａｎｇ　Ｍｉｎｇ ", "phone": "138 1234 5678", "email": " Zhang@Example.COM " }),
        )
        .await;
    assert_eq!(c["name"], "Zhang Ming");
    assert_eq!(c["phone"], "+8613812345678");
    assert_eq!(c["email"], "zhang@example.com");
    assert_eq!(c["version"], 1);
    let code = c["code"].as_str().unwrap();
    let today = chrono::Utc::now().format("%Y%m%d").to_string();
    assert_eq!(code, format!("C{today}001"));
    let second = app.create_customer(&app.admin_token, json!({ "name": "李四" })).await;
    assert_eq!(second["code"], format!("C{today}002"));
    assert_eq!(app.count("audit_events").await, 2, "each write leaves an audit row");
}

#[tokio::test]
async fn missing_key_fields_are_flagged_not_refused() {
    let app = spawn_app().await;
    let body = app
        .gql(
            &app.admin_token,
            "mutation { createCustomer(input: { name: \"Acme\", kind: COMPANY }) {
                customer { needsFollowUp missingFields } userErrors { code } } }",
            json!({}),
        )
        .await;
    let c = &body["data"]["createCustomer"]["customer"];
    assert_eq!(c["needsFollowUp"], true);
    let missing: Vec<&str> = c["missingFields"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(missing.contains(&"companyName") && missing.contains(&"phone"), "{missing:?}");
}

#[tokio::test]
async fn invalid_input_is_reported_per_field_and_writes_nothing() {
    let app = spawn_app().await;
    let body = app
        .gql(
            &app.admin_token,
            "mutation { createCustomer(input: { name: \"   \", phone: \"12345\", email: \"nope\" }) {
                customer { id } userErrors { field code message } } }",
            json!({}),
        )
        .await;
    let payload = &body["data"]["createCustomer"];
    assert_eq!(payload["customer"], Value::Null);
    let codes: Vec<(String, String)> = payload["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"][1].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect();
    assert!(codes.contains(&("name".into(), "REQUIRED".into())), "{codes:?}");
    assert!(codes.contains(&("phone".into(), "INVALID_PHONE".into())), "{codes:?}");
    assert!(codes.contains(&("email".into(), "INVALID_EMAIL".into())), "{codes:?}");
    assert_eq!(app.count("customers").await, 0);
    assert_eq!(app.count("audit_events").await, 0);
}

#[tokio::test]
async fn a_second_customer_with_the_same_phone_is_a_suspected_duplicate() {
    let app = spawn_app().await;
    app.create_customer(&app.admin_token, json!({ "name": "张明", "phone": "13812345678" })).await;
    let body = app
        .gql(
            &app.admin_token,
            "mutation { createCustomer(input: { name: \"张先生\", phone: \"+86 138 1234 5678\" }) {
                customer { id } userErrors { field code } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["createCustomer"]["userErrors"][0]["code"], "DUPLICATE_SUSPECTED");
    assert_eq!(app.count("customers").await, 1);
    let forced = app
        .create_customer(&app.admin_token, json!({ "name": "张先生", "phone": "13812345678", "allowDuplicate": true }))
        .await;
    assert_eq!(forced["phone"], "+8613812345678");
}

#[tokio::test]
async fn update_changes_given_fields_clears_nulls_and_bumps_the_version() {
    let app = spawn_app().await;
    let c = app
        .create_customer(&app.admin_token, json!({ "name": "Wang", "email": "w@example.com", "region": "Shanghai" }))
        .await;
    let body = app
        .gql(
            &app.admin_token,
            UPDATE,
            json!({ "input": { "id": c["id"], "expectedVersion": 1, "name": "Wang Fang", "region": null } }),
        )
        .await;
    let updated = &body["data"]["updateCustomer"]["customer"];
    assert_eq!(updated["name"], "Wang Fang");
    assert_eq!(updated["region"], Value::Null);
    assert_eq!(updated["email"], "w@example.com", "fields left out are unchanged");
    assert_eq!(updated["version"], 2);
}

#[tokio::test]
async fn stale_version_is_a_user_error_and_writes_nothing() {
    let app = spawn_app().await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "Wang" })).await;
    app.gql(&app.admin_token, UPDATE, json!({ "input": { "id": c["id"], "expectedVersion": 1, "name": "First" } }))
        .await;
    let body = app
        .gql(&app.admin_token, UPDATE, json!({ "input": { "id": c["id"], "expectedVersion": 1, "name": "Second" } }))
        .await;
    let payload = &body["data"]["updateCustomer"];
    assert_eq!(payload["customer"], Value::Null);
    assert_eq!(payload["userErrors"][0]["code"], "STALE_VERSION");
    assert_eq!(payload["userErrors"][0]["field"], json!(["input", "expectedVersion"]));
    let stored = customer_by_id(&app, &app.admin_token, &c["id"]).await;
    assert_eq!(stored["name"], "First");
    assert_eq!(stored["version"], 2);
}

#[tokio::test]
async fn soft_delete_hides_and_restore_brings_back() {
    let app = spawn_app().await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "Gone Soon" })).await;
    let (_, sales) = app.user(Role::Sales, None).await;
    let _ = sales;
    let del = app
        .gql(
            &app.admin_token,
            "mutation($id: ID!) { deleteCustomer(input: { id: $id, expectedVersion: 1 }) { customer { deletedAt version } userErrors { code } } }",
            json!({ "id": c["id"] }),
        )
        .await;
    assert!(del["data"]["deleteCustomer"]["customer"]["deletedAt"].is_string(), "{del}");
    let list = app.gql(&app.admin_token, "{ customers { totalCount } }", json!({})).await;
    assert_eq!(list["data"]["customers"]["totalCount"], 0);
    let with_deleted = app.gql(&app.admin_token, "{ customers(includeDeleted: true) { totalCount } }", json!({})).await;
    assert_eq!(with_deleted["data"]["customers"]["totalCount"], 1);
    assert_eq!(app.count("customers").await, 1, "soft delete keeps the row");

    let restore = app
        .gql(
            &app.admin_token,
            "mutation($id: ID!) { restoreCustomer(input: { id: $id }) { customer { deletedAt version } userErrors { code } } }",
            json!({ "id": c["id"] }),
        )
        .await;
    assert_eq!(restore["data"]["restoreCustomer"]["customer"]["deletedAt"], Value::Null);
    assert_eq!(restore["data"]["restoreCustomer"]["customer"]["version"], 3);
    let list = app.gql(&app.admin_token, "{ customers { totalCount } }", json!({})).await;
    assert_eq!(list["data"]["customers"]["totalCount"], 1);
}

#[tokio::test]
async fn only_admins_list_deleted_customers() {
    let app = spawn_app().await;
    let (_, manager) = app.user(Role::Manager, None).await;
    let body = app.gql(&manager, "{ customers(includeDeleted: true) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
}

#[tokio::test]
async fn sales_rep_cannot_read_another_reps_customer() {
    let app = spawn_app().await;
    let (_, alice) = app.user(Role::Sales, None).await;
    let (_, bob) = app.user(Role::Sales, None).await;
    let mine = app.create_customer(&alice, json!({ "name": "Alice's client" })).await;
    let body = app
        .gql(&bob, "query($id: ID!) { customer(id: $id) { name } node(id: $id) { id } }", json!({ "id": mine["id"] }))
        .await;
    assert_eq!(body["data"]["customer"], Value::Null);
    assert_eq!(body["data"]["node"], Value::Null);
    let list = app.gql(&bob, "{ customers { totalCount } }", json!({})).await;
    assert_eq!(list["data"]["customers"]["totalCount"], 0);
    let update =
        app.gql(&bob, UPDATE, json!({ "input": { "id": mine["id"], "expectedVersion": 1, "name": "Hijacked" } })).await;
    assert_eq!(error_code(&update), "NOT_FOUND");
    let stored = customer_by_id(&app, &alice, &mine["id"]).await;
    assert_eq!(stored["name"], "Alice's client");
}

#[tokio::test]
async fn analysts_may_not_write_customers() {
    let app = spawn_app().await;
    let (_, analyst) = app.user(Role::Analyst, None).await;
    let body =
        app.gql(&analyst, "mutation { createCustomer(input: { name: \"X\" }) { customer { id } } }", json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(app.count("customers").await, 0);
}

#[tokio::test]
async fn node_and_nodes_resolve_global_ids() {
    let app = spawn_app().await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "Node Person" })).await;
    let body = app
        .gql(
            &app.admin_token,
            "query($ids: [ID!]!, $id: ID!) { node(id: $id) { id ... on Customer { name } } nodes(ids: $ids) { id } viewer { id role } }",
            json!({ "id": c["id"], "ids": [c["id"], "bm9wZQ"] }),
        )
        .await;
    assert_eq!(body["data"]["node"]["name"], "Node Person");
    assert_eq!(body["data"]["nodes"][0]["id"], c["id"]);
    assert_eq!(body["data"]["nodes"][1], Value::Null);
    assert_eq!(body["data"]["viewer"]["role"], "ADMIN");
}

#[tokio::test]
async fn search_matches_name_phone_and_code_with_like_characters_escaped() {
    let app = spawn_app().await;
    let a = app.create_customer(&app.admin_token, json!({ "name": "100% Cotton Ltd", "phone": "13900001111" })).await;
    app.create_customer(&app.admin_token, json!({ "name": "1000 Cotton Ltd" })).await;
    let by_percent = app.gql(&app.admin_token, "{ customers(search: \"100%\") { nodes { name } } }", json!({})).await;
    assert_eq!(by_percent["data"]["customers"]["nodes"], json!([{ "name": "100% Cotton Ltd" }]));
    let by_phone =
        app.gql(&app.admin_token, "{ customers(search: \"139 0000 1111\") { totalCount } }", json!({})).await;
    assert_eq!(by_phone["data"]["customers"]["totalCount"], 1);
    let by_code = app
        .gql(&app.admin_token, "query($s: String) { customers(search: $s) { totalCount } }", json!({ "s": a["code"] }))
        .await;
    assert_eq!(by_code["data"]["customers"]["totalCount"], 1);
}

#[tokio::test]
async fn filters_combine_with_and_or_not() {
    let app = spawn_app().await;
    for (name, region) in [("Ann", "Beijing"), ("Bo", "Shanghai"), ("Cai", "Shenzhen")] {
        app.create_customer(&app.admin_token, json!({ "name": name, "region": region })).await;
    }
    let q = "query($f: CustomerFilter) { customers(filter: $f, orderBy: [{field: NAME}]) { nodes { name } } }";
    let names = |body: Value| -> Vec<String> {
        body["data"]["customers"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_string())
            .collect()
    };
    let or = app
        .gql(
            &app.admin_token,
            q,
            json!({ "f": { "or": [{ "region": { "eq": "Beijing" } }, { "name": { "startsWith": "C" } }] } }),
        )
        .await;
    assert_eq!(names(or), vec!["Ann", "Cai"]);
    let not = app.gql(&app.admin_token, q, json!({ "f": { "not": { "region": { "startsWith": "Sh" } } } })).await;
    assert_eq!(names(not), vec!["Ann"]);
    let and = app
        .gql(&app.admin_token, q, json!({ "f": { "region": { "contains": "h" }, "name": { "in": ["Bo", "Ann"] } } }))
        .await;
    assert_eq!(names(and), vec!["Bo"]);
}

#[tokio::test]
async fn nodes_costs_one_statement_per_type_not_per_id() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(app.create_customer(&app.admin_token, json!({ "name": format!("N{i}") })).await["id"].clone());
    }
    let viewer = app.gql(&app.admin_token, "{ viewer { id } }", json!({})).await["data"]["viewer"]["id"].clone();
    ids.push(viewer.clone());
    ids.push(json!("bm9wZQ"));
    ids.push(ids[0].clone());
    let before = app.statements();
    let body =
        app.gql(&app.admin_token, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": ids })).await;
    let used = app.statements() - before;
    let nodes = body["data"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 23);
    assert_eq!(nodes[0]["id"], ids[0]);
    assert_eq!(nodes[20]["id"], viewer);
    assert_eq!(nodes[21], Value::Null);
    assert_eq!(nodes[22]["id"], ids[0], "a repeated id resolves again");
    // The viewer's own look-up, then one statement for customers and one for users.
    assert_eq!(used, 3, "{used} statements");
}

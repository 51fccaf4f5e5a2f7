//! Transport rules, internal errors without internals, exact money.

use crate::helpers::{error_code, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

#[tokio::test]
async fn a_broken_database_gives_internal_without_sql() {
    let app = spawn_app().await;
    app.create_customer(&app.admin_token, json!({ "name": "Before the break" })).await;
    app.db.execute_unprepared("ALTER TABLE contacts RENAME TO contacts_gone").await.unwrap();
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&app.admin_token)
        .json(&json!({ "query": "{ customers { nodes { name contacts { nodes { name } } } } }" }))
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(error_code(&body), "INTERNAL", "{text}");
    assert_eq!(body["errors"][0]["message"], "internal error");
    let lower = text.to_lowercase();
    for leak in ["select ", "no such table", "relation \"", "sqlx", "sea_orm", "database error"] {
        assert!(!lower.contains(leak), "response leaks `{leak}`: {text}");
    }
    assert!(body["extensions"]["requestId"].is_string());
}

#[tokio::test]
async fn batches_plain_text_and_get_mutations_are_refused() {
    let app = spawn_app().await;
    let batch = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&app.admin_token)
        .json(&json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.status(), 400);
    let plain = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "text/plain")
        .body(r#"{"query":"mutation { createCustomer(input: {name: \"csrf\"}) { customer { id } } }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 415);
    let get = app
        .client
        .get(app.url("/graphql"))
        .bearer_auth(&app.admin_token)
        .query(&[("query", "mutation { createCustomer(input: {name: \"via get\"}) { customer { id } } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    assert_eq!(app.count("customers").await, 0);
    let get_query = app
        .client
        .get(app.url("/graphql"))
        .bearer_auth(&app.admin_token)
        .query(&[("query", "{ customers { totalCount } }")])
        .send()
        .await
        .unwrap();
    let body: Value = get_query.json().await.unwrap();
    assert_eq!(body["data"]["customers"]["totalCount"], 0);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let huge =
        format!("{{\"query\":\"{{ __typename }}\",\"variables\":{{\"pad\":\"{}\"}}}}", "x".repeat(2 * 1024 * 1024));
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn too_many_aliases_and_deep_queries_are_refused_before_running() {
    let app = spawn_app().await;
    let aliases: String = (0..40).map(|i| format!("a{i}: __typename ")).collect();
    let body = app.gql(&app.admin_token, &format!("{{ {aliases} }}"), json!({})).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX");
    let deep = "{ customers { nodes { contacts { nodes { id } edges { node { id } } pageInfo { hasNextPage } } owner { id } } } }";
    let fine = app.gql(&app.admin_token, deep, json!({})).await;
    assert!(fine["errors"].is_null(), "{fine}");
    let nested = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {}name{} }} }} }} }} }}",
        "ofType { ".repeat(12),
        " }".repeat(12)
    );
    let body = app.gql(&app.admin_token, &nested, json!({})).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
}

#[tokio::test]
async fn money_sums_exactly_on_this_database() {
    let app = spawn_app().await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "Buyer" })).await;
    let (_, id) =
        clientele::graphql::relay::parse_global_id(&async_graphql::ID(c["id"].as_str().unwrap().into())).unwrap();
    let backend = app.db.get_database_backend();
    for amount in ["0.10", "0.20"] {
        let units = entity::money::to_e4(amount.parse().unwrap()).unwrap();
        let p = |n: usize| if backend == sea_orm::DatabaseBackend::Postgres { format!("${n}") } else { "?".into() };
        let sql = format!(
            "INSERT INTO purchases (id, customer_id, product, quantity, amount_e4, currency, purchased_at, version, created_at, updated_at) \
             VALUES ({}, {}, 'Tea', 1, {}, 'CNY', {}, 1, {}, {})",
            p(1),
            p(2),
            p(3),
            p(4),
            p(5),
            p(6)
        );
        let now = chrono::Utc::now();
        app.db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [entity::new_id().into(), id.into(), units.into(), now.date_naive().into(), now.into(), now.into()],
            ))
            .await
            .unwrap();
    }
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, "SELECT CAST(SUM(amount_e4) AS BIGINT) AS total FROM purchases"))
        .await
        .unwrap()
        .unwrap();
    let total: i64 = row.try_get("", "total").unwrap();
    assert_eq!(entity::money::from_e4(total).to_string(), "0.3");
}

#[tokio::test]
async fn a_document_that_ran_before_still_has_its_variables_checked() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "Acme" })).await["id"].clone();
    let create = "mutation($i: CreateInteractionInput!) { createInteraction(input: $i) {
        interaction { id } userErrors { code } } }";
    let input = |channel: &str| json!({ "i": { "customerId": customer, "channel": channel, "summary": "Called" } });
    // A document that ran (and is remembered as valid) refuses bad variables every time,
    // before anything runs.
    for _ in 0..2 {
        let body = app.gql(&app.admin_token, create, input("PHONE")).await;
        assert_eq!(body["data"]["createInteraction"]["userErrors"], json!([]), "{body}");
    }
    for _ in 0..2 {
        let body = app.gql(&app.admin_token, create, input("PIGEON")).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        let body = app.gql(&app.admin_token, create, json!({ "i": { "channel": "PHONE" } })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
    assert_eq!(app.count("interactions").await, 2);
    // A document with an error is never taken for validated.
    for _ in 0..2 {
        let body = app.gql(&app.admin_token, "{ customers(first: 1) { nodes { nope } } }", json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
}

//! What `src/engine/` relies on in async-graphql and sea-orm, pinned: an upgrade that
//! changes it fails here (answers and statement counts, not only speed). Every server
//! here runs with the speed paths off, so the standard path is what is measured.
//! (`rows.rs` pins the positional decoder against sea-orm's on every record type.)

use crate::helpers::{TestApp, spawn_app_with, test_config};
use serde_json::{Value, json};

async fn plain_app() -> TestApp {
    spawn_app_with(&[("CLIENTELE_FAST_PATHS", "off")]).await
}

async fn customers_with_contacts(app: &TestApp, n: usize) {
    for i in 0..n {
        let c = app.create_customer(&app.admin_token, json!({ "name": format!("Company {i}") })).await;
        let body = app
            .gql(
                &app.admin_token,
                "mutation($input: CreateContactInput!) { createContact(input: $input) { userErrors { code } } }",
                json!({ "input": { "customerId": c["id"], "name": format!("Contact {i}") } }),
            )
            .await;
        assert_eq!(body["data"]["createContact"]["userErrors"], json!([]), "{body}");
    }
}

/// `engine::drive`: every key of a level is in one batch, so a level costs one statement
/// whatever the page size. Were async-graphql's list resolution to finish a level in one
/// poll, or to stop waking itself, batches would split and the counts would differ.
#[tokio::test]
async fn the_driver_batches_every_key_of_a_level_into_one_statement() {
    let app = plain_app().await;
    customers_with_contacts(&app, 30).await;
    let query = "query($n: Int) { customers(first: $n) { nodes { name owner { name }
        contacts(first: 2) { nodes { name } } deals(first: 2) { nodes { title } } } } }";
    let mut counts = Vec::new();
    for n in [3, 30] {
        let before = app.statements();
        let body = app.gql(&app.admin_token, query, json!({ "n": n })).await;
        assert!(body["errors"].is_null(), "{body}");
        assert_eq!(body["data"]["customers"]["nodes"].as_array().map(Vec::len), Some(n as usize));
        counts.push(app.statements() - before);
    }
    assert_eq!(counts[0], counts[1], "statements grew with the page: {counts:?}");
    // The user record (authentication), the page, owners, contacts, deals.
    assert_eq!(counts[1], 5, "{counts:?}");
}

/// `engine::listed`: list items resolve their fields in selection order, exactly as
/// async-graphql answers the same selection through a fragment (its own path).
#[tokio::test]
async fn list_items_answer_in_selection_order_as_async_graphql_does() {
    let app = plain_app().await;
    customers_with_contacts(&app, 3).await;
    let plain = "{ customers(first: 3) { nodes { version name id contacts(first: 1) { nodes { name id } } code } } }";
    let fragment = "{ customers(first: 3) { nodes { ...F } } }
        fragment F on Customer { version name id contacts(first: 1) { nodes { name id } } code }";
    let text = |query: &'static str| {
        let app = &app;
        async move {
            let request = app.client.post(app.url("/graphql")).bearer_auth(&app.admin_token);
            request.json(&json!({ "query": query })).send().await.unwrap().text().await.unwrap()
        }
    };
    let (plain, fragment) = (text(plain).await, text(fragment).await);
    let data = |body: &str| -> Value { serde_json::from_str::<Value>(body).unwrap()["data"].clone() };
    assert_eq!(data(&plain), data(&fragment));
    let order = |body: &str| ["\"version\"", "\"name\"", "\"id\"", "\"contacts\"", "\"code\""].map(|k| body.find(k));
    let positions = order(&plain);
    assert!(positions.iter().all(Option::is_some) && positions.is_sorted(), "{plain}");
}

/// `engine::documents`: the request hands async-graphql its parsed tree, and async-graphql
/// runs that tree, not its text (else every request would be parsed twice).
#[tokio::test]
async fn async_graphql_runs_the_parsed_tree_it_is_handed() {
    let config = test_config("sqlite::memory:", &[]);
    let schema = clientele::graphql::schema::build_schema(None, &config);
    let mut request = async_graphql::Request::new("{ __typename }");
    let tree = async_graphql::parser::parse_query("{ __schema { queryType { name } } }").unwrap();
    request.set_parsed_query(tree);
    let response = schema.execute(request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    assert_eq!(response.data.into_json().unwrap(), json!({ "__schema": { "queryType": { "name": "Query" } } }));
}

/// `graphql::execute` classifies an error without a code by where it arose: async-graphql's
/// verdict on the document has no field path (the caller's: `BAD_USER_INPUT`), a
/// resolver's has one. Limits answer `QUERY_TOO_COMPLEX` from their own check.
#[tokio::test]
async fn document_errors_have_no_path_and_are_the_callers() {
    let app = plain_app().await;
    let body = app.gql(&app.admin_token, "{ customers(first: 1) { nodes { nosuchfield } } }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    assert!(body["errors"][0]["path"].is_null(), "{body}");
    // Sixteen fields deep, one more than the depth limit; small in complexity.
    let level = |inner: &str| format!("customers(first: 1) {{ nodes {{ owner {{ {inner} }} }} }}");
    let deep = format!("{{ {} }}", level(&level(&level(&level(&level("id"))))));
    let body = app.gql(&app.admin_token, &deep, json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX", "{body}");
}

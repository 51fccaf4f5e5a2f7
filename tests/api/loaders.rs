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

#[tokio::test]
async fn the_same_connection_twice_with_different_filters_keeps_its_own_rows() {
    let app = spawn_app().await;
    let deal = "mutation($i: CreateDealInput!) { createDeal(input: $i) { userErrors { code } } }";
    for i in 0..3 {
        let c = app.create_customer(&app.admin_token, json!({ "name": format!("Buyer {i}") })).await;
        for (title, stage) in [("Early", "LEAD"), ("Late", "NEGOTIATION")] {
            let input = json!({ "customerId": c["id"], "title": title, "amount": "10", "stage": stage });
            let body = app.gql(&app.admin_token, deal, json!({ "i": input })).await;
            assert_eq!(body["data"]["createDeal"]["userErrors"], json!([]), "{body}");
        }
    }
    // Loader keys are the field's place in the document: two aliases of one field must
    // not share a batch, and a fragment used twice must give both places the same rows.
    let query = "fragment F on Customer { f: deals(filter: {stage: {eq: NEGOTIATION}}) { nodes { title } } }
        { customers(first: 10) { nodes {
            lead: deals(filter: {stage: {eq: LEAD}}) { totalCount nodes { title } }
            late: deals(filter: {stage: {eq: NEGOTIATION}}) { totalCount nodes { title } }
            ...F ... on Customer { ...F } } } }";
    let body = app.gql(&app.admin_token, query, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    let nodes = body["data"]["customers"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3);
    for node in nodes {
        assert_eq!(node["lead"]["totalCount"], 1);
        assert_eq!(node["lead"]["nodes"], json!([{ "title": "Early" }]));
        assert_eq!(node["late"]["nodes"], json!([{ "title": "Late" }]));
        assert_eq!(node["f"]["nodes"], json!([{ "title": "Late" }]));
    }
}

#[tokio::test]
async fn has_tag_finds_exactly_the_tagged_customers() {
    let app = spawn_app().await;
    let tag = app
        .gql(
            &app.admin_token,
            "mutation { createTag(input: {dimension: \"value\", name: \"VIP\"}) { tag { id } userErrors { code } } }",
            json!({}),
        )
        .await;
    let tag_id = tag["data"]["createTag"]["tag"]["id"].clone();
    assert!(tag_id.is_string(), "{tag}");
    let mut tagged = Vec::new();
    for i in 0..4 {
        let c = app.create_customer(&app.admin_token, json!({ "name": format!("Client {i}") })).await;
        if i % 2 == 0 {
            let add = "mutation($i: CustomerTagsInput!) { addTags(input: $i) { userErrors { code } } }";
            let body =
                app.gql(&app.admin_token, add, json!({ "i": { "customerId": c["id"], "tagIds": [tag_id] } })).await;
            assert_eq!(body["data"]["addTags"]["userErrors"], json!([]), "{body}");
            tagged.push(c["name"].clone());
        }
    }
    let query = "query($t: ID!) { customers(filter: {hasTag: {id: {eq: $t}}}, orderBy: [{field: NAME}]) {
        totalCount nodes { name } } }";
    let body = app.gql(&app.admin_token, query, json!({ "t": tag_id })).await;
    assert!(body["errors"].is_null(), "{body}");
    let names: Vec<_> =
        body["data"]["customers"]["nodes"].as_array().unwrap().iter().map(|n| n["name"].clone()).collect();
    assert_eq!(names, tagged);
    assert_eq!(body["data"]["customers"]["totalCount"], 2);
    // The same filter under `not`: the correlated subquery must stay tied to each row.
    let others = "query($t: ID!) { customers(filter: {not: {hasTag: {id: {eq: $t}}}}) { totalCount } }";
    let body = app.gql(&app.admin_token, others, json!({ "t": tag_id })).await;
    assert_eq!(body["data"]["customers"]["totalCount"], 2, "{body}");
}

#[tokio::test]
async fn one_parents_children_page_forward_and_backward_like_many_parents() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for i in 0..2 {
        let c = app.create_customer(&app.admin_token, json!({ "name": format!("Parent {i}") })).await;
        for j in 0..3 {
            let body = app
                .gql(
                    &app.admin_token,
                    "mutation($input: CreateContactInput!) { createContact(input: $input) { userErrors { code } } }",
                    json!({ "input": { "customerId": c["id"], "name": format!("P{i} contact {j}"), "phone": "13800000000" } }),
                )
                .await;
            assert_eq!(body["data"]["createContact"]["userErrors"], json!([]));
        }
        ids.push(c["id"].clone());
    }
    let page = "{ nodes { name } pageInfo { hasNextPage hasPreviousPage } }";
    let one = format!(
        "query($id: ID!) {{ customer(id: $id) {{ head: contacts(first: 2) {page} tail: contacts(last: 2) {page} }} }}"
    );
    let many = format!(
        "{{ customers(first: 2) {{ nodes {{ head: contacts(first: 2) {page} tail: contacts(last: 2) {page} }} }} }}"
    );
    let single = app.gql(&app.admin_token, &one, json!({ "id": ids[0] })).await;
    let batched = app.gql(&app.admin_token, &many, json!({})).await;
    let single = &single["data"]["customer"];
    assert_eq!(single, &batched["data"]["customers"]["nodes"][0], "{batched}");
    assert_eq!(single["head"]["nodes"], json!([{ "name": "P0 contact 0" }, { "name": "P0 contact 1" }]));
    assert_eq!(single["head"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(single["tail"]["nodes"], json!([{ "name": "P0 contact 1" }, { "name": "P0 contact 2" }]));
    assert_eq!(single["tail"]["pageInfo"]["hasPreviousPage"], true);
}

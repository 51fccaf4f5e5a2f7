//! Another rep's records through every entry point: `node`, `nodes`, the typed root
//! field, nested relations, filters, mutations and the duplicate check. Each answers as
//! if the record did not exist, and nothing is written.

use crate::as_token;
use crate::helpers::{TestApp, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

struct World {
    app: TestApp,
    rep_a: String,
    rep_b: (uuid::Uuid, String),
    theirs: Value,
    deal: Value,
}

async fn world() -> World {
    let app = spawn_app().await;
    let (_, rep_a) = app.user(Role::Sales, None).await;
    let rep_b = app.user(Role::Sales, None).await;
    let theirs = app
        .create_customer(&rep_b.1, json!({ "name": "B's customer", "phone": "13812345678", "email": "b@example.com" }))
        .await;
    let reply = as_token(
        &app,
        &rep_b.1,
        "mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id } userErrors { code } } }",
        json!({ "input": { "title": "B's deal", "customerId": theirs["id"], "amount": "100" } }),
    )
    .await;
    let deal = reply.json["data"]["createDeal"]["deal"].clone();
    assert!(deal["id"].is_string(), "{}", reply.text);
    World { app, rep_a, rep_b, theirs, deal }
}

#[tokio::test]
async fn reads_of_another_reps_records_find_nothing() {
    let w = world().await;
    let (id, deal) = (&w.theirs["id"], &w.deal["id"]);
    let reads = [
        ("query($id: ID!) { customer(id: $id) { name } }", json!({ "id": id }), "/data/customer"),
        ("query($id: ID!) { node(id: $id) { id } }", json!({ "id": id }), "/data/node"),
        (
            "query($id: ID!) { node(id: $id) { ... on Deal { amount customer { name } } } }",
            json!({ "id": deal }),
            "/data/node",
        ),
        ("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": [id, deal] }), "/data/nodes/0"),
    ];
    for (query, variables, pointer) in reads {
        let reply = as_token(&w.app, &w.rep_a, query, variables).await;
        assert!(reply.json.pointer(pointer).is_some_and(Value::is_null), "{query}: {}", reply.text);
        assert!(!reply.text.contains("B's"), "{query} leaked: {}", reply.text);
    }
    let filtered = as_token(
        &w.app,
        &w.rep_a,
        "query($owner: ID!) { customers(filter: {ownerId: {eq: $owner}}) { totalCount } deals { totalCount } }",
        json!({ "owner": entity_id(&w.app, w.rep_b.0) }),
    )
    .await;
    assert_eq!(filtered.json["data"]["customers"]["totalCount"], 0, "{}", filtered.text);
    assert_eq!(filtered.json["data"]["deals"]["totalCount"], 0, "{}", filtered.text);
}

/// The global ID of user `id`.
fn entity_id(_app: &TestApp, id: uuid::Uuid) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("User:{id}"))
}

#[tokio::test]
async fn writes_to_another_reps_records_are_not_found_and_write_nothing() {
    let w = world().await;
    let id = &w.theirs["id"];
    let before = (w.app.count("interactions").await, w.app.count("audit_events").await);
    let update = as_token(
        &w.app,
        &w.rep_a,
        "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { name } userErrors { code } } }",
        json!({ "input": { "id": id, "expectedVersion": 1, "name": "Hijacked" } }),
    )
    .await;
    assert_eq!(update.code(), "NOT_FOUND", "{}", update.text);
    let delete = as_token(
        &w.app,
        &w.rep_a,
        "mutation($input: DeleteCustomerInput!) { deleteCustomer(input: $input) { customer { id } userErrors { code } } }",
        json!({ "input": { "id": id } }),
    )
    .await;
    assert_eq!(delete.code(), "NOT_FOUND", "{}", delete.text);
    let log = as_token(
        &w.app,
        &w.rep_a,
        "mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { interaction { id } userErrors { field code } } }",
        json!({ "input": { "customerId": id, "channel": "PHONE", "summary": "sneaky" } }),
    )
    .await;
    let refused =
        log.code() == "NOT_FOUND" || log.json["data"]["createInteraction"]["userErrors"][0]["code"] == "NOT_FOUND";
    assert!(refused, "{}", log.text);
    assert_eq!((w.app.count("interactions").await, w.app.count("audit_events").await), before);
    let name =
        as_token(&w.app, &w.rep_b.1, "query($id: ID!) { customer(id: $id) { name version } }", json!({ "id": id }))
            .await;
    assert_eq!(name.json["data"]["customer"], json!({ "name": "B's customer", "version": 1 }));
}

#[tokio::test]
async fn the_duplicate_check_names_a_customer_only_to_who_may_see_it() {
    let w = world().await;
    let create = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } userErrors { field code message } } }";
    let code = w.theirs["code"].as_str().unwrap();
    for input in
        [json!({ "name": "Copy", "phone": "138 1234 5678" }), json!({ "name": "Copy", "email": "B@Example.com" })]
    {
        let reply = as_token(&w.app, &w.rep_a, create, json!({ "input": input })).await;
        let error = &reply.json["data"]["createCustomer"]["userErrors"][0];
        assert_eq!(error["code"], "DUPLICATE_SUSPECTED", "{}", reply.text);
        assert!(!reply.text.contains(code), "the check told rep A another rep's customer: {}", reply.text);
        let reply = crate::admin(&w.app, create, json!({ "input": input })).await;
        assert!(reply.text.contains(code), "the admin may see which customer it is: {}", reply.text);
    }
    assert_eq!(w.app.count("customers").await, 1);
}

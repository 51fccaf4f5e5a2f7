//! The response's shape: a denied nullable field is present as `null` beside its
//! `FORBIDDEN` error, the object around it stays, keys follow the selection on both read
//! paths (the checker in `post` asserts that for every answer).

use crate::helpers::spawn_app;
use crate::{admin, as_token};
use async_graphql::Value as Ordered;
use entity::enums::Role;
use serde_json::json;

/// The keys of the object at `pointer` (a list of field names), in the order sent.
fn keys(text: &str, path: &[&str]) -> Vec<String> {
    let mut value: Ordered = serde_json::from_str(text).unwrap();
    for step in path {
        value = match value {
            Ordered::Object(mut map) => map.shift_remove(*step).unwrap(),
            Ordered::List(mut items) => items.remove(step.parse().unwrap()),
            other => panic!("{step}: {other}"),
        };
    }
    match value {
        Ordered::Object(map) => map.keys().map(|k| k.to_string()).collect(),
        other => panic!("not an object: {other}"),
    }
}

#[tokio::test]
async fn a_denied_field_is_null_with_its_key_and_its_error() {
    let app = spawn_app().await;
    let (_, service) = app.user(Role::Service, None).await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "Masked", "birthDate": "1990-05-01" })).await;
    let query = "query($id: ID!) { customer(id: $id) { code birthDate name } }";
    for _ in 0..2 {
        let reply = as_token(&app, &service, query, json!({ "id": customer["id"] })).await;
        assert_eq!(keys(&reply.text, &["data", "customer"]), ["code", "birthDate", "name"], "{}", reply.text);
        assert!(reply.json["data"]["customer"]["birthDate"].is_null());
        assert_eq!(reply.json["errors"][0]["extensions"]["code"], "FORBIDDEN");
        assert_eq!(reply.json["errors"][0]["path"], json!(["customer", "birthDate"]));
    }
}

#[tokio::test]
async fn a_list_item_whose_fields_are_all_denied_stays_an_object() {
    let app = spawn_app().await;
    let (_, service) = app.user(Role::Service, None).await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "Buyer" })).await;
    for title in ["one", "two"] {
        admin(
            &app,
            "mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id } } }",
            json!({ "input": { "title": title, "customerId": customer["id"], "amount": "10" } }),
        )
        .await
        .expect_ok();
    }
    let reply = as_token(&app, &service, "{ deals { nodes { amount } } }", json!({})).await;
    let nodes = reply.json["data"]["deals"]["nodes"].as_array().unwrap();
    assert_eq!(nodes, &vec![json!({ "amount": null }); 2], "{}", reply.text);
    let codes: Vec<&str> =
        reply.json["errors"].as_array().unwrap().iter().map(|e| e["extensions"]["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["FORBIDDEN", "FORBIDDEN"]);
}

#[tokio::test]
async fn keys_follow_the_selection_at_every_level() {
    let app = spawn_app().await;
    app.create_customer(&app.admin_token, json!({ "name": "Ordered", "email": "o@example.com" })).await;
    let queries = [
        ("{ viewer { role email id } customers { totalCount nodes { email name } } }", vec!["viewer", "customers"]),
        ("{ customers { totalCount nodes { email name } } viewer { role email id } }", vec!["customers", "viewer"]),
        (
            "{ b: viewer { id } a: viewer { role } ...F } fragment F on Query { c: viewer { email } }",
            vec!["b", "a", "c"],
        ),
    ];
    for (query, order) in queries {
        // Twice: the standard path, then the direct one where it applies.
        for _ in 0..2 {
            let reply = admin(&app, query, json!({})).await;
            reply.expect_ok();
            assert_eq!(keys(&reply.text, &["data"]), order, "{query}: {}", reply.text);
        }
    }
    let reply = admin(&app, "{ viewer { role email id } }", json!({})).await;
    assert_eq!(keys(&reply.text, &["data", "viewer"]), ["role", "email", "id"]);
    let reply = admin(
        &app,
        "mutation { createCustomer(input: {name: \"Payload\"}) { userErrors { code } clientMutationId customer { version name } } }",
        json!({}),
    )
    .await;
    assert_eq!(keys(&reply.text, &["data", "createCustomer"]), ["userErrors", "clientMutationId", "customer"]);
    assert_eq!(keys(&reply.text, &["data", "createCustomer", "customer"]), ["version", "name"]);
}

//! The objects in a list (connection nodes and edges) resolve their fields together
//! (`engine::listed`): the answer is the one the standard resolution gives — in
//! selection order, repeated keys merged, fragments, `__typename`, aliases and field
//! errors as GraphQL defines them.

use crate::helpers::{TestApp, spawn_app};
use crate::records::mutate;
use entity::enums::Role;
use serde_json::{Value, json};

async fn raw(app: &TestApp, token: &str, query: &str) -> String {
    app.client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn customer_with_contacts(app: &TestApp) {
    let c = app.create_customer(&app.admin_token, json!({ "name": "Listed Ltd", "phone": "+86 138 0013 8000" })).await;
    for name in ["Ann Lee", "Bo Chen"] {
        mutate(
            app,
            "createContact",
            "CreateContactInput",
            json!({ "customerId": c["id"], "name": name }),
            "contact { id }",
        )
        .await;
    }
}

#[tokio::test]
async fn list_items_answer_in_selection_order_with_repeated_keys_merged() {
    let app = spawn_app().await;
    customer_with_contacts(&app).await;
    let text = raw(
        &app,
        &app.admin_token,
        "{ customers { nodes { __typename n: name id contacts(first: 5) { nodes { id } }
            contacts(first: 5) { nodes { name } } code } } }",
    )
    .await;
    // Keys come in the order they were selected.
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} in {text}"));
    assert!(
        at("__typename") < at("n") && at("n") < at("id") && at("id") < at("contacts") && at("contacts") < at("code")
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    let node = &body["data"]["customers"]["nodes"][0];
    assert_eq!(node["__typename"], "Customer");
    assert_eq!(node["n"], "Listed Ltd");
    let contacts = node["contacts"]["nodes"].as_array().unwrap();
    assert_eq!(contacts.len(), 2, "{body}");
    for contact in contacts {
        assert!(contact["id"].is_string() && contact["name"].is_string(), "both selections merged: {contact}");
    }
}

#[tokio::test]
async fn fragments_give_the_same_answer_as_plain_fields() {
    let app = spawn_app().await;
    customer_with_contacts(&app).await;
    let plain = "{ customers { nodes { id name phone contacts { nodes { id name } } } } }";
    let fragments = "{ customers { nodes { ...C } } }
        fragment C on Customer { id ... on Customer { name phone } contacts { nodes { ...P } } }
        fragment P on Contact { id name }";
    let a: Value = serde_json::from_str(&raw(&app, &app.admin_token, plain).await).unwrap();
    let b: Value = serde_json::from_str(&raw(&app, &app.admin_token, fragments).await).unwrap();
    assert!(a["errors"].is_null() && b["errors"].is_null(), "{a} {b}");
    assert_eq!(a["data"], b["data"]);
}

#[tokio::test]
async fn a_denied_field_of_a_list_item_is_an_error_at_its_path_and_the_rest_is_answered() {
    let app = spawn_app().await;
    customer_with_contacts(&app).await;
    let (_, service) = app.user(Role::Service, None).await;
    let body: Value =
        serde_json::from_str(&raw(&app, &service, "{ customers { nodes { name birthDate phone } } }").await).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["customers", "nodes", 0, "birthDate"]));
    // The service desk reads names in full and phone numbers masked.
    let node = &body["data"]["customers"]["nodes"][0];
    assert_eq!(node["name"], "Listed Ltd", "{body}");
    assert_ne!(node["phone"], "+8613800138000");
    assert!(node["phone"].as_str().is_some_and(|p| p.contains('*')), "{body}");
}

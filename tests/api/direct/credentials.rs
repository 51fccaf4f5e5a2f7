//! The credential read inside the answering statement: a changed, deactivated or logged-out
//! user, and partner keys.

use super::both_ways_as;
use crate::helpers::spawn_fast_app;
use entity::enums::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn a_changed_or_deactivated_user_is_seen_by_the_statement_that_answers() {
    let app = spawn_fast_app().await;
    let (id, token) = app.user(Role::Admin, None).await;
    for i in 0..3 {
        app.create_customer(&app.admin_token, json!({ "name": format!("Company {i}") })).await;
    }
    let query = "{ customers(first: 10) { nodes { name } } }";
    let count = |body: &Value| body["data"]["customers"]["nodes"].as_array().map_or(0, Vec::len);
    // The first request validates the document and teaches the server the token's viewer.
    assert_eq!(count(&app.gql(&token, query, json!({})).await), 3);
    let (before, statements) = (app.direct_answers(), app.statements());
    assert_eq!(count(&app.gql(&token, query, json!({})).await), 3);
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 1));

    // Now a sales rep who owns one customer: the answer computed as the admin is not sent.
    app.set_user(id, Role::Sales, true).await;
    let owner = clientele::graphql::relay::global_id("User", id).0;
    app.create_customer(&app.admin_token, json!({ "name": "Own", "ownerId": owner })).await;
    let body = app.gql(&token, query, json!({})).await;
    assert_eq!(body["data"]["customers"]["nodes"], json!([{ "name": "Own" }]), "{body}");
    // … and from then on the rep is answered directly, in one statement.
    let (before, statements) = (app.direct_answers(), app.statements());
    assert_eq!(count(&app.gql(&token, query, json!({})).await), 1);
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 1));
    // An empty answer carries no user record: the credential is checked on its own.
    let empty = "{ customers(first: 10, search: \"nothing like this\") { nodes { name } } }";
    app.gql(&token, empty, json!({})).await;
    let (before, statements) = (app.direct_answers(), app.statements());
    assert_eq!(count(&app.gql(&token, empty, json!({})).await), 0);
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 2));

    // Deactivated: refused at once.
    app.set_user(id, Role::Sales, false).await;
    let response =
        app.client.post(app.url("/graphql")).bearer_auth(&token).json(&json!({ "query": query })).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_logged_out_session_stops_direct_answers() {
    let app = spawn_fast_app().await;
    let anonymous = |query: &'static str, variables: Value| {
        let app = &app;
        async move {
            let response =
                app.client.post(app.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
            response.send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let made = app
        .gql(
            &app.admin_token,
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } userErrors { code } } }",
            json!({ "i": { "email": "rep@example.com", "name": "Rep", "role": "SALES", "password": "a long enough password" } }),
        )
        .await;
    let rep = made["data"]["createUser"]["user"]["id"].clone();
    app.create_customer(&app.admin_token, json!({ "name": "Own", "ownerId": rep })).await;
    let login = anonymous(
        "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }",
        json!({ "i": { "email": "rep@example.com", "password": "a long enough password" } }),
    )
    .await;
    let access = login["data"]["login"]["accessToken"].as_str().unwrap().to_string();
    let refresh = login["data"]["login"]["refreshToken"].clone();
    let query = "{ customers(first: 5) { nodes { name } } }";
    app.gql(&access, query, json!({})).await;
    let (before, statements) = (app.direct_answers(), app.statements());
    let body = app.gql(&access, query, json!({})).await;
    assert_eq!(body["data"]["customers"]["nodes"], json!([{ "name": "Own" }]));
    // The session's state is read in the answering statement too.
    assert_eq!((app.direct_answers() - before, app.statements() - statements), (1, 1));

    let out =
        anonymous("mutation($t: String!) { logout(input: { refreshToken: $t }) { ok } }", json!({ "t": refresh }))
            .await;
    assert_eq!(out["data"]["logout"]["ok"], true);
    let body = app.gql(&access, query, json!({})).await;
    assert_eq!(crate::helpers::error_code(&body), "UNAUTHENTICATED", "{body}");
}

#[tokio::test]
async fn partner_keys_see_their_record_families_masked_both_ways() {
    let app = spawn_fast_app().await;
    clientele::seed::demo(&app.db).await.unwrap();
    let (partner, _) = app.user(Role::Partner, None).await;
    let key = |scopes: Vec<&'static str>| {
        let app = &app;
        async move {
            let made = app
                .gql(
                    &app.admin_token,
                    "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret userErrors { code } } }",
                    json!({ "i": { "name": "ERP", "scopes": scopes,
                                   "ownerId": clientele::graphql::relay::global_id("User", partner).0 } }),
                )
                .await;
            format!("ApiKey {}", made["data"]["createApiKey"]["secret"].as_str().unwrap())
        }
    };
    let everything = key(vec!["customers:read", "contacts:read", "deals:read", "tickets:read", "surveys:read"]).await;
    let with_pii =
        key(vec!["customers:read", "contacts:read", "deals:read", "tickets:read", "surveys:read", "pii:read"]).await;
    let customers_only = key(vec!["customers:read"]).await;
    let nothing = key(vec!["campaigns:read"]).await;
    let query = "{ customers(first: 6) @D { pageInfo { hasNextPage endCursor } nodes {
        id name phone email owner { name email }
        contacts(first: 2) { nodes { name phone email } }
        deals(first: 2) { nodes { title stage currency } }
        tickets(first: 2) { nodes { code status } }
        surveyResponses(first: 2) { nodes { score survey { title } } } } } }";
    for (authorization, rows) in [(&everything, true), (&with_pii, true), (&customers_only, true), (&nothing, false)] {
        let (body, direct) = both_ways_as(&app, authorization, query, json!({})).await;
        assert!(direct, "{body}");
        let nodes = body["data"]["customers"]["nodes"].as_array().unwrap();
        assert_eq!(!nodes.is_empty(), rows, "{body}");
    }
    // Denied for partners (Customer.notes): FORBIDDEN, on the standard path.
    let (body, direct) =
        both_ways_as(&app, &everything, "{ customers(first: 2) @D { nodes { notes } } }", json!({})).await;
    assert!(!direct && crate::helpers::error_code(&body) == "FORBIDDEN", "{body}");
}

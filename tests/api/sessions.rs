//! Credentials: API keys and their scopes, login, refresh-token rotation, logout,
//! throttling, deactivation.

use crate::access::{gql_as, mutate};
use crate::helpers::{error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

#[tokio::test]
async fn api_keys_show_their_secret_once_and_obey_scopes_and_revocation() {
    let app = spawn_app().await;
    let (partner, _) = app.user(Role::Partner, None).await;
    let owner = clientele::graphql::relay::global_id("User", partner);
    let bad = mutate(
        &app,
        &app.admin_token,
        "createApiKey",
        "CreateApiKeyInput",
        json!({ "name": "K", "scopes": ["everything"], "ownerId": owner }),
        "secret",
    )
    .await;
    assert_eq!(bad["userErrors"][0]["code"], "INVALID");
    let made = mutate(
        &app,
        &app.admin_token,
        "createApiKey",
        "CreateApiKeyInput",
        json!({ "name": "ERP", "scopes": ["customers:read", "tickets:write"], "ownerId": owner }),
        "secret apiKey { id scopes }",
    )
    .await;
    let secret = made["secret"].as_str().unwrap().to_string();
    let listed =
        app.gql(&app.admin_token, "{ apiKeys { totalCount nodes { name scopes lastUsedAt } } }", json!({})).await;
    assert_eq!(listed["data"]["apiKeys"]["totalCount"], 1);
    assert!(!listed.to_string().contains(&secret[10..]), "no secret in listings");
    let auth = format!("ApiKey {secret}");
    let c = app.create_customer(&app.admin_token, json!({ "name": "李雷" })).await["id"].clone();
    app.share_with_partners(&c).await;
    mutate(
        &app,
        &app.admin_token,
        "createContact",
        "CreateContactInput",
        json!({ "customerId": c, "name": "Hidden Contact" }),
        "contact { id }",
    )
    .await;
    let read =
        gql_as(&app, &auth, "{ customers { nodes { name contacts { totalCount } } } deals { totalCount } }", json!({}))
            .await;
    assert_eq!(
        read["data"]["customers"]["nodes"],
        json!([{ "name": "*雷", "contacts": { "totalCount": 0 } }]),
        "no contacts:read scope, no contacts, even nested"
    );
    assert_eq!(read["data"]["deals"]["totalCount"], 0, "no deals:read scope");
    let write = gql_as(
        &app,
        &auth,
        "mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { code } } }",
        json!({ "i": { "customerId": c, "subject": "From ERP", "category": "REQUEST" } }),
    )
    .await;
    assert!(write["data"]["createTicket"]["ticket"]["code"].is_string(), "{write}");
    // The audit trail names the key the write came with, and its partner user.
    let audit = app
        .gql(
            &app.admin_token,
            "{ auditEvents(first: 1, filter: { recordType: \"Ticket\" }) { nodes { apiKeyId actor { id } } } }",
            json!({}),
        )
        .await;
    let event = &audit["data"]["auditEvents"]["nodes"][0];
    assert_eq!(event["apiKeyId"], made["apiKey"]["id"], "{audit}");
    assert_eq!(event["actor"]["id"], json!(owner), "{audit}");
    let refused = gql_as(
        &app,
        &auth,
        "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }",
        json!({ "i": { "name": "Nope" } }),
    )
    .await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
    let wrong = gql_as(&app, &format!("ApiKey {}x", &secret), "{ customers { totalCount } }", json!({})).await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    mutate(
        &app,
        &app.admin_token,
        "revokeApiKey",
        "RevokeApiKeyInput",
        json!({ "id": made["apiKey"]["id"] }),
        "apiKey { revokedAt }",
    )
    .await;
    let revoked = gql_as(&app, &auth, "{ customers { totalCount } }", json!({})).await;
    assert_eq!(error_code(&revoked), "UNAUTHENTICATED");
}

#[tokio::test]
async fn login_refresh_rotation_reuse_and_logout() {
    let app = spawn_app().await;
    let made = mutate(
        &app,
        &app.admin_token,
        "createUser",
        "CreateUserInput",
        json!({ "email": "Rep@Example.com", "name": "Rep", "role": "SALES", "password": "a long enough password" }),
        "user { id email }",
    )
    .await;
    assert_eq!(made["user"]["email"], "rep@example.com");
    let login = |password: &'static str| {
        let app = &app;
        async move {
            gql_as(
                app,
                "",
                "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken user { email } } }",
                json!({ "i": { "email": "rep@example.com", "password": password } }),
            )
            .await
        }
    };
    let wrong = login("not the password").await;
    assert_eq!(error_code(&wrong), "UNAUTHENTICATED");
    let ok = login("a long enough password").await;
    let tokens = &ok["data"]["login"];
    assert_eq!(tokens["user"]["email"], "rep@example.com");
    let access = tokens["accessToken"].as_str().unwrap().to_string();
    let refresh = tokens["refreshToken"].as_str().unwrap().to_string();
    assert_eq!(app.gql(&access, "{ viewer { role } }", json!({})).await["data"]["viewer"]["role"], "SALES");

    let q = "mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken refreshToken } }";
    let rotated = gql_as(&app, "", q, json!({ "t": refresh })).await;
    let new_access = rotated["data"]["refreshToken"]["accessToken"].as_str().unwrap().to_string();
    let new_refresh = rotated["data"]["refreshToken"]["refreshToken"].as_str().unwrap().to_string();
    assert_ne!(new_refresh, refresh);
    // The old refresh token again: reuse. The whole family dies.
    let reuse = gql_as(&app, "", q, json!({ "t": refresh })).await;
    assert_eq!(error_code(&reuse), "UNAUTHENTICATED");
    let after_reuse = gql_as(&app, "", q, json!({ "t": new_refresh })).await;
    assert_eq!(error_code(&after_reuse), "UNAUTHENTICATED", "the family is revoked");
    let stale_access = app.gql(&new_access, "{ viewer { role } }", json!({})).await;
    assert_eq!(error_code(&stale_access), "UNAUTHENTICATED", "access tokens of a revoked session stop");

    let again = login("a long enough password").await;
    let access = again["data"]["login"]["accessToken"].as_str().unwrap().to_string();
    let refresh = again["data"]["login"]["refreshToken"].as_str().unwrap().to_string();
    let out = gql_as(
        &app,
        "",
        "mutation($t: String!) { logout(input: { refreshToken: $t }) { ok } }",
        json!({ "t": refresh }),
    )
    .await;
    assert_eq!(out["data"]["logout"]["ok"], true);
    assert_eq!(error_code(&app.gql(&access, "{ viewer { role } }", json!({})).await), "UNAUTHENTICATED");
}

#[tokio::test]
async fn repeated_failed_logins_are_rate_limited_with_retry_after() {
    let app = spawn_app().await;
    let mut last = Value::Null;
    for _ in 0..8 {
        last = gql_as(&app, "", "mutation { login(input: { email: \"nobody@example.com\", password: \"wrong password!!\" }) { accessToken } }", json!({})).await;
    }
    assert_eq!(error_code(&last), "RATE_LIMITED", "{last}");
    assert!(last["errors"][0]["extensions"]["retryAfter"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn deactivating_a_user_through_the_api_ends_their_sessions() {
    let app = spawn_app().await;
    let made = mutate(
        &app,
        &app.admin_token,
        "createUser",
        "CreateUserInput",
        json!({ "email": "gone@example.com", "name": "Gone", "role": "SERVICE", "password": "another long password" }),
        "user { id version }",
    )
    .await;
    let login = gql_as(&app, "", "mutation { login(input: { email: \"gone@example.com\", password: \"another long password\" }) { accessToken refreshToken } }", json!({})).await;
    let access = login["data"]["login"]["accessToken"].as_str().unwrap().to_string();
    let refresh = login["data"]["login"]["refreshToken"].clone();
    let off = mutate(
        &app,
        &app.admin_token,
        "updateUser",
        "UpdateUserInput",
        json!({ "id": made["user"]["id"], "expectedVersion": 1, "active": false }),
        "user { active }",
    )
    .await;
    assert_eq!(off["user"]["active"], false);
    assert_eq!(error_code(&app.gql(&access, "{ viewer { id } }", json!({})).await), "UNAUTHENTICATED");
    let r = gql_as(
        &app,
        "",
        "mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { accessToken } }",
        json!({ "t": refresh }),
    )
    .await;
    assert_eq!(error_code(&r), "UNAUTHENTICATED");
    let (_, sales) = app.user(Role::Sales, None).await;
    let refused = app.gql(&sales, "mutation { createTeam(input: { name: \"T\" }) { team { id } } }", json!({})).await;
    assert_eq!(error_code(&refused), "FORBIDDEN");
}

//! Bearer tokens: anything but a valid, current token for an active user is refused.

use crate::helpers::{SECRET, TestApp, spawn_app};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::enums::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims(app: &TestApp) -> Value {
    json!({ "sub": app.admin.to_string(), "exp": now() + 600, "iat": now(), "iss": "clientele", "aud": "clientele-api" })
}

fn sign(claims: &Value, secret: &str) -> String {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes()).unwrap()).unwrap()
}

async fn status_and_code(app: &TestApp, token: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("authorization", format!("Bearer {token}"))
        .json(&json!({ "query": "{ viewer { id } }" }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (status, body["errors"][0]["extensions"]["code"].clone())
}

async fn assert_refused(app: &TestApp, token: &str, why: &str) {
    let (status, code) = status_and_code(app, token).await;
    assert_eq!((status, code), (401, json!("UNAUTHENTICATED")), "{why}");
}

#[tokio::test]
async fn a_valid_token_is_accepted() {
    let app = spawn_app().await;
    let (status, code) = status_and_code(&app, &sign(&claims(&app), SECRET)).await;
    assert_eq!((status, code), (200, Value::Null));
}

#[tokio::test]
async fn forged_and_malformed_tokens_are_refused() {
    let app = spawn_app().await;
    let good = claims(&app);
    assert_refused(&app, &sign(&good, "another-secret-that-is-long-enough-xx"), "wrong secret").await;
    assert_refused(&app, "garbage", "not a JWT").await;
    let payload = URL_SAFE_NO_PAD.encode(good.to_string());
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = URL_SAFE_NO_PAD.encode(json!({ "alg": alg, "typ": "JWT" }).to_string());
        assert_refused(&app, &format!("{header}.{payload}."), alg).await;
    }
    let token = sign(&good, SECRET);
    let mut parts: Vec<&str> = token.split('.').collect();
    let mut tampered_claims = good.clone();
    tampered_claims["sub"] = json!(uuid::Uuid::now_v7().to_string());
    let tampered = URL_SAFE_NO_PAD.encode(tampered_claims.to_string());
    parts[1] = &tampered;
    assert_refused(&app, &parts.join("."), "tampered payload").await;
    assert_refused(&app, &"a".repeat(10_000), "oversized").await;
}

/// A change to a valid claim set.
type Mutation = Box<dyn Fn(&mut Value)>;

#[tokio::test]
async fn claims_out_of_bounds_are_refused() {
    let app = spawn_app().await;
    let cases: Vec<(&str, Mutation)> = vec![
        ("expired", Box::new(|c: &mut Value| c["exp"] = json!(now() - 3600))),
        ("not yet valid", Box::new(|c: &mut Value| c["nbf"] = json!(now() + 3600))),
        ("iat in the future", Box::new(|c: &mut Value| c["iat"] = json!(now() + 3600))),
        ("string exp", Box::new(|c: &mut Value| c["exp"] = json!((now() + 600).to_string()))),
        ("missing iss", Box::new(|c: &mut Value| c.as_object_mut().unwrap().remove("iss").map(drop).unwrap_or(()))),
        ("wrong iss", Box::new(|c: &mut Value| c["iss"] = json!("evil"))),
        ("missing aud", Box::new(|c: &mut Value| c.as_object_mut().unwrap().remove("aud").map(drop).unwrap_or(()))),
        ("wrong aud", Box::new(|c: &mut Value| c["aud"] = json!("someone-else"))),
        ("missing iat", Box::new(|c: &mut Value| c.as_object_mut().unwrap().remove("iat").map(drop).unwrap_or(()))),
        ("unknown user", Box::new(|c: &mut Value| c["sub"] = json!(uuid::Uuid::now_v7().to_string()))),
        ("sub not a uuid", Box::new(|c: &mut Value| c["sub"] = json!("admin"))),
    ];
    for (why, mutate) in cases {
        let mut c = claims(&app);
        mutate(&mut c);
        assert_refused(&app, &sign(&c, SECRET), why).await;
    }
}

#[tokio::test]
async fn deactivating_a_user_stops_their_token_at_once() {
    let app = spawn_app().await;
    let (id, token) = app.user(Role::Sales, None).await;
    assert_eq!(status_and_code(&app, &token).await.0, 200);
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "UPDATE users SET active = false WHERE id = $1",
        _ => "UPDATE users SET active = false WHERE id = ?",
    };
    app.db.execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()])).await.unwrap();
    assert_refused(&app, &token, "deactivated").await;
}

#[tokio::test]
async fn the_role_comes_from_the_user_record_not_the_token() {
    let app = spawn_app().await;
    let (id, _) = app.user(Role::Analyst, None).await;
    let mut c = claims(&app);
    c["sub"] = json!(id.to_string());
    c["role"] = json!("ADMIN");
    let body = app.gql(&sign(&c, SECRET), "{ viewer { role } }", json!({})).await;
    assert_eq!(body["data"]["viewer"]["role"], "ANALYST");
}

/// A read starts as the viewer the token resolved to last time while the token is checked;
/// when the user record has changed since, that answer is dropped and the read runs again.
#[tokio::test]
async fn a_role_changed_between_reads_applies_to_the_next_read_with_the_same_token() {
    let app = spawn_app().await;
    app.create_customer(&app.admin_token, json!({ "name": "王芳" })).await;
    let (id, token) = app.user(Role::Sales, None).await;
    let query = "{ viewer { role } customers { totalCount } }";
    let before = app.gql(&token, query, json!({})).await;
    assert_eq!(before["data"]["viewer"]["role"], "SALES", "{before}");
    assert_eq!(before["data"]["customers"]["totalCount"], 0, "a rep sees only their own customers: {before}");
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "UPDATE users SET role = 'ADMIN' WHERE id = $1",
        _ => "UPDATE users SET role = 'ADMIN' WHERE id = ?",
    };
    app.db.execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()])).await.unwrap();
    let admin_view = app.gql(&app.admin_token, query, json!({})).await;
    assert_eq!(admin_view["data"]["customers"]["totalCount"], 1, "{admin_view}");
    for _ in 0..2 {
        let after = app.gql(&token, query, json!({})).await;
        assert_eq!(after["data"]["viewer"]["role"], "ADMIN", "{after}");
        assert_eq!(after["data"]["customers"], admin_view["data"]["customers"], "{after}");
    }
}

#[tokio::test]
async fn no_header_is_anonymous_and_sees_no_data() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ customers { totalCount } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(body["data"], Value::Null);
}

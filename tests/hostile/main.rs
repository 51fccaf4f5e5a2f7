//! The hostile suite: what careless and hostile clients send, over HTTP against the real
//! server (a fresh SQLite file, or a new PostgreSQL database when
//! CLIENTELE_TEST_DATABASE_URL is set). Every response a case receives with a `data`
//! answer is also walked by [`checker`]: keys present, in selection order, nullability
//! as the schema says. After every stack bomb the server must still answer `/healthz`.
#![expect(clippy::unwrap_used, reason = "a test that cannot go on should fail loudly")]

#[path = "../api/helpers.rs"]
#[allow(dead_code, reason = "shared with the api tests; not every helper is used here")]
mod helpers;

mod authorization;
mod bombs;
mod checker;
mod concurrency;
mod faults;
mod injection;
mod limits;
mod properties;
mod scalars;
mod shape;
mod timeouts;
mod transport;

use helpers::TestApp;
use serde_json::{Value, json};

/// One answer: status, body text, the body as JSON.
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub json: Value,
}

impl Reply {
    /// The `extensions.code` of the first error, or `<none>`.
    pub fn code(&self) -> &str {
        helpers::error_code(&self.json)
    }

    /// Asserts the first error's code (and shows the body when it differs).
    #[track_caller]
    pub fn expect_code(&self, code: &str) -> &Self {
        assert_eq!(self.code(), code, "status {}: {}", self.status, self.text);
        self
    }

    /// Asserts an answer without errors.
    #[track_caller]
    pub fn expect_ok(&self) -> &Self {
        assert!(self.json["errors"].is_null(), "unexpected errors: {}", self.text);
        self
    }
}

/// Sends `body` (a GraphQL request) to `/graphql` with `authorization` (a full header
/// value) and walks the answer with the shape checker.
pub async fn post(app: &TestApp, authorization: Option<&str>, body: Value) -> Reply {
    let mut request = app.client.post(app.url("/graphql")).json(&body);
    if let Some(auth) = authorization {
        request = request.header("authorization", auth);
    }
    let reply = send(request).await;
    if let Some(query) = body["query"].as_str() {
        checker::check(query, body["operationName"].as_str(), &reply.text);
    }
    reply
}

/// `post` of `{query, variables}` as the admin.
pub async fn admin(app: &TestApp, query: &str, variables: Value) -> Reply {
    let auth = format!("Bearer {}", app.admin_token);
    post(app, Some(&auth), json!({ "query": query, "variables": variables })).await
}

/// `post` of `{query, variables}` with a bearer `token`.
pub async fn as_token(app: &TestApp, token: &str, query: &str, variables: Value) -> Reply {
    post(app, Some(&format!("Bearer {token}")), json!({ "query": query, "variables": variables })).await
}

/// Sends any request and reads the answer.
pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, text, json }
}

/// Asserts the server still answers `/healthz`.
pub async fn alive(app: &TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the server stopped answering");
}

/// The `graphql_internal_errors` counter from `/metrics`.
pub async fn internal_errors(app: &TestApp) -> u64 {
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find(|l| l.contains("graphql_internal_errors") && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|n| n.parse::<f64>().ok())
        .map_or(0, |n| n as u64)
}

//! Transport: content types, bodies, batches, methods, headers.

use crate::helpers::spawn_app;
use crate::{admin, post, send};
use serde_json::json;

const CREATE: &str = r#"{"query":"mutation { createCustomer(input: {name: \"sneaky\"}) { customer { id } } }"}"#;

#[tokio::test]
async fn requests_that_are_not_single_json_graphql_posts_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    let auth = format!("Bearer {}", app.admin_token);
    let url = app.url("/graphql");
    // (content type, body, expected status)
    let cases: [(Option<&str>, String, u16); 8] = [
        (Some("text/plain"), CREATE.into(), 415),
        (Some("application/x-www-form-urlencoded"), CREATE.into(), 415),
        (Some("multipart/form-data; boundary=x"), CREATE.into(), 415),
        (None, CREATE.into(), 415),
        (Some("application/json"), format!("[{CREATE},{CREATE}]"), 400),
        (Some("application/json"), "{\"query\": ".into(), 400),
        (Some("application/json"), "\"just a string\"".into(), 400),
        (Some("application/json"), r#"{"query":"{ __typename }","variables":[1,2]}"#.into(), 400),
    ];
    for (content_type, body, status) in cases {
        let mut request = app.client.post(&url).header("authorization", &auth).body(body.clone());
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        let reply = send(request).await;
        assert_eq!(reply.status, status, "{content_type:?} {body}: {}", reply.text);
        assert_eq!(reply.code(), "BAD_USER_INPUT", "{}", reply.text);
    }
    assert_eq!(app.count("customers").await, 0, "a refused request wrote");
    // A charset parameter is still JSON.
    let reply = send(
        app.client
            .post(&url)
            .header("authorization", &auth)
            .header("content-type", "application/json; charset=utf-8")
            .body(CREATE),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(app.count("customers").await, 1);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_unread() {
    let app = spawn_app().await;
    let big = format!(r#"{{"query":"{{ __typename }}","variables":{{"pad":"{}"}}}}"#, "x".repeat(1_100_000));
    let reply = send(app.client.post(app.url("/graphql")).header("content-type", "application/json").body(big)).await;
    assert_eq!(reply.status, 413, "{}", &reply.text[..reply.text.len().min(200)]);
    crate::alive(&app).await;
}

#[tokio::test]
async fn mutations_over_get_are_refused_and_queries_over_get_answer() {
    let app = spawn_app().await;
    let get = |q: &str| app.client.get(app.url("/graphql")).bearer_auth(&app.admin_token).query(&[("query", q)]);
    let reply = send(get("mutation { createCustomer(input: {name: \"via get\"}) { customer { id } } }")).await;
    assert_eq!(reply.status, 405, "{}", reply.text);
    let reply = send(get("{ viewer { role } }")).await;
    assert_eq!(reply.status, 200);
    reply.expect_ok();
    // The document limits hold on GET too.
    let reply = send(get(&format!(
        "{{ customers(filter: {{name: {{in: {}\"a\"{}}}}}) {{ totalCount }} }}",
        "[".repeat(300),
        "]".repeat(300)
    )))
    .await;
    reply.expect_code("QUERY_TOO_COMPLEX");
    assert_eq!(app.count("customers").await, 0);
}

#[tokio::test]
async fn bad_credentials_are_unauthenticated_and_see_nothing() {
    let app = spawn_app().await;
    let query = json!({ "query": "{ customers { totalCount } }" });
    for auth in ["Bearer", "Bearer ", "Bearer not.a.jwt", "Basic YWRtaW46YWRtaW4=", "ApiKey nope", "bearer x.y.z"] {
        let reply = post(&app, Some(auth), query.clone()).await;
        assert_eq!(reply.status, 401, "{auth}: {}", reply.text);
        reply.expect_code("UNAUTHENTICATED");
        assert!(reply.json["data"].is_null());
    }
    // A header that is not visible ASCII.
    let reply = send(
        app.client
            .post(app.url("/graphql"))
            .header("authorization", reqwest::header::HeaderValue::from_bytes(b"Bearer \xff\xfe").unwrap())
            .json(&query),
    )
    .await;
    assert_eq!(reply.status, 401, "{}", reply.text);
    // No credential: only the sign-in fields and introspection.
    post(&app, None, query).await.expect_code("UNAUTHENTICATED");
}

#[tokio::test]
async fn unknown_operations_and_empty_documents_are_input_errors() {
    let app = spawn_app().await;
    let auth = format!("Bearer {}", app.admin_token);
    let reply = post(&app, Some(&auth), json!({ "query": "query A { __typename }", "operationName": "B" })).await;
    reply.expect_code("BAD_USER_INPUT");
    let reply = post(&app, Some(&auth), json!({ "query": "" })).await;
    reply.expect_code("BAD_USER_INPUT");
    let reply = post(&app, Some(&auth), json!({ "query": "{ customers { totalCount } " })).await;
    reply.expect_code("BAD_USER_INPUT");
    let reply = admin(&app, "query A { __typename } query A { __typename }", json!({})).await;
    reply.expect_code("BAD_USER_INPUT");
}

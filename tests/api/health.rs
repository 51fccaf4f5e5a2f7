//! Probes, metrics and the checked-in SDL.

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_ready_and_metrics_answer() {
    let app = spawn_app().await;
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("clientele_db_statements_total"), "{metrics}");
    assert!(metrics.contains("clientele_http_requests_total{route=\"/readyz\",status=\"200\"} 1"), "{metrics}");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("x-request-id", "trace-me-42")
        .json(&serde_json::json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-42");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["extensions"]["requestId"], "trace-me-42");
}

#[tokio::test]
async fn schema_endpoint_serves_the_sdl() {
    let app = spawn_app().await;
    let sdl = app.client.get(app.url("/schema.graphql")).send().await.unwrap().text().await.unwrap();
    assert!(sdl.contains("interface Node"));
    assert_eq!(sdl, clientele::graphql::sdl());
}

#[test]
fn checked_in_schema_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == clientele::graphql::sdl(),
        "schema.graphql is out of date; regenerate it with `cargo run -- schema > schema.graphql`"
    );
}

#[tokio::test]
async fn introspection_works_without_credentials() {
    let app = spawn_app().await;
    let body: serde_json::Value = app
        .client
        .post(app.url("/graphql"))
        .json(&serde_json::json!({ "query": "{ __schema { queryType { name } } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn graphiql_is_served_to_browsers() {
    let app = spawn_app().await;
    let page = app.client.get(app.url("/graphql")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().to_lowercase().contains("graphiql"));
}

#[tokio::test]
async fn graphiqls_full_introspection_query_fits_the_limits() {
    let app = spawn_app().await;
    let type_ref = format!("kind name {}{}", "ofType { kind name ".repeat(9), "}".repeat(9));
    let query = format!(
        "query IntrospectionQuery {{ __schema {{ queryType {{ name }} mutationType {{ name }} subscriptionType {{ name }}
           types {{ ...FullType }} directives {{ name description locations args {{ ...InputValue }} }} }} }}
         fragment FullType on __Type {{ kind name description fields(includeDeprecated: true) {{ name description
           args {{ ...InputValue }} type {{ ...TypeRef }} isDeprecated deprecationReason }} inputFields {{ ...InputValue }}
           interfaces {{ ...TypeRef }} enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }}
           possibleTypes {{ ...TypeRef }} }}
         fragment InputValue on __InputValue {{ name description type {{ ...TypeRef }} defaultValue }}
         fragment TypeRef on __Type {{ {type_ref} }}"
    );
    let body: serde_json::Value = app
        .client
        .post(app.url("/graphql"))
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(body["errors"].is_null(), "{}", body["errors"]);
    assert!(body["data"]["__schema"]["types"].as_array().unwrap().len() > 50);
}

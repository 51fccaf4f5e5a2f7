//! Stack bombs: every recursive structure a client controls, nested far past what a
//! recursive walk survives, with and without a credential. Each is refused with a typed
//! error, and the server still answers `/healthz` afterwards.

use crate::helpers::{TestApp, spawn_app};
use crate::{Reply, alive, post, send};
use serde_json::{Value, json};

fn lists(depth: usize) -> String {
    format!(
        "{{ customers(filter: {{name: {{in: {}\"a\"{}}}}}) {{ totalCount }} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

fn and_tree(depth: usize) -> String {
    format!(
        "{{ customers(filter: {}{{name: {{eq: \"a\"}}}}{}) {{ totalCount }} }}",
        "{and: [".repeat(depth),
        "]}".repeat(depth)
    )
}

fn objects(depth: usize) -> String {
    format!("{{ viewer(x: {}1{}) {{ id }} }}", "{a: ".repeat(depth), "}".repeat(depth))
}

fn selections(depth: usize) -> String {
    format!("{{ {} id {} }}", "viewer { team { ".repeat(depth), "} } ".repeat(depth))
}

fn inline_fragments(depth: usize) -> String {
    format!("{{ {} __typename {} }}", "... on Query { ".repeat(depth), "} ".repeat(depth))
}

fn list_types(depth: usize) -> String {
    format!("query($v: {}Int{}) {{ viewer {{ id }} }}", "[".repeat(depth), "]".repeat(depth))
}

fn fragment_chain(length: usize) -> String {
    let chain: String = (0..length).map(|i| format!("fragment F{i} on Query{{...F{}}}", i + 1)).collect();
    format!("{{...F0}}{chain}fragment F{length} on Query{{__typename}}")
}

/// Sends `body` with and without the admin's credential; both refused, server alive.
async fn both(app: &TestApp, body: Value, codes: &[&str]) {
    let auth = format!("Bearer {}", app.admin_token);
    for authorization in [Some(auth.as_str()), None] {
        let reply: Reply = post(app, authorization, body.clone()).await;
        assert!(
            codes.contains(&reply.code()),
            "{:?}: {}",
            authorization.is_some(),
            &reply.text[..reply.text.len().min(300)]
        );
        assert!(reply.text.len() < 4_096, "a refusal should be small, got {} bytes", reply.text.len());
        alive(app).await;
    }
}

const REFUSED: &[&str] = &["QUERY_TOO_COMPLEX"];

#[tokio::test]
async fn nested_lists_objects_and_filter_trees_in_literals() {
    let app = spawn_app().await;
    both(&app, json!({ "query": lists(5_000) }), REFUSED).await;
    both(&app, json!({ "query": and_tree(1_000) }), REFUSED).await;
    // Longer than the length limit too: refused by length, before any scan of brackets.
    both(&app, json!({ "query": and_tree(3_000) }), REFUSED).await;
    both(&app, json!({ "query": objects(5_000) }), REFUSED).await;
}

#[tokio::test]
async fn nested_selections_fragments_and_types() {
    let app = spawn_app().await;
    both(&app, json!({ "query": selections(1_000) }), REFUSED).await;
    both(&app, json!({ "query": inline_fragments(1_000) }), REFUSED).await;
    both(&app, json!({ "query": list_types(5_000) }), REFUSED).await;
    both(&app, json!({ "query": fragment_chain(200) }), REFUSED).await;
}

#[tokio::test]
async fn nested_variables() {
    let app = spawn_app().await;
    let deep = |depth: usize| (0..depth).fold(json!("a"), |v, _| json!([v]));
    // Deeper than the variables limit, under JSON's own recursion limit.
    both(&app, json!({ "query": "query($v: [String!]) { customers(filter: {name: {in: $v}}) { totalCount } }", "variables": { "v": deep(100) } }), REFUSED).await;
    let tree = |depth: usize| (0..depth).fold(json!({"name": {"eq": "a"}}), |v, _| json!({ "and": [v] }));
    both(&app, json!({ "query": "query($f: CustomerFilter) { customers(filter: $f) { totalCount } }", "variables": { "f": tree(60) } }), REFUSED).await;
    // Past the JSON parser's own limit: the body is refused as malformed.
    let text =
        format!(r#"{{"query":"{{ __typename }}","variables":{{"v":{}1{}}}}}"#, "[".repeat(5_000), "]".repeat(5_000));
    let reply = send(app.client.post(app.url("/graphql")).header("content-type", "application/json").body(text)).await;
    assert_eq!(reply.status, 400, "{}", reply.text);
    reply.expect_code("BAD_USER_INPUT");
    alive(&app).await;
}

#[tokio::test]
async fn amplification_is_cut_short() {
    let app = spawn_app().await;
    // 60,000 directives: refused by length with one small error.
    let directives = format!("{{ __typename {} }}", "@skip(if: false) ".repeat(60_000));
    both(&app, json!({ "query": directives }), REFUSED).await;
    // Thousands of tokens under the length limit.
    let tokens = format!("{{ viewer {{ {} }} }}", "a ".repeat(5_000));
    both(&app, json!({ "query": tokens }), REFUSED).await;
    // A fragment spread twice at each of 25 levels (2²⁵ fields once expanded).
    let wide: String = (0..25).map(|i| format!("fragment W{i} on Query{{...W{n} ...W{n}}}", n = i + 1)).collect();
    let started = std::time::Instant::now();
    both(&app, json!({ "query": format!("{{...W0}}{wide}fragment W25 on Query{{__typename}}") }), REFUSED).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "took {:?}", started.elapsed());
    // A document within every limit whose errors would be many: at most 100 listed.
    let many =
        format!("{{ {} }}", (0..9).map(|i| format!("a{i}: viewer {{ {} }}", "x ".repeat(40))).collect::<String>());
    let reply = crate::admin(&app, &many, json!({})).await;
    assert!(reply.json["errors"].as_array().is_some_and(|e| e.len() <= 101), "{}", reply.text);
    alive(&app).await;
}

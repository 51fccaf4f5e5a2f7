//! Every document limit, just under and just over, on a server with small limits (which
//! also checks that each is configurable). Refused requests run nothing.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::{Reply, admin};
use serde_json::{Value, json};

async fn tight() -> TestApp {
    spawn_app_with(&[
        ("CLIENTELE_MAX_QUERY_BYTES", "400"),
        ("CLIENTELE_MAX_QUERY_TOKENS", "40"),
        ("CLIENTELE_MAX_NESTING", "8"),
        ("CLIENTELE_MAX_VARIABLES_DEPTH", "4"),
        ("CLIENTELE_MAX_ROOT_FIELDS", "3"),
        ("CLIENTELE_MAX_DIRECTIVES_PER_FIELD", "2"),
        ("CLIENTELE_MAX_ALIASES", "4"),
        ("CLIENTELE_MAX_ERRORS", "5"),
    ])
    .await
}

#[track_caller]
fn under(reply: &Reply) {
    assert_ne!(reply.code(), "QUERY_TOO_COMPLEX", "refused just under the limit: {}", reply.text);
}

#[track_caller]
fn over(reply: &Reply, what: &str) {
    reply.expect_code("QUERY_TOO_COMPLEX");
    assert!(reply.text.contains(what), "the message should name the limit ({what}): {}", reply.text);
    assert!(reply.json["data"].is_null(), "{}", reply.text);
}

#[tokio::test]
async fn query_length_and_tokens() {
    let app = tight().await;
    let padded = |len: usize| {
        let base = "{ __typename }\n#";
        format!("{base}{}", "x".repeat(len - base.len()))
    };
    under(&admin(&app, &padded(400), json!({})).await);
    over(&admin(&app, &padded(401), json!({})).await, "bytes");
    // `{ viewer {`, `} }` and one name per field: 5 + n tokens.
    let names = |n: usize| format!("{{ viewer {{ {} }} }}", vec!["a"; n].join(" "));
    under(&admin(&app, &names(35), json!({})).await);
    over(&admin(&app, &names(36), json!({})).await, "tokens");
}

#[tokio::test]
async fn bracket_nesting_and_variables_depth() {
    let app = tight().await;
    // `{ a(x: [[…]]) }`: 2 brackets around the list.
    let lists = |depth: usize| format!("{{ viewer(x: {}1{}) {{ id }} }}", "[".repeat(depth), "]".repeat(depth));
    under(&admin(&app, &lists(6), json!({})).await);
    over(&admin(&app, &lists(7), json!({})).await, "nests deeper");
    let nested = |depth: usize| (0..depth).fold(json!(1), |v, _| json!([v]));
    let query = "query($v: [[[Int]]]) { viewer { id } }";
    under(&admin(&app, query, json!({ "v": nested(3) })).await);
    over(&admin(&app, query, json!({ "v": nested(5) })).await, "variables nest");
}

#[tokio::test]
async fn root_fields_directives_and_aliases() {
    let app = tight().await;
    under(&admin(&app, "{ a: viewer { id } b: viewer { id } c: viewer { id } }", json!({})).await);
    over(
        &admin(&app, "{ a: viewer { id } b: viewer { id } c: viewer { id } d: viewer { id } }", json!({})).await,
        "root fields",
    );
    // Introspection is free.
    under(
        &admin(
            &app,
            "{ a: viewer { id } b: viewer { id } c: viewer { id } __schema { queryType { name } } }",
            json!({}),
        )
        .await,
    );
    under(&admin(&app, "{ viewer @include(if: true) @skip(if: false) { id } }", json!({})).await);
    over(
        &admin(&app, "{ viewer @include(if: true) @skip(if: false) @include(if: true) { id } }", json!({})).await,
        "directives",
    );
    under(&admin(&app, "{ viewer { a: id b: id c: id d: id } }", json!({})).await);
    over(&admin(&app, "{ viewer { a: id b: id c: id d: id e: id } }", json!({})).await, "aliases");
}

#[tokio::test]
async fn page_sizes_and_selection_depth() {
    let app = spawn_app().await;
    under(&admin(&app, "{ customers(first: 100) { totalCount } }", json!({})).await);
    over(&admin(&app, "{ customers(first: 101) { totalCount } }", json!({})).await, "page size");
    over(&admin(&app, "query($n: Int) { customers(last: $n) { totalCount } }", json!({ "n": 101 })).await, "page size");
    // Selection depth (CLIENTELE_QUERY_DEPTH_LIMIT, 15 by default).
    let deep =
        |n: usize| format!("{{ viewer {} id {} }}", "{ team { members(first: 1) { nodes ".repeat(n), "} } }".repeat(n));
    under(&admin(&app, &deep(4), json!({})).await);
    over(&admin(&app, &deep(6), json!({})).await, "");
}

#[tokio::test]
async fn errors_per_response_are_capped() {
    let app = tight().await;
    let (_, service) = app.user(entity::enums::Role::Service, None).await;
    for i in 0..8 {
        app.create_customer(&app.admin_token, json!({ "name": format!("C{i}"), "birthDate": "1990-01-01" })).await;
    }
    let reply = crate::as_token(&app, &service, "{ customers { nodes { birthDate } } }", json!({})).await;
    let errors = reply.json["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 6, "5 errors and one that counts the rest: {}", reply.text);
    assert!(errors[5]["message"].as_str().unwrap().contains("3 more errors"), "{}", reply.text);
    // The data is all there: eight customers, each with its `birthDate` key.
    assert_eq!(reply.json["data"]["customers"]["nodes"].as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn fragments_count_as_nesting_and_expanded_fields_are_bounded() {
    let app = spawn_app().await;
    let chain: String = (0..60).map(|i| format!("fragment F{i} on Query {{ ...F{} }} ", i + 1)).collect();
    let reply = admin(&app, &format!("{{ ...F0 }} {chain} fragment F60 on Query {{ __typename }}"), json!({})).await;
    over(&reply, "fragment spreads included");
    let wide: String = (0..20).map(|i| format!("fragment W{i} on Query {{ ...W{n} ...W{n} }} ", n = i + 1)).collect();
    let reply = admin(&app, &format!("{{ ...W0 }} {wide} fragment W20 on Query {{ __typename }}"), json!({})).await;
    over(&reply, "expanded");
    let reply = admin(&app, "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", json!({})).await;
    reply.expect_code("BAD_USER_INPUT");
    crate::alive(&app).await;
}

/// The limits refuse before anything runs: no statement for a refused document.
#[tokio::test]
async fn a_refused_document_runs_no_sql() {
    let app = tight().await;
    let before = app.statements();
    let reply: Reply =
        admin(&app, "{ a: viewer { id } b: viewer { id } c: viewer { id } d: viewer { id } }", Value::Null).await;
    reply.expect_code("QUERY_TOO_COMPLEX");
    // Authentication may read the user; no resolver ran.
    assert!(app.statements() - before <= 1, "{} statements", app.statements() - before);
}

#[tokio::test]
async fn a_credential_over_its_budget_is_rate_limited_and_every_charged_answer_shows_its_cost() {
    let app = spawn_app_with(&[("CLIENTELE_RATE_LIMIT_ADMIN", "400")]).await;
    // 1 + 50 × (nodes 1 + id 1 + name 1) = 151.
    let page = "{ customers(first: 50) { nodes { id name } } }";
    let first = admin(&app, page, json!({})).await;
    first.expect_ok();
    let cost = &first.json["extensions"]["cost"];
    assert_eq!(cost["requested"], 151, "{}", first.text);
    assert!(cost["remaining"].as_u64().is_some_and(|r| r <= 249), "{}", first.text);
    assert!(cost["resetAt"].as_str().is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()));
    // The second answer may be a direct one: it carries its cost the same way.
    let second = admin(&app, page, json!({})).await;
    second.expect_ok();
    assert_eq!(second.json["extensions"]["cost"]["requested"], 151, "{}", second.text);
    assert!(second.json["extensions"]["requestId"].is_string());
    let third = admin(&app, page, json!({})).await;
    assert_eq!(third.status, 429, "{}", third.text);
    third.expect_code("RATE_LIMITED");
    assert!(third.json["errors"][0]["extensions"]["retryAfter"].as_u64().is_some_and(|s| s >= 1), "{}", third.text);
    assert!(third.json["data"].is_null());
    // Other credentials have budgets of their own.
    let (_, rep) = app.user(entity::enums::Role::Sales, None).await;
    crate::as_token(&app, &rep, page, json!({})).await.expect_ok();
    // A request above the whole budget can never pass: QUERY_TOO_COMPLEX, not a wait.
    let huge = "{ customers(first: 100) { nodes { id name email phone } } }";
    admin(&app, huge, json!({})).await.expect_code("QUERY_TOO_COMPLEX");
}

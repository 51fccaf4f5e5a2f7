//! Property tests: generated documents, variables and filter trees through the request
//! front end of the real server. Whatever arrives, the answer is typed — a known status,
//! JSON, every error with a client code and none `INTERNAL` — and the process lives (a
//! stack overflow would abort this whole test binary).

use crate::helpers::{TestApp, spawn_app_with};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::OnceLock;

/// One server for every generated case (started on its own runtime).
fn server() -> &'static (tokio::runtime::Runtime, TestApp) {
    static SERVER: OnceLock<(tokio::runtime::Runtime, TestApp)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let app = runtime.block_on(spawn_app_with(&[("CLIENTELE_RATE_LIMIT_ADMIN", "0")]));
        (runtime, app)
    })
}

const CODES: [&str; 6] =
    ["BAD_USER_INPUT", "QUERY_TOO_COMPLEX", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "RATE_LIMITED"];

/// Sends `body` and checks the answer is typed.
fn typed(body: Value) -> Result<(), TestCaseError> {
    let (runtime, app) = server();
    let (status, text) = runtime.block_on(async {
        let response =
            app.client.post(app.url("/graphql")).bearer_auth(&app.admin_token).json(&body).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    });
    prop_assert!(matches!(status, 200 | 400 | 413), "status {status}: {text}");
    let answer: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
    for error in answer["errors"].as_array().into_iter().flatten() {
        let code = error["extensions"]["code"].as_str().unwrap_or("<none>");
        prop_assert!(CODES.contains(&code), "code {code}: {text}");
    }
    Ok(())
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(":".to_string()),
        Just("$v".to_string()),
        Just("@skip(if: true)".to_string()),
        Just("...".to_string()),
        Just("on".to_string()),
        Just("fragment F on Query".to_string()),
        Just("...F".to_string()),
        Just("query".to_string()),
        Just("mutation".to_string()),
        Just("customers".to_string()),
        Just("viewer".to_string()),
        Just("filter:".to_string()),
        Just("and:".to_string()),
        Just("name:".to_string()),
        Just("in:".to_string()),
        Just("nodes".to_string()),
        Just("id".to_string()),
        Just("\"a\\u0000\"".to_string()),
        Just("-1.5e400".to_string()),
        Just("\"2026-02-30\"".to_string()),
        Just("#".to_string()),
        Just("\"\"\"".to_string()),
        Just("null".to_string()),
        "[a-z_]{1,8}".prop_map(|s| s),
        (1usize..300).prop_map(|n| "[".repeat(n)),
        (1usize..300).prop_map(|n| "{ a ".repeat(n)),
    ]
}

fn json_tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[ -~\\u{0}\\u{7}é🚀]{0,12}".prop_map(Value::String),
        Just(json!("2026-02-30")),
        Just(json!("1e400")),
    ];
    leaf.prop_recursive(48, 256, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}|and|or|not|name|eq|in|contains", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn filter_tree() -> impl Strategy<Value = Value> {
    let text = "[ -~\\u{0}%_'é]{0,10}";
    let leaf = prop_oneof![
        text.prop_map(|s| json!({ "name": { "contains": s } })),
        text.prop_map(|s| json!({ "email": { "eq": s } })),
        prop::collection::vec(text, 0..5).prop_map(|v| json!({ "phone": { "in": v } })),
        "[0-9-]{0,12}".prop_map(|d| json!({ "birthDate": { "gte": d } })),
        Just(json!({ "marketingConsent": { "eq": true } })),
    ];
    leaf.prop_recursive(40, 200, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "and": v })),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({ "or": v })),
            inner.prop_map(|f| json!({ "not": f })),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_get_typed_answers(tokens in prop::collection::vec(token(), 0..200)) {
        typed(json!({ "query": tokens.join(" ") }))?;
    }

    #[test]
    fn generated_variables_get_typed_answers(v in json_tree()) {
        typed(json!({ "query": "query($v: CustomerFilter) { customers(filter: $v) { totalCount } }", "variables": { "v": v } }))?;
    }

    #[test]
    fn generated_filter_trees_get_typed_answers(f in filter_tree()) {
        typed(json!({ "query": "query($f: CustomerFilter) { customers(filter: $f, first: 5) { totalCount nodes { id } } }", "variables": { "f": f } }))?;
    }
}

//! Injection and odd text: SQL and LIKE metacharacters, NUL and control characters,
//! bidirectional marks, emoji, megabyte strings. Stored verbatim (or refused with a
//! typed error naming the field), searched literally, the same on both databases.

use crate::admin;
use crate::helpers::spawn_app;
use serde_json::json;

const CREATE: &str = "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
    customer { id name notes } userErrors { field code message } } }";

#[tokio::test]
async fn metacharacters_are_stored_verbatim_and_searched_literally() {
    let app = spawn_app().await;
    let names = [
        "Robert'); DROP TABLE customers; --",
        "100% cotton",
        "under_score",
        "back\\\\slash \"quoted\"",
        "\u{202e}txt.exe\u{202c} (RTL override)",
        "张明 🚀 Ünïcödé",
        "' OR '1'='1",
    ];
    for name in names {
        let reply = admin(&app, CREATE, json!({ "input": { "name": name } })).await;
        reply.expect_ok();
        assert_eq!(reply.json["data"]["createCustomer"]["customer"]["name"], name, "{}", reply.text);
    }
    assert_eq!(app.count("customers").await, names.len() as i64, "every row stored, none dropped");
    let search = "query($s: String) { customers(search: $s) { nodes { name } } }";
    for (term, expected) in [
        ("%", vec!["100% cotton"]),
        ("_", vec!["under_score"]),
        ("🚀", vec!["张明 🚀 Ünïcödé"]),
        ("' OR", vec!["' OR '1'='1"]),
    ] {
        let reply = admin(&app, search, json!({ "s": term })).await;
        reply.expect_ok();
        let found: Vec<&str> = reply.json["data"]["customers"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap())
            .collect();
        assert_eq!(found, expected, "search {term:?}");
    }
}

#[tokio::test]
async fn nul_is_refused_everywhere_with_the_field_named() {
    let app = spawn_app().await;
    let reply = admin(&app, CREATE, json!({ "input": { "name": "a\u{0}b" } })).await;
    reply.expect_code("BAD_USER_INPUT");
    assert!(reply.text.contains("input.name"), "{}", reply.text);
    let reply = admin(
        &app,
        r#"mutation { createCustomer(input: {name: "ok", notes: "x\u0000y"}) { userErrors { code } } }"#,
        json!({}),
    )
    .await;
    reply.expect_code("BAD_USER_INPUT");
    assert!(reply.text.contains("input.notes"), "{}", reply.text);
    let reply =
        admin(&app, "query($s: String) { customers(search: $s) { totalCount } }", json!({ "s": "\u{0}" })).await;
    reply.expect_code("BAD_USER_INPUT");
    let reply = admin(
        &app,
        "query($f: CustomerFilter) { customers(filter: $f) { totalCount } }",
        json!({ "f": { "name": { "in": ["ok", "n\u{0}"] } } }),
    )
    .await;
    reply.expect_code("BAD_USER_INPUT");
    assert!(reply.text.contains("filter.name.in.1"), "{}", reply.text);
    assert_eq!(app.count("customers").await, 0);
}

#[tokio::test]
async fn other_control_characters_are_user_errors_but_line_breaks_stay_in_notes() {
    let app = spawn_app().await;
    let reply = admin(&app, CREATE, json!({ "input": { "name": "bell\u{7}" } })).await;
    let errors = &reply.json["data"]["createCustomer"]["userErrors"];
    assert_eq!(errors[0]["field"], json!(["input", "name"]), "{}", reply.text);
    assert_eq!(errors[0]["code"], "INVALID");
    let reply = admin(&app, CREATE, json!({ "input": { "name": "ok", "notes": "esc \u{1b}[31m red" } })).await;
    assert_eq!(
        reply.json["data"]["createCustomer"]["userErrors"][0]["field"],
        json!(["input", "notes"]),
        "{}",
        reply.text
    );
    assert_eq!(app.count("customers").await, 0);
    let reply = admin(&app, CREATE, json!({ "input": { "name": "Lines", "notes": "line 1\n\tline 2" } })).await;
    assert_eq!(reply.json["data"]["createCustomer"]["customer"]["notes"], "line 1\n\tline 2", "{}", reply.text);
}

#[tokio::test]
async fn a_megabyte_string_is_a_too_long_user_error() {
    let app = spawn_app().await;
    let reply = admin(&app, CREATE, json!({ "input": { "name": "x".repeat(1_000_000) } })).await;
    assert_eq!(
        reply.json["data"]["createCustomer"]["userErrors"][0]["code"],
        "TOO_LONG",
        "{}",
        &reply.text[..reply.text.len().min(300)]
    );
    assert!(reply.text.len() < 4_096, "the error does not echo the value back");
    let reply = admin(
        &app,
        "query($s: String) { customers(search: $s) { totalCount } }",
        json!({ "s": "y".repeat(1_000_000) }),
    )
    .await;
    assert_ne!(reply.code(), "INTERNAL", "{}", &reply.text[..reply.text.len().min(300)]);
    assert_eq!(app.count("customers").await, 0);
}

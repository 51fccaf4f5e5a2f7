//! Malformed scalars, as literals and as variables, in inputs and in filters: the
//! caller's `BAD_USER_INPUT` naming the argument path and the expected format; never
//! `INTERNAL`, nothing written, the internal-error counter unmoved.

use crate::helpers::spawn_app;
use crate::{admin, internal_errors};
use serde_json::json;

/// (scalar, bad value, what the message must say)
const BAD: [(&str, &str, &str); 6] = [
    ("Date", "2026-02-30", "YYYY-MM-DD"),
    ("Date", "2026-11-01T10:00:00Z", "YYYY-MM-DD"),
    ("DateTime", "yesterday", "RFC 3339"),
    ("Decimal", "1e400", "decimal number"),
    ("Decimal", "12,5", "decimal number"),
    ("Decimal", "NaN", "decimal number"),
];

#[tokio::test]
async fn bad_scalars_in_inputs_are_bad_user_input_as_literals_and_variables() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "Target" })).await;
    let before = (internal_errors(&app).await, app.count("customers").await, app.count("deals").await);
    for (scalar, value, format) in BAD {
        let (field, mutation, input) = match scalar {
            "Date" => ("input.birthDate", "createCustomer", json!({ "name": "x", "birthDate": value })),
            "DateTime" => ("input.nextFollowUpAt", "createCustomer", json!({ "name": "x", "nextFollowUpAt": value })),
            _ => ("input.amount", "createDeal", json!({ "title": "x", "customerId": customer["id"], "amount": value })),
        };
        let ty = if mutation == "createDeal" { "CreateDealInput" } else { "CreateCustomerInput" };
        let variable = format!("mutation($input: {ty}!) {{ {mutation}(input: $input) {{ userErrors {{ code }} }} }}");
        let reply = admin(&app, &variable, json!({ "input": input })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert!(reply.text.contains(field) && reply.text.contains(format), "{scalar} {value}: {}", reply.text);
        let key = field.trim_start_matches("input.");
        let literal = if mutation == "createDeal" {
            format!(
                r#"mutation {{ createDeal(input: {{title: "x", customerId: "{}", amount: "{value}"}}) {{ userErrors {{ code }} }} }}"#,
                customer["id"].as_str().unwrap()
            )
        } else {
            format!(
                r#"mutation {{ createCustomer(input: {{name: "x", {key}: "{value}"}}) {{ userErrors {{ code }} }} }}"#
            )
        };
        let reply = admin(&app, &literal, json!({})).await;
        reply.expect_code("BAD_USER_INPUT");
        assert!(reply.text.contains(field), "{scalar} {value}: {}", reply.text);
    }
    let after = (internal_errors(&app).await, app.count("customers").await, app.count("deals").await);
    assert_eq!(before, after, "internal errors, customers, deals");
}

#[tokio::test]
async fn bad_scalars_in_filters_are_bad_user_input_as_literals_and_variables() {
    let app = spawn_app().await;
    let before = internal_errors(&app).await;
    let cases = [
        ("customers", "CustomerFilter", json!({ "birthDate": { "gte": "2026-02-30" } }), "filter.birthDate.gte"),
        (
            "customers",
            "CustomerFilter",
            json!({ "or": [{ "createdAt": { "lt": "yesterday" } }] }),
            "filter.or.0.createdAt.lt",
        ),
        ("deals", "DealFilter", json!({ "amount": { "gte": "12,5" } }), "filter.amount.gte"),
        ("deals", "DealFilter", json!({ "not": { "amount": { "lt": "1e400" } } }), "filter.not.amount.lt"),
    ];
    for (list, ty, filter, path) in cases {
        let query = format!("query($f: {ty}) {{ {list}(filter: $f) {{ totalCount }} }}");
        let reply = admin(&app, &query, json!({ "f": filter })).await;
        reply.expect_code("BAD_USER_INPUT");
        assert!(reply.text.contains(path), "{}", reply.text);
    }
    let reply =
        admin(&app, r#"{ customers(filter: {birthDate: {eq: "2026-13-01"}}) { totalCount } }"#, json!({})).await;
    reply.expect_code("BAD_USER_INPUT");
    assert!(reply.text.contains("filter.birthDate.eq"), "{}", reply.text);
    assert_eq!(internal_errors(&app).await, before);
}

#[tokio::test]
async fn amounts_above_the_bound_are_user_errors_and_sums_never_overflow() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "Big spender" })).await;
    let create = "mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id } userErrors { field code message } } }";
    let input = |amount: &str| json!({ "input": { "title": "big", "customerId": customer["id"], "amount": amount, "currency": "JPY" } });
    let reply = admin(&app, create, input("900000000000000")).await;
    let errors = &reply.json["data"]["createDeal"]["userErrors"];
    assert_eq!(errors[0]["code"], "INVALID", "{}", reply.text);
    assert_eq!(errors[0]["field"], json!(["input", "amount"]));
    // At the bound, a thousand times: the sum passes 2⁶³ ten-thousandths and stays exact.
    admin(&app, create, input("999999999999.9999")).await.expect_ok();
    copy_deals(&app, 999).await;
    let reply = admin(&app, "{ dealsByStage { currency count amount } }", json!({})).await;
    reply.expect_ok();
    assert_eq!(reply.json["data"]["dealsByStage"][0]["count"], 1000, "{}", reply.text);
    assert_eq!(reply.json["data"]["dealsByStage"][0]["amount"], "999999999999999.9", "{}", reply.text);
    // Again (a second run of the document), and grouped over the deals (a filter): the same.
    let again = admin(&app, "{ dealsByStage { currency count amount } }", json!({})).await;
    assert_eq!(again.json["data"], reply.json["data"]);
    let grouped = admin(
        &app,
        "query($c: ID!) { dealsByStage(filter: {customerId: {eq: $c}}) { currency count amount } }",
        json!({ "c": customer["id"] }),
    )
    .await;
    assert_eq!(grouped.json["data"], reply.json["data"], "{}", grouped.text);
}

/// Stores `n` copies of the one deal (new ids), straight in the database.
async fn copy_deals(app: &crate::helpers::TestApp, n: usize) {
    use sea_orm::{ActiveValue::Set, EntityTrait, IntoActiveModel};
    let deal = entity::deal::Entity::find().one(&app.db).await.unwrap().unwrap();
    for chunk in (0..n).collect::<Vec<_>>().chunks(100) {
        let rows = chunk.iter().map(|_| {
            let mut row = deal.clone().into_active_model();
            row.id = Set(uuid::Uuid::now_v7());
            row
        });
        entity::deal::Entity::insert_many(rows).exec(&app.db).await.unwrap();
    }
    // Written behind the service's back: the dashboard summaries are refilled, as after seeding.
    clientele::service::report::summary::rebuild(&app.db).await.unwrap();
}

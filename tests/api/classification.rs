//! Classification: lifecycle stage and value tier computed from purchases and
//! interactions by the rules, as of a time the test chooses.

use crate::helpers::{TestApp, spawn_app};
use chrono::{DateTime, Utc};
use clientele::service::classification::{Changed, Rules, reclassify};
use serde_json::{Value, json};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

async fn customer(app: &TestApp, name: &str) -> String {
    app.create_customer(&app.admin_token, json!({ "name": name, "phone": null })).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn purchase(app: &TestApp, customer: &str, amount: &str, on: &str) {
    let body = app
        .gql(
            &app.admin_token,
            "mutation($input: CreatePurchaseInput!) { createPurchase(input: $input) { userErrors { field message } } }",
            json!({ "input": { "customerId": customer, "product": "Pump", "amount": amount, "purchasedAt": on } }),
        )
        .await;
    assert_eq!(body["data"]["createPurchase"]["userErrors"], json!([]), "{body}");
}

async fn interaction(app: &TestApp, customer: &str, when: &str) {
    let body = app
        .gql(
            &app.admin_token,
            "mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { userErrors { field message } } }",
            json!({ "input": { "customerId": customer, "channel": "PHONE", "summary": "Call", "occurredAt": when } }),
        )
        .await;
    assert_eq!(body["data"]["createInteraction"]["userErrors"], json!([]), "{body}");
}

/// `(lifecycleStage, valueTier)` of a customer.
async fn class(app: &TestApp, id: &str) -> (String, Value) {
    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { node(id: $id) { ... on Customer { lifecycleStage valueTier } } }",
            json!({ "id": id }),
        )
        .await;
    let node = &body["data"]["node"];
    (node["lifecycleStage"].as_str().unwrap().to_string(), node["valueTier"].clone())
}

/// The value tiers of `ids`, in order.
async fn tiers(app: &TestApp, ids: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for id in ids {
        out.push(class(app, id).await.1);
    }
    out
}

async fn run(app: &TestApp, rules: &Rules, when: &str) -> Changed {
    reclassify(&app.db, rules, at(when), |_, _| {}).await.unwrap()
}

#[tokio::test]
async fn stages_and_tiers_follow_the_rules_and_the_clock() {
    let app = spawn_app().await;
    let none = customer(&app, "No Purchase").await;
    let fresh = customer(&app, "Fresh Buyer").await;
    let steady = customer(&app, "Steady Buyer").await;
    let quiet = customer(&app, "Quiet Buyer").await;
    let growing = customer(&app, "Growing Buyer").await;
    purchase(&app, &fresh, "60000.00", "2026-10-15").await;
    purchase(&app, &steady, "12000.00", "2026-01-10").await;
    interaction(&app, &steady, "2026-11-20T09:00:00Z").await;
    purchase(&app, &quiet, "20000.00", "2025-06-01").await;
    interaction(&app, &quiet, "2025-09-01T09:00:00Z").await;
    purchase(&app, &growing, "500.00", "2026-07-01").await;
    purchase(&app, &growing, "3000.00", "2026-11-01").await;
    // One statement per dimension, as of a time after all of it. A customer without
    // interactions counts from its creation (today, in real time).
    let changed = run(&app, &Rules::default(), "2026-12-01T00:00:00Z").await;
    assert_eq!(changed, Changed { lifecycle: 4, value: 4 }, "every customer but the one without purchases changed");
    assert_eq!(class(&app, &none).await, ("POTENTIAL".to_string(), Value::Null));
    assert_eq!(class(&app, &fresh).await, ("NEW".to_string(), json!("HIGH")));
    assert_eq!(class(&app, &steady).await, ("ESTABLISHED".to_string(), json!("MEDIUM")));
    assert_eq!(class(&app, &growing).await, ("ESTABLISHED".to_string(), json!("POTENTIAL")));
    // Fifteen months without an interaction: at churn risk, and no spend in the window.
    assert_eq!(class(&app, &quiet).await, ("CHURN_RISK".to_string(), json!("LOW")));
    // Again at the same time: nothing changes, nothing is written.
    assert_eq!(run(&app, &Rules::default(), "2026-12-01T00:00:00Z").await, Changed::default());

    // Time passes: four months on the fresh buyer is established; a year on, with no
    // interaction, every buyer is at churn risk and the window holds no spend.
    run(&app, &Rules::default(), "2027-02-20T00:00:00Z").await;
    assert_eq!(class(&app, &fresh).await.0, "ESTABLISHED");
    run(&app, &Rules::default(), "2028-01-01T00:00:00Z").await;
    for id in [&fresh, &steady, &quiet, &growing] {
        assert_eq!(class(&app, id).await, ("CHURN_RISK".to_string(), json!("LOW")), "{id}");
    }
    assert_eq!(class(&app, &none).await, ("POTENTIAL".to_string(), Value::Null));
}

#[tokio::test]
async fn thresholds_and_shares_are_parameters() {
    let app = spawn_app().await;
    let ids = [customer(&app, "A").await, customer(&app, "B").await, customer(&app, "C").await];
    for (id, amount) in ids.iter().zip(["900.00", "800.00", "100.00"]) {
        purchase(&app, id, amount, "2026-05-01").await;
    }
    // Below every threshold: the top 10 % by spend (the first of three) is HIGH.
    run(&app, &Rules::default(), "2026-12-01T00:00:00Z").await;
    assert_eq!(tiers(&app, &ids).await, [json!("HIGH"), json!("LOW"), json!("LOW")]);
    // A top share of 60 % takes the second as well; a HIGH threshold of 100 takes all;
    // a base currency nobody paid in makes every buyer LOW.
    let mut rules = Rules::default();
    rules.value.high_top_percent = 60;
    run(&app, &rules, "2026-12-01T00:00:00Z").await;
    assert_eq!(tiers(&app, &ids).await, [json!("HIGH"), json!("HIGH"), json!("LOW")]);
    rules.value.high_threshold = 100;
    run(&app, &rules, "2026-12-01T00:00:00Z").await;
    assert_eq!(tiers(&app, &ids).await, [json!("HIGH"), json!("HIGH"), json!("HIGH")]);
    rules.value.base_currency = "USD".to_string();
    run(&app, &rules, "2026-12-01T00:00:00Z").await;
    assert_eq!(tiers(&app, &ids).await, [json!("LOW"), json!("LOW"), json!("LOW")]);
}

/// The demo data is classified as the rules make it: no customer with a purchase is
/// POTENTIAL, none without one is anything else, and the demo shows every lifecycle stage
/// and every value tier.
#[tokio::test]
async fn the_demo_is_classified_by_the_rules() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    clientele::seed::demo(&app.db).await.unwrap();
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT c.lifecycle_stage AS stage, c.value_tier AS tier,
                (SELECT COUNT(*) FROM purchases p WHERE p.customer_id = c.id AND p.deleted_at IS NULL) AS purchases
             FROM customers c WHERE c.deleted_at IS NULL",
        ))
        .await
        .unwrap();
    let (mut stages, mut tiers) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    for row in &rows {
        let stage: String = row.try_get("", "stage").unwrap();
        let tier: Option<String> = row.try_get("", "tier").unwrap();
        let purchases: i64 = row.try_get("", "purchases").unwrap();
        assert_eq!(stage == "POTENTIAL", purchases == 0, "{stage} with {purchases} purchases");
        assert_eq!(tier.is_none(), purchases == 0, "{tier:?} with {purchases} purchases");
        stages.insert(stage);
        tiers.extend(tier);
    }
    assert_eq!(stages.into_iter().collect::<Vec<_>>(), ["CHURN_RISK", "ESTABLISHED", "NEW", "POTENTIAL"]);
    assert_eq!(tiers.into_iter().collect::<Vec<_>>(), ["HIGH", "LOW", "MEDIUM", "POTENTIAL"]);
}

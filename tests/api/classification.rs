//! Classification: lifecycle stage, value tier, need urgency and behaviours computed from
//! a customer's records by the rules (stored, edited through the API), as of a time the
//! test chooses; each class with since and reason, every change kept.

use crate::helpers::{TestApp, spawn_app};
use chrono::{DateTime, Utc};
use clientele::service::classification::{Changed, Rules, job, reclassify, reclassify_all};
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
    reclassify(&app.db, rules, 0, at(when), |_, _| {}).await.unwrap()
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
    // (Each write classified its customer already, as of the real time; this run decides
    // as of its own.)
    run(&app, &Rules::default(), "2026-12-01T00:00:00Z").await;
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
    // Every class of every dimension occurs, each with its reason.
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT DISTINCT dimension, value FROM customer_classifications WHERE value IS NOT NULL",
        ))
        .await
        .unwrap();
    let classes: std::collections::BTreeSet<(String, String)> =
        rows.iter().map(|r| (r.try_get("", "dimension").unwrap(), r.try_get("", "value").unwrap())).collect();
    for (dimension, value) in [
        ("NEED", "URGENT"),
        ("NEED", "ROUTINE"),
        ("HIGH_FREQUENCY", "HIGH_FREQUENCY"),
        ("DORMANT", "DORMANT"),
        ("COMPLAINANT", "COMPLAINANT"),
        ("LIFECYCLE", "CHURN_RISK"),
        ("VALUE", "POTENTIAL"),
    ] {
        assert!(classes.contains(&(dimension.to_string(), value.to_string())), "no {dimension} {value} in {classes:?}");
    }
}

const RULES: &str = "version updatedAt lifecycle { newWithinMonths churnRiskAfterMonths }
    value { baseCurrency windowMonths highThreshold highTopPercent mediumThreshold growthMonths }
    behaviour { highFrequencyInteractions highFrequencyDays dormantAfterMonths complaintWithinMonths }
    need { urgentWithinDays }";

async fn update_rules(app: &TestApp, token: &str, input: Value) -> Value {
    let query = format!(
        "mutation($input: UpdateClassificationRulesInput!) {{ updateClassificationRules(input: $input) {{
            rules {{ {RULES} }} userErrors {{ field code message }} }} }}"
    );
    app.gql(token, &query, json!({ "input": input })).await
}

/// The rules as the API reads them, ready to send back changed.
async fn rules_input(app: &TestApp, token: &str) -> Value {
    let body = app.gql(token, &format!("{{ classificationRules {{ {RULES} }} }}"), json!({})).await;
    let mut rules = body["data"]["classificationRules"].clone();
    let version = rules["version"].clone();
    let object = rules.as_object_mut().unwrap();
    object.remove("version");
    object.remove("updatedAt");
    object.insert("expectedVersion".into(), version);
    rules
}

#[tokio::test]
async fn rules_are_versioned_data_every_role_reads_and_admins_change() {
    let app = spawn_app().await;
    let (_, sales) = app.user(entity::enums::Role::Sales, None).await;
    let mut input = rules_input(&app, &sales).await;
    assert_eq!(input["expectedVersion"], json!(0), "the defaults are version 0");
    assert_eq!(input["value"]["highThreshold"], json!("50000"));
    assert_eq!(input["behaviour"]["highFrequencyInteractions"], json!(3));

    input["value"]["highThreshold"] = json!("80000");
    let refused = update_rules(&app, &sales, input.clone()).await;
    assert_eq!(crate::helpers::error_code(&refused), "FORBIDDEN", "{refused}");

    // Invalid rules are user errors naming the field, and change nothing.
    let mut invalid = input.clone();
    invalid["value"]["mediumThreshold"] = json!("90000");
    invalid["value"]["baseCurrency"] = json!("XYZ");
    invalid["lifecycle"]["newWithinMonths"] = json!(0);
    let body = update_rules(&app, &app.admin_token, invalid).await;
    let errors = &body["data"]["updateClassificationRules"]["userErrors"];
    let fields: Vec<&Value> = errors.as_array().unwrap().iter().map(|e| &e["field"]).collect();
    assert!(fields.contains(&&json!(["input", "value", "mediumThreshold"])), "{body}");
    assert!(fields.contains(&&json!(["input", "value", "baseCurrency"])), "{body}");
    assert!(fields.contains(&&json!(["input", "lifecycle", "newWithinMonths"])), "{body}");
    assert_eq!(rules_input(&app, &sales).await["expectedVersion"], json!(0));

    let body = update_rules(&app, &app.admin_token, input.clone()).await;
    let saved = &body["data"]["updateClassificationRules"]["rules"];
    assert_eq!(saved["version"], json!(1), "{body}");
    assert_eq!(saved["value"]["highThreshold"], json!("80000"));
    // A change made against version 0 again is stale.
    let body = update_rules(&app, &app.admin_token, input).await;
    assert_eq!(body["data"]["updateClassificationRules"]["userErrors"][0]["code"], json!("STALE_VERSION"), "{body}");
    assert_eq!(app.count("classification_rules").await, 1);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let audit = entity::audit_event::Entity::find()
        .filter(entity::audit_event::Column::Entity.eq("ClassificationRules"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 1, "the change is audited");
}

async fn customer_with(app: &TestApp, input: Value) -> String {
    app.create_customer(&app.admin_token, input).await["id"].as_str().unwrap().to_string()
}

async fn classes(app: &TestApp, id: &str) -> Value {
    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { node(id: $id) { ... on Customer { label needUrgency
                classification { dimension value since reason }
                classificationHistory(first: 50) { totalCount nodes { dimension from to changedAt reason } } } } }",
            json!({ "id": id }),
        )
        .await;
    body["data"]["node"].clone()
}

#[tokio::test]
async fn classes_carry_since_and_reason_and_changes_are_kept() {
    let app = spawn_app().await;
    let buyer = customer_with(
        &app,
        json!({ "name": "华兴制造", "kind": "COMPANY", "industry": "MANUFACTURING", "phone": null,
                "potentialNeeds": "二期产线", "needExpectedDate": "2026-12-20" }),
    )
    .await;
    purchase(&app, &buyer, "182000.00", "2026-10-15").await;
    for day in ["2026-11-10", "2026-11-18", "2026-11-25"] {
        interaction(&app, &buyer, &format!("{day}T09:00:00Z")).await;
    }
    // Rules edited through the API apply at the next run: a need due within 10 days only.
    let mut input = rules_input(&app, &app.admin_token).await;
    input["need"]["urgentWithinDays"] = json!(10);
    update_rules(&app, &app.admin_token, input).await;
    reclassify_all(&app.db, at("2026-12-01T00:00:00Z"), |_, _| {}).await.unwrap();
    let node = classes(&app, &buyer).await;
    assert_eq!(node["needUrgency"], json!("ROUTINE"), "{node}");
    assert_eq!(node["label"], json!("制造业-高价值-常规需求"));
    let by = |node: &Value, d: &str| {
        node["classification"].as_array().unwrap().iter().find(|c| c["dimension"] == json!(d)).cloned()
    };
    let value = by(&node, "VALUE").unwrap();
    assert_eq!(value["value"], json!("HIGH"));
    // Decided when the purchase was written (alone, without a rank among all customers);
    // the run found it still HIGH and kept the reason it came in with.
    assert_eq!(value["reason"], json!("12-month spend 182,000 CNY"));
    assert_eq!(by(&node, "LIFECYCLE").unwrap()["reason"], json!("first purchase on 2026-10-15, within 3 months"));
    assert_eq!(by(&node, "HIGH_FREQUENCY").unwrap()["reason"], json!("3 interactions in 30 days"));
    assert!(by(&node, "DORMANT").is_none());

    // Ten days on: the need is due within ten days (URGENT); the interactions are older
    // than 30 days by the new year (no longer HIGH_FREQUENCY).
    reclassify_all(&app.db, at("2026-12-11T00:00:00Z"), |_, _| {}).await.unwrap();
    let node = classes(&app, &buyer).await;
    assert_eq!(node["label"], json!("制造业-高价值-紧急需求"));
    let need = by(&node, "NEED").unwrap();
    assert_eq!(
        (need["value"].clone(), need["reason"].clone()),
        (json!("URGENT"), json!("need expected by 2026-12-20"))
    );
    assert_eq!(need["since"], json!("2026-12-11T00:00:00+00:00"));
    reclassify_all(&app.db, at("2027-01-05T00:00:00Z"), |_, _| {}).await.unwrap();
    let node = classes(&app, &buyer).await;
    assert!(by(&node, "HIGH_FREQUENCY").is_none(), "{node}");
    let history = node["classificationHistory"]["nodes"].as_array().unwrap();
    assert_eq!(node["classificationHistory"]["totalCount"], json!(history.len()));
    let times: Vec<DateTime<Utc>> = history.iter().map(|h| h["changedAt"].as_str().unwrap().parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first: {node}");
    let dropped = history.iter().find(|h| h["dimension"] == json!("HIGH_FREQUENCY") && h["to"].is_null()).unwrap();
    assert_eq!((dropped["from"].clone(), dropped["reason"].clone()), (json!("HIGH_FREQUENCY"), Value::Null));
    assert!(
        history
            .iter()
            .any(|h| h["dimension"] == json!("NEED") && h["from"] == json!("ROUTINE") && h["to"] == json!("URGENT"))
    );

    // A connection like every nested list: pages of two follow each other.
    let page = |after: Value| {
        app.gql(
            &app.admin_token,
            "query($id: ID!, $after: String) { node(id: $id) { ... on Customer {
                classificationHistory(first: 2, after: $after) { nodes { changedAt dimension }
                    pageInfo { hasNextPage endCursor } } } } }",
            json!({ "id": buyer, "after": after }),
        )
    };
    let first = page(Value::Null).await;
    let first = &first["data"]["node"]["classificationHistory"];
    assert_eq!(first["pageInfo"]["hasNextPage"], json!(true), "{first}");
    let second = page(first["pageInfo"]["endCursor"].clone()).await;
    let second = &second["data"]["node"]["classificationHistory"]["nodes"];
    assert_eq!(
        second.as_array().unwrap().as_slice(),
        &history[2..4]
            .iter()
            .map(|h| json!({
        "changedAt": h["changedAt"], "dimension": h["dimension"] }))
            .collect::<Vec<_>>()[..]
    );

    // Filters on every dimension.
    let quiet = customer(&app, "Quiet").await;
    reclassify_all(&app.db, at("2027-06-01T00:00:00Z"), |_, _| {}).await.unwrap();
    let body = app
        .gql(
            &app.admin_token,
            "{ dormant: customers(filter: { behaviours: { has: DORMANT } }) { nodes { id } }
               awake: customers(filter: { behaviours: { hasNot: DORMANT } }) { nodes { id } }
               urgent: customers(filter: { needUrgency: { eq: URGENT }, valueTier: { eq: HIGH } }) { nodes { id } } }",
            json!({}),
        )
        .await;
    let ids = |key: &str| -> Vec<Value> {
        body["data"][key]["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect()
    };
    assert_eq!(ids("dormant").len(), 2, "{body}");
    assert!(ids("dormant").contains(&json!(quiet)));
    assert_eq!(ids("awake"), Vec::<Value>::new());
    assert_eq!(ids("urgent"), vec![json!(buyer)]);
}

#[tokio::test]
async fn the_daily_job_runs_once_a_day() {
    let app = spawn_app().await;
    let id = customer(&app, "Buyer").await;
    purchase(&app, &id, "100.00", "2026-11-01").await;
    let day = std::time::Duration::from_secs(86_400);
    let first = job::run_due(&app.db, at("2026-12-01T03:00:00Z"), day).await.unwrap();
    assert!(first.is_some(), "the first check runs it");
    assert_eq!(class(&app, &id).await.0, "NEW");
    assert_eq!(job::run_due(&app.db, at("2026-12-01T20:00:00Z"), day).await.unwrap(), None, "not again that day");
    // Three months on, the next check runs it again: the buyer is no longer NEW.
    assert!(job::run_due(&app.db, at("2027-02-15T03:00:00Z"), day).await.unwrap().is_some());
    assert_eq!(class(&app, &id).await.0, "ESTABLISHED");
}

/// Today, as the server's clock has it, moved by `days`.
fn today_plus(days: i64) -> String {
    (Utc::now() + chrono::Duration::days(days)).date_naive().to_string()
}

async fn ticket(app: &TestApp, customer: &str, category: &str) {
    let body = app
        .gql(
            &app.admin_token,
            "mutation($input: CreateTicketInput!) { createTicket(input: $input) { userErrors { field message } } }",
            json!({ "input": { "customerId": customer, "subject": "Slow export", "category": category } }),
        )
        .await;
    assert_eq!(body["data"]["createTicket"]["userErrors"], json!([]), "{body}");
}

/// Writes re-evaluate their customer in their own transaction: no run needed.
#[tokio::test]
async fn writes_reclassify_their_customer_at_once() {
    let app = spawn_app().await;
    let id = customer(&app, "Walk-in").await;
    assert_eq!(class(&app, &id).await, ("POTENTIAL".to_string(), Value::Null));
    purchase(&app, &id, "60000.00", &today_plus(-3)).await;
    assert_eq!(class(&app, &id).await, ("NEW".to_string(), json!("HIGH")), "a first big purchase");
    ticket(&app, &id, "QUESTION").await;
    ticket(&app, &id, "COMPLAINT").await;
    for days in [-1, -2, -3] {
        interaction(&app, &id, &format!("{}T09:00:00Z", today_plus(days))).await;
    }
    let node = classes(&app, &id).await;
    let dimensions: Vec<&Value> = node["classification"].as_array().unwrap().iter().map(|c| &c["dimension"]).collect();
    assert_eq!(
        dimensions,
        [&json!("LIFECYCLE"), &json!("VALUE"), &json!("HIGH_FREQUENCY"), &json!("COMPLAINANT")],
        "{node}"
    );
    let value = node["classification"][1].clone();
    assert_eq!(value["reason"], json!("12-month spend 60,000 CNY"), "alone, no rank among all: {value}");
    // The full run agrees with what the writes decided.
    let changed = reclassify_all(&app.db, Utc::now(), |_, _| {}).await.unwrap();
    assert_eq!((changed.lifecycle, changed.value, changed.behaviours), (0, 0, 0), "{changed:?}");
}

/// A customer's need class follows its need as it is written, without waiting for a run.
#[tokio::test]
async fn a_need_written_on_a_customer_is_classified_at_once() {
    let app = spawn_app().await;
    let id =
        customer_with(&app, json!({ "name": "急单", "phone": null, "potentialNeeds": "扩产", "needPriority": "HIGH" }))
            .await;
    assert_eq!(classes(&app, &id).await["needUrgency"], json!("URGENT"));
    let update = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) {
        customer { needUrgency version } userErrors { field message } } }";
    let input = json!({ "id": id, "expectedVersion": 1, "needPriority": "LOW", "needExpectedDate": "2030-01-01" });
    let body = app.gql(&app.admin_token, update, json!({ "input": input })).await;
    assert_eq!(body["data"]["updateCustomer"]["customer"]["needUrgency"], json!("ROUTINE"), "{body}");
    let node = classes(&app, &id).await;
    assert_eq!(node["needUrgency"], json!("ROUTINE"));
    let changes = node["classificationHistory"]["nodes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["dimension"] == json!("NEED") && c["from"] == json!("URGENT") && c["to"] == json!("ROUTINE")),
        "{node}"
    );
}

/// Deleting, restoring or changing a record re-evaluates its customer as creating it did.
#[tokio::test]
async fn deletes_restores_and_updates_reclassify_their_customer_at_once() {
    let app = spawn_app().await;
    let id = customer(&app, "Returner").await;
    let body = app
        .gql(
            &app.admin_token,
            "mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { id } } }",
            json!({ "input": { "customerId": id, "subject": "Broken", "category": "COMPLAINT" } }),
        )
        .await;
    let ticket = body["data"]["createTicket"]["ticket"]["id"].clone();
    let complainant = |node: &Value| {
        node["classification"].as_array().unwrap().iter().any(|c| c["dimension"] == json!("COMPLAINANT"))
    };
    assert!(complainant(&classes(&app, &id).await));
    let delete = "mutation($input: DeleteTicketInput!) { deleteTicket(input: $input) { userErrors { message } } }";
    app.gql(&app.admin_token, delete, json!({ "input": { "id": ticket } })).await;
    assert!(!complainant(&classes(&app, &id).await), "a deleted complaint no longer counts");
    let restore = "mutation($input: RestoreTicketInput!) { restoreTicket(input: $input) { userErrors { message } } }";
    app.gql(&app.admin_token, restore, json!({ "input": { "id": ticket } })).await;
    assert!(complainant(&classes(&app, &id).await), "a restored complaint counts again");

    purchase(&app, &id, "60000.00", &today_plus(-3)).await;
    assert_eq!(class(&app, &id).await.1, json!("HIGH"));
    let purchases = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { customer(id: $id) { purchases { nodes { id } } } }",
            json!({ "id": id }),
        )
        .await;
    let purchase_id = purchases["data"]["customer"]["purchases"]["nodes"][0]["id"].clone();
    let update = "mutation($input: UpdatePurchaseInput!) { updatePurchase(input: $input) { userErrors { message } } }";
    let body = app
        .gql(
            &app.admin_token,
            update,
            json!({ "input": { "id": purchase_id, "expectedVersion": 1, "amount": "500.00" } }),
        )
        .await;
    assert_eq!(body["data"]["updatePurchase"]["userErrors"], json!([]), "{body}");
    // Below HIGH, and the last three months spent more than the three before: POTENTIAL.
    assert_eq!(class(&app, &id).await.1, json!("POTENTIAL"), "a corrected amount moves the tier");
}

/// Deleting the latest interaction takes the customer's last contact back to the one before.
#[tokio::test]
async fn deleting_the_latest_interaction_moves_last_contact_back() {
    let app = spawn_app().await;
    let id = customer(&app, "Caller").await;
    let (earlier, later) = (format!("{}T09:00:00Z", today_plus(-5)), format!("{}T09:00:00Z", today_plus(-1)));
    interaction(&app, &id, &earlier).await;
    interaction(&app, &id, &later).await;
    let read = "query($id: ID!) { customer(id: $id) { lastInteractionAt interactions { nodes { id occurredAt } } } }";
    let body = app.gql(&app.admin_token, read, json!({ "id": id })).await;
    let at = |body: &Value| {
        body["data"]["customer"]["lastInteractionAt"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap()
    };
    assert_eq!(at(&body), later.parse::<DateTime<Utc>>().unwrap());
    let nodes = body["data"]["customer"]["interactions"]["nodes"].as_array().unwrap().clone();
    let latest = nodes
        .iter()
        .find(|n| n["occurredAt"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap() == at(&body))
        .unwrap();
    let delete =
        "mutation($input: DeleteInteractionInput!) { deleteInteraction(input: $input) { userErrors { message } } }";
    app.gql(&app.admin_token, delete, json!({ "input": { "id": latest["id"] } })).await;
    let body = app.gql(&app.admin_token, read, json!({ "id": id })).await;
    assert_eq!(at(&body), earlier.parse::<DateTime<Utc>>().unwrap(), "{body}");
}

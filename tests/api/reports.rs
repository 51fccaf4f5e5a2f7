//! The business reports checked against hand computations: sales by period and split,
//! service time percentiles, satisfaction by value tier — each over exactly the rows the
//! caller may see, amounts only where the field policy allows.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

pub async fn purchase(app: &TestApp, token: &str, customer: &Value, product: &str, amount: &str, date: &str) {
    let query = "mutation($input: CreatePurchaseInput!) { createPurchase(input: $input) { purchase { id } userErrors { field code message } } }";
    let input = json!({ "customerId": customer["id"], "product": product, "quantity": 1, "amount": amount, "currency": "CNY", "purchasedAt": date });
    let body = app.gql(token, query, json!({ "input": input })).await;
    assert_eq!(body["data"]["createPurchase"]["userErrors"], json!([]), "{body}");
}

async fn sql(app: &TestApp, statement: &str) {
    app.db.execute_raw(Statement::from_string(app.db.get_database_backend(), statement)).await.unwrap();
}

const SALES: &str = "query($p: ReportPeriod!, $by: SalesGroup) { salesByPeriod(period: $p, from: \"2026-01-01\", to: \"2027-01-01\", by: $by) {
    period owner { id } key currency count amount } }";

#[tokio::test]
async fn sales_by_period_add_up_exactly_per_period_and_split_within_the_callers_scope() {
    let app = spawn_app().await;
    let (rep, rep_token) = app.user(Role::Sales, None).await;
    let mine = app.create_customer(&rep_token, json!({ "name": "我的客户", "region": "上海" })).await;
    let theirs = app.create_customer(&app.admin_token, json!({ "name": "别人的客户", "region": "北京" })).await;
    // Monday 2026-03-02 … Sunday 2026-03-08 is one week; April is the next quarter.
    purchase(&app, &rep_token, &mine, "水泵", "1000.10", "2026-03-02").await;
    purchase(&app, &rep_token, &mine, "阀门", "0.20", "2026-03-08").await;
    purchase(&app, &rep_token, &mine, "水泵", "99999999999.99", "2026-04-01").await;
    purchase(&app, &app.admin_token, &theirs, "水泵", "5", "2026-03-09").await;

    let body = app.gql(&app.admin_token, SALES, json!({ "p": "WEEK" })).await;
    let weeks: Vec<(Value, Value, Value)> = body["data"]["salesByPeriod"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|r| (r["period"].clone(), r["count"].clone(), r["amount"].clone()))
        .collect();
    assert_eq!(
        weeks,
        [
            (json!("2026-03-02"), json!(2), json!("1000.3")),
            (json!("2026-03-09"), json!(1), json!("5")),
            (json!("2026-03-30"), json!(1), json!("99999999999.99")),
        ]
        .map(|(a, b, c)| (a, b, c)),
        "{body}"
    );
    let body = app.gql(&app.admin_token, SALES, json!({ "p": "QUARTER" })).await;
    let quarters: Vec<(Value, Value)> = body["data"]["salesByPeriod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["period"].clone(), r["amount"].clone()))
        .collect();
    assert_eq!(quarters, [(json!("2026-01-01"), json!("1005.3")), (json!("2026-04-01"), json!("99999999999.99"))]);

    // The rep sees the sales of their own customers only, split by owner.
    let body = app.gql(&rep_token, SALES, json!({ "p": "YEAR", "by": "OWNER" })).await;
    let rows = body["data"]["salesByPeriod"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert_eq!(rows.len(), 1, "{body}");
    assert_eq!(rows[0]["amount"], json!("100000001000.29"));
    assert_eq!(rows[0]["owner"]["id"], json!(clientele::graphql::relay::global_id("User", rep).0));
    let body = app.gql(&app.admin_token, SALES, json!({ "p": "YEAR", "by": "PRODUCT" })).await;
    let products: Vec<(Value, Value)> = body["data"]["salesByPeriod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].clone(), r["count"].clone()))
        .collect();
    assert_eq!(products, [(json!("水泵"), json!(3)), (json!("阀门"), json!(1))]);

    // Marketing may not read purchase amounts: counts yes, amounts null with FORBIDDEN.
    let (_, marketing) = app.user(Role::Marketing, None).await;
    sql(&app, "UPDATE customers SET marketing_consent = true").await;
    let body = app.gql(&marketing, SALES, json!({ "p": "YEAR" })).await;
    assert_eq!(body["data"]["salesByPeriod"][0]["count"], json!(4), "{body}");
    assert_eq!(body["data"]["salesByPeriod"][0]["amount"], Value::Null);
    assert_eq!(error_code(&body), "FORBIDDEN");
}

#[tokio::test]
async fn service_times_give_percentiles_and_breach_rates_per_priority() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "工单客户" })).await;
    let open =
        "mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { id } userErrors { field } } }";
    for (i, priority) in ["HIGH", "HIGH", "HIGH", "HIGH", "LOW"].iter().enumerate() {
        let input = json!({ "customerId": customer["id"], "subject": format!("问题{i}"), "category": "INCIDENT", "priority": priority });
        let body = app.gql(&app.admin_token, open, json!({ "input": input })).await;
        assert!(body["data"]["createTicket"]["ticket"]["id"].is_string(), "{body}");
    }
    // Known times: HIGH tickets answered after 10, 20, 30 and 40 minutes, one breached.
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id FROM tickets WHERE priority = 'HIGH' ORDER BY code",
        ))
        .await
        .unwrap();
    let backend = app.db.get_database_backend();
    for (i, row) in rows.iter().enumerate() {
        let id: uuid::Uuid = row.try_get("", "id").unwrap();
        let minutes = 10 * (i as i64 + 1);
        let opened = chrono::Utc::now() - chrono::Duration::hours(2);
        let answered = opened + chrono::Duration::minutes(minutes);
        let statement = Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => {
                    "UPDATE tickets SET opened_at = $1, first_response_at = $2, first_response_breached = $3 WHERE id = $4"
                }
                _ => {
                    "UPDATE tickets SET opened_at = ?, first_response_at = ?, first_response_breached = ? WHERE id = ?"
                }
            },
            [opened.into(), answered.into(), (i == 3).into(), id.into()],
        );
        app.db.execute_raw(statement).await.unwrap();
    }
    let query = "query($from: DateTime!, $to: DateTime!) { serviceTimes(by: PRIORITY, from: $from, to: $to) {
        priority opened resolved firstResponseP50 firstResponseP90 resolutionP50 breached breachRate } }";
    let from = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let to = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let body = app.gql(&app.admin_token, query, json!({ "from": from, "to": to })).await;
    let rows = body["data"]["serviceTimes"].as_array().unwrap_or_else(|| panic!("{body}"));
    let high = rows.iter().find(|r| r["priority"] == json!("HIGH")).unwrap();
    assert_eq!(high["opened"], json!(4));
    let p50 = high["firstResponseP50"].as_f64().unwrap();
    let p90 = high["firstResponseP90"].as_f64().unwrap();
    assert!((p50 - 1500.0).abs() < 0.01, "median of 10, 20, 30, 40 min is 25 min: {body}");
    assert!((p90 - 2220.0).abs() < 0.01, "p90 interpolates to 37 min: {body}");
    assert_eq!(high["resolutionP50"], Value::Null);
    assert_eq!((high["breached"].clone(), high["breachRate"].clone()), (json!(1), json!(25.0)));
    let low = rows.iter().find(|r| r["priority"] == json!("LOW")).unwrap();
    assert_eq!((low["opened"].clone(), low["firstResponseP50"].clone()), (json!(1), Value::Null));

    // A sales rep sees the tickets of their own customers only: none here.
    let (_, rep) = app.user(Role::Sales, None).await;
    let body = app.gql(&rep, query, json!({ "from": from, "to": to })).await;
    assert_eq!(body["data"]["serviceTimes"], json!([]), "{body}");
}

#[tokio::test]
async fn satisfaction_by_value_tier_scores_each_tier_by_the_survey_kind() {
    let app = spawn_app().await;
    let create =
        "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { survey { id } userErrors { field } } }";
    let questions = json!([{ "key": "nps", "kind": "RATING", "text": "推荐?", "range": { "min": 0, "max": 10 }, "required": true }]);
    let body = app
        .gql(
            &app.admin_token,
            create,
            json!({ "input": { "title": "NPS", "kind": "NPS", "status": "ACTIVE", "questions": questions } }),
        )
        .await;
    let survey = body["data"]["createSurvey"]["survey"]["id"].clone();
    let submit = "mutation($input: SubmitSurveyResponseInput!) { submitSurveyResponse(input: $input) { accepted } }";
    // HIGH: 10, 9, 3 → (2 − 1) / 3 = 33.3; unclassified: 7, 0 → −50.
    for (name, rating) in [("甲", 10), ("乙", 9), ("丙", 3), ("丁", 7), ("戊", 0)] {
        let customer = app.create_customer(&app.admin_token, json!({ "name": name })).await;
        let body = app.gql(&app.admin_token, submit, json!({ "input": { "surveyId": survey, "customerId": customer["id"], "answers": [{ "key": "nps", "rating": rating }] } })).await;
        assert_eq!(body["data"]["submitSurveyResponse"]["accepted"], json!(true), "{body}");
    }
    sql(&app, "UPDATE customers SET value_tier = 'HIGH' WHERE name IN ('甲', '乙', '丙')").await;
    let query = "query($s: ID!) { satisfactionByValueTier(surveyId: $s) { valueTier responses score } }";
    let body = app.gql(&app.admin_token, query, json!({ "s": survey })).await;
    let rows = body["data"]["satisfactionByValueTier"].as_array().unwrap_or_else(|| panic!("{body}"));
    let high = rows.iter().find(|r| r["valueTier"] == json!("HIGH")).unwrap();
    assert_eq!((high["responses"].clone(), high["score"].clone()), (json!(3), json!(33.3)), "{body}");
    let none = rows.iter().find(|r| r["valueTier"].is_null()).unwrap();
    assert_eq!((none["responses"].clone(), none["score"].clone()), (json!(2), json!(-50.0)), "{body}");
}

#[tokio::test]
async fn team_performance_weighs_the_open_pipeline_and_counts_wins_losses_and_activities() {
    let app = spawn_app().await;
    let (rep, token) = app.user(Role::Sales, None).await;
    let customer = app.create_customer(&token, json!({ "name": "机会客户" })).await;
    let create = "mutation($input: CreateDealInput!) { createDeal(input: $input) { deal { id version } userErrors { field code } } }";
    let mut deals = Vec::new();
    for (title, amount, probability) in [("甲", "1000", 50), ("乙", "200.50", 10), ("丙", "300", 60), ("丁", "999", 20)]
    {
        let input =
            json!({ "customerId": customer["id"], "title": title, "amount": amount, "probability": probability });
        let body = app.gql(&token, create, json!({ "input": input })).await;
        deals.push(body["data"]["createDeal"]["deal"].clone());
    }
    let mv = "mutation($input: MoveDealStageInput!) { moveDealStage(input: $input) { deal { stage } userErrors { field code } } }";
    let won = json!({ "id": deals[2]["id"], "expectedVersion": deals[2]["version"], "stage": "WON" });
    assert_eq!(
        app.gql(&token, mv, json!({ "input": won })).await["data"]["moveDealStage"]["deal"]["stage"],
        json!("WON")
    );
    let lost =
        json!({ "id": deals[3]["id"], "expectedVersion": deals[3]["version"], "stage": "LOST", "lostReason": "价格" });
    assert_eq!(
        app.gql(&token, mv, json!({ "input": lost })).await["data"]["moveDealStage"]["deal"]["stage"],
        json!("LOST")
    );
    let log = "mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { userErrors { field } } }";
    for summary in ["拜访", "电话跟进"] {
        app.gql(
            &token,
            log,
            json!({ "input": { "customerId": customer["id"], "channel": "PHONE", "summary": summary } }),
        )
        .await;
    }

    let query = "query($from: DateTime!, $to: DateTime!) { teamPerformance(from: $from, to: $to) {
        owner { id } wonCount lostCount winRate averageCycleDays activities
        currencies { currency openCount openAmount weightedAmount wonAmount } } }";
    let from = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let to = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let body = app.gql(&app.admin_token, query, json!({ "from": from, "to": to })).await;
    let rows = body["data"]["teamPerformance"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert_eq!(rows.len(), 1, "{body}");
    let line = &rows[0];
    assert_eq!(line["owner"]["id"], json!(clientele::graphql::relay::global_id("User", rep).0));
    assert_eq!(
        (line["wonCount"].clone(), line["lostCount"].clone(), line["winRate"].clone(), line["activities"].clone()),
        (json!(1), json!(1), json!(50.0), json!(2))
    );
    assert_eq!(line["averageCycleDays"], json!(0.0), "won the day it was created");
    // Open: 1000 at 50 % and 200.50 at 10 % → 1200.5 open, 520.05 weighted.
    assert_eq!(
        line["currencies"],
        json!([{ "currency": "CNY", "openCount": 2, "openAmount": "1200.5", "weightedAmount": "520.05", "wonAmount": "300" }])
    );

    // Service staff may not read deal amounts: the counts stay, the amounts are null.
    let (_, service) = app.user(Role::Service, None).await;
    let body = app.gql(&service, query, json!({ "from": from, "to": to })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(body["data"]["teamPerformance"][0]["currencies"][0]["openCount"], json!(2), "{body}");
    assert_eq!(body["data"]["teamPerformance"][0]["currencies"][0]["weightedAmount"], Value::Null);
}

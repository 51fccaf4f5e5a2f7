//! Surveys and satisfaction: invitations with one-time tokens answered without an account,
//! scoring by kind on known answers, results with distributions, text answers through the
//! field policy, main issues and a before/after comparison.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

async fn survey(app: &TestApp, kind: &str, questions: Value) -> Value {
    let query = "mutation($input: CreateSurveyInput!) { createSurvey(input: $input) { survey { id } userErrors { field code message } } }";
    let body = app
        .gql(
            &app.admin_token,
            query,
            json!({ "input": { "title": kind, "kind": kind, "status": "ACTIVE", "questions": questions } }),
        )
        .await;
    body["data"]["createSurvey"].clone()
}

fn nps_questions() -> Value {
    json!([
        { "key": "nps", "kind": "RATING", "text": "推荐给朋友的可能性?", "range": { "min": 0, "max": 10 }, "required": true },
        { "key": "why", "kind": "TEXT", "text": "原因?" },
    ])
}

/// Answers anonymously (no credential at all) with `token`.
async fn answer(app: &TestApp, token: &str, answers: Value) -> Value {
    let query = "mutation($input: SubmitSurveyResponseInput!) { submitSurveyResponse(input: $input) {
        accepted surveyResponse { id } userErrors { field code message } } }";
    app.client
        .post(app.url("/graphql"))
        .json(&json!({ "query": query, "variables": { "input": { "token": token, "answers": answers } } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

const RESULTS: &str = "query($id: ID!, $f: SurveyResultsFilter) { surveyResults(surveyId: $id, filter: $f) {
    responseCount invitedCount responseRate score promoters passives detractors
    questions { key answered mean distribution { value count } textAnswers } mainIssues { keyword count } } }";

#[tokio::test]
async fn a_kind_needs_its_scale_and_scores_by_its_rule() {
    let app = spawn_app().await;
    let bad =
        survey(&app, "CSAT", json!([{ "key": "q", "kind": "RATING", "text": "?", "range": { "min": 0, "max": 10 } }]))
            .await;
    assert_eq!(bad["userErrors"][0]["field"], json!(["input", "questions"]), "{bad}");
    let csat = survey(
        &app,
        "CSAT",
        json!([{ "key": "q", "kind": "RATING", "text": "满意吗?", "range": { "min": 1, "max": 5 } }]),
    )
    .await;
    let id = csat["survey"]["id"].clone();
    let submit = "mutation($input: SubmitSurveyResponseInput!) { submitSurveyResponse(input: $input) { accepted surveyResponse { score } userErrors { field code } } }";
    for rating in [5, 4, 2] {
        let customer = app.create_customer(&app.admin_token, json!({ "name": format!("客户{rating}") })).await;
        let body = app.gql(&app.admin_token, submit, json!({ "input": { "surveyId": id, "customerId": customer["id"], "answers": [{ "key": "q", "rating": rating }] } })).await;
        assert_eq!(body["data"]["submitSurveyResponse"]["accepted"], json!(true), "{body}");
        assert_eq!(body["data"]["submitSurveyResponse"]["surveyResponse"]["score"], json!(f64::from(rating)));
    }
    let body = app.gql(&app.admin_token, RESULTS, json!({ "id": id })).await;
    let r = &body["data"]["surveyResults"];
    assert_eq!(r["score"], json!(66.7), "two of three satisfied: {body}");
    assert_eq!(r["promoters"], Value::Null);
    assert_eq!(
        r["questions"][0]["distribution"],
        json!([
            { "value": "1", "count": 0 }, { "value": "2", "count": 1 }, { "value": "3", "count": 0 }, { "value": "4", "count": 1 }, { "value": "5", "count": 1 }
        ])
    );
    // Staff entry still names the survey and the customer.
    let body = app
        .gql(&app.admin_token, submit, json!({ "input": { "surveyId": id, "answers": [{ "key": "q", "rating": 3 }] } }))
        .await;
    assert_eq!(
        body["data"]["submitSurveyResponse"]["userErrors"][0]["field"],
        json!(["input", "customerId"]),
        "{body}"
    );
}

#[tokio::test]
async fn invited_customers_answer_with_a_token_once_and_results_follow_nps_rules() {
    let app = spawn_app().await;
    let created = survey(&app, "NPS", nps_questions()).await;
    let id = created["survey"]["id"].clone();
    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(
            app.create_customer(&app.admin_token, json!({ "name": format!("受访者{i}"), "marketingConsent": true }))
                .await["id"]
                .clone(),
        );
    }
    let (_, marketing) = app.user(Role::Marketing, None).await;
    let (_, sales) = app.user(Role::Sales, None).await;
    let invite = "mutation($input: InviteToSurveyInput!) { inviteToSurvey(input: $input) {
        invitations { token expiresAt customer { id } } userErrors { field code } } }";
    let input = json!({ "surveyId": id, "customerIds": ids, "channel": "EMAIL" });
    assert_eq!(error_code(&app.gql(&sales, invite, json!({ "input": input })).await), "FORBIDDEN");
    let body = app.gql(&marketing, invite, json!({ "input": input })).await;
    let invitations =
        body["data"]["inviteToSurvey"]["invitations"].as_array().unwrap_or_else(|| panic!("{body}")).clone();
    assert_eq!(invitations.len(), 10, "{body}");
    let stored: i64 = app.count("survey_invitations").await;
    assert_eq!(stored, 10);
    let hashes = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT token_hash FROM survey_invitations",
        ))
        .await
        .unwrap();
    let token = invitations[0]["token"].as_str().unwrap();
    for row in hashes {
        let hash: String = row.try_get("", "token_hash").unwrap();
        assert_ne!(hash, token, "tokens are stored hashed");
    }

    // Known answers: 4 promoters, 2 passives, 4 detractors → NPS 0.
    let ratings = [10, 9, 9, 10, 7, 8, 0, 3, 6, 5];
    let texts = ["", "", "", "", "", "", "售后响应太慢", "售后电话打不通", "价格太贵，售后也慢", ""];
    for (i, invitation) in invitations.iter().enumerate() {
        let mut answers = vec![json!({ "key": "nps", "rating": ratings[i] })];
        if !texts[i].is_empty() {
            answers.push(json!({ "key": "why", "text": texts[i] }));
        }
        let body = answer(&app, invitation["token"].as_str().unwrap(), json!(answers)).await;
        let payload = &body["data"]["submitSurveyResponse"];
        assert_eq!(payload["accepted"], json!(true), "{body}");
        assert_eq!(payload["surveyResponse"], Value::Null, "a token reaches nothing else");
    }
    let again = answer(&app, token, json!([{ "key": "nps", "rating": 0 }])).await;
    assert_eq!(again["data"]["submitSurveyResponse"]["userErrors"][0]["code"], json!("INVALID_STATE"), "{again}");
    let bogus = answer(&app, "svy_nope", json!([{ "key": "nps", "rating": 0 }])).await;
    assert_eq!(bogus["data"]["submitSurveyResponse"]["userErrors"][0]["field"], json!(["input", "token"]), "{bogus}");
    assert_eq!(app.count("survey_responses").await, 10);

    let body = app.gql(&app.admin_token, RESULTS, json!({ "id": id })).await;
    let r = &body["data"]["surveyResults"];
    assert_eq!(
        (r["responseCount"].clone(), r["invitedCount"].clone(), r["responseRate"].clone()),
        (json!(10), json!(10), json!(100.0)),
        "{body}"
    );
    assert_eq!(
        (r["score"].clone(), r["promoters"].clone(), r["passives"].clone(), r["detractors"].clone()),
        (json!(0.0), json!(4), json!(2), json!(4))
    );
    assert_eq!(r["questions"][0]["mean"], json!(6.7));
    assert_eq!(r["mainIssues"][0], json!({ "keyword": "售后", "count": 3 }), "{body}");
    assert_eq!(r["questions"][1]["textAnswers"].as_array().unwrap().len(), 3);

    // Text answers leave through the field policy: masked for analysts.
    let (_, analyst) = app.user(Role::Analyst, None).await;
    let body = app.gql(&analyst, RESULTS, json!({ "id": id })).await;
    let masked = &body["data"]["surveyResults"]["questions"][1]["textAnswers"];
    assert!(masked.as_array().is_some_and(|l| l.iter().all(|t| t == "****")), "{body}");

    // A filter narrows the customers; a comparison splits the period.
    let body = app.gql(&app.admin_token, RESULTS, json!({ "id": id, "f": { "valueTier": "HIGH" } })).await;
    assert_eq!(body["data"]["surveyResults"]["responseCount"], json!(0), "{body}");
    let compare = "query($id: ID!, $at: DateTime!) { surveyResults(surveyId: $id) { compareAround(at: $at, days: 7) {
        before { responses score } after { responses score } change } } }";
    let at = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let body = app.gql(&app.admin_token, compare, json!({ "id": id, "at": at })).await;
    let c = &body["data"]["surveyResults"]["compareAround"];
    assert_eq!(c["before"], json!({ "responses": 0, "score": null }), "{body}");
    assert_eq!(c["after"], json!({ "responses": 10, "score": 0.0 }));
}

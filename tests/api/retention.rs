//! Retention: policies set by admins (validated, audited), applied as of a time the test
//! chooses — purges of soft-deleted records with everything under them, anonymised
//! interactions of inactive customers, survey text, audit values, idempotency keys — each
//! purge audited; a dry run counts and changes nothing; the daily job runs once a period.

use crate::helpers::{TestApp, error_code, spawn_app};
use chrono::{Duration, Utc};
use clientele::service::retention;
use entity::enums::Role;
use serde_json::{Value, json};

const SET: &str = "mutation($i: SetRetentionPolicyInput!) { setRetentionPolicy(input: $i) {
    retentionPolicy { kind recordType keepDays enabled } userErrors { field code message } } }";

async fn set(app: &TestApp, input: Value) -> Value {
    app.gql(&app.admin_token, SET, json!({ "i": input })).await["data"]["setRetentionPolicy"].clone()
}

fn counts(report: &[retention::Line]) -> Vec<(String, u64)> {
    report
        .iter()
        .map(|l| {
            (
                format!("{}{}", l.kind.as_str(), l.record_type.as_deref().map(|t| format!(" {t}")).unwrap_or_default()),
                l.count,
            )
        })
        .collect()
}

#[tokio::test]
async fn policies_are_admins_own_validated_and_audited() {
    let app = spawn_app().await;
    let (_, manager) = app.user(Role::Manager, None).await;
    let q = "{ retentionPolicies { kind recordType keepDays enabled } }";
    assert_eq!(error_code(&app.gql(&manager, q, json!({})).await), "FORBIDDEN");
    let body =
        app.gql(&manager, SET, json!({ "i": { "kind": "REMOVE_SURVEY_TEXT", "keepDays": 30, "enabled": true } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app.gql(&app.admin_token, q, json!({})).await;
    let all = body["data"]["retentionPolicies"].as_array().unwrap();
    assert_eq!(all.len(), 12, "{body}");
    let enabled: Vec<&Value> = all.iter().filter(|p| p["enabled"] == true).collect();
    assert_eq!(
        enabled,
        [&json!({ "kind": "PURGE_IDEMPOTENCY_KEYS", "recordType": null, "keepDays": 7, "enabled": true })]
    );

    for (input, field, code) in [
        (json!({ "kind": "PURGE_DELETED", "keepDays": 30, "enabled": true }), "recordType", "REQUIRED"),
        (
            json!({ "kind": "PURGE_DELETED", "recordType": "User", "keepDays": 30, "enabled": true }),
            "recordType",
            "INVALID",
        ),
        (
            json!({ "kind": "REMOVE_SURVEY_TEXT", "recordType": "Deal", "keepDays": 30, "enabled": true }),
            "recordType",
            "INVALID",
        ),
        (json!({ "kind": "REMOVE_SURVEY_TEXT", "keepDays": 0, "enabled": true }), "keepDays", "INVALID"),
    ] {
        let refused = set(&app, input).await;
        assert_eq!(refused["userErrors"][0]["field"], json!(["input", field]), "{refused}");
        assert_eq!(refused["userErrors"][0]["code"], code);
    }
    let saved =
        set(&app, json!({ "kind": "PURGE_DELETED", "recordType": "Deal", "keepDays": 45, "enabled": true })).await;
    assert_eq!(
        saved["retentionPolicy"],
        json!({ "kind": "PURGE_DELETED", "recordType": "Deal", "keepDays": 45, "enabled": true })
    );
    let body = app.gql(&app.admin_token, q, json!({})).await;
    let deal =
        body["data"]["retentionPolicies"].as_array().unwrap().iter().find(|p| p["recordType"] == "Deal").cloned();
    assert_eq!(deal.unwrap()["keepDays"], 45);
    let audit = "{ auditEvents(first: 5, filter: { action: \"setRetentionPolicy\" }) { nodes { changes { new } } } }";
    let body = app.gql(&app.admin_token, audit, json!({})).await;
    assert_eq!(body["data"]["auditEvents"]["nodes"][0]["changes"][0]["new"]["keepDays"], 45, "{body}");
}

#[tokio::test]
async fn enabled_policies_purge_and_anonymise_as_time_passes_and_audit_it() {
    let app = spawn_app().await;
    let now = Utc::now();
    let a = app.create_customer(&app.admin_token, json!({ "name": "留存甲", "phone": "13811112222" })).await;
    let b = app.create_customer(&app.admin_token, json!({ "name": "留存乙" })).await;
    let deal =
        app.write("createDeal", json!({ "customerId": a["id"], "title": "旧单", "amount": "10" }), "deal { id }").await;
    let deal = deal["deal"]["id"].clone();
    app.write("updateDeal", json!({ "id": deal, "expectedVersion": 1, "title": "旧单二" }), "deal { id }").await;
    app.write("deleteDeal", json!({ "id": deal, "expectedVersion": 2 }), "deal { id }").await;
    let when = (now - Duration::days(1)).to_rfc3339();
    app.write(
        "createInteraction",
        json!({ "customerId": a["id"], "channel": "PHONE", "summary": "谈了家里的事", "occurredAt": when }),
        "interaction { id }",
    )
    .await;
    app.write(
        "createContact",
        json!({ "customerId": b["id"], "name": "乙的联系人", "clientMutationId": "k1" }),
        "contact { id }",
    )
    .await;
    app.write("deleteCustomer", json!({ "id": b["id"], "expectedVersion": 1 }), "customer { id }").await;
    let questions = json!([{ "key": "nps", "kind": "RATING", "text": "推荐?", "range": { "min": 0, "max": 10 }, "required": true },
                           { "key": "why", "kind": "TEXT", "text": "原因?" }]);
    let survey = app
        .write(
            "createSurvey",
            json!({ "title": "NPS", "kind": "NPS", "status": "ACTIVE", "questions": questions }),
            "survey { id }",
        )
        .await;
    let answers = json!([{ "key": "nps", "rating": 3 }, { "key": "why", "text": "价格太贵了" }]);
    app.write(
        "submitSurveyResponse",
        json!({ "surveyId": survey["survey"]["id"], "customerId": a["id"], "answers": answers }),
        "surveyResponse { id }",
    )
    .await;
    for input in [
        json!({ "kind": "PURGE_DELETED", "recordType": "Deal", "keepDays": 30, "enabled": true }),
        json!({ "kind": "PURGE_DELETED", "recordType": "Customer", "keepDays": 30, "enabled": true }),
        json!({ "kind": "ANONYMISE_INACTIVE_INTERACTIONS", "keepDays": 365, "enabled": true }),
        json!({ "kind": "REMOVE_SURVEY_TEXT", "keepDays": 30, "enabled": true }),
        json!({ "kind": "REMOVE_AUDIT_VALUES", "keepDays": 60, "enabled": true }),
    ] {
        assert_eq!(set(&app, input).await["userErrors"], json!([]));
    }

    // Today nothing is due.
    let report = retention::run(&app.db, now, false, |_| {}).await.unwrap().unwrap();
    assert!(report.iter().all(|l| l.count == 0), "{report:?}");
    // A month on: a dry run counts, and changes nothing.
    let later = now + Duration::days(31);
    let dry = retention::run(&app.db, later, true, |_| {}).await.unwrap().unwrap();
    let expected = vec![
        ("PURGE_DELETED Deal".to_string(), 1),
        ("PURGE_DELETED Customer".to_string(), 1),
        ("ANONYMISE_INACTIVE_INTERACTIONS".to_string(), 0),
        ("REMOVE_SURVEY_TEXT".to_string(), 1),
        ("REMOVE_AUDIT_VALUES".to_string(), 0),
        ("PURGE_IDEMPOTENCY_KEYS".to_string(), 1),
    ];
    let mut got = counts(&dry);
    got.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(got, want);
    assert_eq!((app.count("deals").await, app.count("contacts").await, app.count("idempotency_keys").await), (1, 1, 1));

    let done = retention::run(&app.db, later, false, |_| {}).await.unwrap().unwrap();
    let mut got = counts(&done);
    got.sort();
    assert_eq!(got, want);
    assert_eq!((app.count("deals").await, app.count("contacts").await, app.count("idempotency_keys").await), (0, 0, 0));
    assert_eq!(app.count("customers").await, 1, "the deleted customer went with its contact");
    // Every purge audited; the purged deal's old → new values gone.
    let q = "query($id: ID!) { auditEvents(first: 10, filter: { recordId: $id }) { nodes { action actor { id } changes { field } } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": deal })).await;
    let events = body["data"]["auditEvents"]["nodes"].as_array().unwrap().clone();
    assert_eq!(events[0], json!({ "action": "purge", "actor": null, "changes": [] }), "{body}");
    assert!(events.iter().all(|e| e["changes"] == json!([])), "{body}");
    // Survey text gone, the rating kept.
    let q = "query($id: ID!) { customer(id: $id) { surveyResponses(first: 1) { nodes { score answers { key text rating } } } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": a["id"] })).await;
    let response = &body["data"]["customer"]["surveyResponses"]["nodes"][0];
    assert_eq!(response["score"], json!(3.0), "{body}");
    assert_eq!(response["answers"].as_array().unwrap().len(), 1, "{body}");

    // A year and more without contact: the interaction's text goes.
    let much_later = now + Duration::days(400);
    let report = retention::run(&app.db, much_later, false, |_| {}).await.unwrap().unwrap();
    let anonymised = report.iter().find(|l| l.kind == retention::Kind::AnonymiseInactiveInteractions).unwrap();
    assert_eq!(anonymised.count, 1);
    let q = "query($id: ID!) { customer(id: $id) { interactions(first: 1) { nodes { summary } } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": a["id"] })).await;
    assert_eq!(body["data"]["customer"]["interactions"]["nodes"][0]["summary"], "[erased]", "{body}");
    // … once: the next run finds nothing more.
    let again = retention::run(&app.db, much_later, false, |_| {}).await.unwrap().unwrap();
    assert!(again.iter().all(|l| l.count == 0), "{again:?}");
}

#[tokio::test]
async fn the_daily_run_happens_once_a_period() {
    let app = spawn_app().await;
    let now = Utc::now();
    let day = std::time::Duration::from_secs(24 * 3600);
    assert!(retention::run_due(&app.db, now, day).await.unwrap().is_some());
    assert!(retention::run_due(&app.db, now + Duration::hours(23), day).await.unwrap().is_none());
    assert!(retention::run_due(&app.db, now + Duration::hours(25), day).await.unwrap().is_some());
    // Through the API: admins only; a dry run by default.
    let body = app
        .gql(&app.admin_token, "mutation { runRetention(input: {}) { dryRun lines { kind count } } }", json!({}))
        .await;
    assert_eq!(
        body["data"]["runRetention"],
        json!({ "dryRun": true, "lines": [{ "kind": "PURGE_IDEMPOTENCY_KEYS", "count": 0 }] }),
        "{body}"
    );
    let (_, sales) = app.user(Role::Sales, None).await;
    let body = app.gql(&sales, "mutation { runRetention(input: { dryRun: false }) { dryRun } }", json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
}

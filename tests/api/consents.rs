//! The consent ledger: privacy notices, grants and withdrawals by purpose, the derived
//! state, and its enforcement in the row scopes — a withdrawal takes effect on the next
//! request for lists, `node`, nested connections, search, counts and reports.

use crate::access::gql_as;
use crate::helpers::{TestApp, error_code, spawn_app};
use chrono::{Duration, Utc};
use entity::enums::Role;
use serde_json::{Value, json};

const GRANT: &str = "mutation($i: GrantConsentInput!) { grantConsent(input: $i) {
    consent { purpose noticeVersion channel live source grantedAt withdrawnAt grantedBy { id } }
    userErrors { field code message } } }";
const WITHDRAW: &str = "mutation($i: WithdrawConsentInput!) { withdrawConsent(input: $i) {
    consents { purpose live grantedAt withdrawnAt withdrawalSource } userErrors { field code message } } }";
const PUBLISH: &str = "mutation($i: PublishPrivacyNoticeInput!) { publishPrivacyNotice(input: $i) {
    privacyNotice { version title url } userErrors { field code message } } }";

async fn grant(app: &TestApp, token: &str, customer: &Value, purpose: &str) -> Value {
    let input = json!({ "customerId": customer, "purpose": purpose, "channel": "WECHAT", "source": "小程序表单",
                        "evidence": "form 2026-1204-17" });
    app.gql(token, GRANT, json!({ "i": input })).await["data"]["grantConsent"].clone()
}

async fn withdraw(app: &TestApp, token: &str, customer: &Value, purpose: &str, source: &str) -> Value {
    let input = json!({ "customerId": customer, "purpose": purpose, "source": source });
    app.gql(token, WITHDRAW, json!({ "i": input })).await["data"]["withdrawConsent"].clone()
}

async fn publish(app: &TestApp) {
    let input =
        json!({ "title": "隐私政策 v1", "body": "我们如何使用您的个人信息……", "url": "https://example.com/privacy" });
    let body = app.gql(&app.admin_token, PUBLISH, json!({ "i": input })).await;
    assert_eq!(body["data"]["publishPrivacyNotice"]["privacyNotice"]["version"], 1, "{body}");
}

#[tokio::test]
async fn notices_are_published_by_admins_and_grants_name_the_version_shown() {
    let app = spawn_app().await;
    let (_, marketing) = app.user(Role::Marketing, None).await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "李雷" })).await;

    // No notice yet: a grant is refused, and nothing is written.
    let refused = grant(&app, &app.admin_token, &c["id"], "MARKETING").await;
    assert_eq!(refused["userErrors"][0]["field"], json!(["input", "noticeVersion"]), "{refused}");
    assert_eq!(refused["userErrors"][0]["code"], "INVALID_STATE");
    assert_eq!(app.count("consents").await, 0);
    let input = json!({ "title": "v1", "body": "text" });
    let body = app.gql(&marketing, PUBLISH, json!({ "i": input })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let bad = json!({ "title": " ", "body": "", "url": "ftp://x" });
    let body = app.gql(&app.admin_token, PUBLISH, json!({ "i": bad })).await;
    let codes: Vec<&Value> =
        body["data"]["publishPrivacyNotice"]["userErrors"].as_array().unwrap().iter().map(|e| &e["code"]).collect();
    assert_eq!(codes, [&json!("REQUIRED"), &json!("REQUIRED"), &json!("INVALID")], "{body}");
    publish(&app).await;
    let input = json!({ "title": "隐私政策 v2", "body": "新增：与合作伙伴共享" });
    let body = app.gql(&app.admin_token, PUBLISH, json!({ "i": input })).await;
    assert_eq!(body["data"]["publishPrivacyNotice"]["privacyNotice"]["version"], 2, "{body}");
    let body = app.gql(&marketing, "{ privacyNotices { version title } }", json!({})).await;
    assert_eq!(body["data"]["privacyNotices"][0]["version"], 2, "{body}");

    // The latest version by default; an unknown one is refused.
    let given = grant(&app, &app.admin_token, &c["id"], "MARKETING").await;
    assert_eq!(given["consent"]["noticeVersion"], 2, "{given}");
    assert_eq!((given["consent"]["live"].clone(), given["consent"]["channel"].clone()), (json!(true), json!("WECHAT")));
    let input = json!({ "customerId": c["id"], "purpose": "MARKETING", "noticeVersion": 7, "source": "call" });
    let body = app.gql(&app.admin_token, GRANT, json!({ "i": input })).await;
    assert_eq!(body["data"]["grantConsent"]["userErrors"][0]["code"], "NOT_FOUND", "{body}");
    // Granted again under version 1: the live grant is renewed, both kept.
    let input = json!({ "customerId": c["id"], "purpose": "MARKETING", "noticeVersion": 1, "source": "call" });
    let body = app.gql(&app.admin_token, GRANT, json!({ "i": input })).await;
    assert_eq!(body["data"]["grantConsent"]["consent"]["noticeVersion"], 1, "{body}");
    let q = "query($id: ID!) { customer(id: $id) { marketingConsent
        consents(purpose: MARKETING) { noticeVersion live withdrawalSource evidence }
        live: consents(live: true) { noticeVersion } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": c["id"] })).await;
    let customer = &body["data"]["customer"];
    assert_eq!(customer["marketingConsent"], true, "{body}");
    assert_eq!(
        customer["consents"],
        json!([{ "noticeVersion": 1, "live": true, "withdrawalSource": null, "evidence": null },
               { "noticeVersion": 2, "live": false, "withdrawalSource": "renewed", "evidence": "form 2026-1204-17" }])
    );
    assert_eq!(customer["live"], json!([{ "noticeVersion": 1 }]));
    // Evidence is governed like the customer's notes: a MARKETING user gets FORBIDDEN there.
    let body = app.gql(&marketing, q, json!({ "id": c["id"] })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(body["data"]["customer"]["consents"][1]["evidence"], Value::Null, "{body}");
}

#[tokio::test]
async fn a_marketing_withdrawal_takes_effect_on_the_next_request_everywhere() {
    let app = spawn_app().await;
    publish(&app).await;
    let (_, marketing) = app.user(Role::Marketing, None).await;
    let a = app.create_customer(&app.admin_token, json!({ "name": "**户", "marketingConsent": true })).await;
    let b = app.create_customer(&app.admin_token, json!({ "name": "乙客户" })).await;
    for (customer, title) in [(&a, "甲的单"), (&b, "乙的单")] {
        let input = json!({ "customerId": customer["id"], "title": title, "amount": "100" });
        let m = "mutation($i: CreateDealInput!) { createDeal(input: $i) { userErrors { code } } }";
        assert_eq!(
            app.gql(&app.admin_token, m, json!({ "i": input })).await["data"]["createDeal"]["userErrors"],
            json!([])
        );
    }
    // createCustomer(marketingConsent: true) wrote a grant under the latest notice.
    let q = "query($id: ID!) { customer(id: $id) { consents { purpose source noticeVersion live } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": a["id"] })).await;
    assert_eq!(
        body["data"]["customer"]["consents"],
        json!([{ "purpose": "MARKETING", "source": "createCustomer", "noticeVersion": 1, "live": true }])
    );
    let segment = app
        .gql(
            &marketing,
            "mutation { createSegment(input: { name: \"全部\", filter: {} }) { segment { id } userErrors { message } } }",
            json!({}),
        )
        .await;
    let segment = segment["data"]["createSegment"]["segment"]["id"].clone();
    let seen = "query($a: ID!, $s: ID!, $code: String!) {
        customers(first: 10) { totalCount nodes { name deals(first: 5) { nodes { title } } } }
        found: customers(first: 5, search: $code) { totalCount }
        node(id: $a) { id }
        segment: node(id: $s) { ... on Segment { count members(first: 5) { nodes { name } } } }
        deals(first: 5) { totalCount nodes { customer { name } } }
        dealsByStage { count } }";
    let vars = json!({ "a": a["id"], "s": segment, "code": a["code"] });
    let body = app.gql(&marketing, seen, vars.clone()).await;
    let d = &body["data"];
    assert_eq!(d["customers"]["totalCount"], 1, "{body}");
    assert_eq!(d["customers"]["nodes"][0], json!({ "name": "**户", "deals": { "nodes": [{ "title": "甲的单" }] } }));
    assert_eq!(d["found"]["totalCount"], 1);
    assert_eq!(d["node"]["id"], a["id"]);
    assert_eq!(d["segment"], json!({ "count": 1, "members": { "nodes": [{ "name": "**户" }] } }));
    assert_eq!(d["deals"], json!({ "totalCount": 1, "nodes": [{ "customer": { "name": "**户" } }] }));
    assert_eq!(d["dealsByStage"], json!([{ "count": 1 }]));

    // The customer unsubscribes; the MARKETING user records it (their lists shrink at once).
    let ended = withdraw(&app, &marketing, &a["id"], "MARKETING", "退订链接").await;
    assert_eq!(ended["userErrors"], json!([]), "{ended}");
    assert_eq!(ended["consents"][0]["live"], false);
    assert_eq!(ended["consents"][0]["withdrawalSource"], "退订链接");
    let body = app.gql(&marketing, seen, vars.clone()).await;
    let d = &body["data"];
    assert_eq!(d["customers"], json!({ "totalCount": 0, "nodes": [] }), "{body}");
    assert_eq!(d["found"]["totalCount"], 0);
    assert_eq!(d["node"], Value::Null);
    assert_eq!(d["segment"], json!({ "count": 0, "members": { "nodes": [] } }));
    assert_eq!(d["deals"], json!({ "totalCount": 0, "nodes": [] }));
    assert_eq!(d["dealsByStage"], json!([]));
    // Nothing left to withdraw (the admin still sees the customer): refused.
    let again = withdraw(&app, &app.admin_token, &a["id"], "MARKETING", "退订链接").await;
    assert_eq!(again["userErrors"][0]["code"], "INVALID_STATE", "{again}");

    // The audit trail has the change of the derived state.
    let q = "query($id: ID!) { auditEvents(first: 5, filter: { recordId: $id, action: \"withdrawConsent\" }) {
        nodes { changes { field old new } } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": a["id"] })).await;
    assert_eq!(
        body["data"]["auditEvents"]["nodes"],
        json!([{ "changes": [{ "field": "marketingConsent", "old": true, "new": false }] }]),
        "{body}"
    );

    // Setting the field on an update is a grant or a withdrawal in the ledger too.
    let update =
        "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { marketingConsent version } } }";
    let body = app
        .gql(
            &app.admin_token,
            update,
            json!({ "i": { "id": b["id"], "expectedVersion": 1, "marketingConsent": true } }),
        )
        .await;
    assert_eq!(body["data"]["updateCustomer"]["customer"]["marketingConsent"], true, "{body}");
    assert_eq!(app.gql(&marketing, seen, vars.clone()).await["data"]["customers"]["totalCount"], 1);
    let body = app
        .gql(
            &app.admin_token,
            update,
            json!({ "i": { "id": b["id"], "expectedVersion": 2, "marketingConsent": false } }),
        )
        .await;
    assert_eq!(body["data"]["updateCustomer"]["customer"]["marketingConsent"], false, "{body}");
    let q = "query($id: ID!) { customer(id: $id) { consents { source live withdrawalSource } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": b["id"] })).await;
    assert_eq!(
        body["data"]["customer"]["consents"],
        json!([{ "source": "updateCustomer", "live": false, "withdrawalSource": "updateCustomer" }])
    );
    assert_eq!(app.gql(&marketing, seen, vars).await["data"]["customers"]["totalCount"], 0);
}

#[tokio::test]
async fn partner_keys_see_only_customers_who_agreed_to_partner_sharing() {
    let app = spawn_app().await;
    publish(&app).await;
    let (partner, _) = app.user(Role::Partner, None).await;
    let made = app
        .gql(
            &app.admin_token,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
            json!({ "i": { "name": "ERP", "scopes": ["customers:read", "contacts:read"],
                           "ownerId": clientele::graphql::relay::global_id("User", partner).0 } }),
        )
        .await;
    let key = format!("ApiKey {}", made["data"]["createApiKey"]["secret"].as_str().unwrap());
    let c = app.create_customer(&app.admin_token, json!({ "name": "合作客户" })).await;
    let contact = "mutation($i: CreateContactInput!) { createContact(input: $i) { userErrors { message } } }";
    let body = app.gql(&app.admin_token, contact, json!({ "i": { "customerId": c["id"], "name": "对接人" } })).await;
    assert_eq!(body["data"]["createContact"]["userErrors"], json!([]), "{body}");
    let q = "query($id: ID!) { customers(first: 5) { totalCount nodes { name contacts(first: 5) { nodes { name } } } }
        contacts(first: 5) { totalCount } node(id: $id) { id } }";
    let seen = |body: &Value| body["data"]["customers"]["totalCount"].as_i64().unwrap();
    let body = gql_as(&app, &key, q, json!({ "id": c["id"] })).await;
    assert_eq!((seen(&body), body["data"]["node"].clone()), (0, Value::Null), "{body}");

    assert_eq!(grant(&app, &app.admin_token, &c["id"], "PARTNER_SHARING").await["userErrors"], json!([]));
    let body = gql_as(&app, &key, q, json!({ "id": c["id"] })).await;
    assert_eq!(seen(&body), 1, "{body}");
    assert_eq!(body["data"]["customers"]["nodes"][0]["contacts"]["nodes"], json!([{ "name": "**人" }]));
    assert_eq!(body["data"]["contacts"]["totalCount"], 1);
    assert_eq!(body["data"]["node"]["id"], c["id"]);

    let (_, service) = app.user(Role::Service, None).await;
    assert_eq!(withdraw(&app, &service, &c["id"], "PARTNER_SHARING", "客服电话").await["userErrors"], json!([]));
    let body = gql_as(&app, &key, q, json!({ "id": c["id"] })).await;
    assert_eq!((seen(&body), body["data"]["node"].clone()), (0, Value::Null), "{body}");
    assert_eq!(body["data"]["contacts"]["totalCount"], 0);
    // A partner key may not record consent itself.
    let input = json!({ "i": { "customerId": c["id"], "purpose": "PARTNER_SHARING", "source": "api" } });
    let body = gql_as(&app, &key, GRANT, input).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
}

#[tokio::test]
async fn withdrawn_profiling_clears_the_behaviour_classes_until_granted_again() {
    let app = spawn_app().await;
    publish(&app).await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "常客" })).await;
    let interaction =
        "mutation($i: CreateInteractionInput!) { createInteraction(input: $i) { userErrors { message } } }";
    for days in 1..=3 {
        let when = (Utc::now() - Duration::days(days)).to_rfc3339();
        let input = json!({ "customerId": c["id"], "channel": "PHONE", "summary": "回访", "occurredAt": when });
        assert_eq!(
            app.gql(&app.admin_token, interaction, json!({ "i": input })).await["data"]["createInteraction"]["userErrors"],
            json!([])
        );
    }
    let frequent = "{ customers(first: 5, filter: { behaviours: { has: HIGH_FREQUENCY } }) { totalCount } }";
    let count = |body: Value| body["data"]["customers"]["totalCount"].clone();
    assert_eq!(count(app.gql(&app.admin_token, frequent, json!({})).await), 1);

    let (_, service) = app.user(Role::Service, None).await;
    let ended = withdraw(&app, &service, &c["id"], "PROFILING", "客户来电要求").await;
    // Never granted (PROFILING holds until withdrawn): an objection is recorded.
    assert_eq!(
        ended["consents"],
        json!([{ "purpose": "PROFILING", "live": false, "grantedAt": null,
        "withdrawnAt": ended["consents"][0]["withdrawnAt"], "withdrawalSource": "客户来电要求" }]),
        "{ended}"
    );
    assert_eq!(count(app.gql(&app.admin_token, frequent, json!({})).await), 0);
    let q = "query($id: ID!) { customer(id: $id) { profilingAllowed analyticsAllowed } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": c["id"] })).await;
    assert_eq!(body["data"]["customer"], json!({ "profilingAllowed": false, "analyticsAllowed": true }));
    // The daily run leaves them out too; a second withdrawal has nothing to withdraw.
    clientele::service::classification::reclassify_all(&app.db, Utc::now(), |_, _| {}).await.unwrap();
    assert_eq!(count(app.gql(&app.admin_token, frequent, json!({})).await), 0);
    let again = withdraw(&app, &service, &c["id"], "PROFILING", "again").await;
    assert_eq!(again["userErrors"][0]["code"], "INVALID_STATE", "{again}");

    // Granted again: profiled again, at once.
    assert_eq!(grant(&app, &app.admin_token, &c["id"], "PROFILING").await["userErrors"], json!([]));
    assert_eq!(count(app.gql(&app.admin_token, frequent, json!({})).await), 1);
}

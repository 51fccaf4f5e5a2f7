//! Data-subject rights: the export of everything held about a customer, and its erasure —
//! irreversible, logged, audited, keeping the non-personal facts, applied again after a
//! restore.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

/// The personal values the test writes, none of which may remain after the erasure.
const PERSONAL: [&str; 12] = [
    "王芳",
    "13812345678",
    "wangfang@example.com",
    "1 Nanjing Rd",
    "芳记茶庄",
    "喜欢早上联系",
    "13987654321",
    "王小二",
    "合同谈判很顺利",
    "水管漏了",
    "服务很好",
    "店员态度热情",
];

/// A customer with a record of every kind, a changed phone, a consent with evidence and a
/// duplicate merged into it; answers `(customer id, code)`.
async fn everything(app: &TestApp) -> (Value, String) {
    let c = app
        .create_customer(
            &app.admin_token,
            json!({ "name": "王芳", "phone": "13812345678", "email": "wangfang@example.com", "address": "1 Nanjing Rd",
                    "companyName": "芳记茶庄", "notes": "喜欢早上联系", "region": "上海" }),
        )
        .await;
    let id = c["id"].clone();
    app.write("updateCustomer", json!({ "id": id, "expectedVersion": 1, "phone": "13987654321" }), "customer { id }")
        .await;
    // With an idempotency key: the stored request names the customer.
    let contact = json!({ "customerId": id, "name": "王小二", "phone": "13700001111", "clientMutationId": "c-1" });
    app.write("createContact", contact, "contact { id }").await;
    let interaction = json!({ "customerId": id, "channel": "PHONE", "summary": "合同谈判很顺利", "occurredAt": "2026-11-20T09:00:00Z" });
    app.write("createInteraction", interaction, "interaction { id }").await;
    app.write("createDeal", json!({ "customerId": id, "title": "王芳年度合同", "amount": "100" }), "deal { id }").await;
    let purchase = json!({ "customerId": id, "product": "茶叶", "amount": "88.50", "purchasedAt": "2026-11-01" });
    app.write("createPurchase", purchase, "purchase { id }").await;
    let ticket = json!({ "customerId": id, "subject": "水管漏了", "category": "COMPLAINT" });
    app.write("createTicket", ticket, "ticket { id }").await;
    app.write(
        "createFeedback",
        json!({ "customerId": id, "kind": "PRAISE", "content": "服务很好" }),
        "feedback { id }",
    )
    .await;
    let questions = json!([{ "key": "nps", "kind": "RATING", "text": "推荐?", "range": { "min": 0, "max": 10 }, "required": true },
                           { "key": "why", "kind": "TEXT", "text": "原因?" }]);
    let survey = app
        .write(
            "createSurvey",
            json!({ "title": "NPS", "kind": "NPS", "status": "ACTIVE", "questions": questions }),
            "survey { id }",
        )
        .await;
    let answers = json!([{ "key": "nps", "rating": 9 }, { "key": "why", "text": "店员态度热情" }]);
    let submit = json!({ "surveyId": survey["survey"]["id"], "customerId": id, "answers": answers });
    app.write("submitSurveyResponse", submit, "surveyResponse { id }").await;
    app.write(
        "requestCorrection",
        json!({ "customerId": id, "fields": ["address"], "note": "王芳说地址错了" }),
        "correctionRequest { id }",
    )
    .await;
    app.write("publishPrivacyNotice", json!({ "title": "v1", "body": "notice" }), "privacyNotice { version }").await;
    let consent = json!({ "customerId": id, "purpose": "MARKETING", "source": "门店", "evidence": "王芳签字的同意书" });
    app.write("grantConsent", consent, "consent { live }").await;
    let dup = app
        .create_customer(
            &app.admin_token,
            json!({ "name": "王芳", "email": "wf.old@example.com", "allowDuplicate": true }),
        )
        .await;
    let merge = json!({ "survivorId": id, "mergedIds": [dup["id"]] });
    app.write("mergeCustomers", merge, "merge { id }").await;
    (id, c["code"].as_str().unwrap().to_string())
}

const EXPORT: &str =
    "mutation($i: ExportSubjectDataInput!) { exportSubjectData(input: $i) { document userErrors { field code } } }";
const ERASE: &str = "mutation($i: EraseCustomerInput!) { eraseCustomer(input: $i) {
    erasure { customerCode reason erasedAt erasedBy { id } customer { name erasedAt } } userErrors { field code message } } }";

#[tokio::test]
async fn an_export_holds_everything_about_the_person_and_is_audited() {
    let app = spawn_app().await;
    let (id, code) = everything(&app).await;
    let (_, manager) = app.user(Role::Manager, None).await;
    let body = app.gql(&manager, EXPORT, json!({ "i": { "customerId": id } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");

    let body = app.gql(&app.admin_token, EXPORT, json!({ "i": { "customerId": id } })).await;
    let doc = &body["data"]["exportSubjectData"]["document"];
    assert_eq!(doc["format"], "clientele.subject-export/1", "{body}");
    assert_eq!(doc["customer"]["code"], json!(code));
    assert_eq!(doc["customer"]["phone"], "+8613987654321");
    assert_eq!(doc["mergedRecords"][0]["email"], "wf.old@example.com");
    assert_eq!(doc["contacts"][0]["name"], "王小二");
    assert_eq!(doc["interactions"][0]["summary"], "合同谈判很顺利");
    assert_eq!(doc["deals"][0]["amount"], "100");
    assert_eq!(doc["purchases"][0]["amount"], "88.5");
    assert_eq!(doc["tickets"][0]["subject"], "水管漏了");
    assert_eq!(doc["ticketStatusChanges"].as_array().unwrap().len(), 1);
    assert_eq!(doc["feedback"][0]["content"], "服务很好");
    assert_eq!(doc["surveyResponses"][0]["answers"]["why"], "店员态度热情");
    assert_eq!(doc["correctionRequests"][0]["note"], "王芳说地址错了");
    assert_eq!(doc["consents"][0]["evidence"], "王芳签字的同意书");
    let reasons: Vec<&str> =
        doc["classification"].as_array().unwrap().iter().filter_map(|c| c["reason"].as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("first purchase on 2026-11-01")), "{reasons:?}");
    let trail = doc["auditTrail"].as_array().unwrap();
    let phone = trail.iter().find(|e| e["action"] == "update").unwrap();
    assert_eq!(phone["changes"][0]["old"], "+8613812345678", "{phone}");
    assert!(trail.iter().any(|e| e["entity"] == "Contact"), "the records under it are in the trail");
    // The export itself is audited.
    let q = "query($id: ID!) { auditEvents(first: 5, filter: { recordId: $id, action: \"exportSubjectData\" }) { totalCount } }";
    assert_eq!(app.gql(&app.admin_token, q, json!({ "id": id })).await["data"]["auditEvents"]["totalCount"], 1);
    let body = app
        .gql(
            &app.admin_token,
            EXPORT,
            json!({ "i": { "customerId": "Q3VzdG9tZXI6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw" } }),
        )
        .await;
    assert_eq!(body["data"]["exportSubjectData"]["userErrors"][0]["code"], "NOT_FOUND", "{body}");
}

#[tokio::test]
async fn an_erasure_removes_the_personal_data_keeps_the_facts_and_survives_a_restore() {
    let app = spawn_app().await;
    let (id, code) = everything(&app).await;
    let before = app
        .gql(&app.admin_token, "{ dealsByStage { count amount } salesByPeriod(period: MONTH) { amount } }", json!({}))
        .await;

    let (_, manager) = app.user(Role::Manager, None).await;
    let body = app.gql(&manager, ERASE, json!({ "i": { "id": id, "reason": "客户要求" } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let body = app.gql(&app.admin_token, ERASE, json!({ "i": { "id": id, "reason": " " } })).await;
    assert_eq!(body["data"]["eraseCustomer"]["userErrors"][0]["code"], "REQUIRED", "{body}");
    assert_eq!(app.count("erasures").await, 0);

    let body =
        app.gql(&app.admin_token, ERASE, json!({ "i": { "id": id, "reason": "客户 2026-12-01 来电要求删除" } })).await;
    let erasure = &body["data"]["eraseCustomer"]["erasure"];
    assert_eq!(erasure["customerCode"], json!(code), "{body}");
    assert_eq!(erasure["customer"]["name"], "[erased]");
    assert!(erasure["customer"]["erasedAt"].is_string());
    let log = app.gql(&app.admin_token, "{ erasures { customerCode reason erasedBy { id } } }", json!({})).await;
    assert_eq!(log["data"]["erasures"][0]["customerCode"], json!(code), "{log}");
    assert_eq!(log["data"]["erasures"][0]["reason"], "客户 2026-12-01 来电要求删除");
    assert_eq!(error_code(&app.gql(&manager, "{ erasures { reason } }", json!({})).await), "FORBIDDEN");
    let again = app.gql(&app.admin_token, ERASE, json!({ "i": { "id": id, "reason": "again" } })).await;
    assert_eq!(again["data"]["eraseCustomer"]["userErrors"][0]["code"], "INVALID_STATE", "{again}");

    // Nothing personal is left anywhere the export reaches (every table about the person),
    // nor in stored idempotent replies; the facts reports count stay.
    let doc = app.gql(&app.admin_token, EXPORT, json!({ "i": { "customerId": id } })).await["data"]["exportSubjectData"]["document"].clone();
    let text = doc.to_string();
    for value in
        PERSONAL.iter().chain(["+8613812345678", "+8613987654321", "wf.old@example.com", "王芳签字的同意书"].iter())
    {
        assert!(!text.contains(value), "{value} remains: {text}");
    }
    assert_eq!(doc["deals"][0]["amount"], "100");
    assert_eq!(doc["deals"][0]["stage"], "LEAD");
    assert_eq!(doc["tickets"][0]["category"], "COMPLAINT");
    assert_eq!(doc["surveyResponses"][0]["score"], json!(9.0));
    assert_eq!(doc["customer"]["region"], "上海");
    assert_eq!(doc["consents"][0]["withdrawal_source"], "erased");
    assert_eq!(app.count("idempotency_keys").await, 0, "the stored request naming the customer is gone");
    let after = app
        .gql(&app.admin_token, "{ dealsByStage { count amount } salesByPeriod(period: MONTH) { amount } }", json!({}))
        .await;
    assert_eq!(after["data"], before["data"], "reports keep counting the facts");

    // The record is not changed nor written under again.
    let update = "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { userErrors { code } } }";
    let body = app
        .gql(
            &app.admin_token,
            update,
            json!({ "i": { "id": id, "expectedVersion": doc["customer"]["version"], "name": "王芳" } }),
        )
        .await;
    assert_eq!(body["data"]["updateCustomer"]["userErrors"][0]["code"], "INVALID_STATE", "{body}");
    let contact = "mutation($i: CreateContactInput!) { createContact(input: $i) { userErrors { code } } }";
    let body = app.gql(&app.admin_token, contact, json!({ "i": { "customerId": id, "name": "新联系人" } })).await;
    assert_eq!(body["data"]["createContact"]["userErrors"][0]["code"], "NOT_FOUND", "{body}");

    let other = app.create_customer(&app.admin_token, json!({ "name": "别人" })).await;
    let merge = "mutation($i: MergeCustomersInput!) { mergeCustomers(input: $i) { userErrors { field code } } }";
    let body = app.gql(&app.admin_token, merge, json!({ "i": { "survivorId": other["id"], "mergedIds": [id] } })).await;
    assert_eq!(body["data"]["mergeCustomers"]["userErrors"][0]["code"], "INVALID_STATE", "{body}");

    // A restore from a backup taken before the erasure brings the data back; the log
    // erases it again, once.
    let uuid = clientele::graphql::relay::parse_global_id(&async_graphql::ID(id.as_str().unwrap().into())).unwrap().1;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let mut restored: entity::customer::ActiveModel =
        entity::customer::Entity::find_by_id(uuid).one(&app.db).await.unwrap().unwrap().into();
    restored.name = Set("王芳".into());
    restored.phone = Set(Some("+8613987654321".into()));
    restored.erased_at = Set(None);
    restored.update(&app.db).await.unwrap();
    assert_eq!(clientele::service::subject::reapply(&app.db).await.unwrap(), 1);
    assert_eq!(clientele::service::subject::reapply(&app.db).await.unwrap(), 0);
    let back = entity::customer::Entity::find_by_id(uuid).one(&app.db).await.unwrap().unwrap();
    assert_eq!((back.name.as_str(), back.phone, back.erased_at.is_some()), ("[erased]", None, true));
}

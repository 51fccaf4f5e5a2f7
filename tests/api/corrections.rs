//! Correction requests (纠错): recorded by staff, in the owner's follow-up queue until an
//! update writes every named field (or a close with a note), audited, validated.

use crate::helpers::{error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

const REQUEST: &str = "mutation($input: RequestCorrectionInput!) { requestCorrection(input: $input) {
    correctionRequest { id fields note closedAt } userErrors { field code message } } }";
const QUEUE: &str = "{ followUps(first: 20, filter: { reasons: [CORRECTION_REQUESTED] }) { totalCount nodes { customer { id } reasons } } }";

#[tokio::test]
async fn a_correction_request_waits_in_the_queue_until_an_update_writes_its_fields() {
    let app = spawn_app().await;
    let (rep, rep_token) = app.user(Role::Sales, None).await;
    let (_, service) = app.user(Role::Service, None).await;
    let owner = clientele::graphql::relay::global_id("User", rep);
    let c = app
        .create_customer(&app.admin_token, json!({ "name": "王芳", "phone": "13812345678", "ownerId": owner }))
        .await;

    // The service desk records it; the rep's queue shows it.
    let input = json!({ "customerId": c["id"], "fields": ["phone", "name"], "note": "手机号换了" });
    let body = app.gql(&service, REQUEST, json!({ "input": input })).await;
    let request = &body["data"]["requestCorrection"];
    assert_eq!(request["userErrors"], json!([]), "{body}");
    assert_eq!(request["correctionRequest"]["fields"], json!(["phone", "name"]));
    let body = app.gql(&rep_token, QUEUE, json!({})).await;
    assert_eq!(body["data"]["followUps"]["totalCount"], 1, "{body}");
    let reasons = &body["data"]["followUps"]["nodes"][0]["reasons"];
    assert!(reasons.as_array().unwrap().contains(&json!("CORRECTION_REQUESTED")), "{body}");

    // An update of one of the two fields leaves it open; of both, settles it.
    let update = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { version } userErrors { code } } }";
    let body = app
        .gql(&rep_token, update, json!({ "input": { "id": c["id"], "expectedVersion": 1, "phone": "13987654321" } }))
        .await;
    assert_eq!(body["data"]["updateCustomer"]["customer"]["version"], 2, "{body}");
    assert_eq!(app.gql(&rep_token, QUEUE, json!({})).await["data"]["followUps"]["totalCount"], 1);
    let input = json!({ "id": c["id"], "expectedVersion": 2, "phone": "13987654321", "name": "王芳芳" });
    let body = app.gql(&rep_token, update, json!({ "input": input })).await;
    assert_eq!(body["data"]["updateCustomer"]["customer"]["version"], 3, "{body}");
    assert_eq!(app.gql(&rep_token, QUEUE, json!({})).await["data"]["followUps"]["totalCount"], 0);
    let q = "query($id: ID!) { customer(id: $id) { correctionRequests { closedAt closingNote closedBy { id } } open: correctionRequests(open: true) { id } } }";
    let body = app.gql(&rep_token, q, json!({ "id": c["id"] })).await;
    let settled = &body["data"]["customer"]["correctionRequests"][0];
    assert!(settled["closedAt"].is_string(), "{body}");
    assert_eq!(settled["closingNote"], "corrected by an update");
    assert_eq!(settled["closedBy"]["id"], json!(owner.0));
    assert_eq!(body["data"]["customer"]["open"], json!([]));

    // Closed by hand with a note; closing twice is refused.
    let input = json!({ "customerId": c["id"], "fields": ["address"] });
    let body = app.gql(&service, REQUEST, json!({ "input": input })).await;
    let id = body["data"]["requestCorrection"]["correctionRequest"]["id"].clone();
    let close = "mutation($input: CloseCorrectionRequestInput!) { closeCorrectionRequest(input: $input) {
        correctionRequest { closedAt closingNote } userErrors { field code } } }";
    let body = app.gql(&rep_token, close, json!({ "input": { "id": id, "note": "地址无误" } })).await;
    assert_eq!(body["data"]["closeCorrectionRequest"]["correctionRequest"]["closingNote"], "地址无误", "{body}");
    let body = app.gql(&rep_token, close, json!({ "input": { "id": id } })).await;
    assert_eq!(
        body["data"]["closeCorrectionRequest"]["userErrors"],
        json!([{ "field": ["input", "id"], "code": "INVALID_STATE" }]),
        "{body}"
    );

    // Bad input changes nothing: unknown fields, none, a customer the caller does not see.
    let before = app.count("correction_requests").await;
    for (input, field) in [
        (json!({ "customerId": c["id"], "fields": ["salary"] }), json!(["input", "fields", "0"])),
        (json!({ "customerId": c["id"], "fields": [] }), json!(["input", "fields"])),
    ] {
        let body = app.gql(&service, REQUEST, json!({ "input": input })).await;
        assert_eq!(body["data"]["requestCorrection"]["userErrors"][0]["field"], field, "{body}");
    }
    let (_, stranger) = app.user(Role::Sales, None).await;
    let body = app.gql(&stranger, REQUEST, json!({ "input": { "customerId": c["id"], "fields": ["name"] } })).await;
    assert_eq!(body["data"]["requestCorrection"]["userErrors"][0]["code"], "NOT_FOUND", "{body}");
    let (_, analyst) = app.user(Role::Analyst, None).await;
    let body = app.gql(&analyst, REQUEST, json!({ "input": { "customerId": c["id"], "fields": ["name"] } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(app.count("correction_requests").await, before);

    // Audited.
    let events = app
        .gql(
            &app.admin_token,
            "{ auditEvents(first: 50, filter: { recordType: \"CorrectionRequest\" }) { nodes { action } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&Value> =
        events["data"]["auditEvents"]["nodes"].as_array().unwrap().iter().map(|e| &e["action"]).collect();
    assert_eq!(actions, [&json!("close"), &json!("create"), &json!("close"), &json!("create")], "{events}");
}

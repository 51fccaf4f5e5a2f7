//! Record actions: idempotent retries, batches, pipeline and service-desk workflows,
//! surveys, tags, reports.

use crate::helpers::{error_code, spawn_app};
use crate::records::{customer, mutate};
use serde_json::{Value, json};

#[tokio::test]
async fn a_retry_with_the_same_key_replays_and_a_reused_key_is_refused() {
    let app = spawn_app().await;
    let c = customer(&app, "Retry Ltd").await;
    let input = json!({ "clientMutationId": "req-1", "customerId": c, "title": "Once", "amount": "10" });
    let first = mutate(&app, "createDeal", "CreateDealInput", input.clone(), "deal { id version }").await;
    let second = mutate(&app, "createDeal", "CreateDealInput", input, "deal { id version }").await;
    assert_eq!(first["deal"]["id"], second["deal"]["id"]);
    assert_eq!(second["clientMutationId"], "req-1");
    assert_eq!(app.count("deals").await, 1);
    let other = mutate(
        &app,
        "createDeal",
        "CreateDealInput",
        json!({ "clientMutationId": "req-1", "customerId": c, "title": "Twice", "amount": "10" }),
        "deal { id }",
    )
    .await;
    assert_eq!(other["userErrors"][0]["code"], "IDEMPOTENCY_KEY_REUSED");
    assert_eq!(app.count("deals").await, 1);
    // The same key for customers: replayed, not duplicated.
    let make = json!({ "clientMutationId": "cust-1", "name": "Once Only" });
    let a = mutate(&app, "createCustomer", "CreateCustomerInput", make.clone(), "customer { id code }").await;
    let b = mutate(&app, "createCustomer", "CreateCustomerInput", make, "customer { id code }").await;
    assert_eq!(a["customer"], b["customer"]);
}

#[tokio::test]
async fn batch_create_is_all_or_nothing_and_points_at_the_item() {
    let app = spawn_app().await;
    let bad = mutate(
        &app,
        "createCustomers",
        "CreateCustomersInput",
        json!({ "items": [{ "name": "Ok" }, { "name": "Bad", "phone": "123" }] }),
        "customers { id }",
    )
    .await;
    assert_eq!(bad["customers"], Value::Null);
    assert_eq!(bad["userErrors"][0]["field"], json!(["input", "items", "1", "phone"]));
    assert_eq!(app.count("customers").await, 0);
    let good = mutate(
        &app,
        "createCustomers",
        "CreateCustomersInput",
        json!({ "items": [{ "name": "A" }, { "name": "B" }, { "name": "C" }] }),
        "customers { id code }",
    )
    .await;
    assert_eq!(good["customers"].as_array().unwrap().len(), 3);
    let c = good["customers"][0]["id"].clone();
    let contacts = mutate(
        &app,
        "createContacts",
        "CreateContactsInput",
        json!({ "items": [{ "customerId": c, "name": "X" }, { "customerId": c, "name": "Y" }] }),
        "contacts { id }",
    )
    .await;
    assert_eq!(contacts["contacts"].as_array().unwrap().len(), 2);
    let purchases = mutate(&app, "createPurchases", "CreatePurchasesInput", json!({ "items": [{ "customerId": c, "product": "Tea", "amount": "0.10" }, { "customerId": c, "product": "Tea", "amount": "0.20" }] }), "purchases { amount }").await;
    assert_eq!(purchases["userErrors"], json!([]));
    let interactions = mutate(
        &app,
        "createInteractions",
        "CreateInteractionsInput",
        json!({ "items": [{ "customerId": c, "channel": "EMAIL", "summary": "Hello" }] }),
        "interactions { id }",
    )
    .await;
    assert_eq!(interactions["interactions"].as_array().unwrap().len(), 1);
    let too_many: Vec<Value> = (0..101).map(|i| json!({ "name": format!("N{i}") })).collect();
    let body = app
        .gql(
            &app.admin_token,
            "mutation($i: CreateCustomersInput!) { createCustomers(input: $i) { customers { id } } }",
            json!({ "i": { "items": too_many } }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn deals_move_through_stages_and_lost_needs_a_reason() {
    let app = spawn_app().await;
    let c = customer(&app, "Pipeline").await;
    let d = mutate(
        &app,
        "createDeal",
        "CreateDealInput",
        json!({ "customerId": c, "title": "Deal", "amount": "100" }),
        "deal { id stage probability }",
    )
    .await;
    assert_eq!(d["deal"]["stage"], "LEAD");
    assert_eq!(d["deal"]["probability"], 10);
    let id = d["deal"]["id"].clone();
    let lost = mutate(
        &app,
        "moveDealStage",
        "MoveDealStageInput",
        json!({ "id": id, "expectedVersion": 1, "stage": "LOST" }),
        "deal { stage }",
    )
    .await;
    assert_eq!(lost["userErrors"][0]["code"], "REQUIRED");
    let won = mutate(
        &app,
        "moveDealStage",
        "MoveDealStageInput",
        json!({ "id": id, "expectedVersion": 1, "stage": "WON" }),
        "deal { stage probability closedAt version }",
    )
    .await;
    assert_eq!(won["deal"]["stage"], "WON");
    assert_eq!(won["deal"]["probability"], 100);
    assert!(won["deal"]["closedAt"].is_string());
}

#[tokio::test]
async fn tickets_are_numbered_assigned_and_resolved() {
    let app = spawn_app().await;
    let c = customer(&app, "Service").await;
    let t = mutate(
        &app,
        "createTicket",
        "CreateTicketInput",
        json!({ "customerId": c, "subject": "Help", "category": "QUESTION" }),
        "ticket { id code status priority }",
    )
    .await;
    let today = chrono::Utc::now().format("%Y%m%d").to_string();
    assert_eq!(t["ticket"]["code"], format!("T{today}001"));
    assert_eq!(t["ticket"]["priority"], "NORMAL");
    let id = t["ticket"]["id"].clone();
    let viewer = app.gql(&app.admin_token, "{ viewer { id } }", json!({})).await["data"]["viewer"]["id"].clone();
    let assigned = mutate(
        &app,
        "assignTicket",
        "AssignTicketInput",
        json!({ "id": id, "expectedVersion": 1, "assigneeId": viewer }),
        "ticket { status assignee { id } }",
    )
    .await;
    assert_eq!(assigned["ticket"]["status"], "IN_PROGRESS");
    assert_eq!(assigned["ticket"]["assignee"]["id"], viewer);
    let resolved = mutate(
        &app,
        "resolveTicket",
        "ResolveTicketInput",
        json!({ "id": id, "expectedVersion": 2, "resolution": "Restarted" }),
        "ticket { status resolution resolvedAt firstResponseAt }",
    )
    .await;
    assert_eq!(resolved["ticket"]["status"], "RESOLVED");
    assert_eq!(resolved["ticket"]["resolution"], "Restarted");
    assert!(resolved["ticket"]["resolvedAt"].is_string());
    let again = mutate(
        &app,
        "resolveTicket",
        "ResolveTicketInput",
        json!({ "id": id, "expectedVersion": 3, "resolution": "Again" }),
        "ticket { status }",
    )
    .await;
    assert_eq!(again["userErrors"][0]["code"], "INVALID_STATE");
}

#[tokio::test]
async fn survey_responses_are_checked_against_the_questions_and_scored() {
    let app = spawn_app().await;
    let c = customer(&app, "Respondent").await;
    let s = mutate(
        &app,
        "createSurvey",
        "CreateSurveyInput",
        json!({ "title": "NPS", "kind": "NPS", "status": "ACTIVE", "questions": [
        { "key": "nps", "kind": "RATING", "text": "Recommend us?", "range": { "min": 0, "max": 10 }, "required": true },
        { "key": "area", "kind": "CHOICE", "text": "Best area?", "options": ["price", "service"] } ] }),
        "survey { id questions { key kind } }",
    )
    .await;
    let sid = s["survey"]["id"].clone();
    let bad = mutate(&app, "submitSurveyResponse", "SubmitSurveyResponseInput", json!({ "surveyId": sid, "customerId": c, "answers": [{ "key": "nps", "rating": 11 }, { "key": "area", "choices": ["speed"] }] }), "surveyResponse { id }").await;
    assert_eq!(bad["userErrors"].as_array().unwrap().len(), 2, "{bad}");
    assert_eq!(app.count("survey_responses").await, 0);
    let ok = mutate(&app, "submitSurveyResponse", "SubmitSurveyResponseInput", json!({ "surveyId": sid, "customerId": c, "answers": [{ "key": "nps", "rating": 9 }, { "key": "area", "choices": ["service"] }] }), "surveyResponse { score answers { key rating choices } survey { title } customer { name } }").await;
    assert_eq!(ok["surveyResponse"]["score"], 9.0);
    assert_eq!(ok["surveyResponse"]["customer"]["name"], "Respondent");
    let locked = mutate(
        &app,
        "updateSurvey",
        "UpdateSurveyInput",
        json!({ "id": sid, "expectedVersion": 1, "questions": [{ "key": "x", "kind": "TEXT", "text": "?" }] }),
        "survey { id }",
    )
    .await;
    assert_eq!(locked["userErrors"][0]["code"], "INVALID_STATE");
}

#[tokio::test]
async fn tags_go_on_and_off_and_filter_customers() {
    let app = spawn_app().await;
    let c = customer(&app, "Tagged").await;
    customer(&app, "Untagged").await;
    let vip = mutate(&app, "createTag", "CreateTagInput", json!({ "name": "VIP", "dimension": "value" }), "tag { id }")
        .await["tag"]["id"]
        .clone();
    let dup =
        mutate(&app, "createTag", "CreateTagInput", json!({ "name": "VIP", "dimension": "VALUE" }), "tag { id }").await;
    assert_eq!(dup["userErrors"][0]["code"], "ALREADY_EXISTS");
    let added = mutate(
        &app,
        "addTags",
        "CustomerTagsInput",
        json!({ "customerId": c, "tagIds": [vip] }),
        "customer { version tags { name } }",
    )
    .await;
    assert_eq!(added["customer"]["tags"], json!([{ "name": "VIP" }]));
    assert_eq!(added["customer"]["version"], 2);
    let body = app
        .gql(
            &app.admin_token,
            "{ customers(filter: { hasTag: { name: { eq: \"VIP\" } } }) { nodes { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["customers"]["nodes"], json!([{ "name": "Tagged" }]));
    let removed = mutate(
        &app,
        "removeTags",
        "CustomerTagsInput",
        json!({ "customerId": c, "tagIds": [vip] }),
        "customer { tags { name } }",
    )
    .await;
    assert_eq!(removed["customer"]["tags"], json!([]));
}

#[tokio::test]
async fn users_list_what_they_own_within_the_callers_scope() {
    let app = spawn_app().await;
    let (rep, rep_token) = app.user(entity::enums::Role::Sales, None).await;
    let (_, other_token) = app.user(entity::enums::Role::Sales, None).await;
    let owner = clientele::graphql::relay::global_id("User", rep);
    for name in ["Mine A", "Mine B"] {
        let c = app.create_customer(&app.admin_token, json!({ "name": name, "ownerId": owner })).await;
        mutate(
            &app,
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": c["id"], "title": "D", "amount": "1", "ownerId": owner }),
            "deal { id }",
        )
        .await;
    }
    let mine = app.gql(&rep_token, "{ viewer { customers { totalCount nodes { name } } deals { totalCount } assignedTickets { totalCount } } }", json!({})).await;
    assert_eq!(mine["data"]["viewer"]["customers"]["totalCount"], 2, "{mine}");
    assert_eq!(mine["data"]["viewer"]["deals"]["totalCount"], 2);
    assert_eq!(mine["data"]["viewer"]["assignedTickets"]["totalCount"], 0);
    let theirs = app
        .gql(
            &other_token,
            "query($u: ID!) { node(id: $u) { ... on User { customers { totalCount } deals { totalCount } } } }",
            json!({ "u": owner }),
        )
        .await;
    assert_eq!(theirs["data"]["node"]["customers"]["totalCount"], 0, "another rep's customers stay hidden: {theirs}");
    assert_eq!(theirs["data"]["node"]["deals"]["totalCount"], 0);
}

#[tokio::test]
async fn the_pipeline_sums_deals_by_stage_exactly() {
    let app = spawn_app().await;
    let c = customer(&app, "Pipeline Co").await;
    for (amount, stage) in [("0.10", "LEAD"), ("0.20", "LEAD"), ("100", "PROPOSAL")] {
        mutate(
            &app,
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": c, "title": "D", "amount": amount, "stage": stage }),
            "deal { id }",
        )
        .await;
    }
    let body = app.gql(&app.admin_token, "{ dealsByStage { stage currency count amount } }", json!({})).await;
    assert_eq!(
        body["data"]["dealsByStage"],
        json!([{ "stage": "LEAD", "currency": "CNY", "count": 2, "amount": "0.3" }, { "stage": "PROPOSAL", "currency": "CNY", "count": 1, "amount": "100" }]),
        "{body}"
    );
    let (_, service) = app.user(entity::enums::Role::Service, None).await;
    let hidden = app.gql(&service, "{ dealsByStage { stage count amount } }", json!({})).await;
    assert_eq!(hidden["data"]["dealsByStage"][0]["count"], 2);
    assert_eq!(hidden["data"]["dealsByStage"][0]["amount"], Value::Null);
    assert_eq!(error_code(&hidden), "FORBIDDEN");
}

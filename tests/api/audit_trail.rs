//! `auditEvents`: who did what to which record, when, in which request — every event for
//! admins, their team's records and people for managers, nothing for other roles.

use crate::helpers::{error_code, spawn_app};
use entity::enums::Role;
use serde_json::{Value, json};

const EVENTS: &str = "query($f: AuditEventFilter) { auditEvents(first: 50, filter: $f) {
    totalCount nodes { action recordType recordId fields requestId at actor { id } changes { field old new } } } }";

fn events(body: &Value) -> Vec<(String, String, Value)> {
    body["data"]["auditEvents"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["recordType"].as_str().unwrap().to_owned(),
                e["fields"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn admins_read_every_event_managers_their_teams_and_others_none() {
    let app = spawn_app().await;
    let team = app
        .gql(&app.admin_token, "mutation { createTeam(input: { name: \"East\" }) { team { id } } }", json!({}))
        .await;
    let team = team["data"]["createTeam"]["team"]["id"].as_str().unwrap().to_owned();
    let team = clientele::graphql::relay::parse_global_id(&async_graphql::ID(team)).unwrap().1;
    let (_, manager) = app.user(Role::Manager, Some(team)).await;
    let (rep, rep_token) = app.user(Role::Sales, Some(team)).await;
    let (other, other_token) = app.user(Role::Sales, None).await;
    let gid = |id| clientele::graphql::relay::global_id("User", id);
    let ours = app.create_customer(&app.admin_token, json!({ "name": "我们的客户", "ownerId": gid(rep) })).await;
    let theirs = app.create_customer(&app.admin_token, json!({ "name": "别人的客户", "ownerId": gid(other) })).await;
    let update = "mutation($id: ID!) { updateCustomer(input: { id: $id, expectedVersion: 1, notes: \"回访\" }) { customer { version } } }";
    let body = app.gql(&rep_token, update, json!({ "id": ours["id"] })).await;
    assert_eq!(body["data"]["updateCustomer"]["customer"]["version"], 2, "{body}");
    let body = app.gql(&other_token, update, json!({ "id": theirs["id"] })).await;
    assert_eq!(body["data"]["updateCustomer"]["customer"]["version"], 2, "{body}");

    // The admin: both customers' events, filtered by record and by action.
    let body = app.gql(&app.admin_token, EVENTS, json!({ "f": { "recordId": ours["id"] } })).await;
    let got = events(&body);
    assert_eq!(
        got,
        [("update".into(), "Customer".into(), json!(["notes"])), ("create".into(), "Customer".into(), json!(["*"]))],
        "newest first: {body}"
    );
    let node = &body["data"]["auditEvents"]["nodes"][0];
    assert_eq!(node["recordId"], ours["id"]);
    assert_eq!(node["actor"]["id"], json!(gid(rep).0));
    assert!(node["requestId"].as_str().is_some_and(|r| !r.is_empty()), "{body}");
    assert_eq!(node["changes"], json!([{ "field": "notes", "old": null, "new": "回访" }]), "{body}");
    assert_eq!(body["data"]["auditEvents"]["nodes"][1]["changes"], json!([]), "a create lists no changes");

    // A reassignment and a new amount: old → new, the amount as its decimal.
    let input = json!({ "customerId": ours["id"], "title": "年度合同", "amount": "1200.50" });
    let deal = app
        .gql(
            &app.admin_token,
            "mutation($i: CreateDealInput!) { createDeal(input: $i) { deal { id } } }",
            json!({ "i": input }),
        )
        .await;
    let deal = deal["data"]["createDeal"]["deal"]["id"].clone();
    let change = json!({ "id": deal, "expectedVersion": 1, "amount": "1300", "title": "年度合同" });
    let body = app
        .gql(
            &app.admin_token,
            "mutation($i: UpdateDealInput!) { updateDeal(input: $i) { deal { version } } }",
            json!({ "i": change }),
        )
        .await;
    assert_eq!(body["data"]["updateDeal"]["deal"]["version"], 2, "{body}");
    let body = app.gql(&app.admin_token, EVENTS, json!({ "f": { "recordId": deal, "action": "update" } })).await;
    let changes = &body["data"]["auditEvents"]["nodes"][0]["changes"];
    assert_eq!(
        changes,
        &json!([{ "field": "amount", "old": "1200.5", "new": "1300" }]),
        "unchanged fields are left out: {body}"
    );
    let body =
        app.gql(&app.admin_token, EVENTS, json!({ "f": { "action": "update", "recordType": "Customer" } })).await;
    assert_eq!(body["data"]["auditEvents"]["totalCount"], 2, "{body}");
    let later = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let body = app.gql(&app.admin_token, EVENTS, json!({ "f": { "from": later } })).await;
    assert_eq!(body["data"]["auditEvents"]["totalCount"], 0, "{body}");

    // The manager: their team's customer and people, not the other rep's customer.
    let body = app.gql(&manager, EVENTS, json!({ "f": { "recordType": "Customer" } })).await;
    let ids: Vec<&Value> =
        body["data"]["auditEvents"]["nodes"].as_array().unwrap().iter().map(|e| &e["recordId"]).collect();
    assert_eq!(ids, [&ours["id"], &ours["id"]], "{body}");
    let body = app.gql(&manager, EVENTS, json!({ "f": { "recordId": theirs["id"] } })).await;
    assert_eq!(body["data"]["auditEvents"]["totalCount"], 0, "{body}");

    // Everyone else: FORBIDDEN; a malformed ID: BAD_USER_INPUT.
    for role in [Role::Sales, Role::Service, Role::Marketing, Role::Analyst] {
        let (_, token) = app.user(role, None).await;
        let body = app.gql(&token, EVENTS, json!({})).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{role:?}: {body}");
    }
    let body = app.gql(&app.admin_token, EVENTS, json!({ "f": { "actorId": "not an id" } })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

#[tokio::test]
async fn a_records_history_shows_each_change_through_the_field_policy() {
    let app = spawn_app().await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "李雷", "phone": "13812345678" })).await;
    let update = "mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { version } } }";
    let input = json!({ "id": c["id"], "expectedVersion": 1, "phone": "13987654321" });
    assert_eq!(
        app.gql(&app.admin_token, update, json!({ "input": input })).await["data"]["updateCustomer"]["customer"]["version"],
        2
    );
    let input = json!({ "id": c["id"], "expectedVersion": 2, "notes": "喜欢早上联系" });
    assert_eq!(
        app.gql(&app.admin_token, update, json!({ "input": input })).await["data"]["updateCustomer"]["customer"]["version"],
        3
    );

    let history = "query($id: ID!, $fields: [String!]) { customer(id: $id) { history(first: 10, fields: $fields) {
        totalCount nodes { action changes { field old new } actor { id } } } } }";
    let body = app.gql(&app.admin_token, history, json!({ "id": c["id"] })).await;
    let h = &body["data"]["customer"]["history"];
    assert_eq!(h["totalCount"], 2, "the create is not a change: {body}");
    assert_eq!(h["nodes"][0]["changes"], json!([{ "field": "notes", "old": null, "new": "喜欢早上联系" }]));
    assert_eq!(
        h["nodes"][1]["changes"],
        json!([{ "field": "phone", "old": "+8613812345678", "new": "+8613987654321" }]),
        "{body}"
    );

    // Service staff see the phone masked and the notes in full, as on the record itself.
    let (_, service) = app.user(Role::Service, None).await;
    let body = app.gql(&service, history, json!({ "id": c["id"], "fields": ["phone"] })).await;
    let h = &body["data"]["customer"]["history"];
    assert_eq!(h["totalCount"], 1, "{body}");
    assert_eq!(
        h["nodes"][0]["changes"],
        json!([{ "field": "phone", "old": "138****5678", "new": "139****4321" }]),
        "{body}"
    );
    // Marketing may not read notes: the values are null.
    let (_, marketing) = app.user(Role::Marketing, None).await;
    app.gql(
        &app.admin_token,
        update,
        json!({ "input": { "id": c["id"], "expectedVersion": 3, "marketingConsent": true } }),
    )
    .await;
    let body = app.gql(&marketing, history, json!({ "id": c["id"], "fields": ["notes"] })).await;
    assert_eq!(
        body["data"]["customer"]["history"]["nodes"][0]["changes"],
        json!([{ "field": "notes", "old": null, "new": null }]),
        "{body}"
    );
    // A ticket keeps `history` for its status moves; its field history is `fieldHistory`.
    let open = "mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id } } }";
    let t = app
        .gql(
            &app.admin_token,
            open,
            json!({ "i": { "customerId": c["id"], "subject": "漏水", "category": "QUESTION" } }),
        )
        .await;
    let t = t["data"]["createTicket"]["ticket"]["id"].clone();
    let change = "mutation($i: UpdateTicketInput!) { updateTicket(input: $i) { ticket { version } } }";
    let body = app
        .gql(&app.admin_token, change, json!({ "i": { "id": t, "expectedVersion": 1, "subject": "严重漏水" } }))
        .await;
    assert_eq!(body["data"]["updateTicket"]["ticket"]["version"], 2, "{body}");
    let q = "query($id: ID!) { ticket(id: $id) { history { toStatus } fieldHistory { nodes { changes { field old new } } } } }";
    let body = app.gql(&app.admin_token, q, json!({ "id": t })).await;
    assert_eq!(body["data"]["ticket"]["history"], json!([{ "toStatus": "OPEN" }]), "{body}");
    assert_eq!(
        body["data"]["ticket"]["fieldHistory"]["nodes"][0]["changes"],
        json!([{ "field": "subject", "old": "漏水", "new": "严重漏水" }]),
        "{body}"
    );
    // A field name that is not one: BAD_USER_INPUT.
    let body = app.gql(&app.admin_token, history, json!({ "id": c["id"], "fields": ["pho%"] })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
}

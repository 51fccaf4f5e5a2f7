//! Service levels: the SLA policy as data, due times and routing on opening, the first
//! response from a communication record, the status history through resolve, reopen and
//! confirm, the return visit after a complaint, the team leads' queues, and the sweep
//! moved through time with an injected clock.

use crate::helpers::{TestApp, error_code, spawn_app};
use chrono::{DateTime, Duration, Utc};
use entity::enums::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const TICKET: &str = "id version status assignee { id } firstResponseDueAt resolutionDueAt firstResponseAt
    firstResponseBreached resolutionBreached breached timeToFirstResponse timeToResolution resolutionOutcome reopenCount
    history { fromStatus toStatus actor { id } }";

fn at(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("not a time: {v}"))).unwrap().with_timezone(&Utc)
}

async fn sql(app: &TestApp, statement: &str) {
    app.db.execute_raw(Statement::from_string(app.db.get_database_backend(), statement)).await.unwrap();
}

async fn open_ticket(app: &TestApp, token: &str, customer: &Value, priority: &str, category: &str) -> Value {
    let query = format!(
        "mutation($input: CreateTicketInput!) {{ createTicket(input: $input) {{ ticket {{ {TICKET} }} userErrors {{ field code }} }} }}"
    );
    let input =
        json!({ "customerId": customer["id"], "subject": "泵漏水", "category": category, "priority": priority });
    let body = app.gql(token, &query, json!({ "input": input })).await;
    assert_eq!(body["data"]["createTicket"]["userErrors"], json!([]), "{body}");
    body["data"]["createTicket"]["ticket"].clone()
}

async fn act(app: &TestApp, mutation: &str, input: Value) -> Value {
    let query = format!(
        "mutation($input: {}Input!) {{ {mutation}(input: $input) {{ ticket {{ {TICKET} }} userErrors {{ field code message }} }} }}",
        capitalized(mutation)
    );
    let body = app.gql(&app.admin_token, &query, json!({ "input": input })).await;
    assert_eq!(body["data"][mutation]["userErrors"], json!([]), "{mutation}: {body}");
    body["data"][mutation]["ticket"].clone()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

#[tokio::test]
async fn the_policy_is_data_admins_change_it_and_it_is_checked() {
    let app = spawn_app().await;
    let read = "{ slaPolicy { version timeZone calendar { workingDays startTime endTime holidays }
        targets { priority valueTier firstResponseHours resolutionHours businessHours } } }";
    let body = app.gql(&app.admin_token, read, json!({})).await;
    let policy = body["data"]["slaPolicy"].clone();
    assert_eq!(policy["version"], json!(0), "{body}");
    assert_eq!(policy["timeZone"], json!("Asia/Shanghai"));
    let urgent_high = policy["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["priority"] == json!("URGENT") && t["valueTier"] == json!("HIGH"))
        .cloned();
    assert_eq!(urgent_high.unwrap()["firstResponseHours"], json!(24.0));

    let update = "mutation($input: UpdateSlaPolicyInput!) { updateSlaPolicy(input: $input) {
        slaPolicy { version targets { priority firstResponseHours } } userErrors { field code } } }";
    let mut input = json!({ "expectedVersion": 0, "calendar": policy["calendar"], "targets": policy["targets"] });
    let (_, manager) = app.user(Role::Manager, None).await;
    assert_eq!(error_code(&app.gql(&manager, update, json!({ "input": input })).await), "FORBIDDEN");

    input["calendar"]["endTime"] = json!("08:00");
    input["targets"][1]["resolutionHours"] = json!(0.5);
    let body = app.gql(&app.admin_token, update, json!({ "input": input })).await;
    let fields: Vec<Value> =
        body["data"]["updateSlaPolicy"]["userErrors"].as_array().unwrap().iter().map(|e| e["field"].clone()).collect();
    assert!(fields.contains(&json!(["input", "calendar", "endTime"])), "{body}");
    assert!(fields.contains(&json!(["input", "targets", "1", "resolutionHours"])), "{body}");

    input["calendar"]["endTime"] = json!("18:00");
    input["targets"][1]["resolutionHours"] = json!(30.0);
    let body = app.gql(&app.admin_token, update, json!({ "input": input.clone() })).await;
    assert_eq!(body["data"]["updateSlaPolicy"]["slaPolicy"]["version"], json!(1), "{body}");
    let stale = app.gql(&app.admin_token, update, json!({ "input": input })).await;
    assert_eq!(stale["data"]["updateSlaPolicy"]["userErrors"][0]["code"], json!("STALE_VERSION"), "{stale}");
}

#[tokio::test]
async fn an_urgent_ticket_of_a_high_value_customer_is_due_in_a_day_and_goes_to_the_least_loaded_senior() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "华兴机械" })).await;
    let (busy, _) = app.user(Role::Service, None).await;
    let (free, _) = app.user(Role::Service, None).await;
    let (junior, _) = app.user(Role::Service, None).await;
    for user in [busy, free] {
        let update =
            "mutation($input: UpdateUserInput!) { updateUser(input: $input) { user { senior } userErrors { code } } }";
        let input =
            json!({ "id": clientele::graphql::relay::global_id("User", user).0, "expectedVersion": 1, "senior": true });
        let body = app.gql(&app.admin_token, update, json!({ "input": input })).await;
        assert_eq!(body["data"]["updateUser"]["user"]["senior"], json!(true), "{body}");
    }
    let other = app.create_customer(&app.admin_token, json!({ "name": "其他" })).await;
    let load = open_ticket(&app, &app.admin_token, &other, "NORMAL", "INCIDENT").await;
    act(&app, "assignTicket", json!({ "id": load["id"], "expectedVersion": load["version"], "assigneeId": clientele::graphql::relay::global_id("User", busy).0 })).await;
    let _ = junior;

    // Not yet HIGH value: the priority's default target, in working hours; nobody routed.
    let routine = open_ticket(&app, &app.admin_token, &customer, "URGENT", "INCIDENT").await;
    assert_eq!(routine["assignee"], Value::Null, "{routine}");
    sql(&app, "UPDATE customers SET value_tier = 'HIGH'").await;
    let ticket = open_ticket(&app, &app.admin_token, &customer, "URGENT", "INCIDENT").await;
    let history = &ticket["history"];
    assert_eq!(
        history,
        &json!([{ "fromStatus": null, "toStatus": "OPEN", "actor": { "id": clientele::graphql::relay::global_id("User", app.admin).0 } }])
    );
    let due = at(&ticket["firstResponseDueAt"]);
    let now = Utc::now();
    assert!(due > now + Duration::hours(23) && due <= now + Duration::hours(24), "{ticket}");
    assert_eq!(at(&ticket["resolutionDueAt"]) - due, Duration::hours(48));
    assert_eq!(
        ticket["assignee"]["id"],
        json!(clientele::graphql::relay::global_id("User", free).0),
        "least-loaded senior: {ticket}"
    );
    assert_eq!(ticket["breached"], json!(false));
}

#[tokio::test]
async fn a_ticket_moves_through_its_life_with_history_first_response_and_outcome() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "李雷" })).await;
    let ticket = open_ticket(&app, &app.admin_token, &customer, "HIGH", "COMPLAINT").await;
    let id = ticket["id"].clone();

    // A communication record about the ticket is its first response.
    let log = "mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { interaction { ticket { id } } userErrors { field code } } }";
    let body = app.gql(&app.admin_token, log, json!({ "input": { "customerId": customer["id"], "ticketId": id, "channel": "PHONE", "summary": "回电致歉" } })).await;
    assert_eq!(body["data"]["createInteraction"]["interaction"]["ticket"]["id"], id, "{body}");
    let other = app.create_customer(&app.admin_token, json!({ "name": "别人" })).await;
    let body = app
        .gql(
            &app.admin_token,
            log,
            json!({ "input": { "customerId": other["id"], "ticketId": id, "channel": "PHONE", "summary": "x" } }),
        )
        .await;
    assert_eq!(body["data"]["createInteraction"]["userErrors"][0]["field"], json!(["input", "ticketId"]), "{body}");

    let read = format!("query($id: ID!) {{ node(id: $id) {{ ... on Ticket {{ {TICKET} }} }} }}");
    let ticket = app.gql(&app.admin_token, &read, json!({ "id": id })).await["data"]["node"].clone();
    assert!(ticket["firstResponseAt"].is_string(), "{ticket}");
    assert!(ticket["timeToFirstResponse"].as_str().unwrap().starts_with("PT"), "{ticket}");
    assert_eq!(ticket["firstResponseBreached"], json!(false));

    let t = act(
        &app,
        "resolveTicket",
        json!({ "id": id, "expectedVersion": ticket["version"], "resolution": "更换密封圈" }),
    )
    .await;
    assert_eq!(t["status"], json!("RESOLVED"));
    assert!(t["timeToResolution"].is_string());
    // A resolved complaint makes its customer due a return visit.
    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { node(id: $id) { ... on Customer { nextFollowUpAt } } }",
            json!({ "id": customer["id"] }),
        )
        .await;
    assert!(body["data"]["node"]["nextFollowUpAt"].is_string(), "{body}");

    let t = act(&app, "reopenTicket", json!({ "id": id, "expectedVersion": t["version"], "reason": "又漏了" })).await;
    assert_eq!(
        (t["status"].clone(), t["resolutionOutcome"].clone(), t["reopenCount"].clone()),
        (json!("OPEN"), json!("REOPENED"), json!(1))
    );
    let t = act(&app, "resolveTicket", json!({ "id": id, "expectedVersion": t["version"], "resolution": "更换泵体" }))
        .await;
    assert_eq!(t["resolutionOutcome"], Value::Null, "awaiting the customer again");
    let t = act(&app, "confirmTicketResolution", json!({ "id": id, "expectedVersion": t["version"] })).await;
    assert_eq!((t["status"].clone(), t["resolutionOutcome"].clone()), (json!("CLOSED"), json!("CONFIRMED")));
    let moves: Vec<(Value, Value)> =
        t["history"].as_array().unwrap().iter().map(|h| (h["fromStatus"].clone(), h["toStatus"].clone())).collect();
    assert_eq!(
        moves,
        [
            (Value::Null, json!("OPEN")),
            (json!("OPEN"), json!("RESOLVED")),
            (json!("RESOLVED"), json!("OPEN")),
            (json!("OPEN"), json!("RESOLVED")),
            (json!("RESOLVED"), json!("CLOSED"))
        ]
        .map(|(a, b)| (a, b))
    );
    // Only a resolved or closed ticket reopens; only a resolved one is confirmed.
    let query = "mutation($input: ConfirmTicketResolutionInput!) { confirmTicketResolution(input: $input) { ticket { id } userErrors { code } } }";
    let body =
        app.gql(&app.admin_token, query, json!({ "input": { "id": id, "expectedVersion": t["version"] } })).await;
    assert_eq!(body["data"]["confirmTicketResolution"]["userErrors"][0]["code"], json!("INVALID_STATE"), "{body}");
}

#[tokio::test]
async fn time_passing_flags_breaches_closes_unanswered_resolutions_and_fills_the_queues() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "韩梅梅" })).await;
    let late = open_ticket(&app, &app.admin_token, &customer, "NORMAL", "INCIDENT").await;
    let resolved = open_ticket(&app, &app.admin_token, &customer, "LOW", "QUESTION").await;
    act(
        &app,
        "resolveTicket",
        json!({ "id": resolved["id"], "expectedVersion": resolved["version"], "resolution": "已答复" }),
    )
    .await;

    let queue = "query($within: Duration!) { overdueTickets { totalCount nodes { id } } ticketsAtRisk(within: $within) { totalCount nodes { id } } }";
    let body = app.gql(&app.admin_token, queue, json!({ "within": "P400D" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("up to a year"), "{body}");
    let body = app.gql(&app.admin_token, queue, json!({ "within": "P1M" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "months are ambiguous: {body}");
    let body = app.gql(&app.admin_token, queue, json!({ "within": "P30D" })).await;
    assert_eq!(body["data"]["overdueTickets"]["totalCount"], json!(0), "{body}");
    assert_eq!(body["data"]["ticketsAtRisk"]["nodes"], json!([{ "id": late["id"] }]), "{body}");
    let (_, sales) = app.user(Role::Sales, None).await;
    assert_eq!(error_code(&app.gql(&sales, queue, json!({ "within": "PT4H" })).await), "FORBIDDEN");

    // Thirty days on, by the injected clock.
    let later = Utc::now() + Duration::days(30);
    let swept = clientele::service::sla::job::run(&app.db, later).await.unwrap().expect("not taken elsewhere");
    assert_eq!(
        (swept.first_response_breaches, swept.resolution_breaches, swept.closed_without_answer),
        (1, 1, 1),
        "{swept:?}"
    );
    let again = clientele::service::sla::job::run(&app.db, later).await.unwrap().unwrap();
    assert_eq!(again, Default::default(), "a sweep changes each ticket once");

    let read = format!("query($id: ID!) {{ node(id: $id) {{ ... on Ticket {{ {TICKET} }} }} }}");
    let t = app.gql(&app.admin_token, &read, json!({ "id": late["id"] })).await["data"]["node"].clone();
    assert_eq!(
        (t["firstResponseBreached"].clone(), t["resolutionBreached"].clone(), t["breached"].clone()),
        (json!(true), json!(true), json!(true))
    );
    let t = app.gql(&app.admin_token, &read, json!({ "id": resolved["id"] })).await["data"]["node"].clone();
    assert_eq!((t["status"].clone(), t["resolutionOutcome"].clone()), (json!("CLOSED"), json!("NO_ANSWER")), "{t}");
    assert_eq!(t["history"].as_array().unwrap().last().unwrap()["actor"], Value::Null, "closed by the server");

    // The queues read the real clock: move the late ticket's due times into the past.
    sql(
        &app,
        "UPDATE tickets SET first_response_due_at = created_at, resolution_due_at = created_at WHERE status = 'OPEN'",
    )
    .await;
    let body = app.gql(&app.admin_token, queue, json!({ "within": "PT4H" })).await;
    assert_eq!(body["data"]["overdueTickets"]["nodes"], json!([{ "id": late["id"] }]), "{body}");
    assert_eq!(body["data"]["ticketsAtRisk"]["totalCount"], json!(0), "{body}");

    // A customer who becomes HIGH value gets the tighter targets at the next sweep.
    let fresh = open_ticket(&app, &app.admin_token, &customer, "URGENT", "INCIDENT").await;
    sql(&app, "UPDATE customers SET value_tier = 'HIGH'").await;
    let swept = clientele::service::sla::job::run(&app.db, Utc::now()).await.unwrap().unwrap();
    assert!(swept.retimed >= 1, "{swept:?}");
    let t = app.gql(&app.admin_token, &read, json!({ "id": fresh["id"] })).await["data"]["node"].clone();
    let opened_due = at(&t["resolutionDueAt"]) - at(&t["firstResponseDueAt"]);
    assert_eq!(opened_due, Duration::hours(48), "calendar targets of URGENT × HIGH: {t}");
}

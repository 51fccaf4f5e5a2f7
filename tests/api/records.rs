//! Every record type: CRUD, filters, orders, actions, batches, idempotency, batching.

use crate::helpers::{TestApp, error_code, spawn_app};
use serde_json::{Value, json};

/// Runs a mutation as the admin and returns its payload (asserting no top-level errors).
pub async fn mutate(app: &TestApp, name: &str, input_type: &str, input: Value, selection: &str) -> Value {
    mutate_as(app, &app.admin_token, name, input_type, input, selection).await
}

/// Runs a mutation as `token` and returns its payload (asserting no top-level errors).
pub async fn mutate_as(
    app: &TestApp,
    token: &str,
    name: &str,
    input_type: &str,
    input: Value,
    selection: &str,
) -> Value {
    let query = format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} userErrors {{ field code message }} clientMutationId }} }}"
    );
    let body = app.gql(token, &query, json!({ "input": input })).await;
    assert!(body["errors"].is_null(), "{name}: {body}");
    body["data"][name].clone()
}

pub async fn customer(app: &TestApp, name: &str) -> String {
    app.create_customer(&app.admin_token, json!({ "name": name })).await["id"].as_str().unwrap().to_string()
}

/// One record type's full lifecycle through the API.
struct Lifecycle<'a> {
    ty: &'a str,
    field: &'a str,
    root: &'a str,
    list: &'a str,
    create: Value,
    update: Value,
    check: (&'a str, Value),
}

async fn lifecycle(app: &TestApp, l: Lifecycle<'_>) {
    let ty = l.ty;
    let sel = format!("{} {{ id version {} }}", l.field, l.check.0);
    let created = mutate(app, &format!("create{ty}"), &format!("Create{ty}Input"), l.create, &sel).await;
    assert_eq!(created["userErrors"], json!([]), "create {ty}: {created}");
    let id = created[l.field]["id"].clone();
    assert_eq!(created[l.field]["version"], 1);

    let read = app
        .gql(
            &app.admin_token,
            &format!("query($id: ID!) {{ {}(id: $id) {{ id }} node(id: $id) {{ id }} }}", l.root),
            json!({ "id": id }),
        )
        .await;
    assert_eq!(read["data"][l.root]["id"], id, "{ty} by id: {read}");
    assert_eq!(read["data"]["node"]["id"], id);

    let mut update = l.update.clone();
    update["id"] = id.clone();
    update["expectedVersion"] = json!(1);
    let updated = mutate(app, &format!("update{ty}"), &format!("Update{ty}Input"), update.clone(), &sel).await;
    assert_eq!(updated["userErrors"], json!([]), "update {ty}: {updated}");
    assert_eq!(updated[l.field][l.check.0], l.check.1, "update {ty} changed {}", l.check.0);
    assert_eq!(updated[l.field]["version"], 2);

    let stale = mutate(app, &format!("update{ty}"), &format!("Update{ty}Input"), update, &sel).await;
    assert_eq!(stale["userErrors"][0]["code"], "STALE_VERSION", "{ty}: {stale}");
    assert_eq!(stale[l.field], Value::Null);

    let count_query = format!("{{ {}(first: 100) {{ totalCount }} }}", l.list);
    let before =
        app.gql(&app.admin_token, &count_query, json!({})).await["data"][l.list]["totalCount"].as_i64().unwrap();
    let deleted = mutate(app, &format!("delete{ty}"), &format!("Delete{ty}Input"), json!({ "id": id }), &sel).await;
    assert_eq!(deleted["userErrors"], json!([]), "delete {ty}: {deleted}");
    let after =
        app.gql(&app.admin_token, &count_query, json!({})).await["data"][l.list]["totalCount"].as_i64().unwrap();
    assert_eq!(after, before - 1, "{ty} hidden after delete");
    let restored = mutate(app, &format!("restore{ty}"), &format!("Restore{ty}Input"), json!({ "id": id }), &sel).await;
    assert_eq!(restored["userErrors"], json!([]), "restore {ty}: {restored}");
    let again =
        app.gql(&app.admin_token, &count_query, json!({})).await["data"][l.list]["totalCount"].as_i64().unwrap();
    assert_eq!(again, before, "{ty} back after restore");
}

#[tokio::test]
async fn every_record_type_goes_through_create_update_delete_and_restore() {
    let app = spawn_app().await;
    let c = customer(&app, "Acme").await;
    let campaign = mutate(
        &app,
        "createCampaign",
        "CreateCampaignInput",
        json!({ "name": "Expo", "kind": "EXHIBITION", "startsOn": "2026-05-01" }),
        "campaign { id }",
    )
    .await;
    let campaign = campaign["campaign"]["id"].clone();
    let cases = vec![
        Lifecycle {
            ty: "Contact",
            field: "contact",
            root: "contact",
            list: "contacts",
            create: json!({ "customerId": c, "name": "Li Lei", "email": "LI@acme.com" }),
            update: json!({ "title": "CTO" }),
            check: ("title", json!("CTO")),
        },
        Lifecycle {
            ty: "Interaction",
            field: "interaction",
            root: "interaction",
            list: "interactions",
            create: json!({ "customerId": c, "channel": "PHONE", "summary": "Intro call" }),
            update: json!({ "outcome": "keen" }),
            check: ("outcome", json!("keen")),
        },
        Lifecycle {
            ty: "Purchase",
            field: "purchase",
            root: "purchase",
            list: "purchases",
            create: json!({ "customerId": c, "product": "Seat", "amount": "99.50" }),
            update: json!({ "amount": "100.25" }),
            check: ("amount", json!("100.25")),
        },
        Lifecycle {
            ty: "Deal",
            field: "deal",
            root: "deal",
            list: "deals",
            create: json!({ "customerId": c, "title": "Renewal", "amount": "5000" }),
            update: json!({ "probability": 40 }),
            check: ("probability", json!(40)),
        },
        Lifecycle {
            ty: "Ticket",
            field: "ticket",
            root: "ticket",
            list: "tickets",
            create: json!({ "customerId": c, "subject": "Export fails", "category": "INCIDENT" }),
            update: json!({ "priority": "URGENT" }),
            check: ("priority", json!("URGENT")),
        },
        Lifecycle {
            ty: "Feedback",
            field: "feedback",
            root: "feedback",
            list: "feedbacks",
            create: json!({ "customerId": c, "kind": "PRAISE", "content": "Great support" }),
            update: json!({ "sentiment": "NEUTRAL" }),
            check: ("sentiment", json!("NEUTRAL")),
        },
        Lifecycle {
            ty: "Campaign",
            field: "campaign",
            root: "campaign",
            list: "campaigns",
            create: json!({ "name": "Webinar", "kind": "WEBINAR", "startsOn": "2026-06-01" }),
            update: json!({ "endsOn": "2026-06-02" }),
            check: ("endsOn", json!("2026-06-02")),
        },
        Lifecycle {
            ty: "CampaignParticipation",
            field: "campaignParticipation",
            root: "campaignParticipation",
            list: "campaignParticipations",
            create: json!({ "campaignId": campaign, "customerId": c }),
            update: json!({ "status": "ATTENDED" }),
            check: ("status", json!("ATTENDED")),
        },
        Lifecycle {
            ty: "Survey",
            field: "survey",
            root: "survey",
            list: "surveys",
            create: json!({ "title": "CSAT", "kind": "CSAT", "questions": [{ "key": "q", "kind": "RATING", "text": "How happy?", "range": { "min": 1, "max": 5 } }] }),
            update: json!({ "status": "ACTIVE" }),
            check: ("status", json!("ACTIVE")),
        },
        Lifecycle {
            ty: "Tag",
            field: "tag",
            root: "tag",
            list: "tags",
            create: json!({ "name": "VIP", "dimension": "Value", "color": "#FF0000" }),
            update: json!({ "color": "#00ff00" }),
            check: ("color", json!("#00ff00")),
        },
    ];
    for case in cases {
        lifecycle(&app, case).await;
    }
    // One audit row per write: the customer, the campaign, and four writes of each of
    // the ten types (the refused stale updates wrote nothing).
    assert_eq!(app.count("audit_events").await, 42);
}

#[tokio::test]
async fn invalid_fields_of_every_kind_are_user_errors() {
    let app = spawn_app().await;
    let c = customer(&app, "Acme").await;
    let cases = [
        ("createPurchase", "CreatePurchaseInput", json!({ "customerId": c, "product": "X", "amount": "-1" }), "amount"),
        (
            "createPurchase",
            "CreatePurchaseInput",
            json!({ "customerId": c, "product": "X", "amount": "1.00001" }),
            "amount",
        ),
        (
            "createPurchase",
            "CreatePurchaseInput",
            json!({ "customerId": c, "product": "X", "amount": "1", "currency": "XYZ" }),
            "currency",
        ),
        (
            "createPurchase",
            "CreatePurchaseInput",
            json!({ "customerId": c, "product": "X", "amount": "1", "purchasedAt": "2999-01-01" }),
            "purchasedAt",
        ),
        (
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": c, "title": "X", "amount": "1", "probability": 120 }),
            "probability",
        ),
        (
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": "Q3VzdG9tZXI6MDE5YzAwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAw", "title": "X", "amount": "1" }),
            "customerId",
        ),
        (
            "createCampaign",
            "CreateCampaignInput",
            json!({ "name": "X", "kind": "OTHER", "startsOn": "2026-05-02", "endsOn": "2026-05-01" }),
            "endsOn",
        ),
        ("createTag", "CreateTagInput", json!({ "name": "X", "dimension": "d", "color": "red" }), "color"),
        ("createContact", "CreateContactInput", json!({ "customerId": c, "name": "X", "phone": "12" }), "phone"),
        ("createSurvey", "CreateSurveyInput", json!({ "title": "X", "kind": "NPS", "questions": [] }), "questions"),
    ];
    for (name, ty, input, field) in cases {
        let payload = mutate(&app, name, ty, input.clone(), "__typename").await;
        let fields: Vec<&str> =
            payload["userErrors"].as_array().unwrap().iter().filter_map(|e| e["field"][1].as_str()).collect();
        assert!(fields.contains(&field), "{name} {input}: expected an error on {field}, got {payload}");
    }
    for table in ["purchases", "deals", "campaigns", "tags", "contacts", "surveys"] {
        assert_eq!(app.count(table).await, 0, "{table} must stay empty");
    }
}

#[tokio::test]
async fn filters_support_every_operator_and_related_records() {
    let app = spawn_app().await;
    let a = customer(&app, "Alpha Co").await;
    let b = customer(&app, "Beta Co").await;
    for (cid, title, amount, stage) in [
        (&a, "Big deal", "60000", "NEGOTIATION"),
        (&a, "Small deal", "500", "LEAD"),
        (&b, "Mid deal", "20000", "PROPOSAL"),
    ] {
        let d = mutate(&app, "createDeal", "CreateDealInput", json!({ "customerId": cid, "title": title, "amount": amount, "stage": stage, "expectedCloseDate": if title == "Mid deal" { Value::Null } else { json!("2026-12-31") } }), "deal { id }").await;
        assert_eq!(d["userErrors"], json!([]));
    }
    let deals = |f: Value| {
        let app = &app;
        async move {
            let body = app
                .gql(
                    &app.admin_token,
                    "query($f: DealFilter) { deals(filter: $f, orderBy: [{field: TITLE}]) { nodes { title } } }",
                    json!({ "f": f }),
                )
                .await;
            assert!(body["errors"].is_null(), "{body}");
            body["data"]["deals"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["title"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(deals(json!({ "title": { "eq": "Big deal" } })).await, ["Big deal"]);
    assert_eq!(deals(json!({ "stage": { "in": ["LEAD", "PROPOSAL"] } })).await, ["Mid deal", "Small deal"]);
    assert_eq!(deals(json!({ "title": { "contains": "ig" } })).await, ["Big deal"]);
    assert_eq!(deals(json!({ "title": { "startsWith": "Sm" } })).await, ["Small deal"]);
    assert_eq!(deals(json!({ "amount": { "gt": "20000" } })).await, ["Big deal"]);
    assert_eq!(deals(json!({ "amount": { "gte": "20000" } })).await, ["Big deal", "Mid deal"]);
    assert_eq!(deals(json!({ "amount": { "lt": "20000" } })).await, ["Small deal"]);
    assert_eq!(deals(json!({ "amount": { "lte": "500" } })).await, ["Small deal"]);
    assert_eq!(deals(json!({ "expectedCloseDate": { "isNull": true } })).await, ["Mid deal"]);
    assert_eq!(
        deals(json!({ "or": [{ "stage": { "eq": "LEAD" } }, { "amount": { "gt": "50000" } }] })).await,
        ["Big deal", "Small deal"]
    );
    assert_eq!(
        deals(json!({ "and": [{ "amount": { "gt": "100" } }, { "amount": { "lt": "30000" } }] })).await,
        ["Mid deal", "Small deal"]
    );
    assert_eq!(deals(json!({ "not": { "stage": { "eq": "LEAD" } } })).await, ["Big deal", "Mid deal"]);
    assert_eq!(deals(json!({ "customer": { "name": { "eq": "Beta Co" } } })).await, ["Mid deal"]);

    // Customers having an open deal above an amount.
    let body = app
        .gql(&app.admin_token, "{ customers(filter: { hasDeal: { stage: { in: [LEAD, QUALIFIED, PROPOSAL, NEGOTIATION] }, amount: { gt: \"50000\" } } }) { nodes { name } } }", json!({}))
        .await;
    assert_eq!(body["data"]["customers"]["nodes"], json!([{ "name": "Alpha Co" }]));
    // Customers with a complaint ticket in the last year.
    mutate(
        &app,
        "createTicket",
        "CreateTicketInput",
        json!({ "customerId": b, "subject": "Broken", "category": "COMPLAINT" }),
        "ticket { id }",
    )
    .await;
    let since = (chrono::Utc::now() - chrono::Duration::days(365)).to_rfc3339();
    let body = app
        .gql(&app.admin_token, "query($since: DateTime) { customers(filter: { hasTicket: { category: { eq: COMPLAINT }, openedAt: { gte: $since } } }) { nodes { name } } }", json!({ "since": since }))
        .await;
    assert_eq!(body["data"]["customers"]["nodes"], json!([{ "name": "Beta Co" }]), "{body}");
    // Money filters refuse more than four decimals.
    let bad =
        app.gql(&app.admin_token, "{ deals(filter: { amount: { gt: \"1.00001\" } }) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT");
}

#[tokio::test]
async fn deal_ordering_by_amount_walks_both_ways() {
    let app = spawn_app().await;
    let c = customer(&app, "Orders").await;
    for i in 0..9 {
        mutate(
            &app,
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": c, "title": format!("D{i}"), "amount": format!("{}", (i % 3) * 100) }),
            "deal { id }",
        )
        .await;
    }
    let q = "query($first: Int, $after: String, $last: Int, $before: String) { deals(first: $first, after: $after, last: $last, before: $before, orderBy: [{field: AMOUNT, direction: DESC}]) { nodes { title amount } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app.gql(&app.admin_token, q, json!({ "first": 2, "after": after })).await;
        let conn = &body["data"]["deals"];
        forward.extend(conn["nodes"].as_array().unwrap().iter().cloned());
        if !conn["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward.len(), 9);
    let amounts: Vec<f64> = forward.iter().map(|n| n["amount"].as_str().unwrap().parse().unwrap()).collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");
    let mut backward: Vec<Value> = Vec::new();
    let mut before = Value::Null;
    loop {
        let body = app.gql(&app.admin_token, q, json!({ "last": 2, "before": before })).await;
        let conn = &body["data"]["deals"];
        let mut page: Vec<Value> = conn["nodes"].as_array().unwrap().clone();
        page.extend(backward);
        backward = page;
        if !conn["pageInfo"]["hasPreviousPage"].as_bool().unwrap() {
            break;
        }
        before = conn["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, forward);
}

#[tokio::test]
async fn a_contact_of_another_customer_is_refused() {
    let app = spawn_app().await;
    let a = customer(&app, "A").await;
    let b = customer(&app, "B").await;
    let contact = mutate(
        &app,
        "createContact",
        "CreateContactInput",
        json!({ "customerId": a, "name": "Of A" }),
        "contact { id }",
    )
    .await["contact"]["id"]
        .clone();
    let wrong = mutate(
        &app,
        "createTicket",
        "CreateTicketInput",
        json!({ "customerId": b, "contactId": contact, "subject": "X", "category": "OTHER" }),
        "ticket { id }",
    )
    .await;
    assert_eq!(wrong["userErrors"][0]["field"], json!(["input", "contactId"]));
    assert_eq!(app.count("tickets").await, 0);
}

#[tokio::test]
async fn deleted_children_vanish_from_nested_connections_and_counts() {
    let app = spawn_app().await;
    let c = customer(&app, "Parent").await;
    let d = mutate(
        &app,
        "createDeal",
        "CreateDealInput",
        json!({ "customerId": c, "title": "Gone", "amount": "1" }),
        "deal { id }",
    )
    .await["deal"]["id"]
        .clone();
    mutate(
        &app,
        "createDeal",
        "CreateDealInput",
        json!({ "customerId": c, "title": "Kept", "amount": "1" }),
        "deal { id }",
    )
    .await;
    mutate(&app, "deleteDeal", "DeleteDealInput", json!({ "id": d }), "deal { id }").await;
    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { customer(id: $id) { deals { totalCount nodes { title } } } }",
            json!({ "id": c }),
        )
        .await;
    assert_eq!(body["data"]["customer"]["deals"], json!({ "totalCount": 1, "nodes": [{ "title": "Kept" }] }));
}

#[tokio::test]
async fn a_page_of_50_customers_with_contacts_deals_tickets_and_owner_costs_what_5_cost() {
    let app = spawn_app().await;
    let items: Vec<Value> = (0..50).map(|i| json!({ "name": format!("Load {i}") })).collect();
    let made =
        mutate(&app, "createCustomers", "CreateCustomersInput", json!({ "items": items }), "customers { id }").await;
    let ids: Vec<Value> = made["customers"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
    let contacts: Vec<Value> = ids.iter().map(|id| json!({ "customerId": id, "name": "C" })).collect();
    mutate(&app, "createContacts", "CreateContactsInput", json!({ "items": contacts }), "contacts { id }").await;
    for id in ids.iter().step_by(3) {
        mutate(
            &app,
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": id, "title": "D", "amount": "1" }),
            "deal { id }",
        )
        .await;
        mutate(
            &app,
            "createTicket",
            "CreateTicketInput",
            json!({ "customerId": id, "subject": "T", "category": "OTHER" }),
            "ticket { id }",
        )
        .await;
    }
    let q = "query($n: Int) { customers(first: $n) { nodes { owner { name } contacts { nodes { name } }
        deals(first: 5) { totalCount nodes { title owner { name } } } tickets(last: 3) { nodes { code } } } } }";
    let measure = |n: i64| {
        let app = &app;
        async move {
            let before = app.statements();
            let body = app.gql(&app.admin_token, q, json!({ "n": n })).await;
            assert!(body["errors"].is_null(), "{body}");
            app.statements() - before
        }
    };
    let small = measure(5).await;
    let large = measure(50).await;
    assert_eq!(small, large, "statements must depend on the query's shape only");
}

#[tokio::test]
async fn nested_connections_take_filters_and_orders() {
    let app = spawn_app().await;
    let c = customer(&app, "Nested").await;
    for (title, amount) in [("A", "300"), ("B", "100"), ("C", "200")] {
        mutate(
            &app,
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": c, "title": title, "amount": amount }),
            "deal { id }",
        )
        .await;
    }
    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { customer(id: $id) {
                cheap: deals(filter: { amount: { lt: \"250\" } }, orderBy: [{ field: AMOUNT }]) { totalCount nodes { title } }
                all: deals(orderBy: [{ field: TITLE, direction: DESC }], first: 2) { totalCount nodes { title } pageInfo { hasNextPage } } } }",
            json!({ "id": c }),
        )
        .await;
    let customer = &body["data"]["customer"];
    assert_eq!(customer["cheap"], json!({ "totalCount": 2, "nodes": [{ "title": "B" }, { "title": "C" }] }), "{body}");
    assert_eq!(customer["all"]["totalCount"], 3);
    assert_eq!(customer["all"]["nodes"], json!([{ "title": "C" }, { "title": "B" }]));
    assert_eq!(customer["all"]["pageInfo"]["hasNextPage"], true);
}

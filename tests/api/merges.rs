//! Merging duplicates: three customers with children merged into one (values chosen per
//! field, every child moved, the merged kept as tombstones that `node` resolves to the
//! survivor), a dry run that writes nothing, and an undo that restores every row exactly.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};

/// Runs `mutation` (`createDeal` …) with `input` as `token`; answers the payload.
async fn write(app: &TestApp, token: &str, mutation: &str, input: Value) -> Value {
    let ty =
        if mutation == "addTags" { "CustomerTags".to_owned() } else { mutation[..1].to_uppercase() + &mutation[1..] };
    let query = format!(
        "mutation($input: {ty}Input!) {{ {mutation}(input: $input) {{ userErrors {{ field code message }} }} }}"
    );
    let body = app.gql(token, &query, json!({ "input": input })).await;
    assert_eq!(body["data"][mutation]["userErrors"], json!([]), "{mutation}: {body}");
    body["data"][mutation].clone()
}

async fn id_of(app: &TestApp, token: &str, mutation: &str, field: &str, input: Value) -> String {
    let ty = mutation[..1].to_uppercase() + &mutation[1..];
    let query = format!(
        "mutation($input: {ty}Input!) {{ {mutation}(input: $input) {{ {field} {{ id }} userErrors {{ message }} }} }}"
    );
    let body = app.gql(token, &query, json!({ "input": input })).await;
    body["data"][mutation][field]["id"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned()
}

/// Every row the merge may touch, as the database holds it.
#[derive(Debug, PartialEq)]
struct Snapshot {
    customers: Vec<entity::customer::Model>,
    contacts: Vec<entity::contact::Model>,
    interactions: Vec<entity::interaction::Model>,
    purchases: Vec<entity::purchase::Model>,
    deals: Vec<entity::deal::Model>,
    tickets: Vec<entity::ticket::Model>,
    feedback: Vec<entity::feedback::Model>,
    participations: Vec<entity::campaign_participation::Model>,
    taggings: Vec<entity::customer_tag::Model>,
    reviews: Vec<entity::customer_review::Model>,
}

async fn snapshot(app: &TestApp) -> Snapshot {
    macro_rules! all {
        ($m:ident) => {
            entity::$m::Entity::find().order_by_asc(entity::$m::Column::Id).all(&app.db).await.unwrap()
        };
    }
    Snapshot {
        customers: all!(customer),
        contacts: all!(contact),
        interactions: all!(interaction),
        purchases: all!(purchase),
        deals: all!(deal),
        tickets: all!(ticket),
        feedback: all!(feedback),
        participations: all!(campaign_participation),
        taggings: all!(customer_tag),
        reviews: all!(customer_review),
    }
}

/// 张明 (the survivor), Zhang Ming and 张先生, each with records; the survivor and Zhang
/// Ming both in one campaign and both carrying one tag.
async fn three_with_children(app: &TestApp) -> [String; 3] {
    let t = &app.admin_token;
    let make = |input: Value| async move { app.create_customer(t, input).await["id"].as_str().unwrap().to_owned() };
    let s = make(json!({ "name": "张明", "phone": "13800138000", "companyName": "华兴" })).await;
    let m1 =
        make(json!({ "name": "Zhang Ming", "email": "zm@example.com", "region": "北京", "companyName": "华兴" })).await;
    let m2 = make(json!({ "name": "张先生", "phone": "13900139000" })).await;
    write(app, t, "createContact", json!({ "customerId": s, "name": "秘书" })).await;
    write(app, t, "createContact", json!({ "customerId": m1, "name": "助理" })).await;
    write(
        app,
        t,
        "createInteraction",
        json!({ "customerId": m1, "channel": "PHONE", "summary": "询价", "occurredAt": "2026-11-20T09:00:00Z" }),
    )
    .await;
    write(
        app,
        t,
        "createPurchase",
        json!({ "customerId": m2, "product": "泵", "amount": "1200", "purchasedAt": "2026-11-01" }),
    )
    .await;
    write(app, t, "createDeal", json!({ "customerId": m1, "title": "二期", "amount": "50000" })).await;
    write(app, t, "createTicket", json!({ "customerId": m2, "subject": "漏水", "category": "COMPLAINT" })).await;
    write(app, t, "createFeedback", json!({ "customerId": m1, "kind": "PRAISE", "content": "响应快" })).await;
    let campaign = id_of(
        app,
        t,
        "createCampaign",
        "campaign",
        json!({ "name": "展会", "kind": "EXHIBITION", "startsOn": "2026-12-01" }),
    )
    .await;
    for customer in [&s, &m1] {
        write(app, t, "createCampaignParticipation", json!({ "campaignId": campaign, "customerId": customer })).await;
    }
    let vip = id_of(app, t, "createTag", "tag", json!({ "name": "VIP", "dimension": "value" })).await;
    let north = id_of(app, t, "createTag", "tag", json!({ "name": "华北", "dimension": "region" })).await;
    write(app, t, "addTags", json!({ "customerId": s, "tagIds": [vip] })).await;
    write(app, t, "addTags", json!({ "customerId": m1, "tagIds": [vip, north] })).await;
    write(app, t, "markReviewed", json!({ "customerId": m2, "note": "核对" })).await;
    [s, m1, m2]
}

const MERGE: &str = "mutation($input: MergeCustomersInput!) { mergeCustomers(input: $input) {
    merge { id } dryRun survivor { id name email phone version } merged { id }
    moves { recordType moved kept } userErrors { field code message } } }";

const UNMERGE: &str = "mutation($input: UnmergeCustomersInput!) { unmergeCustomers(input: $input) {
    merge { undoneAt } survivor { id } merged { id } userErrors { field code } } }";

fn moves(payload: &Value) -> Vec<(String, u64, u64)> {
    payload["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (m["recordType"].as_str().unwrap().to_owned(), m["moved"].as_u64().unwrap(), m["kept"].as_u64().unwrap())
        })
        .filter(|m| m.1 + m.2 > 0)
        .collect()
}

#[tokio::test]
async fn a_merge_moves_every_child_and_its_undo_restores_every_row_exactly() {
    let app = spawn_app().await;
    let [s, m1, m2] = three_with_children(&app).await;
    let before = snapshot(&app).await;
    let input = json!({ "survivorId": s, "mergedIds": [m1, m2], "fieldChoices": [{ "field": "email", "from": m1 }] });

    let mut dry = input.clone();
    dry["dryRun"] = json!(true);
    let body = app.gql(&app.admin_token, MERGE, json!({ "input": dry })).await;
    let payload = &body["data"]["mergeCustomers"];
    assert_eq!(payload["dryRun"], json!(true), "{body}");
    assert_eq!(payload["merge"], Value::Null);
    assert_eq!(payload["survivor"]["email"], json!("zm@example.com"), "the preview takes the chosen field");
    let expected = vec![
        ("Contact".to_owned(), 1, 0),
        ("Interaction".to_owned(), 1, 0),
        ("Purchase".to_owned(), 1, 0),
        ("Deal".to_owned(), 1, 0),
        ("Ticket".to_owned(), 1, 0),
        ("Feedback".to_owned(), 1, 0),
        ("CampaignParticipation".to_owned(), 0, 1),
        ("Tagging".to_owned(), 1, 1),
        ("Review".to_owned(), 1, 0),
    ];
    assert_eq!(moves(payload), expected);
    assert_eq!(snapshot(&app).await, before, "a dry run writes nothing");

    let body = app.gql(&app.admin_token, MERGE, json!({ "input": input })).await;
    let payload = &body["data"]["mergeCustomers"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["survivor"]["email"], json!("zm@example.com"));
    assert_eq!(payload["survivor"]["phone"], json!("+8613800138000"));
    assert_eq!(moves(payload), expected);
    let merge_id = payload["merge"]["id"].clone();

    let body = app
        .gql(
            &app.admin_token,
            "query($id: ID!) { node(id: $id) { id ... on Customer { name
            interactions { totalCount } deals { totalCount } contacts { totalCount } tags { name } } } }",
            json!({ "id": m1 }),
        )
        .await;
    let node = &body["data"]["node"];
    assert_eq!(node["id"], json!(s), "a merged id answers the survivor: {body}");
    assert_eq!(node["interactions"]["totalCount"], json!(1));
    assert_eq!(node["deals"]["totalCount"], json!(1));
    assert_eq!(node["contacts"]["totalCount"], json!(2));
    let body = app.gql(&app.admin_token, "{ customers { totalCount } }", json!({})).await;
    assert_eq!(body["data"]["customers"]["totalCount"], json!(1), "the merged are tombstones");

    let body = app.gql(&app.admin_token, UNMERGE, json!({ "input": { "mergeId": merge_id } })).await;
    let payload = &body["data"]["unmergeCustomers"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert!(payload["merge"]["undoneAt"].is_string());
    assert_eq!(snapshot(&app).await, before, "every row as it was before the merge");

    let body = app.gql(&app.admin_token, UNMERGE, json!({ "input": { "mergeId": merge_id } })).await;
    assert_eq!(body["data"]["unmergeCustomers"]["userErrors"][0]["code"], json!("NOT_FOUND"), "undone once: {body}");
}

#[tokio::test]
async fn a_changed_survivor_is_not_unmerged_and_bad_merges_are_user_errors() {
    let app = spawn_app().await;
    let [s, m1, m2] = three_with_children(&app).await;
    let errors = |body: &Value| body["data"]["mergeCustomers"]["userErrors"].clone();
    let body = app.gql(&app.admin_token, MERGE, json!({ "input": { "survivorId": s, "mergedIds": [s] } })).await;
    assert_eq!(errors(&body)[0]["code"], json!("INVALID"), "{body}");
    let input = json!({ "survivorId": s, "mergedIds": [m1], "fieldChoices": [{ "field": "version", "from": m1 }] });
    let body = app.gql(&app.admin_token, MERGE, json!({ "input": input })).await;
    assert_eq!(errors(&body)[0]["field"], json!(["input", "fieldChoices", "0", "field"]), "{body}");
    let (_, rep) = app.user(Role::Sales, None).await;
    let body = app.gql(&rep, MERGE, json!({ "input": { "survivorId": s, "mergedIds": [m1] } })).await;
    assert_eq!(errors(&body)[0]["code"], json!("NOT_FOUND"), "another rep's customers: {body}");
    let (_, analyst) = app.user(Role::Analyst, None).await;
    let body = app.gql(&analyst, MERGE, json!({ "input": { "survivorId": s, "mergedIds": [m1] } })).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");

    let body = app.gql(&app.admin_token, MERGE, json!({ "input": { "survivorId": s, "mergedIds": [m1, m2] } })).await;
    let merge_id = body["data"]["mergeCustomers"]["merge"]["id"].clone();
    let version = body["data"]["mergeCustomers"]["survivor"]["version"].clone();
    write(
        &app,
        &app.admin_token,
        "updateCustomer",
        json!({ "id": s, "expectedVersion": version, "notes": "合并后补充" }),
    )
    .await;
    let body = app.gql(&app.admin_token, UNMERGE, json!({ "input": { "mergeId": merge_id } })).await;
    assert_eq!(body["data"]["unmergeCustomers"]["userErrors"][0]["code"], json!("STALE_VERSION"), "{body}");
}

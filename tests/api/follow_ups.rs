//! The follow-up queue: each customer that needs attention with its reasons (missing key
//! fields, a follow-up or review that has come, a complainant to visit, a dormant customer
//! to reactivate, an urgent need of a high-value customer), under the caller's row scope;
//! `markReviewed` records a review and moves the next one out.

use crate::helpers::{TestApp, spawn_app};
use chrono::{Duration, Utc};
use clientele::service::classification::reclassify_all;
use entity::enums::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const QUEUE: &str = "query($filter: FollowUpFilter) { followUps(first: 50, filter: $filter) {
    totalCount nodes { customer { name } reasons missingFields } } }";

/// Customer name → reasons, as `token` sees the queue with `filter`.
async fn queue(app: &TestApp, token: &str, filter: Value) -> BTreeMap<String, Value> {
    let body = app.gql(token, QUEUE, json!({ "filter": filter })).await;
    let conn = &body["data"]["followUps"];
    let nodes = conn["nodes"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert_eq!(conn["totalCount"].as_u64(), Some(nodes.len() as u64), "{body}");
    nodes.iter().map(|n| (n["customer"]["name"].as_str().unwrap().to_owned(), n["reasons"].clone())).collect()
}

async fn write(app: &TestApp, token: &str, mutation: &str, input: Value) {
    let query = format!(
        "mutation($input: {mutation}Input!) {{ {}(input: $input) {{ userErrors {{ field message }} }} }}",
        mutation[..1].to_lowercase() + &mutation[1..]
    );
    let body = app.gql(token, &query, json!({ "input": input })).await;
    let name = mutation[..1].to_lowercase() + &mutation[1..];
    assert_eq!(body["data"][name.as_str()]["userErrors"], json!([]), "{body}");
}

async fn sql(app: &TestApp, text: &str) {
    app.db.execute_raw(Statement::from_string(app.db.get_database_backend(), text.to_owned())).await.unwrap();
}

fn complete(name: &str) -> Value {
    json!({ "name": name, "phone": null, "email": format!("{}@example.com", name.len()), "region": "上海" })
}

#[tokio::test]
async fn the_queue_lists_each_customer_with_why_it_needs_attention() {
    let app = spawn_app().await;
    let (rep, token) = app.user(Role::Sales, None).await;
    let (_, other) = app.user(Role::Sales, None).await;
    let id = |c: Value| c["id"].as_str().unwrap().to_owned();

    app.create_customer(&token, json!({ "name": "缺资料", "phone": null })).await;
    let due = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let mut follow = complete("待回访");
    follow["nextFollowUpAt"] = json!(due);
    follow["email"] = json!("follow@example.com");
    app.create_customer(&token, follow).await;
    let mut later = complete("下月跟进");
    later["nextFollowUpAt"] = json!((Utc::now() + Duration::days(30)).to_rfc3339());
    later["email"] = json!("later@example.com");
    app.create_customer(&token, later).await;
    let complainer =
        id(app.create_customer(&token, json!({ "name": "投诉人", "email": "c@example.com", "region": "北京" })).await);
    write(
        &app,
        &app.admin_token,
        "CreateTicket",
        json!({ "customerId": complainer, "subject": "坏了", "category": "COMPLAINT" }),
    )
    .await;
    let vip = id(app.create_customer(&token, json!({ "name": "大客户", "email": "v@example.com", "region": "深圳", "potentialNeeds": "扩产", "needPriority": "HIGH" })).await);
    let today = Utc::now().date_naive().to_string();
    write(
        &app,
        &token,
        "CreatePurchase",
        json!({ "customerId": vip, "product": "产线", "amount": "90000", "purchasedAt": today }),
    )
    .await;
    let sleeper =
        id(app.create_customer(&token, json!({ "name": "沉睡", "email": "s@example.com", "region": "广州" })).await);
    let long_ago = (Utc::now() - Duration::days(120)).to_rfc3339();
    write(
        &app,
        &token,
        "CreateInteraction",
        json!({ "customerId": sleeper, "channel": "PHONE", "summary": "问候", "occurredAt": long_ago }),
    )
    .await;
    app.create_customer(&other, complete("别人的")).await;
    reclassify_all(&app.db, Utc::now(), |_, _| {}).await.unwrap();

    let all = queue(&app, &token, json!(null)).await;
    let expect = json!({
        "缺资料": ["MISSING_FIELDS"],
        "待回访": ["FOLLOW_UP_DUE"],
        "投诉人": ["RETURN_VISIT"],
        "大客户": ["URGENT_HIGH_VALUE"],
        "沉睡": ["REACTIVATION"],
    });
    assert_eq!(serde_json::to_value(&all).unwrap(), expect, "a rep's queue holds their own customers, each with why");

    let only = queue(&app, &token, json!({ "reasons": ["FOLLOW_UP_DUE", "RETURN_VISIT"] })).await;
    assert_eq!(only.keys().collect::<Vec<_>>(), ["待回访", "投诉人"]);
    let ahead = queue(
        &app,
        &token,
        json!({ "dueBefore": (Utc::now() + Duration::days(31)).to_rfc3339(), "reasons": ["FOLLOW_UP_DUE"] }),
    )
    .await;
    assert_eq!(ahead.keys().collect::<Vec<_>>(), ["下月跟进", "待回访"], "dueBefore looks ahead");
    let admin_mine = queue(
        &app,
        &app.admin_token,
        json!({ "ownerId": clientele::graphql::relay::global_id("User", rep).to_string() }),
    )
    .await;
    assert_eq!(admin_mine.len(), 5, "an admin filters by owner");

    // A return visit (an interaction after the complaint) takes the complainant out.
    write(&app, &token, "CreateInteraction", json!({ "customerId": complainer, "channel": "VISIT", "summary": "回访", "occurredAt": Utc::now().to_rfc3339() })).await;
    assert!(!queue(&app, &token, json!(null)).await.contains_key("投诉人"));

    let body = app.gql(&token, QUEUE, json!({ "filter": { "reasons": ["MISSING_FIELDS"] } })).await;
    assert_eq!(body["data"]["followUps"]["nodes"][0]["missingFields"], json!(["phone", "email", "region"]), "{body}");
}

#[tokio::test]
async fn reviews_fall_due_by_stage_and_mark_reviewed_moves_the_next_one_out() {
    let app = spawn_app().await;
    let (_, token) = app.user(Role::Sales, None).await;
    let (_, analyst) = app.user(Role::Analyst, None).await;
    let potential = app.create_customer(&token, complete("潜在")).await["id"].as_str().unwrap().to_owned();
    let active =
        app.create_customer(&token, json!({ "name": "老客户", "email": "a@example.com", "region": "上海" })).await;
    let active = active["id"].as_str().unwrap().to_owned();
    write(&app, &token, "CreatePurchase", json!({ "customerId": active, "product": "泵", "amount": "100", "purchasedAt": Utc::now().date_naive().to_string() })).await;
    // Both records are four months old: the active one is past its quarterly review, the
    // potential one not yet at its half-yearly one.
    let four_months = (Utc::now() - Duration::days(122)).to_rfc3339();
    sql(&app, &format!("UPDATE customers SET created_at = '{four_months}'")).await;
    let reviews = json!({ "reasons": ["REVIEW_DUE"] });
    assert_eq!(queue(&app, &token, reviews.clone()).await.keys().collect::<Vec<_>>(), ["老客户"]);
    let in_three_months = (Utc::now() + Duration::days(92)).to_rfc3339();
    let later = json!({ "reasons": ["REVIEW_DUE"], "dueBefore": in_three_months });
    assert_eq!(queue(&app, &token, later.clone()).await.keys().collect::<Vec<_>>(), ["潜在", "老客户"]);

    let mark = "mutation($input: MarkReviewedInput!) { markReviewed(input: $input) {
        customer { lastReviewedAt } userErrors { field code } } }";
    let body = app.gql(&token, mark, json!({ "input": { "customerId": active, "note": "资料已核对" } })).await;
    assert!(body["data"]["markReviewed"]["customer"]["lastReviewedAt"].is_string(), "{body}");
    assert_eq!(queue(&app, &token, reviews.clone()).await.len(), 0, "reviewed: not due for a quarter");
    assert_eq!(
        queue(&app, &token, later).await.keys().collect::<Vec<_>>(),
        ["潜在", "老客户"],
        "due again in three months"
    );
    assert_eq!(app.count("customer_reviews").await, 1);

    let body = app.gql(&analyst, mark, json!({ "input": { "customerId": potential } })).await;
    assert_eq!(crate::helpers::error_code(&body), "FORBIDDEN", "{body}");
    let (_, stranger) = app.user(Role::Sales, None).await;
    let body = app.gql(&stranger, mark, json!({ "input": { "customerId": potential } })).await;
    assert_eq!(body["data"]["markReviewed"]["userErrors"][0]["code"], json!("NOT_FOUND"), "{body}");
    assert_eq!(app.count("customer_reviews").await, 1, "refused reviews write nothing");
}

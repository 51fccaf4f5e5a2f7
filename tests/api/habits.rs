//! Purchase habits checked against a hand computation: frequency, average order value, top
//! products, repurchase rate and the spend ranking, within the caller's scope.

use crate::helpers::spawn_app;
use crate::reports::purchase;
use entity::enums::Role;
use serde_json::json;

#[tokio::test]
async fn purchase_habits_add_up_by_hand() {
    let app = spawn_app().await;
    let (_, rep) = app.user(Role::Sales, None).await;
    let a = app.create_customer(&rep, json!({ "name": "老客户" })).await;
    let b = app.create_customer(&rep, json!({ "name": "新客户" })).await;
    let other = app.create_customer(&app.admin_token, json!({ "name": "别人的" })).await;
    purchase(&app, &rep, &a, "水泵", "100", "2026-03-01").await;
    purchase(&app, &rep, &a, "水泵", "50", "2026-03-20").await;
    purchase(&app, &rep, &b, "阀门", "30", "2026-05-01").await;
    purchase(&app, &app.admin_token, &other, "阀门", "1000", "2026-05-02").await;

    let query = "{ purchaseHabits(from: \"2026-01-01\", to: \"2027-01-01\") {
        currencies { currency purchases customers frequency amount averageOrderValue }
        topProducts(first: 5) { product purchases amount }
        repurchaseRate near: repurchaseRate(withinDays: 10)
        topCustomers(currency: \"cny\", first: 5) { customer { name } amount } } }";
    let body = app.gql(&rep, query, json!({})).await;
    let h = &body["data"]["purchaseHabits"];
    assert_eq!(
        h["currencies"],
        json!([{ "currency": "CNY", "purchases": 3, "customers": 2, "frequency": 1.5, "amount": "180", "averageOrderValue": "60" }]),
        "{body}"
    );
    assert_eq!(
        h["topProducts"],
        json!([{ "product": "水泵", "purchases": 2, "amount": "150" }, { "product": "阀门", "purchases": 1, "amount": "30" }])
    );
    assert_eq!((h["repurchaseRate"].clone(), h["near"].clone()), (json!(50.0), json!(0.0)), "19 days apart: {body}");
    assert_eq!(
        h["topCustomers"],
        json!([{ "customer": { "name": "老客户" }, "amount": "150" }, { "customer": { "name": "新客户" }, "amount": "30" }])
    );

    // The admin sees every customer's purchases.
    let body = app
        .gql(
            &app.admin_token,
            "{ purchaseHabits(from: \"2026-01-01\", to: \"2027-01-01\") { currencies { purchases customers } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["purchaseHabits"]["currencies"], json!([{ "purchases": 4, "customers": 3 }]), "{body}");
}

#[tokio::test]
async fn segment_sizes_and_campaign_effectiveness_count_what_the_caller_sees() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for name in ["一", "二", "三"] {
        ids.push(app.create_customer(&app.admin_token, json!({ "name": name })).await["id"].clone());
    }
    // A complaint makes its customer a COMPLAINANT at once.
    let open = "mutation($input: CreateTicketInput!) { createTicket(input: $input) { userErrors { field } } }";
    app.gql(
        &app.admin_token,
        open,
        json!({ "input": { "customerId": ids[0], "subject": "投诉", "category": "COMPLAINT" } }),
    )
    .await;
    let sizes = "query($d: SegmentDimension!) { segmentSizes(dimension: $d) { value customers } }";
    let body = app.gql(&app.admin_token, sizes, json!({ "d": "LIFECYCLE" })).await;
    assert_eq!(body["data"]["segmentSizes"], json!([{ "value": "POTENTIAL", "customers": 3 }]), "{body}");
    let body = app.gql(&app.admin_token, sizes, json!({ "d": "BEHAVIOURS" })).await;
    assert_eq!(body["data"]["segmentSizes"], json!([{ "value": "COMPLAINANT", "customers": 1 }]), "{body}");
    let (_, rep) = app.user(Role::Sales, None).await;
    let body = app.gql(&rep, sizes, json!({ "d": "LIFECYCLE" })).await;
    assert_eq!(body["data"]["segmentSizes"], json!([]), "a rep owns none of them: {body}");

    let starts = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive();
    let create = "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } userErrors { field } } }";
    let body = app
        .gql(
            &app.admin_token,
            create,
            json!({ "input": { "name": "秋季展会", "kind": "EXHIBITION", "startsOn": starts.to_string() } }),
        )
        .await;
    let campaign = body["data"]["createCampaign"]["campaign"]["id"].clone();
    let join = "mutation($input: CreateCampaignParticipationInput!) { createCampaignParticipation(input: $input) { userErrors { field } } }";
    for id in &ids {
        app.gql(&app.admin_token, join, json!({ "input": { "campaignId": campaign, "customerId": id } })).await;
    }
    // One participant buys three days after the start (inside 30 days), another opens a deal.
    let bought = starts + chrono::Duration::days(1);
    crate::reports::purchase(&app, &app.admin_token, &json!({ "id": ids[1] }), "展品", "10", &bought.to_string()).await;
    let deal = "mutation($input: CreateDealInput!) { createDeal(input: $input) { userErrors { field } } }";
    app.gql(&app.admin_token, deal, json!({ "input": { "customerId": ids[2], "title": "展会线索", "amount": "100" } }))
        .await;
    let query = "{ campaignEffectiveness(withinDays: 30) { campaign { name } kind participants withDeals withPurchases conversionRate } }";
    let body = app.gql(&app.admin_token, query, json!({})).await;
    assert_eq!(
        body["data"]["campaignEffectiveness"],
        json!([{ "campaign": { "name": "秋季展会" }, "kind": "EXHIBITION",
        "participants": 3, "withDeals": 1, "withPurchases": 1, "conversionRate": 33.3 }]),
        "{body}"
    );
    let body = app.gql(&app.admin_token, "{ campaignEffectiveness(withinDays: 0) { participants } }", json!({})).await;
    assert_eq!(crate::helpers::error_code(&body), "BAD_USER_INPUT");
}

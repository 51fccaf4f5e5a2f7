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

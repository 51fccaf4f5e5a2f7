//! The dashboard summaries (`service::report::summary`): after random writes through the
//! API — deals opened, moved, repriced, reassigned, deleted and restored; purchases made and
//! deleted; customers reassigned, deleted, restored, merged and unmerged — every total
//! equals the grouped statement over the records, and `dealsByStage` / `salesByPeriod` read
//! from them answer exactly what the grouped statements answer, for every role.

use crate::helpers::{TestApp, spawn_app};
use clientele::auth::Viewer;
use clientele::service::report::{self, sales, summary};
use entity::enums::Role;
use serde_json::{Value, json};
use uuid::Uuid;

async fn ok(app: &TestApp, mutation: &str, input_type: &str, input: Value, select: &str) -> Value {
    let query = format!(
        "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {select} userErrors {{ field code message }} }} }}"
    );
    let body = app.gql(&app.admin_token, &query, json!({ "input": input })).await;
    let payload = &body["data"][mutation];
    assert_eq!(payload["userErrors"], json!([]), "{mutation}: {body}");
    payload.clone()
}

fn uuid_of(id: &Value) -> Uuid {
    let id = async_graphql::ID(id.as_str().expect("an id").into());
    clientele::graphql::relay::parse_global_id(&id).expect("global id").1
}

struct Deal {
    id: Value,
    version: i64,
    deleted: bool,
}

/// Every role's view: the summaries answer what the grouped statements answer.
async fn assert_same(app: &TestApp, viewers: &[Viewer]) {
    assert!(summary::consistent(&app.db).await.unwrap(), "the summaries drifted from the records");
    let range = ("2026-01-01".parse().unwrap(), "2027-01-01".parse().unwrap());
    for viewer in viewers {
        let scope = summary::scope(viewer, entity::summary::deal_total::Column::ScopeOwnerId).expect("an owner scope");
        let summed = report::deals_by_stage_summed(&app.db, scope).await.unwrap();
        let grouped = report::deals_by_stage_grouped(&app.db, viewer, None).await.unwrap();
        assert_eq!(summed, grouped, "dealsByStage for {:?}", viewer.role);
        assert!(!grouped.is_empty() || viewer.role == Role::Sales);
        let scope = summary::scope(viewer, entity::summary::sales_total::Column::OwnerId).unwrap();
        for period in [sales::Period::Month, sales::Period::Quarter, sales::Period::Year] {
            for by in [sales::SalesBy::Nothing, sales::SalesBy::Owner, sales::SalesBy::Team] {
                let summed = sales::sales_summed(&app.db, scope.clone(), period, by, range).await.unwrap();
                let grouped = sales::sales_grouped(&app.db, viewer, period, by, range, None).await.unwrap();
                assert_eq!(summed, grouped, "sales by {period:?} and {by:?} for {:?}", viewer.role);
            }
        }
    }
}

#[tokio::test]
async fn summaries_equal_the_grouped_statements_after_random_writes() {
    let app = spawn_app().await;
    let team = ok(&app, "createTeam", "CreateTeamInput", json!({ "name": "East" }), "team { id }").await;
    let team = uuid_of(&team["team"]["id"]);
    let (manager, _) = app.user(Role::Manager, Some(team)).await;
    let (rep_a, _) = app.user(Role::Sales, Some(team)).await;
    let (rep_b, _) = app.user(Role::Sales, None).await;
    let owners = [app.admin, manager, rep_a, rep_b];
    let viewer = |user_id, role, team_id| Viewer { user_id, role, team_id, scopes: None, api_key_id: None };
    let viewers = [
        viewer(app.admin, Role::Admin, None),
        viewer(manager, Role::Manager, Some(team)),
        viewer(rep_a, Role::Sales, Some(team)),
        viewer(rep_b, Role::Sales, None),
        viewer(Uuid::now_v7(), Role::Analyst, None),
    ];
    let gid = |id: Uuid| json!(clientele::graphql::relay::global_id("User", id).0);

    let mut rng = fastrand::Rng::with_seed(7);
    let mut customers: Vec<(Value, i64)> = Vec::new();
    for i in 0..8 {
        let owner = owners[i % owners.len()];
        let c =
            app.create_customer(&app.admin_token, json!({ "name": format!("客户{i}"), "ownerId": gid(owner) })).await;
        customers.push((c["id"].clone(), 1));
    }
    let mut deals: Vec<Deal> = Vec::new();
    let mut purchases: Vec<Value> = Vec::new();
    let amount = |rng: &mut fastrand::Rng| format!("{}.{:02}", rng.u64(0..2_000_000), rng.u8(0..100));
    let currency = |rng: &mut fastrand::Rng| ["CNY", "USD"][rng.usize(0..2)];
    let stages = ["LEAD", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST"];
    let version_of = |payload: &Value, key: &str| payload[key]["version"].as_i64().unwrap();

    for step in 0..120 {
        let (customer, _) = customers[rng.usize(0..customers.len())].clone();
        match rng.u8(0..10) {
            0..=2 => {
                let input = json!({ "customerId": customer, "title": format!("D{step}"), "amount": amount(&mut rng),
                    "currency": currency(&mut rng), "ownerId": gid(owners[rng.usize(0..owners.len())]) });
                let p = ok(&app, "createDeal", "CreateDealInput", input, "deal { id version }").await;
                deals.push(Deal { id: p["deal"]["id"].clone(), version: version_of(&p, "deal"), deleted: false });
            }
            3..=4 => {
                let date = format!("2026-{:02}-{:02}", rng.u8(1..12), rng.u8(1..29));
                let input = json!({ "customerId": customer, "product": "水泵", "quantity": 1,
                    "amount": amount(&mut rng), "currency": currency(&mut rng), "purchasedAt": date });
                let p = ok(&app, "createPurchase", "CreatePurchaseInput", input, "purchase { id }").await;
                purchases.push(p["purchase"]["id"].clone());
            }
            5 if !deals.is_empty() => {
                let at = rng.usize(0..deals.len());
                let d = &mut deals[at];
                if d.deleted {
                    let p =
                        ok(&app, "restoreDeal", "RestoreDealInput", json!({ "id": d.id }), "deal { version }").await;
                    (d.version, d.deleted) = (version_of(&p, "deal"), false);
                } else if rng.bool() {
                    let input = json!({ "id": d.id, "expectedVersion": d.version, "stage": stages[rng.usize(0..6)] });
                    let p = ok(&app, "moveDealStage", "MoveDealStageInput", input, "deal { version }").await;
                    d.version = version_of(&p, "deal");
                } else {
                    let input = json!({ "id": d.id, "expectedVersion": d.version, "amount": amount(&mut rng),
                        "currency": currency(&mut rng), "ownerId": gid(owners[rng.usize(0..owners.len())]) });
                    let p = ok(&app, "updateDeal", "UpdateDealInput", input, "deal { version }").await;
                    d.version = version_of(&p, "deal");
                }
            }
            6 if !deals.is_empty() => {
                let at = rng.usize(0..deals.len());
                let d = &mut deals[at];
                if !d.deleted {
                    let p = ok(&app, "deleteDeal", "DeleteDealInput", json!({ "id": d.id }), "deal { version }").await;
                    (d.version, d.deleted) = (version_of(&p, "deal"), true);
                }
            }
            7 if !purchases.is_empty() => {
                let id = purchases.swap_remove(rng.usize(0..purchases.len()));
                ok(&app, "deletePurchase", "DeletePurchaseInput", json!({ "id": id }), "purchase { id }").await;
            }
            8 => {
                let at = rng.usize(0..customers.len());
                let input = json!({ "id": customers[at].0, "expectedVersion": customers[at].1,
                    "ownerId": gid(owners[rng.usize(0..owners.len())]) });
                let p = ok(&app, "updateCustomer", "UpdateCustomerInput", input, "customer { version }").await;
                customers[at].1 = version_of(&p, "customer");
            }
            _ => {
                // A customer deleted and restored, its deals and purchases out and back.
                let at = rng.usize(0..customers.len());
                let p = ok(
                    &app,
                    "deleteCustomer",
                    "DeleteCustomerInput",
                    json!({ "id": customers[at].0 }),
                    "customer { id }",
                )
                .await;
                assert!(p["customer"]["id"].is_string());
                assert!(summary::consistent(&app.db).await.unwrap(), "after deleting a customer");
                let p = ok(
                    &app,
                    "restoreCustomer",
                    "RestoreCustomerInput",
                    json!({ "id": customers[at].0 }),
                    "customer { version }",
                )
                .await;
                customers[at].1 = version_of(&p, "customer");
            }
        }
        if step % 40 == 39 {
            assert_same(&app, &viewers).await;
        }
    }

    // A merge moves the merged customer's deals and purchases to the survivor's owner; an
    // undo moves them back.
    let (survivor, merged) = (customers[0].0.clone(), customers[1].0.clone());
    let p = ok(
        &app,
        "mergeCustomers",
        "MergeCustomersInput",
        json!({ "survivorId": survivor, "mergedIds": [merged] }),
        "merge { id }",
    )
    .await;
    assert_same(&app, &viewers).await;
    ok(&app, "unmergeCustomers", "UnmergeCustomersInput", json!({ "mergeId": p["merge"]["id"] }), "survivor { id }")
        .await;
    assert_same(&app, &viewers).await;

    // And through the API, summaries on: the admin's pipeline is the grouped statement's.
    let body = app.gql(&app.admin_token, "{ dealsByStage { stage currency count amount } }", json!({})).await;
    let grouped = report::deals_by_stage_grouped(&app.db, &viewers[0], None).await.unwrap();
    let rows = body["data"]["dealsByStage"].as_array().unwrap_or_else(|| panic!("{body}"));
    assert_eq!(rows.len(), grouped.len(), "{body}");
    for (row, want) in rows.iter().zip(&grouped) {
        assert_eq!(row["count"], json!(want.count));
        assert_eq!(row["amount"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(), want.amount);
    }
}

#[tokio::test]
async fn a_rebuild_gives_the_totals_the_writes_kept() {
    let app = spawn_app().await;
    let c = app.create_customer(&app.admin_token, json!({ "name": "甲" })).await;
    let input = json!({ "customerId": c["id"], "title": "T", "amount": "99999999999.9999", "currency": "CNY" });
    ok(&app, "createDeal", "CreateDealInput", input.clone(), "deal { id }").await;
    ok(&app, "createDeal", "CreateDealInput", input, "deal { id }").await;
    let before = report::deals_by_stage_summed(&app.db, sea_orm::Condition::all()).await.unwrap();
    assert_eq!(before[0].amount, "199999999999.9998".parse().unwrap());
    summary::rebuild(&app.db).await.unwrap();
    assert_eq!(report::deals_by_stage_summed(&app.db, sea_orm::Condition::all()).await.unwrap(), before);
    assert!(summary::consistent(&app.db).await.unwrap());
}

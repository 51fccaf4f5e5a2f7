//! The reports on the demo data (pipeline, sales, ticket volume, service times, segment
//! sizes, satisfaction), checked against hand computations from the raw rows, for every role: each role's rows (row scope restated here from the README: ADMIN, SERVICE and
//! ANALYST all customers, MANAGER the team's, SALES their own, MARKETING those with marketing
//! consent) and amounts only where the field policy lets the role read them.

use crate::helpers::spawn_app;
use chrono::{Datelike, NaiveDate};
use entity::enums::{Role, SurveyKind, TicketPriority};
use rust_decimal::Decimal;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use uuid::Uuid;

const ROLES: [(Role, &str); 6] = [
    (Role::Admin, "admin@demo.clientele.dev"),
    (Role::Manager, "manager@demo.clientele.dev"),
    (Role::Sales, "sales1@demo.clientele.dev"),
    (Role::Service, "service@demo.clientele.dev"),
    (Role::Marketing, "marketing@demo.clientele.dev"),
    (Role::Analyst, "analyst@demo.clientele.dev"),
];

/// A month, a currency and the customers' owner.
type SalesKey = (NaiveDate, String, Option<Uuid>);

fn amount(units: i64) -> Decimal {
    Decimal::new(units, 4).normalize()
}

fn decimal(value: &Value) -> Option<Decimal> {
    value.as_str().map(|s| s.parse().unwrap())
}

#[tokio::test]
async fn every_report_matches_a_hand_computation_on_the_demo_data_for_every_role() {
    let app = spawn_app().await;
    clientele::seed::demo(&app.db).await.unwrap();
    let users = entity::user::Entity::find().all(&app.db).await.unwrap();
    let customers = entity::customer::Entity::find().all(&app.db).await.unwrap();
    let deals = entity::deal::Entity::find().all(&app.db).await.unwrap();
    let purchases = entity::purchase::Entity::find().all(&app.db).await.unwrap();
    let tickets = entity::ticket::Entity::find().all(&app.db).await.unwrap();
    let responses = entity::survey_response::Entity::find().all(&app.db).await.unwrap();
    let survey = entity::survey::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.kind == SurveyKind::Nps)
        .expect("the demo's NPS survey");
    let shanghai = chrono_tz::Asia::Shanghai;

    for (role, email) in ROLES {
        let me = users.iter().find(|u| u.email == email).unwrap();
        let token = app.keys.issue(me.id, role.as_str(), chrono::Duration::hours(1)).unwrap();
        let team: HashSet<Uuid> =
            users.iter().filter(|u| u.team_id.is_some() && u.team_id == me.team_id).map(|u| u.id).collect();
        let seen: HashSet<Uuid> = customers
            .iter()
            .filter(|c| c.deleted_at.is_none())
            .filter(|c| match role {
                Role::Sales => c.owner_id == me.id,
                Role::Manager => c.owner_id == me.id || team.contains(&c.owner_id),
                Role::Marketing => c.marketing_consent,
                _ => true,
            })
            .map(|c| c.id)
            .collect();
        assert!(!seen.is_empty(), "{role:?} sees demo customers");

        // dealsByStage: count and sum per stage and currency.
        let mut want: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for d in deals.iter().filter(|d| d.deleted_at.is_none() && seen.contains(&d.customer_id)) {
            let slot = want.entry((d.stage.as_str().to_owned(), d.currency.clone())).or_default();
            (slot.0, slot.1) = (slot.0 + 1, slot.1 + d.amount_e4);
        }
        let body = app.gql(&token, "{ dealsByStage { stage currency count amount } }", json!({})).await;
        let rows = body["data"]["dealsByStage"].as_array().unwrap_or_else(|| panic!("{role:?}: {body}"));
        assert_eq!(rows.len(), want.len(), "{role:?}: {body}");
        let reads_amounts = clientele::auth::policy::readable(&viewer(role), "Deal", "amount");
        for (row, ((stage, currency), (count, units))) in rows.iter().zip(&want) {
            assert_eq!(
                (row["stage"].as_str().unwrap(), row["currency"].as_str().unwrap()),
                (stage.as_str(), currency.as_str())
            );
            assert_eq!(row["count"], json!(count), "{role:?} {stage}");
            let expected = reads_amounts.then(|| amount(*units));
            assert_eq!(decimal(&row["amount"]), expected, "{role:?} {stage}: {body}");
        }

        // salesByPeriod by month and owner over the demo's year.
        let (from, to) = (NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let owner_of = |id: Uuid| customers.iter().find(|c| c.id == id).map(|c| c.owner_id);
        let mut want: BTreeMap<SalesKey, (i64, i64)> = BTreeMap::new();
        for p in purchases.iter().filter(|p| p.deleted_at.is_none() && seen.contains(&p.customer_id)) {
            if p.purchased_at < from || p.purchased_at >= to {
                continue;
            }
            let month = p.purchased_at.with_day(1).unwrap();
            let slot = want.entry((month, p.currency.clone(), owner_of(p.customer_id))).or_default();
            (slot.0, slot.1) = (slot.0 + 1, slot.1 + p.amount_e4);
        }
        let query = "query($from: Date!, $to: Date!) { salesByPeriod(period: MONTH, from: $from, to: $to, by: OWNER) {
            period owner { id } currency count amount } }";
        let body = app.gql(&token, query, json!({ "from": from.to_string(), "to": to.to_string() })).await;
        let rows = body["data"]["salesByPeriod"].as_array().unwrap_or_else(|| panic!("{role:?}: {body}"));
        let reads_amounts = clientele::auth::policy::readable(&viewer(role), "Purchase", "amount");
        let got: BTreeMap<SalesKey, (i64, Option<Decimal>)> = rows
            .iter()
            .map(|r| {
                let owner = r["owner"]["id"]
                    .as_str()
                    .map(|id| clientele::graphql::relay::parse_global_id(&async_graphql::ID(id.into())).unwrap().1);
                let key =
                    (r["period"].as_str().unwrap().parse().unwrap(), r["currency"].as_str().unwrap().to_owned(), owner);
                (key, (r["count"].as_i64().unwrap(), decimal(&r["amount"])))
            })
            .collect();
        let want: BTreeMap<_, _> =
            want.into_iter().map(|(k, (n, units))| (k, (n, reads_amounts.then(|| amount(units))))).collect();
        assert!(role != Role::Admin || want.len() > 3, "the demo has sales to check: {want:?}");
        assert_eq!(got, want, "{role:?} salesByPeriod: {body}");

        // ticketVolume per local month; serviceTimes' opened count per priority.
        let mut opened: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
        let mut by_priority: BTreeMap<&str, i64> = BTreeMap::new();
        let local_month =
            |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&shanghai).date_naive().with_day(1).unwrap();
        let visible_tickets = tickets.iter().filter(|t| t.deleted_at.is_none() && seen.contains(&t.customer_id));
        for t in visible_tickets {
            let month = local_month(t.opened_at);
            if month >= from && month < to {
                opened.entry(month).or_default().0 += 1;
            }
            if let Some(resolved) = t.resolved_at.map(local_month).filter(|m| *m >= from && *m < to) {
                opened.entry(resolved).or_default().1 += 1;
            }
            *by_priority.entry(priority_name(t.priority)).or_default() += 1;
        }
        let query = "query($from: Date!, $to: Date!) { ticketVolume(period: MONTH, from: $from, to: $to) { period opened resolved } }";
        let body = app.gql(&token, query, json!({ "from": from.to_string(), "to": to.to_string() })).await;
        let got: BTreeMap<NaiveDate, (i64, i64)> = body["data"]["ticketVolume"]
            .as_array()
            .unwrap_or_else(|| panic!("{role:?}: {body}"))
            .iter()
            .map(|r| {
                (
                    r["period"].as_str().unwrap().parse().unwrap(),
                    (r["opened"].as_i64().unwrap(), r["resolved"].as_i64().unwrap()),
                )
            })
            .filter(|(_, counts)| *counts != (0, 0))
            .collect();
        assert!(role != Role::Admin || opened.len() > 1, "the demo has tickets to check");
        assert_eq!(got, opened, "{role:?} ticketVolume: {body}");
        let query = "{ serviceTimes(by: PRIORITY, from: \"2000-01-01T00:00:00Z\", to: \"2100-01-01T00:00:00Z\") { priority opened } }";
        let body = app.gql(&token, query, json!({})).await;
        let got: BTreeMap<&str, i64> = body["data"]["serviceTimes"]
            .as_array()
            .unwrap_or_else(|| panic!("{role:?}: {body}"))
            .iter()
            .map(|r| (r["priority"].as_str().unwrap(), r["opened"].as_i64().unwrap()))
            .collect();
        assert_eq!(got, by_priority, "{role:?} serviceTimes: {body}");

        // segmentSizes: customers per lifecycle stage and per value tier.
        for (dimension, class) in [("LIFECYCLE", 0), ("VALUE_TIER", 1)] {
            let mut want: BTreeMap<Option<String>, i64> = BTreeMap::new();
            for c in customers.iter().filter(|c| seen.contains(&c.id)) {
                let value = match class {
                    0 => Some(c.lifecycle_stage.as_str().to_owned()),
                    _ => c.value_tier.map(|t| t.as_str().to_owned()),
                };
                *want.entry(value).or_default() += 1;
            }
            let query = "query($d: SegmentDimension!) { segmentSizes(dimension: $d) { value customers } }";
            let body = app.gql(&token, query, json!({ "d": dimension })).await;
            let got: BTreeMap<Option<String>, i64> = body["data"]["segmentSizes"]
                .as_array()
                .unwrap_or_else(|| panic!("{role:?}: {body}"))
                .iter()
                .map(|r| (r["value"].as_str().map(str::to_owned), r["customers"].as_i64().unwrap()))
                .collect();
            assert_eq!(got, want, "{role:?} segmentSizes({dimension}): {body}");
        }

        // satisfactionByValueTier: NPS per tier from the scores.
        {
            let mut tiers: BTreeMap<Option<String>, (i64, i64, i64)> = BTreeMap::new();
            for r in responses
                .iter()
                .filter(|r| r.deleted_at.is_none() && r.survey_id == survey.id && seen.contains(&r.customer_id))
            {
                let Some(score) = r.score else { continue };
                let tier = customers
                    .iter()
                    .find(|c| c.id == r.customer_id)
                    .and_then(|c| c.value_tier)
                    .map(|t| t.as_str().to_owned());
                let slot = tiers.entry(tier).or_default();
                slot.0 += 1;
                slot.1 += i64::from(score >= 9.0);
                slot.2 += i64::from(score <= 6.0);
            }
            let query = "query($s: ID!) { satisfactionByValueTier(surveyId: $s) { valueTier responses score } }";
            let id = clientele::graphql::relay::global_id("Survey", survey.id);
            let body = app.gql(&token, query, json!({ "s": id })).await;
            let got: BTreeMap<Option<String>, (i64, f64)> = body["data"]["satisfactionByValueTier"]
                .as_array()
                .unwrap_or_else(|| panic!("{role:?}: {body}"))
                .iter()
                .map(|r| {
                    (
                        r["valueTier"].as_str().map(str::to_owned),
                        (r["responses"].as_i64().unwrap(), r["score"].as_f64().unwrap()),
                    )
                })
                .collect();
            let want: BTreeMap<Option<String>, (i64, f64)> = tiers
                .into_iter()
                .map(|(tier, (n, p, d))| (tier, (n, ((p - d) as f64 / n as f64 * 1000.0).round() / 10.0)))
                .collect();
            assert!(role != Role::Admin || want.len() > 1, "the demo has responses in several tiers");
            assert_eq!(got, want, "{role:?} satisfactionByValueTier: {body}");
        }
    }
}

fn priority_name(p: TicketPriority) -> &'static str {
    p.as_str()
}

fn viewer(role: Role) -> clientele::auth::Viewer {
    clientele::auth::Viewer { user_id: Uuid::nil(), role, team_id: None, scopes: Some(vec![]), api_key_id: None }
}

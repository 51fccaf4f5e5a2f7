//! `ticketVolume`: tickets opened and resolved per period of the configured time zone
//! (Asia/Shanghai by default, UTC+8), checked at the edges of local days and months, within
//! the caller's row scope.

use crate::helpers::{TestApp, error_code, spawn_app};
use entity::enums::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

async fn ticket(app: &TestApp, customer: &Value, opened: &str, resolved: Option<&str>) {
    let open =
        "mutation($input: CreateTicketInput!) { createTicket(input: $input) { ticket { id } userErrors { field } } }";
    let input = json!({ "customerId": customer["id"], "subject": opened, "category": "QUESTION", "priority": "LOW" });
    let body = app.gql(&app.admin_token, open, json!({ "input": input })).await;
    let id = body["data"]["createTicket"]["ticket"]["id"].as_str().unwrap_or_else(|| panic!("{body}"));
    let (_, id) = clientele::graphql::relay::parse_global_id(&async_graphql::ID(id.into())).unwrap();
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&chrono::Utc);
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => "UPDATE tickets SET opened_at = $1, resolved_at = $2 WHERE id = $3",
        _ => "UPDATE tickets SET opened_at = ?, resolved_at = ? WHERE id = ?",
    };
    let values = [at(opened).into(), resolved.map(at).into(), id.into()];
    app.db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await.unwrap();
}

const VOLUME: &str = "query($p: ReportPeriod!, $from: Date!, $to: Date!) {
    ticketVolume(period: $p, from: $from, to: $to) { period opened resolved } }";

fn rows(body: &Value) -> Vec<(String, i64, i64)> {
    body["data"]["ticketVolume"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|r| {
            (r["period"].as_str().unwrap().to_owned(), r["opened"].as_i64().unwrap(), r["resolved"].as_i64().unwrap())
        })
        .collect()
}

fn expect(rows: &[(&str, i64, i64)]) -> Vec<(String, i64, i64)> {
    rows.iter().map(|(p, o, r)| ((*p).to_owned(), *o, *r)).collect()
}

#[tokio::test]
async fn tickets_opened_and_resolved_fall_into_local_days_and_months() {
    let app = spawn_app().await;
    let customer = app.create_customer(&app.admin_token, json!({ "name": "工单客户" })).await;
    // 23:59 on 1 March in Shanghai, and one minute later: 2 March.
    ticket(&app, &customer, "2026-03-01T15:59:00Z", None).await;
    ticket(&app, &customer, "2026-03-01T16:00:00Z", None).await;
    // 00:30 on 1 March local (still February in UTC), resolved 00:10 on 1 April local.
    ticket(&app, &customer, "2026-02-28T16:30:00Z", Some("2026-03-31T16:10:00Z")).await;
    // 23:00 on 31 January local, resolved 09:00 on 2 March local.
    ticket(&app, &customer, "2026-01-31T15:00:00Z", Some("2026-03-02T01:00:00Z")).await;

    let vars = json!({ "p": "MONTH", "from": "2026-01-01", "to": "2026-05-01" });
    let body = app.gql(&app.admin_token, VOLUME, vars.clone()).await;
    let months = expect(&[("2026-01-01", 1, 0), ("2026-02-01", 0, 0), ("2026-03-01", 3, 1), ("2026-04-01", 0, 1)]);
    assert_eq!(rows(&body), months, "{body}");
    let days = json!({ "p": "DAY", "from": "2026-03-01", "to": "2026-03-03" });
    let body = app.gql(&app.admin_token, VOLUME, days.clone()).await;
    assert_eq!(rows(&body), expect(&[("2026-03-01", 2, 0), ("2026-03-02", 1, 1)]), "{body}");
    // A week from Monday 23 February; the range starts mid-week, the label is the Monday.
    let weeks = json!({ "p": "WEEK", "from": "2026-02-25", "to": "2026-03-09" });
    let body = app.gql(&app.admin_token, VOLUME, weeks).await;
    assert_eq!(rows(&body), expect(&[("2026-02-23", 2, 0), ("2026-03-02", 1, 1)]), "{body}");

    // An analyst counts every ticket; a rep sees none of these (not their customer's).
    let (_, analyst) = app.user(Role::Analyst, None).await;
    assert_eq!(rows(&app.gql(&analyst, VOLUME, vars.clone()).await), months);
    let (_, rep) = app.user(Role::Sales, None).await;
    let body = app.gql(&rep, VOLUME, vars).await;
    assert!(rows(&body).iter().all(|(_, o, r)| *o == 0 && *r == 0), "{body}");

    // A backwards range, and more periods than one report lists.
    let body = app.gql(&app.admin_token, VOLUME, json!({ "p": "DAY", "from": "2026-03-02", "to": "2026-03-01" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let body = app.gql(&app.admin_token, VOLUME, json!({ "p": "DAY", "from": "2016-01-01", "to": "2026-01-01" })).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body}");
}

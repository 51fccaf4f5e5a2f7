//! Authorization: the field policy matrix, row scope per role, sessions, API keys.

use crate::helpers::{TestApp, error_code, spawn_app};
use clientele::auth::policy::{Mask, POLICY, ROLES, Rule, mask};
use entity::enums::Role;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::collections::HashMap;

pub async fn mutate(app: &TestApp, token: &str, name: &str, input_type: &str, input: Value, selection: &str) -> Value {
    let query = format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} userErrors {{ field code message }} }} }}"
    );
    let body = app.gql(token, &query, json!({ "input": input })).await;
    body["data"][name].clone()
}

/// Sends a query with an `Authorization` header of any scheme.
pub async fn gql_as(app: &TestApp, authorization: &str, query: &str, variables: Value) -> Value {
    let mut request = app.client.post(app.url("/graphql"));
    if !authorization.is_empty() {
        request = request.header("authorization", authorization);
    }
    request.json(&json!({ "query": query, "variables": variables })).send().await.unwrap().json().await.unwrap()
}

/// Every governed record, filled in, owned by a sales rep in a manager's team, with
/// marketing consent; and a credential per role (partners through API keys).
struct World {
    ids: HashMap<&'static str, Value>,
    credentials: Vec<(String, String)>,
}

async fn world(app: &TestApp) -> World {
    let admin = app.admin_token.clone();
    let team = mutate(app, &admin, "createTeam", "CreateTeamInput", json!({ "name": "East" }), "team { id }").await["team"]["id"].clone();
    let team_id =
        clientele::graphql::relay::parse_global_id(&async_graphql::ID(team.as_str().unwrap().into())).unwrap().1;
    let (sales_id, sales) = app.user(Role::Sales, Some(team_id)).await;
    let (_, manager) = app.user(Role::Manager, Some(team_id)).await;
    let (_, service) = app.user(Role::Service, None).await;
    let (_, marketing) = app.user(Role::Marketing, None).await;
    let (_, analyst) = app.user(Role::Analyst, None).await;
    let (partner_id, _) = app.user(Role::Partner, None).await;
    let partner_gid = clientele::graphql::relay::global_id("User", partner_id);
    let all_read: Vec<String> = clientele::service::api_key::FAMILIES.iter().map(|f| format!("{f}:read")).collect();
    let key = |scopes: Vec<String>| {
        let partner_gid = partner_gid.clone();
        async move {
            let made = mutate(
                app,
                &app.admin_token,
                "createApiKey",
                "CreateApiKeyInput",
                json!({ "name": "ERP", "scopes": scopes, "ownerId": partner_gid }),
                "secret apiKey { id }",
            )
            .await;
            format!("ApiKey {}", made["secret"].as_str().unwrap())
        }
    };
    let partner = key(all_read.clone()).await;
    let mut with_pii = all_read;
    with_pii.push("pii:read".into());
    let partner_pii = key(with_pii).await;

    let owner = clientele::graphql::relay::global_id("User", sales_id);
    let c = app
        .create_customer(&admin, json!({ "name": "张明", "companyName": "明记五金", "phone": "13812345678", "email": "zhang@example.com", "address": "1 Nanjing Rd",
            "region": "上海", "birthDate": "1990-05-01", "occupation": "Engineer", "notes": "Prefers mornings", "potentialNeeds": "Upgrade",
            "marketingConsent": true, "ownerId": owner }))
        .await["id"]
        .clone();
    app.share_with_partners(&c).await;
    let mut ids = HashMap::from([("Customer", c.clone())]);
    let make = [
        (
            "Contact",
            "createContact",
            "CreateContactInput",
            json!({ "customerId": c, "name": "John Smith", "phone": "+44 20 7946 0958", "email": "john@acme.com", "notes": "Decides" }),
            "contact",
        ),
        (
            "Interaction",
            "createInteraction",
            "CreateInteractionInput",
            json!({ "customerId": c, "channel": "PHONE", "summary": "Talked price", "outcome": "Good", "nextStep": "Quote" }),
            "interaction",
        ),
        (
            "Deal",
            "createDeal",
            "CreateDealInput",
            json!({ "customerId": c, "title": "Big", "amount": "1234.5" }),
            "deal",
        ),
        (
            "Purchase",
            "createPurchase",
            "CreatePurchaseInput",
            json!({ "customerId": c, "product": "Seat", "amount": "99", "paymentMethod": "card" }),
            "purchase",
        ),
        (
            "Ticket",
            "createTicket",
            "CreateTicketInput",
            json!({ "customerId": c, "subject": "Slow", "description": "Export slow", "category": "INCIDENT" }),
            "ticket",
        ),
        (
            "Feedback",
            "createFeedback",
            "CreateFeedbackInput",
            json!({ "customerId": c, "kind": "PRAISE", "content": "Great" }),
            "feedback",
        ),
    ];
    for (ty, name, input_type, input, field) in make {
        let made = mutate(app, &admin, name, input_type, input, &format!("{field} {{ id }}")).await;
        assert_eq!(made["userErrors"], json!([]), "{ty}: {made}");
        ids.insert(ty, made[field]["id"].clone());
    }
    let deal = ids["Deal"].clone();
    mutate(
        app,
        &admin,
        "moveDealStage",
        "MoveDealStageInput",
        json!({ "id": deal, "expectedVersion": 1, "stage": "LOST", "lostReason": "Budget" }),
        "deal { id }",
    )
    .await;
    let ticket = ids["Ticket"].clone();
    mutate(
        app,
        &admin,
        "resolveTicket",
        "ResolveTicketInput",
        json!({ "id": ticket, "expectedVersion": 1, "resolution": "Tuned" }),
        "ticket { id }",
    )
    .await;
    let credentials = vec![
        ("ADMIN".to_string(), format!("Bearer {admin}")),
        ("MANAGER".into(), format!("Bearer {manager}")),
        ("SALES".into(), format!("Bearer {sales}")),
        ("SERVICE".into(), format!("Bearer {service}")),
        ("MARKETING".into(), format!("Bearer {marketing}")),
        ("ANALYST".into(), format!("Bearer {analyst}")),
        ("PARTNER".into(), partner),
        ("PARTNER+pii".into(), partner_pii),
    ];
    World { ids, credentials }
}

/// The ways a field is reached: at its root, through `node`, nested under another type.
/// The policy row of custom fields marked sensitive: not a field of its own but the rule of
/// `customField(key:)` and `customFields` values (`custom_fields.rs` tests it, nullable both).
const SENSITIVE_CUSTOM: &str = "sensitiveCustomFields";

/// The policy row of free-text survey answers: the rule of `answers { text }` and of
/// `surveyResults` text answers (`satisfaction.rs` tests it).
const TEXT_ANSWERS: &str = "textAnswers";

fn paths<'a>(ty: &str, field: &'a str) -> Vec<(String, Vec<&'a str>)> {
    if field == SENSITIVE_CUSTOM || field == TEXT_ANSWERS {
        return Vec::new();
    }
    let root = match ty {
        "Customer" => "customer",
        "Contact" => "contact",
        "Interaction" => "interaction",
        "Deal" => "deal",
        "Purchase" => "purchase",
        "Ticket" => "ticket",
        "Feedback" => "feedback",
        _ => "",
    };
    let mut out = Vec::new();
    if ty == "User" {
        out.push((
            format!("query($c: ID!) {{ customer(id: $c) {{ owner {{ {field} }} }} }}"),
            vec!["customer", "owner", field],
        ));
        return out;
    }
    out.push((format!("query($id: ID!) {{ {root}(id: $id) {{ {field} }} }}"), vec![root, field]));
    out.push((format!("query($id: ID!) {{ node(id: $id) {{ ... on {ty} {{ {field} }} }} }}"), vec!["node", field]));
    let nested = match ty {
        "Customer" => format!("query($d: ID!) {{ deal(id: $d) {{ customer {{ {field} }} }} }}"),
        "Contact" => format!("query($c: ID!) {{ customer(id: $c) {{ contacts {{ nodes {{ {field} }} }} }} }}"),
        "Interaction" => format!("query($c: ID!) {{ customer(id: $c) {{ interactions {{ nodes {{ {field} }} }} }} }}"),
        "Deal" => format!("query($c: ID!) {{ customer(id: $c) {{ deals {{ nodes {{ {field} }} }} }} }}"),
        "Purchase" => format!("query($c: ID!) {{ customer(id: $c) {{ purchases {{ nodes {{ {field} }} }} }} }}"),
        "Ticket" => format!("query($c: ID!) {{ customer(id: $c) {{ tickets {{ nodes {{ {field} }} }} }} }}"),
        "Feedback" => format!("query($c: ID!) {{ customer(id: $c) {{ feedback {{ nodes {{ {field} }} }} }} }}"),
        _ => unreachable!(),
    };
    let path = match ty {
        "Customer" => vec!["deal", "customer", field],
        "Contact" => vec!["customer", "contacts", "nodes", "0", field],
        "Interaction" => vec!["customer", "interactions", "nodes", "0", field],
        "Deal" => vec!["customer", "deals", "nodes", "0", field],
        "Purchase" => vec!["customer", "purchases", "nodes", "0", field],
        "Ticket" => vec!["customer", "tickets", "nodes", "0", field],
        _ => vec!["customer", "feedback", "nodes", "0", field],
    };
    out.push((nested, path));
    out
}

fn at<'a>(body: &'a Value, path: &[&str]) -> &'a Value {
    let mut v = &body["data"];
    for p in path {
        v = match p.parse::<usize>() {
            Ok(i) => &v[i],
            Err(_) => &v[*p],
        };
    }
    v
}

#[tokio::test]
async fn every_role_sees_every_governed_field_as_the_policy_says() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let vars = json!({ "id": Value::Null, "c": w.ids["Customer"], "d": w.ids["Deal"] });
    let mut checked = 0;
    for (ty, field, rules) in POLICY {
        for (query, path) in paths(ty, field) {
            let mut vars = vars.clone();
            vars["id"] = w.ids.get(ty).cloned().unwrap_or(Value::Null);
            let truth = at(&gql_as(&app, &w.credentials[0].1, &query, vars.clone()).await, &path).clone();
            assert!(!truth.is_null(), "{ty}.{field}: the admin sees a value ({query})");
            for (column, (role, auth)) in w.credentials.iter().enumerate() {
                let (rule, pii) =
                    if column < ROLES.len() { (rules[column], false) } else { (rules[ROLES.len() - 1], true) };
                if role.starts_with("PARTNER") && *ty == "User" {
                    continue; // Partners see no users at all (row scope).
                }
                let body = gql_as(&app, auth, &query, vars.clone()).await;
                let got = at(&body, &path);
                if role == "ANALYST" {
                    // Reports and aggregates only: no customer, nor a record under one (the
                    // paths to users go through customers).
                    assert!(got.is_null(), "ANALYST reads no {ty}: {body}");
                    continue;
                }
                match rule {
                    Rule::Mask(_) if pii => assert_eq!(got, &truth, "{role} {ty}.{field} (pii:read)"),
                    Rule::Allow => assert_eq!(got, &truth, "{role} {ty}.{field}: {body}"),
                    Rule::Mask(strategy) => {
                        let expected = match strategy {
                            Mask::Address => json!("上海"),
                            other => json!(mask(other, truth.as_str().unwrap())),
                        };
                        assert_eq!(got, &expected, "{role} {ty}.{field} masked: {body}");
                        assert_ne!(got, &truth);
                    }
                    Rule::Deny => {
                        assert!(got.is_null(), "{role} {ty}.{field} denied: {body}");
                        let error = body["errors"].as_array().and_then(|e| {
                            e.iter().find(|e| e["path"].as_array().is_some_and(|p| p.last() == Some(&json!(field))))
                        });
                        let error =
                            error.unwrap_or_else(|| panic!("{role} {ty}.{field}: no error at the field: {body}"));
                        assert_eq!(error["extensions"]["code"], "FORBIDDEN");
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 400, "{checked} checks");
}

#[test]
fn fields_a_role_may_be_denied_are_nullable_in_the_schema() {
    let sdl = clientele::graphql::sdl();
    for (ty, field, rules) in POLICY {
        if !rules.contains(&Rule::Deny) || *field == SENSITIVE_CUSTOM || *field == TEXT_ANSWERS {
            continue;
        }
        let start = sdl.find(&format!("type {ty} ")).unwrap_or_else(|| panic!("type {ty} in SDL"));
        let body = &sdl[start..start + sdl[start..].find("\n}").unwrap()];
        let line = body
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{field}:")))
            .unwrap_or_else(|| panic!("{ty}.{field}"));
        assert!(!line.trim_end().ends_with('!'), "{ty}.{field} can be denied, so it must be nullable: {line}");
    }
}

#[test]
fn the_readme_shows_the_policy_from_the_code() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&clientele::auth::policy::markdown()),
        "README's policy table is stale; paste `cargo run -- policy`"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clientele")).arg("policy").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), clientele::auth::policy::markdown());
}

#[tokio::test]
async fn masked_fields_cannot_be_filtered_sorted_or_searched() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let marketing = &w.credentials[4].1;
    let service = &w.credentials[3].1;
    let by_phone = gql_as(
        &app,
        marketing,
        "{ customers(filter: { phone: { startsWith: \"+86138\" } }) { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(error_code(&by_phone), "FORBIDDEN");
    let nested = gql_as(
        &app,
        marketing,
        "{ deals(filter: { customer: { name: { eq: \"张明\" } } }) { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(error_code(&nested), "FORBIDDEN");
    let by_name = gql_as(&app, marketing, "{ customers(orderBy: [{ field: NAME }]) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&by_name), "FORBIDDEN");
    let amounts = gql_as(&app, service, "{ deals(orderBy: [{ field: AMOUNT }]) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&amounts), "FORBIDDEN");
    let amount_filter =
        gql_as(&app, service, "{ deals(filter: { amount: { gt: \"1\" } }) { totalCount } }", json!({})).await;
    assert_eq!(error_code(&amount_filter), "FORBIDDEN");
    let search = gql_as(&app, marketing, "{ customers(search: \"张明\") { totalCount } }", json!({})).await;
    assert_eq!(search["data"]["customers"]["totalCount"], 0, "a masked name is not searched: {search}");
    let sales_search =
        gql_as(&app, &w.credentials[2].1, "{ customers(search: \"张明\") { totalCount } }", json!({})).await;
    assert_eq!(sales_search["data"]["customers"]["totalCount"], 1);
}

#[tokio::test]
async fn each_role_sees_only_its_rows() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // A second customer: another owner, another team, no marketing consent.
    let (other_rep, _) = app.user(Role::Sales, None).await;
    let other = app
        .create_customer(
            &app.admin_token,
            json!({ "name": "Other", "ownerId": clientele::graphql::relay::global_id("User", other_rep) }),
        )
        .await["id"]
        .clone();
    app.share_with_partners(&other).await;
    mutate(
        &app,
        &app.admin_token,
        "createDeal",
        "CreateDealInput",
        json!({ "customerId": other, "title": "Hidden", "amount": "5" }),
        "deal { id }",
    )
    .await;
    let expected =
        [("ADMIN", 2), ("MANAGER", 1), ("SALES", 1), ("SERVICE", 2), ("MARKETING", 1), ("ANALYST", 2), ("PARTNER", 2)];
    for ((role, auth), (expected_role, n)) in w.credentials.iter().zip(expected) {
        assert_eq!(role, expected_role);
        if role == "ANALYST" {
            // Reports and aggregates only: every list of personal records is refused, a
            // look-up finds nothing, and the aggregates count what an admin's do.
            for list in ["customers", "deals", "tickets", "contacts", "purchases", "interactions", "feedbacks"] {
                let body = gql_as(&app, auth, &format!("{{ {list} {{ totalCount }} }}"), json!({})).await;
                assert_eq!(error_code(&body), "FORBIDDEN", "ANALYST {list}: {body}");
            }
            let body = gql_as(
                &app,
                auth,
                "query($o: ID!) { node(id: $o) { id } customer(id: $o) { id } dealsByStage { count } }",
                json!({ "o": other }),
            )
            .await;
            assert_eq!(body["data"]["node"], Value::Null, "{body}");
            assert_eq!(body["data"]["customer"], Value::Null, "{body}");
            let deals: i64 =
                body["data"]["dealsByStage"].as_array().unwrap().iter().map(|r| r["count"].as_i64().unwrap()).sum();
            assert_eq!(deals, n, "ANALYST dealsByStage counts every deal: {body}");
            continue;
        }
        let body = gql_as(&app, auth, "query($o: ID!) { customers { totalCount } deals { totalCount } node(id: $o) { id } customer(id: $o) { id } }", json!({ "o": other })).await;
        assert_eq!(body["data"]["customers"]["totalCount"], n, "{role} customers: {body}");
        assert_eq!(body["data"]["deals"]["totalCount"], n, "{role} deals");
        let sees_other = n == 2;
        assert_eq!(!body["data"]["node"].is_null(), sees_other, "{role} node");
        assert_eq!(!body["data"]["customer"].is_null(), sees_other, "{role} customer");
        // Nested edges and search agree with the lists.
        let nested = gql_as(
            &app,
            auth,
            "{ deals { nodes { customer { id } } } customers(search: \"Other\") { totalCount } }",
            json!({}),
        )
        .await;
        let edges = nested["data"]["deals"]["nodes"].as_array().map_or(0, Vec::len);
        assert_eq!(edges as i64, n, "{role} nested edges: {nested}");
        let found = nested["data"]["customers"]["totalCount"].as_i64().unwrap_or(-1);
        // A masked name is not searched, so only roles reading names in full find it by name.
        let reads_names = clientele::auth::policy::readable(&viewer_of(role), "Customer", "name");
        assert_eq!(found, i64::from(sees_other && reads_names), "{role} search");
        // A write to the other customer: unseen → NOT_FOUND, seen but not writable → FORBIDDEN.
        let write = gql_as(&app, auth, "mutation($o: ID!) { updateCustomer(input: { id: $o, expectedVersion: 1, notes: \"changed\" }) { customer { id } } }", json!({ "o": other })).await;
        let expected_code = match role.as_str() {
            "ADMIN" => "<none>",
            // Roles that may not write customers at all are refused before any look-up.
            "SERVICE" | "ANALYST" | "MARKETING" => "FORBIDDEN",
            "PARTNER" => "FORBIDDEN",
            _ => "NOT_FOUND",
        };
        assert_eq!(error_code(&write), expected_code, "{role} write: {write}");
        if *role == "ADMIN" {
            // Put it back so the next role sees version 1 again.
            let body = app.gql(&app.admin_token, "mutation($o: ID!) { updateCustomer(input: { id: $o, expectedVersion: 2, notes: null }) { customer { version } } }", json!({ "o": other })).await;
            assert_eq!(body["data"]["updateCustomer"]["customer"]["version"], 3);
            app.db.execute_unprepared("UPDATE customers SET version = 1 WHERE name = 'Other'").await.unwrap();
        }
    }
    let notes = app.gql(&app.admin_token, "query($o: ID!) { customer(id: $o) { notes } }", json!({ "o": other })).await;
    assert_eq!(notes["data"]["customer"]["notes"], Value::Null, "refused writes changed nothing");
}

/// A viewer with `role` (for asking the policy what it reads).
fn viewer_of(role: &str) -> clientele::auth::Viewer {
    let role = match role {
        "ADMIN" => Role::Admin,
        "MANAGER" => Role::Manager,
        "SALES" => Role::Sales,
        "SERVICE" => Role::Service,
        "MARKETING" => Role::Marketing,
        "ANALYST" => Role::Analyst,
        _ => Role::Partner,
    };
    clientele::auth::Viewer { user_id: uuid::Uuid::nil(), role, team_id: None, scopes: Some(vec![]), api_key_id: None }
}

#[tokio::test]
async fn writes_are_refused_by_role_and_scope_and_change_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let c = w.ids["Customer"].clone();
    let deal = json!({ "customerId": c, "title": "X", "amount": "1" });
    for (role, auth) in [&w.credentials[3], &w.credentials[5], &w.credentials[6]] {
        let body = gql_as(
            &app,
            auth,
            "mutation($i: CreateDealInput!) { createDeal(input: $i) { deal { id } } }",
            json!({ "i": deal }),
        )
        .await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{role}: {body}");
    }
    assert_eq!(app.count("deals").await, 1);
    let ticket = gql_as(
        &app,
        &w.credentials[3].1,
        "mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id } userErrors { code } } }",
        json!({ "i": { "customerId": c, "subject": "S", "category": "OTHER" } }),
    )
    .await;
    assert!(ticket["data"]["createTicket"]["ticket"]["id"].is_string(), "service writes tickets: {ticket}");
}

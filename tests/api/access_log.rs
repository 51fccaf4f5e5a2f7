//! The audit of personal-data reads: a response that carries governed fields unmasked to a
//! caller other than a SALES user reading their own rows leaves one access event (who,
//! which records, which fields, when, the request) — the same on the direct path and the
//! standard one — written off the request's path and never lost on a clean shutdown.

use crate::access::gql_as;
use crate::helpers::{TestApp, error_code, fresh_database_url, spawn_app, test_config};
use entity::enums::Role;
use serde_json::{Value, json};
use std::time::Duration;

const LOG: &str = "query($f: PersonalDataAccessFilter) { personalDataAccess(filter: $f) {
    actor { id } apiKeyId requestId at records { recordType recordId fields } } }";

/// The access log as admin, waiting until it holds `n` events (writes are batched).
async fn log(app: &TestApp, filter: Value, n: usize) -> Vec<Value> {
    for _ in 0..50 {
        let body = app.gql(&app.admin_token, LOG, json!({ "f": filter })).await;
        let events = body["data"]["personalDataAccess"].as_array().cloned().unwrap_or_else(|| panic!("{body}"));
        if events.len() >= n {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} access events for {filter}");
}

#[tokio::test]
async fn unmasked_personal_data_leaves_one_event_per_response_on_both_paths() {
    let app = spawn_app().await;
    let (rep, rep_token) = app.user(Role::Sales, None).await;
    let owner = clientele::graphql::relay::global_id("User", rep);
    let c = app
        .create_customer(
            &app.admin_token,
            json!({ "name": "王芳", "phone": "13812345678", "email": "wf@example.com", "ownerId": owner }),
        )
        .await;
    app.write(
        "createContact",
        json!({ "customerId": c["id"], "name": "李四", "phone": "13900001111" }),
        "contact { id }",
    )
    .await;
    let query =
        "query($id: ID!) { customer(id: $id) { id name phone region contacts(first: 5) { nodes { id name phone } } } }";

    // The owner reading their own customer: nothing logged.
    app.gql(&rep_token, query, json!({ "id": c["id"] })).await;
    // The admin's create answered the customer's name, phone and email: logged already.
    let since = chrono::Utc::now();
    // An admin, on the direct path and on the standard one (a directive keeps it there).
    let standard = query.replace("contacts(first: 5)", "contacts(first: 5) @include(if: true)");
    let before = app.direct_answers();
    for query in [query, standard.as_str()] {
        let body = app.gql(&app.admin_token, query, json!({ "id": c["id"] })).await;
        assert_eq!(body["data"]["customer"]["phone"], "+8613812345678", "{body}");
    }
    if std::env::var("CLIENTELE_FAST_PATHS").is_err() {
        assert_eq!(app.direct_answers(), before + 1, "one answer was direct");
    }
    let events = log(&app, json!({ "recordId": c["id"], "from": since }), 2).await;
    assert_eq!(events.len(), 2, "{events:?}");
    for event in &events {
        assert_eq!(event["actor"]["id"], json!(clientele::graphql::relay::global_id("User", app.admin).0));
        assert!(event["requestId"].is_string());
        let records = event["records"].as_array().unwrap();
        let customer = records.iter().find(|r| r["recordType"] == "Customer").unwrap();
        assert_eq!(customer["recordId"], c["id"]);
        assert_eq!(customer["fields"], json!(["name", "phone"]), "region is not governed: {event}");
        let contact = records.iter().find(|r| r["recordType"] == "Contact").unwrap();
        assert_eq!(contact["fields"], json!(["name", "phone"]));
    }
    assert_eq!(events[0]["records"], events[1]["records"], "both paths log the same");

    // A SERVICE user sees the phone masked: only what left unmasked is logged.
    let (service, service_token) = app.user(Role::Service, None).await;
    let body = app.gql(&service_token, query, json!({ "id": c["id"] })).await;
    assert_ne!(body["data"]["customer"]["phone"], "+8613812345678", "{body}");
    let service_gid = clientele::graphql::relay::global_id("User", service);
    let events = log(&app, json!({ "actorId": service_gid }), 1).await;
    let customer = events[0]["records"].as_array().unwrap().iter().find(|r| r["recordType"] == "Customer").cloned();
    assert!(!customer.unwrap()["fields"].as_array().unwrap().contains(&json!("phone")), "{events:?}");
    // Nothing governed in the answer: nothing logged.
    app.gql(&app.admin_token, "query($id: ID!) { customer(id: $id) { id code region } }", json!({ "id": c["id"] }))
        .await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(log(&app, json!({ "recordId": c["id"], "from": since }), 3).await.len(), 3);

    // Admins only; the subject's export carries it.
    let body = app.gql(&rep_token, LOG, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    let export = "mutation($i: ExportSubjectDataInput!) { exportSubjectData(input: $i) { document } }";
    let body = app.gql(&app.admin_token, export, json!({ "i": { "customerId": c["id"] } })).await;
    // The create, the admin's two reads, the service desk's.
    assert_eq!(body["data"]["exportSubjectData"]["document"]["accessLog"].as_array().unwrap().len(), 4, "{body}");
}

#[tokio::test]
async fn partner_keys_reads_name_the_key() {
    let app = spawn_app().await;
    let (partner, _) = app.user(Role::Partner, None).await;
    let made = app
        .write(
            "createApiKey",
            json!({ "name": "ERP", "scopes": ["customers:read", "pii:read"],
                    "ownerId": clientele::graphql::relay::global_id("User", partner).0 }),
            "secret apiKey { id }",
        )
        .await;
    let key = format!("ApiKey {}", made["secret"].as_str().unwrap());
    let c = app.create_customer(&app.admin_token, json!({ "name": "合作客户", "email": "p@example.com" })).await;
    app.share_with_partners(&c["id"]).await;
    let body = gql_as(&app, &key, "{ customers(first: 5) { nodes { id email } } }", json!({})).await;
    assert_eq!(body["data"]["customers"]["nodes"][0]["email"], "p@example.com", "{body}");
    let events = log(&app, json!({ "recordId": c["id"] }), 1).await;
    assert_eq!(events[0]["apiKeyId"], made["apiKey"]["id"]);
}

#[tokio::test]
async fn a_clean_shutdown_writes_every_queued_event() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let app = clientele::startup::Application::build(&test_config(&url, &[])).await.unwrap();
    let (addr, db) = (app.local_addr().unwrap(), app.state().db.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        stopped.await.ok();
    }));
    let admin = clientele::service::user::create(&db, "a@example.com", "Admin", Role::Admin, None, None).await.unwrap();
    let keys =
        clientele::auth::jwt::JwtKeys::hs256(crate::helpers::SECRET.as_bytes(), "clientele", "clientele-api").unwrap();
    let token = keys.issue(admin.id, "ADMIN", chrono::Duration::hours(1)).unwrap();
    let client = crate::helpers::http_client();
    let create = "mutation { createCustomer(input: { name: \"赵六\", phone: \"13811112222\" }) { customer { id } } }";
    let post = |query: &'static str| {
        client.post(format!("http://{addr}/graphql")).bearer_auth(&token).json(&json!({ "query": query }))
    };
    post(create).send().await.unwrap();
    for _ in 0..20 {
        let body: Value =
            post("{ customers(first: 5) { nodes { name phone } } }").send().await.unwrap().json().await.unwrap();
        assert_eq!(body["data"]["customers"]["nodes"][0]["phone"], "+8613811112222");
    }
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(entity::personal_data_access::Entity::find().count(&db).await.unwrap(), 20);
}

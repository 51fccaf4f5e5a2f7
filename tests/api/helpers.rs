//! `spawn_app()` and the small vocabulary the tests speak.

use clientele::auth::jwt::JwtKeys;
use clientele::config::Config;
use clientele::startup::Application;
use entity::enums::Role;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use uuid::Uuid;

/// The HS256 secret the test servers use.
pub const SECRET: &str = "test-secret-that-is-long-enough-for-hs256";

/// A running server with its own database.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub keys: JwtKeys,
    pub admin: Uuid,
    pub admin_token: String,
    metrics: clientele::metrics::Metrics,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// A fresh database URL: a new PostgreSQL database when CLIENTELE_TEST_DATABASE_URL is
/// set, else a SQLite file in `dir`.
pub async fn fresh_database_url(dir: &tempfile::TempDir) -> String {
    match std::env::var("CLIENTELE_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(server) => {
            let name = format!("clientele_test_{}", Uuid::now_v7().simple());
            let admin = Database::connect(&server).await.expect("connect to CLIENTELE_TEST_DATABASE_URL");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            admin.close().await.ok();
            let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
        None => format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
    }
}

/// The settings a test server runs with.
pub fn test_config(database_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("CLIENTELE_LISTEN".into(), "127.0.0.1:0".into()),
        ("CLIENTELE_DATABASE_URL".into(), database_url.into()),
        ("CLIENTELE_JWT_SECRET".into(), SECRET.into()),
        ("CLIENTELE_DB_MAX_CONNECTIONS".into(), "5".into()),
        // Tests classify when they choose, at the time they choose.
        ("CLIENTELE_CLASSIFY_EVERY_HOURS".into(), "0".into()),
        // … and sweep service levels likewise.
        ("CLIENTELE_SLA_SWEEP_SECS".into(), "0".into()),
        // … and apply retention likewise.
        ("CLIENTELE_RETENTION_EVERY_HOURS".into(), "0".into()),
    ]);
    // `.ci/run` runs the suite once more with every speed path off.
    if let Ok(paths) = std::env::var("CLIENTELE_FAST_PATHS") {
        vars.insert("CLIENTELE_FAST_PATHS".into(), paths);
    }
    for (k, v) in extra {
        vars.insert((*k).into(), (*v).into());
    }
    Config::from_lookup(|k| vars.get(k).cloned()).expect("test config")
}

/// Installs the process's TLS provider (reqwest is built without one, as in the server),
/// so a client made before any server is built in this process works too.
pub fn tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP client for the tests.
pub fn http_client() -> reqwest::Client {
    tls();
    reqwest::Client::new()
}

/// Starts the server and creates an admin.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the server with every speed path on, whatever `CLIENTELE_FAST_PATHS` says (for
/// the tests of those paths themselves), and creates an admin.
pub async fn spawn_fast_app() -> TestApp {
    spawn_app_with(&[("CLIENTELE_FAST_PATHS", "all")]).await
}

/// Starts the server with extra settings and creates an admin.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database_url(&dir).await;
    let config = test_config(&database_url, extra);
    let app = Application::build(&config).await.expect("build app");
    let addr = app.local_addr().expect("addr");
    let db = app.state().db.clone();
    let metrics = app.state().metrics.clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        rx.await.ok();
    }));
    let keys = JwtKeys::hs256(SECRET.as_bytes(), "clientele", "clientele-api").expect("keys");
    let mut app = TestApp {
        addr,
        client: http_client(),
        db,
        keys,
        admin: Uuid::nil(),
        admin_token: String::new(),
        metrics,
        shutdown: Some(tx),
        _dir: dir,
    };
    let (admin, token) = app.user(Role::Admin, None).await;
    app.admin = admin;
    app.admin_token = token;
    app
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl TestApp {
    /// `http://addr/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Creates a user with `role` (in `team`, if given) and returns its id and a token.
    pub async fn user(&self, role: Role, team: Option<Uuid>) -> (Uuid, String) {
        let email = format!("{}@example.com", Uuid::now_v7().simple());
        let user = clientele::service::user::create(&self.db, &email, "Test User", role, team, None)
            .await
            .expect("create user");
        let token = self.keys.issue(user.id, role.as_str(), chrono::Duration::hours(1)).expect("token");
        (user.id, token)
    }

    /// Sets the role and active flag of user `id` straight in the database.
    pub async fn set_user(&self, id: Uuid, role: Role, active: bool) {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
        let user = entity::user::Entity::find_by_id(id).one(&self.db).await.expect("read user").expect("user");
        let mut row: entity::user::ActiveModel = user.into();
        row.role = Set(role);
        row.active = Set(active);
        row.update(&self.db).await.expect("update user");
    }

    /// Sends a GraphQL request as `token` and returns the JSON body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        self.client
            .post(self.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json body")
    }

    /// Queries the server answered by one statement (`graphql::direct`) so far.
    pub fn direct_answers(&self) -> u64 {
        self.metrics.direct_answers.get()
    }

    /// Direct answers given up after a failure so far.
    pub fn direct_failures(&self) -> u64 {
        self.metrics.direct_failures.get()
    }

    /// Direct answers whose plan was kept from an earlier request so far.
    pub fn direct_reused(&self) -> u64 {
        self.metrics.direct_reused.get()
    }

    /// SQL statements the server has executed so far.
    pub fn statements(&self) -> u64 {
        self.metrics.db_statements.get()
    }

    /// Creates a customer as `token`, returning its JSON (id, code, version …).
    pub async fn create_customer(&self, token: &str, input: Value) -> Value {
        let body = self
            .gql(
                token,
                "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
                    customer { id code name phone email version }
                    userErrors { field code message } } }",
                json!({ "input": input }),
            )
            .await;
        let payload = &body["data"]["createCustomer"];
        assert_eq!(payload["userErrors"], json!([]), "unexpected errors: {body}");
        payload["customer"].clone()
    }

    /// Runs the mutation `name(input: $i)` as admin, checks it had no user errors, and
    /// answers its payload (`select` chooses the payload's fields besides `userErrors`).
    pub async fn write(&self, name: &str, input: Value, select: &str) -> Value {
        let kind = format!("{}{}Input", name[..1].to_uppercase(), &name[1..]);
        let query =
            format!("mutation($i: {kind}!) {{ {name}(input: $i) {{ {select} userErrors {{ field code message }} }} }}");
        let body = self.gql(&self.admin_token, &query, json!({ "i": input })).await;
        assert_eq!(body["data"][name]["userErrors"], json!([]), "{name}: {body}");
        body["data"][name].clone()
    }

    /// Records the customer's consent to partner sharing (publishing a privacy notice
    /// first if there is none), so that partner keys see it.
    pub async fn share_with_partners(&self, customer: &Value) {
        let notices = self.gql(&self.admin_token, "{ privacyNotices { version } }", json!({})).await;
        if notices["data"]["privacyNotices"] == json!([]) {
            let publish = "mutation { publishPrivacyNotice(input: { title: \"v1\", body: \"notice\" }) { userErrors { message } } }";
            let body = self.gql(&self.admin_token, publish, json!({})).await;
            assert_eq!(body["data"]["publishPrivacyNotice"]["userErrors"], json!([]), "{body}");
        }
        let grant = "mutation($id: ID!) { grantConsent(input: { customerId: $id, purpose: PARTNER_SHARING, source: \"test\" }) {
            userErrors { message } } }";
        let body = self.gql(&self.admin_token, grant, json!({ "id": customer })).await;
        assert_eq!(body["data"]["grantConsent"]["userErrors"], json!([]), "{body}");
    }

    /// Counts rows of `table` straight from the database.
    pub async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

/// The `extensions.code` of the first error.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or("<none>")
}

//! Faults, against the real binary (`clientele serve`) and a real database: the database
//! down at start, PostgreSQL restarting under load (a TCP proxy in front of it drops every
//! connection and refuses new ones for a while), an exhausted pool, SIGTERM under load.

use crate::helpers::{SECRET, fresh_database_url, spawn_app_with};
use entity::enums::Role;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// The server binary, serving on a free port; killed when dropped.
struct Binary {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Binary {
    fn start(database_url: &str, extra: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_clientele"));
        command
            .arg("serve")
            .env("CLIENTELE_DATABASE_URL", database_url)
            .env("CLIENTELE_LISTEN", format!("127.0.0.1:{port}"))
            .env("CLIENTELE_JWT_SECRET", SECRET)
            .env("CLIENTELE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in extra {
            command.env(k, v);
        }
        let child = command.spawn().unwrap();
        Self { child, base: format!("http://127.0.0.1:{port}"), client: crate::helpers::http_client() }
    }

    async fn status(&self, path: &str) -> Option<u16> {
        self.client.get(format!("{}{path}", self.base)).send().await.ok().map(|r| r.status().as_u16())
    }

    /// Waits until `path` answers `status`, at most `within`.
    async fn wait_for(&self, path: &str, status: u16, within: Duration) {
        let start = Instant::now();
        while self.status(path).await != Some(status) {
            assert!(start.elapsed() < within, "{path} did not answer {status} within {within:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn gql(&self, token: &str, query: &str) -> Result<(u16, Value), reqwest::Error> {
        let response = self
            .client
            .post(format!("{}/graphql", self.base))
            .bearer_auth(token)
            .json(&json!({ "query": query }))
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.json().await?;
        Ok((status, body))
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An admin in the database at `url` (migrated), and a token for it.
async fn admin_token(url: &str) -> String {
    let db = sea_orm::Database::connect(url).await.unwrap();
    let email = format!("{}@example.com", uuid::Uuid::now_v7().simple());
    let user = clientele::service::user::create(&db, &email, "Admin", Role::Admin, None, None).await.unwrap();
    let keys = clientele::auth::jwt::JwtKeys::hs256(SECRET.as_bytes(), "clientele", "clientele-api").unwrap();
    keys.issue(user.id, "ADMIN", chrono::Duration::hours(1)).unwrap()
}

/// A TCP proxy: a database "restart" drops every connection and refuses new ones.
struct Proxy {
    port: u16,
    down: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    async fn start(target: String, down: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let proxy = Self { port, down: Arc::new(AtomicBool::new(down)), links: Arc::default() };
        let (flag, links) = (proxy.down.clone(), proxy.links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if flag.load(Ordering::SeqCst) {
                    continue; // dropped: connection refused, as by a stopped server
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target.as_str()).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                links.lock().unwrap().push(link.abort_handle());
            }
        });
        proxy
    }

    fn outage(&self) {
        self.down.store(true, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.down.store(false, Ordering::SeqCst);
    }

    /// `url` with its host and port replaced by the proxy's.
    fn route(&self, url: &str) -> String {
        let (scheme_user, rest) = url.split_once('@').unwrap();
        let (_, path) = rest.split_once('/').unwrap();
        format!("{scheme_user}@127.0.0.1:{}/{path}", self.port)
    }
}

/// `host:port` of a PostgreSQL URL.
fn host_port(url: &str) -> String {
    let rest = url.split_once('@').unwrap().1;
    rest.split_once('/').unwrap().0.to_string()
}

fn postgres() -> bool {
    std::env::var("CLIENTELE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

/// PostgreSQL only: a SQLite file is local, and one that cannot be opened stops the start
/// with a message (there is nothing to wait for).
#[tokio::test]
async fn a_database_down_at_start_is_waited_for_without_a_restart() {
    if !postgres() {
        eprintln!("skipped: needs CLIENTELE_TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let real = fresh_database_url(&dir).await;
    let proxy = Proxy::start(host_port(&real), true).await;
    let url = proxy.route(&real);
    let server = Binary::start(&url, &[("CLIENTELE_DB_ACQUIRE_TIMEOUT_MS", "500")]);
    server.wait_for("/healthz", 200, Duration::from_secs(20)).await;
    assert_eq!(server.status("/readyz").await, Some(503));
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(server.status("/readyz").await, Some(503), "still not ready while the database is away");
    // A signed token whose user cannot be looked up: a typed error, not a hang.
    let keys = clientele::auth::jwt::JwtKeys::hs256(SECRET.as_bytes(), "clientele", "clientele-api").unwrap();
    let stranger = keys.issue(uuid::Uuid::now_v7(), "ADMIN", chrono::Duration::hours(1)).unwrap();
    let (status, body) = server.gql(&stranger, "{ customers { totalCount } }").await.unwrap();
    assert_eq!((status, &body["errors"][0]["extensions"]["code"]), (500, &json!("INTERNAL")), "{body}");
    // The database comes up: migrated and ready without a restart.
    proxy.restore();
    server.wait_for("/readyz", 200, Duration::from_secs(20)).await;
    let token = admin_token(&real).await;
    let (status, body) = server.gql(&token, "{ customers { totalCount } }").await.unwrap();
    assert_eq!((status, &body["data"]["customers"]["totalCount"]), (200, &json!(0)), "{body}");
}

#[tokio::test]
async fn postgres_restarted_under_load_fails_typed_then_recovers_without_a_restart() {
    if !postgres() {
        eprintln!("skipped: needs CLIENTELE_TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let real = fresh_database_url(&dir).await;
    let proxy = Arc::new(Proxy::start(host_port(&real), false).await);
    let url = proxy.route(&real);
    let server = Arc::new(Binary::start(&url, &[("CLIENTELE_DB_ACQUIRE_TIMEOUT_MS", "1000")]));
    server.wait_for("/readyz", 200, Duration::from_secs(20)).await;
    let token = Arc::new(admin_token(&url).await);
    let pid = server.pid();
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, token, stop) = (server.clone(), token.clone(), stop.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    let (status, body) = server.gql(&token, "{ customers { totalCount } }").await.unwrap();
                    let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or("OK").to_string();
                    assert!(matches!(code.as_str(), "OK" | "INTERNAL" | "UNAUTHENTICATED"), "{status} {body}");
                    assert!(!body.to_string().to_lowercase().contains("sqlx"), "internals leaked: {body}");
                    seen.push(code);
                }
                seen
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    proxy.outage();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    proxy.restore();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    stop.store(true, Ordering::SeqCst);
    let mut failed = 0;
    for worker in workers {
        let seen = worker.await.unwrap();
        failed += seen.iter().filter(|c| *c != "OK").count();
        assert_eq!(seen.last().map(String::as_str), Some("OK"), "after the restart requests succeed again: {seen:?}");
    }
    assert!(failed > 0, "the outage should have been seen by some request");
    assert_eq!(server.pid(), pid);
    server.wait_for("/readyz", 200, Duration::from_secs(5)).await;
}

#[tokio::test]
async fn an_exhausted_pool_answers_a_typed_error_within_the_acquire_timeout() {
    let app =
        spawn_app_with(&[("CLIENTELE_DB_MAX_CONNECTIONS", "1"), ("CLIENTELE_DB_ACQUIRE_TIMEOUT_MS", "300")]).await;
    // The only connection, held.
    let held = sea_orm::TransactionTrait::begin(&app.db).await.unwrap();
    let start = Instant::now();
    let reply =
        crate::admin(&app, "mutation { createCustomer(input: {name: \"waits\"}) { customer { id } } }", json!({}))
            .await;
    assert!(start.elapsed() < Duration::from_secs(3), "took {:?}", start.elapsed());
    reply.expect_code("INTERNAL");
    assert!(reply.text.contains("busy or unreachable"), "{}", reply.text);
    drop(held);
    let reply =
        crate::admin(&app, "mutation { createCustomer(input: {name: \"later\"}) { customer { id } } }", json!({}))
            .await;
    reply.expect_ok();
}

#[tokio::test]
async fn sigterm_under_load_finishes_in_flight_requests_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let mut server = Binary::start(&url, &[("CLIENTELE_SHUTDOWN_GRACE_SECS", "10")]);
    server.wait_for("/readyz", 200, Duration::from_secs(20)).await;
    let token = Arc::new(admin_token(&url).await);
    let base = server.base.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..8)
        .map(|i| {
            let (token, stop, base) = (token.clone(), stop.clone(), base.clone());
            tokio::spawn(async move {
                let client = crate::helpers::http_client();
                let (mut answered, mut refused) = (0, 0);
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let body = json!({ "query": format!("mutation {{ createCustomer(input: {{name: \"w{i}-{n}\"}}) {{ customer {{ id }} }} }}") });
                    match client.post(format!("{base}/graphql")).bearer_auth(token.as_str()).json(&body).send().await {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            let body: Value = response.json().await.expect("a started answer is finished");
                            assert_eq!(status, 200, "{body}");
                            assert!(body["data"]["createCustomer"]["customer"]["id"].is_string(), "{body}");
                            answered += 1;
                        }
                        Err(_) => {
                            refused += 1;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
                (answered, refused)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let killed = Command::new("kill").args(["-TERM", &server.pid().to_string()]).status().unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "did not exit within the grace period");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status:?}");
    // New requests are refused now.
    assert!(server.status("/healthz").await.is_none());
    stop.store(true, Ordering::SeqCst);
    let mut answered = 0;
    for worker in workers {
        answered += worker.await.unwrap().0;
    }
    assert!(answered > 0);
    // Every answered create was committed: answers and rows agree.
    let db = sea_orm::Database::connect(&url).await.unwrap();
    use sea_orm::{EntityTrait, PaginatorTrait};
    let rows = entity::customer::Entity::find().count(&db).await.unwrap();
    assert!(rows >= answered as u64, "{rows} rows for {answered} answered creates");
}

//! The binary: help, schema, and a graceful stop on SIGTERM.

use crate::helpers::{fresh_database_url, http_client};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_clientele");

#[test]
fn help_explains_every_subcommand() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["serve", "migrate", "schema", "user", "token", "seed", "reclassify"] {
        assert!(text.contains(word), "--help does not mention {word}: {text}");
    }
    let user = Command::new(BIN).args(["user", "create", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&user.stdout).contains("--email"));
}

#[test]
fn schema_prints_the_sdl() {
    let out = Command::new(BIN).arg("schema").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), clientele::graphql::sdl());
}

#[tokio::test]
async fn user_token_and_serve_work_together_and_sigterm_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let env = [("CLIENTELE_DATABASE_URL", url.as_str()), ("CLIENTELE_LOG_FORMAT", "json")];
    let mut create = Command::new(BIN)
        .args(["user", "create", "--email", "ops@example.com", "--name", "Ops", "--role", "admin"])
        .envs(env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        create.stdin.take().unwrap().write_all(b"correct horse battery\n").unwrap();
    }
    assert!(create.wait().unwrap().success());
    let token =
        Command::new(BIN).args(["token", "--user", "ops@example.com", "--ttl", "10m"]).envs(env).output().unwrap();
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();

    let listen = format!("127.0.0.1:{port}");
    let mut server = Command::new(BIN).arg("serve").envs(env).env("CLIENTELE_LISTEN", &listen).spawn().unwrap();
    let client = http_client();
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("http://{listen}/readyz")).send().await
            && r.status() == 200
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "server did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let body: serde_json::Value = client
        .post(format!("http://{listen}/graphql"))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "query": "{ viewer { email role } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["viewer"]["email"], "ops@example.com");

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not stop after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status {status:?}");
}

#[tokio::test]
async fn seed_demo_fills_a_fresh_database_and_is_safe_to_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let first = Command::new(BIN).args(["seed", "--demo"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(out.contains("admin@demo.clientele.dev / "), "{out}");
    let again = Command::new(BIN).args(["seed", "--demo"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already present"));
    let db = sea_orm::Database::connect(&url).await.unwrap();
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(entity::customer::Entity::find().count(&db).await.unwrap(), 300);
    assert!(entity::contact::Entity::find().count(&db).await.unwrap() > 100);
    assert!(entity::ticket::Entity::find().count(&db).await.unwrap() > 100);
    // The demo is classified as it is seeded: a reclassification finds nothing to change.
    let reclassify = Command::new(BIN).arg("reclassify").env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(reclassify.status.success(), "{}", String::from_utf8_lossy(&reclassify.stderr));
    let out = String::from_utf8_lossy(&reclassify.stdout);
    assert!(out.contains("lifecycle stage changed for 0 customers, value tier for 0"), "{out}");
}

#[tokio::test]
async fn seed_scale_writes_the_proportions_it_promises() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let out =
        Command::new(BIN).args(["seed", "--scale", "0.002"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let db = sea_orm::Database::connect(&url).await.unwrap();
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    assert_eq!(entity::customer::Entity::find().count(&db).await.unwrap(), 200);
    assert_eq!(entity::contact::Entity::find().count(&db).await.unwrap(), 600);
    assert_eq!(entity::deal::Entity::find().count(&db).await.unwrap(), 800);
    assert_eq!(entity::ticket::Entity::find().count(&db).await.unwrap(), 2000);
    assert_eq!(entity::interaction::Entity::find().count(&db).await.unwrap(), 1000);
    assert_eq!(entity::survey_response::Entity::find().count(&db).await.unwrap(), 400);
    let open = entity::deal::Entity::find().filter(entity::deal::Column::ClosedAt.is_null()).count(&db).await.unwrap();
    assert!((400..=640).contains(&open), "about 2.7 open deals per customer: {open}");
    let again =
        Command::new(BIN).args(["seed", "--scale", "0.002"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(again.status.success());
    assert_eq!(entity::customer::Entity::find().count(&db).await.unwrap(), 200, "a second run adds nothing");
    let bad = Command::new(BIN).args(["seed", "--scale", "0"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(!bad.status.success());
}

#[tokio::test]
async fn subject_export_erase_and_retention_run_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let seeded = Command::new(BIN).args(["seed", "--demo"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let db = sea_orm::Database::connect(&url).await.unwrap();
    use sea_orm::{EntityTrait, QueryOrder};
    let first =
        entity::customer::Entity::find().order_by_asc(entity::customer::Column::Code).one(&db).await.unwrap().unwrap();
    let export = |code: &str| {
        let out = Command::new(BIN)
            .args(["subject", "export", "--customer", code])
            .env("CLIENTELE_DATABASE_URL", &url)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let doc = export(&first.code);
    assert_eq!(doc["format"], "clientele.subject-export/1");
    assert_eq!(doc["customer"]["name"], serde_json::json!(first.name));
    assert!(!doc["contacts"].as_array().unwrap().is_empty() || !doc["interactions"].as_array().unwrap().is_empty());
    let erase = Command::new(BIN)
        .args(["subject", "erase", "--customer", &first.code, "--reason", "request of 2026-12-01"])
        .env("CLIENTELE_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(erase.status.success(), "{}", String::from_utf8_lossy(&erase.stderr));
    assert_eq!(export(&first.code)["customer"]["name"], "[erased]");
    let unknown = Command::new(BIN)
        .args(["subject", "export", "--customer", "C000"])
        .env("CLIENTELE_DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no customer with code C000"));
    // The retention run, counting only.
    let dry =
        Command::new(BIN).args(["retention", "run", "--dry-run"]).env("CLIENTELE_DATABASE_URL", &url).output().unwrap();
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("PURGE_IDEMPOTENCY_KEYS: would touch 0 records"));
}

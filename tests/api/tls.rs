//! Encryption in transit: the server on HTTPS with a certificate the test generates
//! (HTTP/2 and HTTP/1.1 by ALPN, HSTS on responses, the certificate reloaded when its files
//! change), and database connections with `sslmode=require` (when the suite runs on
//! PostgreSQL, whose local server has TLS on).

use crate::helpers::{spawn_app_with, test_config};
use serde_json::{Value, json};
use std::time::Duration;

/// A self-signed certificate for localhost and 127.0.0.1, as PEM (certificate, key).
fn certificate() -> (String, String) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    (made.cert.pem(), made.signing_key.serialize_pem())
}

fn client(trusted: &str, http1_only: bool) -> reqwest::Client {
    crate::helpers::tls();
    let mut builder = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(trusted.as_bytes()).unwrap()])
        .timeout(Duration::from_secs(10));
    if http1_only {
        builder = builder.http1_only();
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn the_server_speaks_https_with_hsts_and_reloads_its_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, &cert).unwrap();
    std::fs::write(&key_path, &key).unwrap();
    let app = spawn_app_with(&[
        ("CLIENTELE_TLS_CERT", cert_path.to_str().unwrap()),
        ("CLIENTELE_TLS_KEY", key_path.to_str().unwrap()),
    ])
    .await;
    let url = format!("https://localhost:{}/graphql", app.addr.port());
    let ask = |client: reqwest::Client| {
        let (url, token) = (url.clone(), app.admin_token.clone());
        async move { client.post(&url).bearer_auth(token).json(&json!({ "query": "{ viewer { role } }" })).send().await }
    };
    for (http1_only, version) in [(false, reqwest::Version::HTTP_2), (true, reqwest::Version::HTTP_11)] {
        let response = ask(client(&cert, http1_only)).await.unwrap();
        assert_eq!(response.version(), version);
        let hsts = response.headers().get("strict-transport-security").unwrap().to_str().unwrap().to_string();
        assert_eq!(hsts, "max-age=31536000; includeSubDomains");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["data"]["viewer"]["role"], "ADMIN", "{body}");
    }
    // Plain HTTP on the TLS port gets nothing.
    let plain = crate::helpers::http_client().get(format!("http://127.0.0.1:{}/health", app.addr.port())).send().await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());

    // A new certificate in the files: new connections get it, without a restart.
    let (new_cert, new_key) = certificate();
    std::fs::write(&key_path, &new_key).unwrap();
    std::fs::write(&cert_path, &new_cert).unwrap();
    let mut reloaded = false;
    for _ in 0..60 {
        if ask(client(&new_cert, true)).await.is_ok_and(|r| r.status().is_success()) {
            reloaded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(reloaded, "the new certificate was not served within 15 s");
    assert!(ask(client(&cert, true)).await.is_err(), "the old certificate is no longer served");
}

#[tokio::test]
async fn a_half_configured_or_unreadable_certificate_stops_the_start() {
    let err = clientele::config::Config::from_lookup(|k| (k == "CLIENTELE_TLS_CERT").then(|| "/x.pem".into()));
    assert!(err.unwrap_err().to_string().contains("CLIENTELE_TLS_KEY"));
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(&dir).await;
    let config = test_config(
        &url,
        &[("CLIENTELE_TLS_CERT", "/nonexistent/cert.pem"), ("CLIENTELE_TLS_KEY", "/nonexistent/key.pem")],
    );
    let err = clientele::startup::Application::build(&config).await.err().expect("refused");
    assert!(err.to_string().contains("/nonexistent/cert.pem"), "{err}");
}

#[tokio::test]
async fn database_connections_honour_sslmode_require() {
    let Some(server) = std::env::var("CLIENTELE_TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres")) else {
        return; // SQLite: no connection to encrypt.
    };
    let url =
        if server.contains('?') { format!("{server}&sslmode=require") } else { format!("{server}?sslmode=require") };
    let config = test_config(&url, &[]);
    let db = clientele::db::connect(&config, &clientele::metrics::Metrics::new()).await.unwrap();
    use sea_orm::ConnectionTrait;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(row.try_get::<bool>("", "ssl").unwrap(), "the connection is encrypted");
}

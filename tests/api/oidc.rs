//! Tokens from an outside identity provider: algorithms, JWKS rotation, hostile headers,
//! user matching and provisioning; token lifetime limits.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const ISSUER: &str = "https://idp.example.com";
const AUDIENCE: &str = "clientele";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn key(alg: Algorithm) -> EncodingKey {
    match alg {
        Algorithm::EdDSA => EncodingKey::from_ed_pem(&fixture("ed25519.pem")).unwrap(),
        Algorithm::ES256 => EncodingKey::from_ec_pem(&fixture("p256.pem")).unwrap(),
        _ => EncodingKey::from_rsa_pem(&fixture("rsa.pem")).unwrap(),
    }
}

fn jwk(alg: Algorithm, kid: &str) -> Jwk {
    let mut jwk = Jwk::from_encoding_key(&key(alg), alg).unwrap();
    jwk.common.key_id = Some(kid.into());
    jwk
}

fn write_jwks(path: &Path, keys: Vec<Jwk>) {
    std::fs::write(path, serde_json::to_string(&JwkSet { keys }).unwrap()).unwrap();
}

fn claims(sub: &str, email: Option<&str>) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({ "sub": sub, "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, "email": email, "email_verified": email.is_some(), "name": "Ext User" })
}

fn sign(alg: Algorithm, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_string);
    encode(&header, claims, &key(alg)).unwrap()
}

async fn status(app: &TestApp, token: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": "{ viewer { email role } }" }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn idp_app(jwks: &Path, extra: &[(&str, &str)]) -> TestApp {
    let location = format!("file://{}", jwks.display());
    let mut settings = vec![
        ("CLIENTELE_OIDC_ISSUER", ISSUER),
        ("CLIENTELE_OIDC_AUDIENCE", AUDIENCE),
        ("CLIENTELE_OIDC_JWKS", location.as_str()),
        ("CLIENTELE_OIDC_JWKS_MIN_REFRESH_SECS", "0"),
    ];
    settings.extend_from_slice(extra);
    spawn_app_with(&settings).await
}

fn jwks_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("jwks.json")
}

#[tokio::test]
async fn a_verified_email_links_the_user_and_eddsa_and_es256_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = jwks_path(&dir);
    write_jwks(&path, vec![jwk(Algorithm::EdDSA, "ed"), jwk(Algorithm::ES256, "ec")]);
    let app = idp_app(&path, &[]).await;
    clientele::service::user::create(&app.db, "ext@example.com", "Ext", entity::enums::Role::Service, None, None)
        .await
        .unwrap();
    let (code, body) =
        status(&app, &sign(Algorithm::EdDSA, Some("ed"), &claims("idp|42", Some("ext@example.com")))).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["role"], "SERVICE");
    // Linked: the subject alone now finds the user, with another algorithm and key.
    let (code, body) = status(&app, &sign(Algorithm::ES256, Some("ec"), &claims("idp|42", None))).await;
    assert_eq!((code, body["data"]["viewer"]["email"].clone()), (200, json!("ext@example.com")));
}

#[tokio::test]
async fn unverified_or_unknown_subjects_are_refused_unless_provisioning_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = jwks_path(&dir);
    write_jwks(&path, vec![jwk(Algorithm::EdDSA, "ed")]);
    let app = idp_app(&path, &[]).await;
    clientele::service::user::create(&app.db, "taken@example.com", "T", entity::enums::Role::Sales, None, None)
        .await
        .unwrap();
    let mut unverified = claims("idp|1", Some("taken@example.com"));
    unverified["email_verified"] = json!(false);
    assert_eq!(status(&app, &sign(Algorithm::EdDSA, Some("ed"), &unverified)).await.0, 401);
    assert_eq!(
        status(&app, &sign(Algorithm::EdDSA, Some("ed"), &claims("idp|2", Some("new@example.com")))).await.0,
        401
    );

    let provisioning =
        idp_app(&path, &[("CLIENTELE_OIDC_PROVISION", "true"), ("CLIENTELE_OIDC_DEFAULT_ROLE", "marketing")]).await;
    let (code, body) =
        status(&provisioning, &sign(Algorithm::EdDSA, Some("ed"), &claims("idp|3", Some("fresh@example.com")))).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["role"], "MARKETING");
}

#[tokio::test]
async fn keys_rotate_through_the_jwks_and_hostile_headers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = jwks_path(&dir);
    write_jwks(&path, vec![jwk(Algorithm::EdDSA, "old")]);
    let app = idp_app(&path, &[]).await;
    clientele::service::user::create(&app.db, "rot@example.com", "R", entity::enums::Role::Sales, None, None)
        .await
        .unwrap();
    let c = claims("idp|rot", Some("rot@example.com"));
    assert_eq!(status(&app, &sign(Algorithm::ES256, Some("new"), &c)).await.0, 401, "not published yet");
    write_jwks(&path, vec![jwk(Algorithm::EdDSA, "old"), jwk(Algorithm::ES256, "new")]);
    assert_eq!(
        status(&app, &sign(Algorithm::ES256, Some("new"), &c)).await.0,
        200,
        "an unknown kid refetches the JWKS"
    );

    // A kid naming an EdDSA key, used with ES256: algorithm/key mismatch.
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("old".into());
    assert_eq!(status(&app, &encode(&header, &c, &key(Algorithm::ES256)).unwrap()).await.0, 401);
    for kid in ["../../etc/passwd", "' OR 1=1 --", &"k".repeat(5000)] {
        assert_eq!(status(&app, &sign(Algorithm::EdDSA, Some(kid), &c)).await.0, 401, "kid {:.20}", kid);
    }
    // jku pointing elsewhere is never followed.
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some("attacker".into());
    header.jku = Some("https://attacker.example/jwks.json".into());
    assert_eq!(status(&app, &encode(&header, &c, &key(Algorithm::EdDSA)).unwrap()).await.0, 401);
    // HS256 with the provider's public key as the secret (key confusion), and alg none.
    let confusion =
        encode(&Header::new(Algorithm::HS256), &c, &EncodingKey::from_secret(&fixture("ed25519_public.pem")).unwrap())
            .unwrap();
    assert_eq!(status(&app, &confusion).await.0, 401);
    let none = format!(
        "{}.{}.",
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, r#"{"alg":"none","typ":"JWT"}"#),
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, c.to_string())
    );
    assert_eq!(status(&app, &none).await.0, 401);
}

#[tokio::test]
async fn a_pem_public_key_verifies_rs256() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rsa_public.pem");
    let path = path.display().to_string();
    let app = spawn_app_with(&[
        ("CLIENTELE_OIDC_ISSUER", ISSUER),
        ("CLIENTELE_OIDC_AUDIENCE", AUDIENCE),
        ("CLIENTELE_OIDC_PUBLIC_KEY_FILE", path.as_str()),
        ("CLIENTELE_OIDC_PUBLIC_KEY_ALG", "RS256"),
    ])
    .await;
    clientele::service::user::create(&app.db, "rsa@example.com", "R", entity::enums::Role::Analyst, None, None)
        .await
        .unwrap();
    let c = claims("idp|rsa", Some("rsa@example.com"));
    assert_eq!(status(&app, &sign(Algorithm::RS256, None, &c)).await.0, 200);
    // RS256 → HS256 key confusion: the public key as an HMAC secret.
    let confusion =
        encode(&Header::new(Algorithm::HS256), &c, &EncodingKey::from_secret(&fixture("rsa_public.pem")).unwrap())
            .unwrap();
    assert_eq!(status(&app, &confusion).await.0, 401);
    let mut wrong_aud = c.clone();
    wrong_aud["aud"] = json!("another-api");
    assert_eq!(status(&app, &sign(Algorithm::RS256, None, &wrong_aud)).await.0, 401);
}

#[tokio::test]
async fn tokens_living_longer_than_the_maximum_are_refused() {
    let app = spawn_app().await;
    let now = chrono::Utc::now().timestamp();
    let long = json!({ "sub": app.admin.to_string(), "iss": "clientele", "aud": "clientele-api", "iat": now, "exp": now + 2 * 86_400 });
    let token = encode(
        &Header::new(Algorithm::HS256),
        &long,
        &EncodingKey::from_secret(crate::helpers::SECRET.as_bytes()).unwrap(),
    )
    .unwrap();
    assert_eq!(status(&app, &token).await.0, 401);
}

#[tokio::test]
async fn a_jwks_url_is_fetched_cached_and_refetched_for_a_new_kid() {
    use std::sync::{Arc, Mutex};
    let served =
        Arc::new(Mutex::new(serde_json::to_string(&JwkSet { keys: vec![jwk(Algorithm::EdDSA, "a")] }).unwrap()));
    let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (body, counter) = (served.clone(), hits.clone());
    let router = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(move || {
            let body = body.clone();
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                body.lock().unwrap().clone()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let app = spawn_app_with(&[
        ("CLIENTELE_OIDC_ISSUER", ISSUER),
        ("CLIENTELE_OIDC_AUDIENCE", AUDIENCE),
        ("CLIENTELE_OIDC_JWKS", url.as_str()),
        ("CLIENTELE_OIDC_JWKS_MIN_REFRESH_SECS", "0"),
    ])
    .await;
    clientele::service::user::create(&app.db, "url@example.com", "U", entity::enums::Role::Sales, None, None)
        .await
        .unwrap();
    let c = claims("idp|url", Some("url@example.com"));
    for _ in 0..3 {
        assert_eq!(status(&app, &sign(Algorithm::EdDSA, Some("a"), &c)).await.0, 200);
    }
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 1, "the key set is cached");
    *served.lock().unwrap() = serde_json::to_string(&JwkSet { keys: vec![jwk(Algorithm::ES256, "b")] }).unwrap();
    assert_eq!(status(&app, &sign(Algorithm::ES256, Some("b"), &c)).await.0, 200);
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 2);
}

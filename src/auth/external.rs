//! Tokens from an outside identity provider (OIDC): RS256, ES256 or EdDSA, verified with a
//! PEM public key or a JWKS (a file or a URL), keys picked by `kid`. The JWKS is cached;
//! an unknown `kid` refetches it at most once per refresh interval (key rotation without
//! letting a stream of bogus `kid`s hammer the provider). `jku`, `x5u` and `jwk` headers
//! are never followed. The user record stays the source of role and team: tokens are
//! matched by `sub` (the user's external id) or a verified email, and unknown subjects are
//! provisioned only when configured.

use super::Viewer;
use super::jwt::{MAX_TOKEN_BYTES, check_times};
use crate::config::Config;
use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::enums::Role;
use entity::user;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Deserialize;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The algorithms accepted from an identity provider (never HS*, never `none`).
const ALLOWED: [Algorithm; 3] = [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA];

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    exp: i64,
    iat: i64,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    email_verified: Option<bool>,
    #[serde(default)]
    name: Option<String>,
}

enum Source {
    Pem(DecodingKey, Algorithm),
    Jwks(String),
}

struct Cache {
    keys: HashMap<String, (DecodingKey, Algorithm)>,
    fetched: Option<Instant>,
}

/// Verification settings and the key cache of one identity provider.
pub struct ExternalKeys {
    issuer: String,
    audience: String,
    source: Source,
    cache: Mutex<Cache>,
    min_refresh: Duration,
    leeway: u64,
    max_ttl: i64,
    provision: Option<Role>,
    http: reqwest::Client,
}

fn refuse(why: &str) -> AppError {
    tracing::info!(reason = why, "external token refused");
    AppError::Unauthenticated
}

/// The `iss` of a token, read without verification (only to pick the key set).
pub fn peek_issuer(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value.get("iss")?.as_str().map(str::to_string)
}

fn role_named(name: &str) -> Option<Role> {
    Some(match name {
        "MANAGER" => Role::Manager,
        "SALES" => Role::Sales,
        "SERVICE" => Role::Service,
        "MARKETING" => Role::Marketing,
        "ANALYST" => Role::Analyst,
        _ => return None,
    })
}

impl ExternalKeys {
    /// The provider configured in `config`, if any.
    pub fn from_config(config: &Config) -> Result<Option<Self>, String> {
        let (Some(issuer), Some(audience)) = (&config.oidc_issuer, &config.oidc_audience) else { return Ok(None) };
        let source = match (&config.oidc_jwks, &config.oidc_public_key_file) {
            (Some(location), None) => {
                let ok = location.starts_with("https://")
                    || location.starts_with("file://")
                    || location.starts_with("http://127.0.0.1")
                    || location.starts_with("http://localhost");
                if !ok {
                    return Err("CLIENTELE_OIDC_JWKS must be https://…, file://… or http on loopback".into());
                }
                Source::Jwks(location.clone())
            }
            (None, Some(path)) => {
                let pem = std::fs::read(path).map_err(|e| format!("CLIENTELE_OIDC_PUBLIC_KEY_FILE {path}: {e}"))?;
                let alg = match config.oidc_public_key_alg.as_deref() {
                    Some("RS256") => Algorithm::RS256,
                    Some("ES256") => Algorithm::ES256,
                    Some("EdDSA") => Algorithm::EdDSA,
                    other => {
                        return Err(format!(
                            "CLIENTELE_OIDC_PUBLIC_KEY_ALG must be RS256, ES256 or EdDSA, not {other:?}"
                        ));
                    }
                };
                let key = match alg {
                    Algorithm::RS256 => DecodingKey::from_rsa_pem(&pem),
                    Algorithm::ES256 => DecodingKey::from_ec_pem(&pem),
                    _ => DecodingKey::from_ed_pem(&pem),
                }
                .map_err(|e| format!("CLIENTELE_OIDC_PUBLIC_KEY_FILE is not a {alg:?} public key: {e}"))?;
                Source::Pem(key, alg)
            }
            _ => return Err("set exactly one of CLIENTELE_OIDC_JWKS and CLIENTELE_OIDC_PUBLIC_KEY_FILE".into()),
        };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Some(Self {
            issuer: issuer.clone(),
            audience: audience.clone(),
            source,
            cache: Mutex::new(Cache { keys: HashMap::new(), fetched: None }),
            min_refresh: Duration::from_secs(config.oidc_jwks_min_refresh_secs),
            leeway: config.jwt_leeway_secs,
            max_ttl: config.jwt_max_ttl_secs,
            provision: if config.oidc_provision { role_named(&config.oidc_default_role) } else { None },
            http,
        }))
    }

    /// The provider's issuer.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    async fn fetch(&self, location: &str) -> AppResult<JwkSet> {
        let text = if let Some(path) = location.strip_prefix("file://") {
            tokio::fs::read_to_string(path).await.map_err(AppError::internal)?
        } else {
            let response = self.http.get(location).send().await.map_err(AppError::internal)?;
            if !response.status().is_success() {
                return Err(AppError::internal(format!("JWKS fetch answered {}", response.status())));
            }
            response.text().await.map_err(AppError::internal)?
        };
        serde_json::from_str(&text).map_err(AppError::internal)
    }

    fn usable(jwks: JwkSet) -> HashMap<String, (DecodingKey, Algorithm)> {
        let mut keys = HashMap::new();
        for jwk in jwks.keys {
            let Some(kid) = jwk.common.key_id.clone() else { continue };
            let alg = match &jwk.algorithm {
                AlgorithmParameters::RSA(_) => Algorithm::RS256,
                AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
                AlgorithmParameters::OctetKeyPair(_) => Algorithm::EdDSA,
                _ => continue,
            };
            if let Ok(key) = DecodingKey::from_jwk(&jwk) {
                keys.insert(kid, (key, alg));
            }
        }
        keys
    }

    /// The key for `kid`, refetching the JWKS once per interval when it is unknown.
    async fn key_for(&self, kid: Option<&str>) -> AppResult<Option<(DecodingKey, Algorithm)>> {
        let location = match &self.source {
            Source::Pem(key, alg) => return Ok(Some((key.clone(), *alg))),
            Source::Jwks(location) => location,
        };
        let Some(kid) = kid else { return Ok(None) };
        if kid.len() > 256 {
            return Ok(None);
        }
        let mut cache = self.cache.lock().await;
        if let Some(found) = cache.keys.get(kid) {
            return Ok(Some(found.clone()));
        }
        let due = cache.fetched.is_none_or(|at| at.elapsed() >= self.min_refresh);
        if !due {
            return Ok(None);
        }
        cache.fetched = Some(Instant::now());
        match self.fetch(location).await {
            Ok(jwks) => cache.keys = Self::usable(jwks),
            Err(_) => tracing::warn!("JWKS fetch failed; keeping the cached keys"),
        }
        Ok(cache.keys.get(kid).cloned())
    }

    /// Verifies an identity provider's token and finds (or provisions) its user.
    pub async fn authenticate(&self, db: &DatabaseConnection, token: &str) -> AppResult<Viewer> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(refuse("too large"));
        }
        let header = decode_header(token).map_err(|_| refuse("malformed header"))?;
        if !ALLOWED.contains(&header.alg) {
            return Err(refuse("algorithm not allowed"));
        }
        let (key, alg) = self.key_for(header.kid.as_deref()).await?.ok_or_else(|| refuse("unknown kid"))?;
        if alg != header.alg {
            return Err(refuse("algorithm does not match the key"));
        }
        let mut validation = Validation::new(alg);
        validation.leeway = self.leeway;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        let data = decode::<Claims>(token, &key, &validation).map_err(|e| refuse(&e.to_string()))?;
        let claims = data.claims;
        check_times(claims.iat, claims.exp, i64::try_from(self.leeway).unwrap_or(i64::MAX), self.max_ttl)?;
        let user = self.user_for(db, &claims).await?.ok_or_else(|| refuse("no matching user"))?;
        if !user.active || user.deleted_at.is_some() {
            return Err(refuse("user inactive"));
        }
        Ok(Viewer::from_user(&user))
    }

    async fn user_for(&self, db: &DatabaseConnection, claims: &Claims) -> AppResult<Option<user::Model>> {
        if let Some(found) = user::Entity::find().filter(user::Column::ExternalId.eq(&claims.sub)).one(db).await? {
            return Ok(Some(found));
        }
        let verified_email =
            claims.email.as_deref().filter(|_| claims.email_verified == Some(true)).map(str::to_lowercase);
        if let Some(email) = &verified_email
            && let Some(found) = crate::service::user::find_by_email(db, email).await?
        {
            if found.external_id.is_none() {
                let mut row: user::ActiveModel = found.clone().into();
                row.external_id = Set(Some(claims.sub.clone()));
                return Ok(Some(row.update(db).await?));
            }
            return Ok(None);
        }
        let (Some(role), Some(email)) = (self.provision, verified_email) else { return Ok(None) };
        let name = claims.name.clone().unwrap_or_else(|| email.clone());
        let created = crate::service::user::create(db, &email, &name, role, None, None).await?;
        let mut row: user::ActiveModel = created.into();
        row.external_id = Set(Some(claims.sub.clone()));
        tracing::info!(role = role.as_str(), "provisioned a user from the identity provider");
        Ok(Some(row.update(db).await?))
    }
}

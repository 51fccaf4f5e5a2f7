//! HS256 access tokens: issuing (CLI, login) and verifying (every request).
//!
//! Verification follows RFC 8725: the algorithm is pinned, `exp`, `iat`, `iss`, `aud` and
//! `sub` are required and typed (a string-typed `exp` fails to parse), `nbf` is honoured,
//! and an `iat` in the future is refused, which jsonwebtoken does not check by itself.

use crate::error::{AppError, AppResult};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use lru::LruCache;
use serde::{Deserialize, Serialize};
use std::hash::{BuildHasher, RandomState};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Longest token accepted before any signature work, in bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// The claims Clientele issues and requires.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issue time, seconds since the epoch.
    pub iat: i64,
    /// Not before, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// The role at issue time; informational only (the user record decides).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The login session (refresh-token family); a revoked session stops its tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// Who a verified token names.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    /// The user id.
    pub user_id: Uuid,
    /// The login session, for tokens from `login`.
    pub session: Option<Uuid>,
}

/// Signing and verification keys with the expected issuer and audience.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    leeway: i64,
    max_ttl: i64,
    verified: Arc<Verified>,
}

/// Tokens whose signature and claims checked out, so that a token sent again is not
/// decoded and its signature not computed again (a twelfth of a small read's work):
/// only its times are checked anew. Entries are keyed by a 128-bit keyed hash of the
/// token (two SipHash keys drawn at start, a PRF to anyone without them): no token is
/// kept, and a forged token matches an entry with odds of 2^-128.
struct Verified {
    /// Off (`CLIENTELE_FAST_PATHS` without `tokens`): every token is decoded each time.
    on: bool,
    seen: Mutex<LruCache<u128, Checked>>,
    keys: (RandomState, RandomState),
}

/// What a verified token's claims said.
#[derive(Clone, Copy)]
struct Checked {
    subject: Subject,
    iat: i64,
    exp: i64,
    nbf: Option<i64>,
}

impl Verified {
    fn new() -> Self {
        let capacity = NonZeroUsize::MIN.saturating_add(4095);
        Self { on: true, seen: Mutex::new(LruCache::new(capacity)), keys: (RandomState::new(), RandomState::new()) }
    }

    fn tag(&self, token: &str) -> u128 {
        (u128::from(self.keys.0.hash_one(token)) << 64) | u128::from(self.keys.1.hash_one(token))
    }
}

impl JwtKeys {
    /// Keys for an HS256 secret (at least 32 bytes; checked by the config).
    pub fn hs256(secret: &[u8], issuer: &str, audience: &str) -> AppResult<Self> {
        Self::hs256_with(secret, issuer, audience, 30, 86_400)
    }

    /// Keys with an explicit leeway and maximum token lifetime (seconds).
    pub fn hs256_with(secret: &[u8], issuer: &str, audience: &str, leeway: u64, max_ttl: i64) -> AppResult<Self> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = leeway;
        validation.validate_nbf = true;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(secret).map_err(AppError::internal)?,
            decoding: DecodingKey::from_secret(secret).map_err(AppError::internal)?,
            validation,
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            leeway: i64::try_from(leeway).unwrap_or(i64::MAX),
            max_ttl,
            verified: Arc::new(Verified::new()),
        })
    }

    /// The same keys, remembering verified tokens only when `on` (the `tokens` speed path).
    pub fn remembering(mut self, on: bool) -> Self {
        self.verified = Arc::new(Verified { on, ..Verified::new() });
        self
    }

    /// Signs an access token for `user_id` valid for `ttl`.
    pub fn issue(&self, user_id: Uuid, role: &str, ttl: chrono::Duration) -> AppResult<String> {
        self.issue_session(user_id, role, ttl, None)
    }

    /// Signs an access token tied to a login session.
    pub fn issue_session(
        &self,
        user_id: Uuid,
        role: &str,
        ttl: chrono::Duration,
        session: Option<Uuid>,
    ) -> AppResult<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            exp: now + ttl.num_seconds(),
            iat: now,
            nbf: None,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            role: Some(role.to_string()),
            sid: session.map(|s| s.to_string()),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    /// Verifies a token and returns the user id it names. Every failure is
    /// `UNAUTHENTICATED`; the reason goes to the log only.
    pub fn verify(&self, token: &str) -> AppResult<Uuid> {
        self.verify_subject(token).map(|s| s.user_id)
    }

    /// Verifies a token and returns its user and session. A token verified before is only
    /// checked against the clock again (see [`Verified`]).
    pub fn verify_subject(&self, token: &str) -> AppResult<Subject> {
        if token.len() > MAX_TOKEN_BYTES {
            tracing::info!(len = token.len(), "token refused: too large");
            return Err(AppError::Unauthenticated);
        }
        let tag = self.verified.tag(token);
        let seen = self.verified.on.then(|| self.verified.seen.lock().ok()?.get(&tag).copied()).flatten();
        if let Some(checked) = seen {
            // The times as decoding and `check_times` check them; outside them the token
            // is decoded again, which refuses it with the reason logged.
            let now = Utc::now().timestamp();
            let live = checked.exp >= now.saturating_sub(self.leeway)
                && checked.nbf.is_none_or(|nbf| nbf <= now.saturating_add(self.leeway))
                && checked.iat <= now.saturating_add(self.leeway);
            if live {
                return Ok(checked.subject);
            }
        }
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|err| {
            tracing::info!(reason = %err, "token refused");
            AppError::Unauthenticated
        })?;
        check_times(data.claims.iat, data.claims.exp, self.leeway, self.max_ttl)?;
        let user_id = Uuid::parse_str(&data.claims.sub).map_err(|_| {
            tracing::info!("token refused: sub is not a user id");
            AppError::Unauthenticated
        })?;
        let session = match data.claims.sid.as_deref() {
            Some(sid) => Some(Uuid::parse_str(sid).map_err(|_| AppError::Unauthenticated)?),
            None => None,
        };
        let subject = Subject { user_id, session };
        let checked = Checked { subject, iat: data.claims.iat, exp: data.claims.exp, nbf: data.claims.nbf };
        if self.verified.on
            && let Ok(mut seen) = self.verified.seen.lock()
        {
            seen.put(tag, checked);
        }
        Ok(subject)
    }

    /// Self-test at start: a crypto backend that is missing or broken fails here, not on
    /// the first request.
    pub fn self_test(&self) -> AppResult<()> {
        let id = Uuid::now_v7();
        let token = self.issue(id, "ADMIN", chrono::Duration::minutes(1))?;
        match self.verify(&token) {
            Ok(back) if back == id => Ok(()),
            _ => Err(AppError::internal("JWT self-test failed")),
        }
    }
}

/// The checks jsonwebtoken leaves out: an `iat` in the future, and a lifetime over the
/// maximum (a stolen long-lived token is worth more).
pub fn check_times(iat: i64, exp: i64, leeway: i64, max_ttl: i64) -> AppResult<()> {
    if iat > Utc::now().timestamp().saturating_add(leeway) {
        tracing::info!("token refused: iat in the future");
        return Err(AppError::Unauthenticated);
    }
    if exp.saturating_sub(iat) > max_ttl {
        tracing::info!("token refused: lifetime over the maximum");
        return Err(AppError::Unauthenticated);
    }
    Ok(())
}

/// Parses a duration like `90s`, `15m`, `1h`, `7d`.
pub fn parse_ttl(text: &str) -> Option<chrono::Duration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    (secs > 0).then(|| chrono::Duration::seconds(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::hs256(&[7u8; 32], "clientele", "clientele-api").unwrap()
    }

    #[test]
    fn issued_tokens_verify() {
        let id = Uuid::now_v7();
        let token = keys().issue(id, "SALES", chrono::Duration::hours(1)).unwrap();
        assert_eq!(keys().verify(&token).unwrap(), id);
    }

    #[test]
    fn other_secret_is_refused() {
        let token = keys().issue(Uuid::now_v7(), "SALES", chrono::Duration::hours(1)).unwrap();
        let other = JwtKeys::hs256(&[8u8; 32], "clientele", "clientele-api").unwrap();
        assert!(matches!(other.verify(&token), Err(AppError::Unauthenticated)));
    }

    #[test]
    fn wrong_audience_is_refused() {
        let token = keys().issue(Uuid::now_v7(), "SALES", chrono::Duration::hours(1)).unwrap();
        let other = JwtKeys::hs256(&[7u8; 32], "clientele", "someone-else").unwrap();
        assert!(matches!(other.verify(&token), Err(AppError::Unauthenticated)));
    }

    #[test]
    fn a_token_verified_before_is_still_checked_against_the_clock() {
        let keys = JwtKeys::hs256_with(&[7u8; 32], "clientele", "clientele-api", 0, 86_400).unwrap();
        let id = Uuid::now_v7();
        let token = keys.issue(id, "SALES", chrono::Duration::seconds(1)).unwrap();
        assert_eq!(keys.verify(&token).unwrap(), id);
        assert_eq!(keys.verify(&token).unwrap(), id, "remembered");
        // A token differing from a remembered one is verified on its own.
        let mut forged = token.clone();
        let last = if forged.ends_with('A') { "B" } else { "A" };
        forged.replace_range(forged.len() - 1.., last);
        assert!(matches!(keys.verify(&forged), Err(AppError::Unauthenticated)));
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert!(matches!(keys.verify(&token), Err(AppError::Unauthenticated)), "expired since");
    }

    #[test]
    fn ttl_parses_units() {
        assert_eq!(parse_ttl("1h"), Some(chrono::Duration::hours(1)));
        assert_eq!(parse_ttl("15m"), Some(chrono::Duration::minutes(15)));
        assert_eq!(parse_ttl("0s"), None);
        assert_eq!(parse_ttl("1y"), None);
        assert_eq!(parse_ttl("h"), None);
    }
}

//! Cost-based rate limits per credential (GitHub / Shopify style): each request's cost
//! (`graphql::cost`) is charged to its credential's budget, which refills continuously
//! over a minute. Over budget → `RATE_LIMITED` with `extensions.retryAfter`; every
//! charged response carries `extensions.cost { requested, remaining, resetAt }`.
//!
//! Where the counters live: in each instance's memory, each instance holding the budget
//! divided by `CLIENTELE_INSTANCES`. Why not the database: a shared counter is one more
//! write per request — a read answered by one statement would take two, and every request
//! of one busy credential would contend on one row. With requests spread over instances
//! by a load balancer, the per-instance share adds up to the configured budget; the cost
//! is some slack when one credential's traffic lands unevenly.

use super::AppState;
use crate::auth::Viewer;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use entity::enums::Role;
use lru::LruCache;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Budgets per minute, by role (0: no limit), and how many instances share them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    pub admin: u64,
    pub manager: u64,
    pub staff: u64,
    pub analyst: u64,
    pub partner: u64,
    /// Requests without credentials, per client address.
    pub anonymous: u64,
    pub instances: u64,
}

impl Default for Budgets {
    fn default() -> Self {
        Self {
            admin: 200_000,
            manager: 100_000,
            staff: 50_000,
            analyst: 50_000,
            partner: 20_000,
            anonymous: 5_000,
            instances: 1,
        }
    }
}

/// Whose budget a request is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Payer {
    /// A signed-in user, or a partner's API key (by its user).
    User { id: Uuid, role: Role, key: bool },
    /// No credential: the client's address.
    Anonymous(std::net::IpAddr),
}

/// What a charge left: for `extensions.cost`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Charge {
    pub requested: u64,
    pub remaining: u64,
    /// When the budget is full again.
    pub reset_at: DateTime<Utc>,
}

/// A refused charge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Refused {
    pub charge: Charge,
    /// Seconds until the request's cost is available.
    pub retry_after: u64,
    /// The request costs more than the whole budget: waiting will not help.
    pub never: bool,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The budgets of every credential seen recently.
pub struct Budget {
    budgets: Budgets,
    buckets: Mutex<LruCache<Payer, Bucket>>,
}

impl Budget {
    /// Empty buckets map for `budgets`.
    pub fn new(budgets: Budgets) -> Self {
        // A credential idle long enough to be evicted comes back to a full budget anyway.
        let capacity = NonZeroUsize::MIN.saturating_add(99_999);
        Self { budgets, buckets: Mutex::new(LruCache::new(capacity)) }
    }

    /// The per-minute budget of `payer` on this instance (`None`: unlimited).
    fn capacity(&self, payer: &Payer) -> Option<u64> {
        let b = &self.budgets;
        let per_minute = match payer {
            Payer::Anonymous(_) => b.anonymous,
            Payer::User { key: true, .. } => b.partner,
            Payer::User { role, .. } => match role {
                Role::Admin => b.admin,
                Role::Manager => b.manager,
                Role::Analyst => b.analyst,
                Role::Partner => b.partner,
                Role::Sales | Role::Service | Role::Marketing => b.staff,
            },
        };
        (per_minute > 0).then(|| (per_minute / b.instances.max(1)).max(1))
    }

    /// Charges `cost` to `payer` at `now`; `None` when `payer` has no limit.
    pub fn charge(&self, payer: Payer, cost: u64, now: Instant) -> Option<Result<Charge, Refused>> {
        let capacity = self.capacity(&payer)? as f64;
        let rate = capacity / 60.0; // per second
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        let bucket = buckets.get_or_insert_mut(payer, || Bucket { tokens: capacity, at: now });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.at = now;
        let wanted = cost as f64;
        let refused = wanted > bucket.tokens;
        if !refused {
            bucket.tokens -= wanted;
        }
        let to_full = (capacity - bucket.tokens) / rate;
        let charge = Charge {
            requested: cost,
            remaining: bucket.tokens.floor() as u64,
            reset_at: Utc::now() + Duration::from_secs_f64(to_full.max(0.0)),
        };
        if !refused {
            return Some(Ok(charge));
        }
        let retry_after = ((wanted - bucket.tokens) / rate).ceil().max(1.0) as u64;
        Some(Err(Refused { charge, retry_after, never: wanted > capacity }))
    }
}

/// Charges `cost` to the request's credential (`http::budget`): what was charged, or the
/// `RATE_LIMITED` answer (`QUERY_TOO_COMPLEX` for a cost above the whole budget).
pub fn charge(
    state: &AppState,
    peer: SocketAddr,
    viewer: Option<&Viewer>,
    cost: u64,
) -> Result<Option<Charge>, Box<Response>> {
    let payer = match viewer {
        Some(v) => Payer::User { id: v.user_id, role: v.role, key: v.scopes.is_some() },
        None => Payer::Anonymous(peer.ip()),
    };
    match state.budget.charge(payer, cost, std::time::Instant::now()) {
        None => Ok(None),
        Some(Ok(charged)) => Ok(Some(charged)),
        Some(Err(refused)) => {
            let (status, code, message) = if refused.never {
                (StatusCode::OK, "QUERY_TOO_COMPLEX", format!("the request costs {cost}, more than your whole budget"))
            } else {
                let wait = refused.retry_after;
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    "RATE_LIMITED",
                    format!("rate limit: this request costs {cost}; retry in {wait} s"),
                )
            };
            let mut extensions = serde_json::json!({ "code": code });
            if !refused.never {
                extensions["retryAfter"] = refused.retry_after.into();
            }
            let body = serde_json::json!({
                "errors": [{ "message": message, "extensions": extensions }],
                "extensions": { "requestId": crate::http::request_id::current(), "cost": cost_json(&refused.charge) },
            });
            let mut response = (status, axum::Json(body)).into_response();
            if !refused.never
                && let Ok(value) = header::HeaderValue::from_str(&refused.retry_after.to_string())
            {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Err(Box::new(response))
        }
    }
}

/// `extensions.cost`.
pub fn cost_json(charge: &Charge) -> serde_json::Value {
    serde_json::json!({
        "requested": charge.requested,
        "remaining": charge.remaining,
        "resetAt": charge.reset_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep() -> Payer {
        Payer::User { id: Uuid::nil(), role: Role::Sales, key: false }
    }

    #[test]
    fn a_budget_is_spent_then_refills_over_a_minute() {
        let budget = Budget::new(Budgets { staff: 600, ..Budgets::default() });
        let start = Instant::now();
        let first = budget.charge(rep(), 500, start).unwrap().unwrap();
        assert_eq!((first.requested, first.remaining), (500, 100));
        let refused = budget.charge(rep(), 200, start).unwrap().unwrap_err();
        // 100 short at 10 per second.
        assert_eq!((refused.retry_after, refused.never), (10, false));
        assert_eq!(refused.charge.remaining, 100, "a refused charge spends nothing");
        assert!(budget.charge(rep(), 200, start + Duration::from_secs(10)).unwrap().is_ok());
        assert!(budget.charge(rep(), 601, start + Duration::from_secs(600)).unwrap().unwrap_err().never);
    }

    #[test]
    fn instances_share_the_budget_and_zero_means_no_limit() {
        let budget = Budget::new(Budgets { staff: 600, admin: 0, instances: 3, ..Budgets::default() });
        let now = Instant::now();
        assert!(budget.charge(rep(), 201, now).unwrap().unwrap_err().never);
        let admin = Payer::User { id: Uuid::nil(), role: Role::Admin, key: false };
        assert!(budget.charge(admin, 1_000_000, now).is_none());
    }
}

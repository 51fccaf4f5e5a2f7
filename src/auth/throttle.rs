//! Login throttling per account and per client address (GCRA, `governor`).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Login attempts per account per minute (a burst of this many, then one every
/// 60/N seconds).
const PER_ACCOUNT: u32 = 5;
/// Login attempts per client address per minute.
const PER_ADDRESS: u32 = 20;

/// The limiters of one server.
pub struct LoginThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            accounts: RateLimiter::keyed(per_minute(PER_ACCOUNT)),
            addresses: RateLimiter::keyed(per_minute(PER_ADDRESS)),
            clock: DefaultClock::default(),
        }
    }
}

impl LoginThrottle {
    /// `Err(seconds to wait)` when this attempt is over a limit.
    pub fn check(&self, email: &str, address: Option<IpAddr>) -> Result<(), u64> {
        let wait = |not_until: governor::NotUntil<_>| not_until.wait_time_from(self.clock.now()).as_secs().max(1);
        if let Some(ip) = address {
            self.addresses.check_key(&ip).map_err(wait)?;
        }
        self.accounts.check_key(&email.trim().to_lowercase()).map_err(wait)?;
        Ok(())
    }
}

//! The viewer each recent credential resolved to, kept only as a guess.
//!
//! A read can start with the guess while the credential is checked against the user
//! record; its answer is kept only when the check names the very same viewer (see
//! `http::request`). The record still decides every request, so a deactivated user or a
//! changed role takes effect at once. Entries are keyed by a keyed hash of the
//! `Authorization` header: no credential is kept, and a collision can only cost a wasted
//! guess, never a wrong answer.

use super::Viewer;
use lru::LruCache;
use std::hash::BuildHasher;
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// Credentials remembered; the least recently used goes first.
const CAPACITY: NonZeroUsize = NonZeroUsize::MIN.saturating_add(4095);

/// Recent credential → viewer guesses.
pub struct ViewerHints {
    seen: Mutex<LruCache<u64, Viewer>>,
    hasher: std::hash::RandomState,
}

impl Default for ViewerHints {
    fn default() -> Self {
        Self { seen: Mutex::new(LruCache::new(CAPACITY)), hasher: std::hash::RandomState::new() }
    }
}

impl ViewerHints {
    /// The viewer `header` last resolved to, if remembered.
    pub fn guess(&self, header: &str) -> Option<Viewer> {
        let key = self.hasher.hash_one(header);
        self.seen.lock().ok()?.get(&key).cloned()
    }

    /// Remembers what `header` resolved to now.
    pub fn remember(&self, header: &str, viewer: &Viewer) {
        let key = self.hasher.hash_one(header);
        if let Ok(mut seen) = self.seen.lock() {
            seen.put(key, viewer.clone());
        }
    }

    /// Forgets `header` (it was refused): the next request with it waits for the check.
    pub fn forget(&self, header: &str) {
        let key = self.hasher.hash_one(header);
        if let Ok(mut seen) = self.seen.lock() {
            seen.pop(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::enums::Role;

    fn viewer(role: Role) -> Viewer {
        Viewer { user_id: uuid::Uuid::now_v7(), role, team_id: None, scopes: None, api_key_id: None }
    }

    #[test]
    fn remembers_forgets_and_keeps_headers_apart() {
        let hints = ViewerHints::default();
        let (a, b) = (viewer(Role::Sales), viewer(Role::Admin));
        assert_eq!(hints.guess("Bearer a"), None);
        hints.remember("Bearer a", &a);
        hints.remember("Bearer b", &b);
        assert_eq!(hints.guess("Bearer a"), Some(a.clone()));
        assert_eq!(hints.guess("Bearer b"), Some(b));
        hints.forget("Bearer a");
        assert_eq!(hints.guess("Bearer a"), None);
    }
}

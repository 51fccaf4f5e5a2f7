//! Per-request DataLoaders: every relation read is batched per nesting level.

mod contact;
mod user;

pub use contact::{ContactCountLoader, ContactPageLoader};
pub use user::UserLoader;

use super::execute::TaskQueue;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::DatabaseConnection;
use std::hash::Hash;
use std::time::Duration;

/// The loaders of one request (their caches live as long as the request).
pub struct Loaders {
    /// Users by id.
    pub users: DataLoader<UserLoader, HashMapCache>,
    /// A page of contacts per customer.
    pub contact_pages: DataLoader<ContactPageLoader, HashMapCache>,
    /// Contact counts per customer.
    pub contact_counts: DataLoader<ContactCountLoader, HashMapCache>,
}

impl Loaders {
    /// Loaders whose batch tasks run on `queue` (see `graphql::execute`).
    pub fn new(db: DatabaseConnection, queue: TaskQueue) -> Self {
        Self {
            users: make(UserLoader(db.clone()), &queue),
            contact_pages: make(ContactPageLoader(db.clone()), &queue),
            contact_counts: make(ContactCountLoader(db), &queue),
        }
    }
}

/// A loader with no batch delay: the request driver polls batch tasks only after every
/// sibling field has queued its key.
fn make<K, T>(loader: T, queue: &TaskQueue) -> DataLoader<T, HashMapCache>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    T: Loader<K>,
{
    let queue = queue.clone();
    DataLoader::with_cache(
        loader,
        move |task| {
            if let Ok(mut q) = queue.lock() {
                q.push(task);
            }
        },
        HashMapCache::default(),
    )
    .delay(Duration::ZERO)
}

//! Per-request DataLoaders, written once: records by id, a page of children per parent,
//! child counts per parent. Every relation of the API resolves through one of these; each
//! is created on first use in a request and batches all keys of a nesting level.

mod children;
mod relations;

pub use children::{
    ChildCount, ChildCounts, ChildPages, ChildRelation, CountKey, Keyed, NestedArgs, PageKey, child_scope,
};
pub use relations::*;

use crate::auth::Viewer;
use crate::engine::drive::TaskQueue;
use crate::error::{AppError, AppResult};
use crate::service::record::{by_ids_visible, model_id};
use async_graphql::dataloader::{DataLoader, Loader, NoCache};
use entity::record::Record;
use sea_orm::{DatabaseConnection, FromQueryResult};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

/// What a loader is built from.
#[derive(Clone)]
pub struct LoaderEnv {
    /// The pool.
    pub db: DatabaseConnection,
    /// The caller: every loader applies the row scope, so a relation never reaches a
    /// record its caller could not fetch directly.
    pub viewer: Option<Viewer>,
}

impl LoaderEnv {
    /// The viewer, or `UNAUTHENTICATED`.
    pub fn viewer(&self) -> AppResult<&Viewer> {
        self.viewer.as_ref().ok_or(AppError::Unauthenticated)
    }
}

/// A loader that can be made from the request's environment.
pub trait MakeLoader: Send + Sync + 'static {
    /// Builds the loader.
    fn make(env: LoaderEnv) -> Self;
}

/// The loaders of one request, created on first use.
pub struct Loaders {
    env: LoaderEnv,
    queue: TaskQueue,
    made: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Loaders {
    /// Loaders whose batch tasks run on `queue` (see `graphql::execute`).
    pub fn new(db: DatabaseConnection, viewer: Option<Viewer>, queue: TaskQueue) -> Self {
        Self { env: LoaderEnv { db, viewer }, queue, made: Mutex::default() }
    }

    /// The request's loader of type `T`.
    pub fn get<K, T>(&self) -> Arc<DataLoader<T, NoCache>>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        T: Loader<K> + MakeLoader,
    {
        let mut made = match self.made.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let entry = made
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(make::<K, T>(T::make(self.env.clone()), &self.queue)));
        match entry.clone().downcast::<DataLoader<T, NoCache>>() {
            Ok(loader) => loader,
            // Unreachable: the map is keyed by the loader's own type.
            Err(_) => Arc::new(make::<K, T>(T::make(self.env.clone()), &self.queue)),
        }
    }
}

/// A loader with no batch delay (the request driver polls batch tasks only after every
/// sibling field has queued its key) and no cache: with a cache, whether a key is
/// answered from it would depend on which of two concurrent batches finished first, and
/// the statements a query costs would vary from run to run.
fn make<K, T>(loader: T, queue: &TaskQueue) -> DataLoader<T, NoCache>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    T: Loader<K>,
{
    let queue = queue.clone();
    DataLoader::new(loader, move |task| {
        if let Ok(mut q) = queue.lock() {
            q.push(task);
        }
    })
    .delay(Duration::ZERO)
}

/// Records of `E` by id, scoped to the viewer.
pub struct ById<E>(LoaderEnv, PhantomData<E>);

impl<E: Record> MakeLoader for ById<E> {
    fn make(env: LoaderEnv) -> Self {
        Self(env, PhantomData)
    }
}

impl<E> Loader<Uuid> for ById<E>
where
    E: Record,
    E::Model: FromQueryResult + Clone + Send + Sync,
{
    type Value = E::Model;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, E::Model>, AppError> {
        let rows = by_ids_visible::<E>(&self.0.db, self.0.viewer()?, keys).await?;
        rows.into_iter().map(|m| Ok((model_id::<E>(&m)?, m))).collect()
    }
}

/// The tags of each customer (two statements per batch: links, then tags).
pub struct TagsByCustomer(LoaderEnv);

impl MakeLoader for TagsByCustomer {
    fn make(env: LoaderEnv) -> Self {
        Self(env)
    }
}

impl Loader<Uuid> for TagsByCustomer {
    type Value = Vec<entity::tag::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<entity::tag::Model>>, AppError> {
        use entity::{customer_tag, tag};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let links = customer_tag::Entity::find()
            .filter(customer_tag::Column::CustomerId.is_in(keys.iter().copied()))
            .all(&self.0.db)
            .await?;
        let tag_ids: Vec<Uuid> = links.iter().map(|l| l.tag_id).collect();
        let tags: HashMap<Uuid, tag::Model> = tag::Entity::find()
            .filter(tag::Column::Id.is_in(tag_ids))
            .filter(tag::Column::DeletedAt.is_null())
            .order_by_asc(tag::Column::Dimension)
            .order_by_asc(tag::Column::Name)
            .all(&self.0.db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let mut out: HashMap<Uuid, Vec<tag::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for link in links {
            if let (Some(list), Some(tag)) = (out.get_mut(&link.customer_id), tags.get(&link.tag_id)) {
                list.push(tag.clone());
            }
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| (&a.dimension, &a.name).cmp(&(&b.dimension, &b.name)));
        }
        Ok(out)
    }
}

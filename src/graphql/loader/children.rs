//! One-to-many relations: a page of children and a count per parent, batched.

use super::{LoaderEnv, MakeLoader};
use crate::error::AppError;
use crate::service::page::{Page, PageArgs, SortSpec, paginate_children};
use crate::service::record::visible;
use async_graphql::dataloader::Loader;
use entity::record::Record;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;
use uuid::Uuid;

/// A one-to-many relation: the children of a parent are the rows of `Child` whose
/// `parent()` column names it.
pub trait ChildRelation: Send + Sync + 'static {
    /// The child record type.
    type Child: Record<Model: FromQueryResult + Clone + Send + Sync>;
    /// The column naming the parent.
    fn parent() -> <Self::Child as EntityTrait>::Column;
    /// Default order of children.
    fn order() -> SortSpec<<Self::Child as EntityTrait>::Column>;
    /// True when the children hang under the same customer as their parent, so a parent
    /// the caller sees implies children it may see (partner keys, scoped per record
    /// family, are always checked).
    const SAME_CUSTOMER: bool;
}

/// The row condition for `R`'s children: the parent's visibility carries over when the
/// children share its customer; otherwise the full row scope applies.
pub fn child_scope<R: ChildRelation>(viewer: &crate::auth::Viewer) -> Condition {
    if R::SAME_CUSTOMER && viewer.role != entity::enums::Role::Partner {
        Condition::all().add(<R::Child as Record>::deleted_column().is_null())
    } else {
        visible::<R::Child>(viewer, false)
    }
}

/// A field argument made hashable by where its field stands in the query document.
///
/// Within one request a field's arguments come from the document and the variables only,
/// so every parent reached through the same field (even through a fragment used twice)
/// asks with the same arguments. Loaders live for one request, so the position is an
/// exact key, and far cheaper than comparing the translated conditions themselves.
/// The value is shared: every key that carries it (one per parent, and the loaders'
/// copies of each) clones a pointer, not a translated condition.
#[derive(Debug)]
pub struct Keyed<T> {
    at: (usize, usize),
    /// The value.
    pub value: Arc<T>,
}

impl<T> Clone for Keyed<T> {
    fn clone(&self) -> Self {
        Self { at: self.at, value: Arc::clone(&self.value) }
    }
}

impl<T> Keyed<T> {
    /// Wraps `value`, the translation of an argument of the field at `at`.
    pub fn at(at: async_graphql::Pos, value: T) -> Self {
        Self { at: (at.line, at.column), value: Arc::new(value) }
    }
}

impl<T> PartialEq for Keyed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl<T> Eq for Keyed<T> {}

impl<T> std::hash::Hash for Keyed<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.at.hash(state);
    }
}

/// What a nested connection asks for besides its parent: a page, and optionally a
/// filter and an order of its own.
///
/// A key is hashed about ten times on its way through a loader (its batch, the loader's
/// grouping and answer maps, each rehash); the arguments are hashed once, here, and the
/// key hashes that fingerprint.
#[derive(Debug)]
pub struct NestedArgs<C: std::fmt::Debug> {
    /// Relay arguments.
    pub page: PageArgs,
    /// The translated `filter` argument.
    pub filter: Option<Keyed<Condition>>,
    /// The translated `orderBy` argument.
    pub order: Option<Keyed<SortSpec<C>>>,
    fingerprint: u64,
}

impl<C: std::fmt::Debug> NestedArgs<C> {
    /// The arguments, shared by the keys that carry them.
    pub fn new(page: PageArgs, filter: Option<Keyed<Condition>>, order: Option<Keyed<SortSpec<C>>>) -> Arc<Self> {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut state = std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().build_hasher();
        page.hash(&mut state);
        filter.hash(&mut state);
        order.hash(&mut state);
        Arc::new(Self { page, filter, order, fingerprint: state.finish() })
    }
}

impl<C: std::fmt::Debug> PartialEq for NestedArgs<C> {
    fn eq(&self, other: &Self) -> bool {
        self.fingerprint == other.fingerprint
            && self.page == other.page
            && self.filter == other.filter
            && self.order == other.order
    }
}

impl<C: std::fmt::Debug> Eq for NestedArgs<C> {}

impl<C: std::fmt::Debug> std::hash::Hash for NestedArgs<C> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.fingerprint);
    }
}

/// A page of children per `(parent, arguments)`. Keys with the same arguments (the
/// usual case: one field in the query) share one windowed statement.
pub struct ChildPages<R>(LoaderEnv, PhantomData<R>);

impl<R: ChildRelation> MakeLoader for ChildPages<R> {
    fn make(env: LoaderEnv) -> Self {
        Self(env, PhantomData)
    }
}

/// The key of a nested page.
pub type PageKey<R> = (Uuid, Arc<NestedArgs<<<R as ChildRelation>::Child as EntityTrait>::Column>>);

impl<R: ChildRelation> Loader<PageKey<R>> for ChildPages<R> {
    type Value = Page<<R::Child as EntityTrait>::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[PageKey<R>]) -> Result<HashMap<PageKey<R>, Self::Value>, AppError> {
        let viewer = self.0.viewer()?;
        let mut by_args: HashMap<&Arc<NestedArgs<_>>, Vec<Uuid>> = HashMap::new();
        for (id, args) in keys {
            by_args.entry(args).or_default().push(*id);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for (args, ids) in by_args {
            let mut base = R::Child::find().filter(child_scope::<R>(viewer));
            if let Some(filter) = &args.filter {
                base = base.filter(Condition::clone(&filter.value));
            }
            let order = args.order.as_ref().map_or_else(R::order, |o| SortSpec::clone(&o.value));
            let id_col = <R::Child as Record>::id_column();
            let mut pages = paginate_children(&self.0.db, base, R::parent(), &ids, &order, id_col, &args.page).await?;
            for id in ids {
                let page = pages.remove(&id).unwrap_or_else(Page::empty);
                out.insert((id, Arc::clone(args)), page);
            }
        }
        Ok(out)
    }
}

/// The number of live, visible children per parent.
pub struct ChildCounts<R>(LoaderEnv, PhantomData<R>);

impl<R: ChildRelation> MakeLoader for ChildCounts<R> {
    fn make(env: LoaderEnv) -> Self {
        Self(env, PhantomData)
    }
}

/// The key of a nested count: the parent and the connection's filter.
pub type CountKey = (Uuid, Option<Keyed<Condition>>);

impl<R: ChildRelation> Loader<CountKey> for ChildCounts<R> {
    type Value = i64;
    type Error = AppError;

    async fn load(&self, keys: &[CountKey]) -> Result<HashMap<CountKey, i64>, AppError> {
        let viewer = self.0.viewer()?;
        let parent = R::parent();
        let mut by_filter: HashMap<&Option<Keyed<Condition>>, Vec<Uuid>> = HashMap::new();
        for (id, filter) in keys {
            by_filter.entry(filter).or_default().push(*id);
        }
        let mut out = HashMap::new();
        for (filter, ids) in by_filter {
            let mut select = R::Child::find()
                .select_only()
                .column(parent)
                .column_as(Expr::col(<R::Child as Record>::id_column()).count(), "count")
                .filter(parent.is_in(ids.iter().copied()))
                .filter(child_scope::<R>(viewer));
            if let Some(filter) = filter {
                select = select.filter(Condition::clone(&filter.value));
            }
            let rows: Vec<(Option<Uuid>, i64)> = select.group_by(parent).into_tuple().all(&self.0.db).await?;
            let mut counts: HashMap<Uuid, i64> = rows.into_iter().filter_map(|(p, n)| p.map(|p| (p, n))).collect();
            for id in ids {
                out.insert((id, filter.clone()), counts.remove(&id).unwrap_or(0));
            }
        }
        Ok(out)
    }
}

/// The `totalCount` source of a nested connection.
pub struct ChildCount<R> {
    key: CountKey,
    _relation: PhantomData<R>,
}

impl<R> ChildCount<R> {
    /// The count of `parent`'s children matching `filter`.
    pub fn new(parent: Uuid, filter: Option<Keyed<Condition>>) -> Self {
        Self { key: (parent, filter), _relation: PhantomData }
    }

    /// The loader key.
    pub fn key(&self) -> CountKey {
        self.key.clone()
    }
}

//! One-to-many relations: a page of children and a count per parent, batched.

use super::{LoaderEnv, MakeLoader};
use crate::error::AppError;
use crate::service::page::{Page, PageArgs, SortSpec, paginate_children};
use crate::service::record::visible;
use async_graphql::dataloader::Loader;
use entity::record::Record;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect};
use std::collections::HashMap;
use std::marker::PhantomData;
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
}

/// A page of children per `(parent, page arguments)`. Keys with the same arguments (the
/// usual case: one field in the query) share one windowed statement.
pub struct ChildPages<R>(LoaderEnv, PhantomData<R>);

impl<R: ChildRelation> MakeLoader for ChildPages<R> {
    fn make(env: LoaderEnv) -> Self {
        Self(env, PhantomData)
    }
}

impl<R: ChildRelation> Loader<(Uuid, PageArgs)> for ChildPages<R> {
    type Value = Page<<R::Child as EntityTrait>::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[(Uuid, PageArgs)]) -> Result<HashMap<(Uuid, PageArgs), Self::Value>, AppError> {
        let viewer = self.0.viewer()?;
        let mut by_args: HashMap<&PageArgs, Vec<Uuid>> = HashMap::new();
        for (id, args) in keys {
            by_args.entry(args).or_default().push(*id);
        }
        let mut out = HashMap::new();
        for (args, ids) in by_args {
            let base = R::Child::find().filter(visible::<R::Child>(viewer, false));
            let id_col = <R::Child as Record>::id_column();
            let mut pages = paginate_children(&self.0.db, base, R::parent(), &ids, &R::order(), id_col, args).await?;
            for id in ids {
                let page = pages.remove(&id).unwrap_or_else(Page::empty);
                out.insert((id, args.clone()), page);
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

impl<R: ChildRelation> Loader<Uuid> for ChildCounts<R> {
    type Value = i64;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, i64>, AppError> {
        let viewer = self.0.viewer()?;
        let parent = R::parent();
        let rows: Vec<(Option<Uuid>, i64)> = R::Child::find()
            .select_only()
            .column(parent)
            .column_as(Expr::col(<R::Child as Record>::id_column()).count(), "count")
            .filter(parent.is_in(keys.iter().copied()))
            .filter(visible::<R::Child>(viewer, false))
            .group_by(parent)
            .into_tuple()
            .all(&self.0.db)
            .await?;
        let mut counts: HashMap<Uuid, i64> = rows.into_iter().filter_map(|(p, n)| p.map(|p| (p, n))).collect();
        Ok(keys.iter().map(|id| (*id, counts.remove(id).unwrap_or(0))).collect())
    }
}

/// The `totalCount` source of a nested connection.
pub struct ChildCount<R> {
    parent: Uuid,
    _relation: PhantomData<R>,
}

impl<R> ChildCount<R> {
    /// The count of `parent`'s children.
    pub fn new(parent: Uuid) -> Self {
        Self { parent, _relation: PhantomData }
    }

    /// The parent.
    pub fn parent(&self) -> Uuid {
        self.parent
    }
}

//! Classification in the API: a customer's classes with since and reason, its label and
//! the history of its classes; the rules in `rules`. The rules and the statements live in
//! `service::classification`.

mod rules;

pub use rules::*;

use crate::graphql::context;
use crate::graphql::loader::{LoaderEnv, MakeLoader};
use crate::graphql::relay::{Conn, TotalCount, connection, page_args, page_complexity};
use crate::graphql::types::enums::ClassificationDimension;
use crate::service::classification::{self as service, reason};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
use entity::classification::{current, history};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// A customer's class on one dimension: since when, and why.
pub struct ClassificationEntry(pub current::Model);

#[Object]
impl ClassificationEntry {
    async fn dimension(&self) -> Result<ClassificationDimension> {
        dimension(&self.0.dimension)
    }
    /// The class, e.g. `HIGH`, `CHURN_RISK`, `URGENT`, `DORMANT`.
    async fn value(&self) -> &str {
        self.0.value.as_deref().unwrap_or_default()
    }
    /// When the customer came into this class.
    async fn since(&self) -> DateTime<Utc> {
        self.0.since
    }
    /// Why, in words: e.g. "no interaction since 2026-05-01".
    async fn reason(&self, ctx: &Context<'_>) -> Result<String> {
        let m = &self.0;
        let rules = service::rules::cached_at_version(context::db(ctx)?, m.rules_version).await?;
        let facts = reason::Facts { amount: m.amount, share: m.share, at: m.at, count: m.count };
        Ok(reason::reason(&m.dimension, m.value.as_deref().unwrap_or_default(), facts, &rules))
    }
}

/// One change of a customer's class.
pub struct ClassificationChange(pub history::Model);

#[Object]
impl ClassificationChange {
    async fn dimension(&self) -> Result<ClassificationDimension> {
        dimension(&self.0.dimension)
    }
    /// The class before (`null`: none).
    async fn from(&self) -> Option<&str> {
        self.0.from_value.as_deref()
    }
    /// The class after (`null`: none, e.g. a behaviour that stopped).
    async fn to(&self) -> Option<&str> {
        self.0.to_value.as_deref()
    }
    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }
    /// Why the class changed (`null` when it was dropped).
    async fn reason(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let m = &self.0;
        let Some(to) = m.to_value.as_deref() else { return Ok(None) };
        let rules = service::rules::cached_at_version(context::db(ctx)?, m.rules_version).await?;
        let facts = reason::Facts { amount: m.amount, share: m.share, at: m.at, count: m.count };
        Ok(Some(reason::reason(&m.dimension, to, facts, &rules)))
    }
}

fn dimension(text: &str) -> Result<ClassificationDimension> {
    use sea_orm::ActiveEnum;
    // A stored dimension this build does not know is a server fault: INTERNAL, its text logged.
    entity::enums::ClassificationDimension::try_from_value(&text.to_string())
        .map(Into::into)
        .map_err(|_| crate::error::AppError::internal(format!("unknown classification dimension {text}")).into())
}

/// The current classes of customers, batched per request (the customers were read under
/// the caller's row scope already).
pub struct Classifications(LoaderEnv);

impl MakeLoader for Classifications {
    fn make(env: LoaderEnv) -> Self {
        Self(env)
    }
}

impl Loader<Uuid> for Classifications {
    type Value = Vec<current::Model>;
    type Error = crate::error::AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = current::Entity::find()
            .filter(current::Column::CustomerId.is_in(keys.iter().copied()))
            .filter(current::Column::Value.is_not_null())
            .order_by_asc(current::Column::Dimension)
            .all(&self.0.db)
            .await?;
        let mut out: HashMap<Uuid, Vec<current::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.customer_id).or_default().push(row);
        }
        Ok(out)
    }
}

/// A customer's current classes, by dimension.
pub async fn of_customer(ctx: &Context<'_>, id: Uuid) -> Result<Vec<ClassificationEntry>> {
    let loader = context::loaders(ctx)?.get::<Uuid, Classifications>();
    let mut rows = loader.load_one(id).await?.unwrap_or_default();
    let order = |d: &str| service::DIMENSIONS.iter().position(|x| *x == d).unwrap_or(usize::MAX);
    rows.sort_by_key(|r| order(&r.dimension));
    Ok(rows.into_iter().map(ClassificationEntry).collect())
}

/// The classification fields of `Customer`, flattened into it.
pub struct CustomerClasses {
    id: Uuid,
    industry: Option<entity::enums::Industry>,
    value: Option<entity::enums::ValueTier>,
    need: Option<entity::enums::NeedUrgency>,
}

impl CustomerClasses {
    /// The fields of `customer`.
    pub fn of(customer: &entity::customer::Model) -> Self {
        Self { id: customer.id, industry: customer.industry, value: customer.value_tier, need: customer.need_urgency }
    }
}

#[Object]
impl CustomerClasses {
    /// The customer's classes, by dimension (lifecycle, value, need, behaviours that hold),
    /// each with since when and why.
    async fn classification(&self, ctx: &Context<'_>) -> Result<Vec<ClassificationEntry>> {
        of_customer(ctx, self.id).await
    }

    /// The combined tag of industry, value and need, e.g. 制造业-高价值-紧急需求.
    async fn label(&self) -> Option<String> {
        reason::label(self.industry, self.value, self.need)
    }

    /// The changes of the customer's classes, newest first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn classification_history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<ClassificationChange>> {
        use sea_orm::sea_query::{Expr, ExprTrait};
        use sea_orm::{Order, QueryTrait};
        let db = context::db(ctx)?;
        let select = history::Entity::find().filter(history::Column::CustomerId.eq(self.id));
        let count =
            select.clone().select_only().column_as(Expr::col(history::Column::Id).count(), "count").into_query();
        let order = crate::service::page::by(&[(history::Column::ChangedAt, Order::Desc)]);
        let args = page_args(first, after, last, before);
        let page = crate::service::page::paginate(db, select, &order, history::Column::Id, &args).await?;
        Ok(connection(page, TotalCount::Statement(Box::new(count)), ClassificationChange))
    }
}

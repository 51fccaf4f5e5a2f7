//! `Segment`: a saved customer filter whose members are computed when read, under the
//! reader's row scope (a rep and a manager reading one segment see different members).

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::graphql::context;
use crate::graphql::input::customer::{CustomerFilter, CustomerOrder};
use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::relay::{Conn, connection, page_args, page_complexity};
use crate::graphql::types::all::User;
use crate::graphql::types::customer::Customer;
use crate::service::customer;
use async_graphql::{Context, InputType, Result};
use sea_orm::Condition;

crate::record! {
    /// A saved segment: a named customer filter, evaluated live for whoever reads it.
    Segment(segment) {
        name Name: Text, filter StringFilter, sort Name;
        description Description: OptText;
    }
    references {
        /// The user who saved it.
        created_by created_by: User(user);
    }
    /// Conditions on segments.
    filter SegmentFilter {
        id: IdFilter => Id("Segment"),
        created_by: IdFilter => CreatedBy("User"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
    order SegmentOrder(SegmentOrderField), default Name Asc {
        CreatedAt => CreatedAt,
        UpdatedAt => UpdatedAt,
    }
    resolvers {
        /// The stored filter, as given to `createSegment` / `updateSegment`.
        async fn filter(&self) -> Result<async_graphql::Json<serde_json::Value>> {
            Ok(async_graphql::Json(crate::service::segment::filter(&self.0)?))
        }
        /// Members and count, evaluated for the caller.
        #[graphql(flatten)]
        async fn live(&self) -> SegmentMembers {
            SegmentMembers(self.0.clone())
        }
    }
}

/// A segment's live side: who matches it now, for the caller.
pub struct SegmentMembers(entity::segment::Model);

#[async_graphql::Object]
impl SegmentMembers {
    /// The customers matching the filter now, among those the caller may see.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        order_by: Option<Vec<CustomerOrder>>,
    ) -> Result<Conn<Customer>> {
        let filter = condition(&self.0, context::viewer(ctx)?)?;
        let args = page_args(first, after, last, before);
        let (page, count) = crate::graphql::query::customer::matching(ctx, filter, order_by, args).await?;
        Ok(connection(page, count, Customer))
    }
    /// How many customers the caller may see match the filter now.
    async fn count(&self, ctx: &Context<'_>) -> Result<u64> {
        let viewer = context::viewer(ctx)?;
        Ok(customer::count(context::db(ctx)?, viewer, condition(&self.0, viewer)?).await?)
    }
}

/// The stored filter of `segment` as a condition for `viewer`.
pub fn condition(segment: &entity::segment::Model, viewer: &Viewer) -> AppResult<Condition> {
    let json = crate::service::segment::filter(segment)?;
    let filter = parse(json).map_err(|e| {
        AppError::Internal(format!("segment {} holds a filter the schema no longer reads: {e}", segment.id))
    })?;
    filter.condition(viewer)
}

/// A `CustomerFilter` from its JSON value.
pub fn parse(json: serde_json::Value) -> Result<CustomerFilter, String> {
    let value = async_graphql::Value::from_json(json).map_err(|e| e.to_string())?;
    CustomerFilter::parse(Some(value)).map_err(|e| e.into_server_error(Default::default()).message)
}

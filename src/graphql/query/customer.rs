//! `customer` and `customers`.

use crate::graphql::context;
use crate::graphql::input::customer::{CustomerFilter, CustomerOrder};
use crate::graphql::relay::{Conn, TotalCount, connection, expect_id, page_args, page_complexity};
use crate::graphql::types::customer::Customer;
use crate::service::customer::{self, ListQuery};
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct CustomerQuery;

#[Object]
impl CustomerQuery {
    /// One customer by global ID; `null` when missing or not visible to the caller.
    async fn customer(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Customer>> {
        let viewer = context::viewer(ctx)?;
        let Ok(id) = expect_id(&id, "Customer") else { return Ok(None) };
        Ok(crate::service::record::find::<entity::customer::Entity>(context::db(ctx)?, viewer, id).await?.map(Customer))
    }

    /// Customers the caller may see, as a Relay connection.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<CustomerFilter>,
        order_by: Option<Vec<CustomerOrder>>,
        #[graphql(desc = "Free text over name, company, phone, email and code.")] search: Option<String>,
        #[graphql(default, desc = "Include soft-deleted customers (admins only).")] include_deleted: bool,
    ) -> Result<Conn<Customer>> {
        let viewer = context::viewer(ctx)?;
        let query = ListQuery {
            filter: filter.map(|f| f.condition(viewer)).transpose()?,
            search,
            order: CustomerOrder::spec(viewer, order_by)?,
            include_deleted,
        };
        let args = page_args(first, after, last, before);
        let (page, count) = customer::list(context::db(ctx)?, viewer, query, &args).await?;
        Ok(connection(page, TotalCount::Statement(Box::new(count)), Customer))
    }
}

/// A page of the live customers the caller may see that match `filter`, in `order_by`:
/// the list behind `Segment.members` and `followUps`.
pub async fn matching(
    ctx: &Context<'_>,
    filter: sea_orm::Condition,
    order_by: Option<Vec<CustomerOrder>>,
    args: crate::service::page::PageArgs,
) -> Result<(crate::service::page::Page<entity::customer::Model>, TotalCount)> {
    let viewer = context::viewer(ctx)?;
    let query = ListQuery {
        filter: Some(filter),
        search: None,
        order: CustomerOrder::spec(viewer, order_by)?,
        include_deleted: false,
    };
    let (page, count) = customer::list(context::db(ctx)?, viewer, query, &args).await?;
    Ok((page, TotalCount::Statement(Box::new(count))))
}

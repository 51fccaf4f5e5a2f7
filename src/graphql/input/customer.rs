//! Inputs of customer queries and mutations.

use super::marketing::TagFilter;
use crate::error::AppResult;
use crate::graphql::types::enums::{
    Channel, CustomerKind, CustomerSource, Industry, LifecycleStage, NeedUrgency, ValueTier,
};
use crate::service::customer::{CustomerPatch, NewCustomer};
use crate::{enum_filter, lifecycle_inputs};
use entity::customer::Column;

enum_filter!(CustomerKindFilter, CustomerKind, entity::enums::CustomerKind);
enum_filter!(IndustryFilter, Industry, entity::enums::Industry);
enum_filter!(CustomerSourceFilter, CustomerSource, entity::enums::CustomerSource);
enum_filter!(LifecycleStageFilter, LifecycleStage, entity::enums::LifecycleStage);
enum_filter!(ValueTierFilter, ValueTier, entity::enums::ValueTier);
enum_filter!(NeedUrgencyFilter, NeedUrgency, entity::enums::NeedUrgency);
enum_filter!(ChannelFilter, Channel, entity::enums::Channel);

pub use crate::graphql::types::customer::{CustomerFilter, CustomerOrder, CustomerOrderField};

/// Customers carrying a tag that matches `f`, as a correlated `EXISTS`: each candidate
/// customer probes the `(customer_id, tag_id)` index instead of the query materializing
/// every link of the tag (7,500 at scale 1) to page through one owner's 500 customers.
pub fn tagged(f: &TagFilter, viewer: &crate::auth::Viewer) -> AppResult<sea_orm::Condition> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let tags = Query::select()
        .column(entity::tag::Column::Id)
        .from(entity::tag::Entity)
        .cond_where(f.condition(viewer)?)
        .and_where(Expr::col(entity::tag::Column::DeletedAt).is_null())
        .to_owned();
    let links = Query::select()
        .expr(Expr::val(1))
        .from(entity::customer_tag::Entity)
        .and_where(
            Expr::col((entity::customer_tag::Entity, entity::customer_tag::Column::CustomerId))
                .equals((entity::customer::Entity, Column::Id)),
        )
        .and_where(Expr::col((entity::customer_tag::Entity, entity::customer_tag::Column::TagId)).in_subquery(tags))
        .to_owned();
    Ok(sea_orm::Condition::all().add(Expr::exists(links)))
}

crate::service::customer::customer_inputs!();

lifecycle_inputs!(DeleteCustomerInput, RestoreCustomerInput);

/// Conditions on a customer's behaviours (HIGH_FREQUENCY, DORMANT, COMPLAINANT).
#[derive(async_graphql::InputObject, Debug, Clone)]
pub struct BehaviourFilter {
    /// The behaviour holds.
    pub has: Option<Behaviour>,
    /// The behaviour does not hold.
    pub has_not: Option<Behaviour>,
}

/// A behaviour a customer shows (a classification dimension that holds or not).
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum Behaviour {
    HighFrequency,
    Dormant,
    Complainant,
}

impl Behaviour {
    fn dimension(self) -> &'static str {
        match self {
            Behaviour::HighFrequency => "HIGH_FREQUENCY",
            Behaviour::Dormant => "DORMANT",
            Behaviour::Complainant => "COMPLAINANT",
        }
    }
}

/// Customers showing (or not) a behaviour, as a correlated `EXISTS` on their current
/// classes (indexed by dimension, value and customer).
pub fn behaving(f: &BehaviourFilter, _viewer: &crate::auth::Viewer) -> AppResult<sea_orm::Condition> {
    use entity::classification::current;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let holds = |b: Behaviour| {
        Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(current::Entity)
                .and_where(
                    Expr::col((current::Entity, current::Column::CustomerId))
                        .equals((entity::customer::Entity, Column::Id)),
                )
                .and_where(Expr::col((current::Entity, current::Column::Dimension)).eq(b.dimension()))
                .and_where(Expr::col((current::Entity, current::Column::Value)).eq(b.dimension()))
                .to_owned(),
        )
    };
    let mut cond = sea_orm::Condition::all();
    if let Some(b) = f.has {
        cond = cond.add(holds(b));
    }
    if let Some(b) = f.has_not {
        cond = cond.add(holds(b).not());
    }
    Ok(cond)
}

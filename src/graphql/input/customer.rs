//! Inputs of customer queries and mutations.

use super::marketing::TagFilter;
use super::patch;
use crate::error::AppResult;
use crate::graphql::relay::expect_id;
use crate::graphql::types::enums::{Channel, CustomerKind, CustomerSource, Industry, LifecycleStage, ValueTier};
use crate::service::customer::{CustomerPatch, NewCustomer};
use crate::{enum_filter, lifecycle_inputs};
use entity::customer::Column;

enum_filter!(CustomerKindFilter, CustomerKind, entity::enums::CustomerKind);
enum_filter!(IndustryFilter, Industry, entity::enums::Industry);
enum_filter!(CustomerSourceFilter, CustomerSource, entity::enums::CustomerSource);
enum_filter!(LifecycleStageFilter, LifecycleStage, entity::enums::LifecycleStage);
enum_filter!(ValueTierFilter, ValueTier, entity::enums::ValueTier);
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

impl CreateCustomerInput {
    /// The service's view of the input.
    pub fn into_new(self) -> AppResult<NewCustomer> {
        Ok(NewCustomer {
            kind: self.kind.map(Into::into),
            name: self.name,
            gender: self.gender.map(Into::into),
            birth_date: self.birth_date.map(|d| d.0),
            occupation: self.occupation,
            company_name: self.company_name,
            industry: self.industry.map(Into::into),
            region: self.region,
            company_size: self.company_size,
            address: self.address,
            phone: self.phone,
            email: self.email,
            preferred_channel: self.preferred_channel.map(Into::into),
            preferences: self.preferences,
            potential_needs: self.potential_needs,
            notes: self.notes,
            source: self.source.map(Into::into),
            owner_id: self.owner_id.as_ref().map(|id| expect_id(id, "User")).transpose()?,
            marketing_consent: self.marketing_consent,
            next_follow_up_at: self.next_follow_up_at,
            allow_duplicate: self.allow_duplicate,
        })
    }
}

impl UpdateCustomerInput {
    /// The service's view of the changes.
    pub fn into_patch(self) -> AppResult<CustomerPatch> {
        Ok(CustomerPatch {
            kind: self.kind.map(Into::into),
            name: self.name,
            gender: patch(self.gender, Into::into),
            birth_date: patch(self.birth_date, |d| d.0),
            occupation: patch(self.occupation, |v| v),
            company_name: patch(self.company_name, |v| v),
            industry: patch(self.industry, Into::into),
            region: patch(self.region, |v| v),
            company_size: patch(self.company_size, |v| v),
            address: patch(self.address, |v| v),
            phone: patch(self.phone, |v| v),
            email: patch(self.email, |v| v),
            preferred_channel: patch(self.preferred_channel, Into::into),
            preferences: self.preferences,
            potential_needs: patch(self.potential_needs, |v| v),
            notes: patch(self.notes, |v| v),
            source: self.source.map(Into::into),
            owner_id: self.owner_id.as_ref().map(|id| expect_id(id, "User")).transpose()?,
            marketing_consent: self.marketing_consent,
            next_follow_up_at: patch(self.next_follow_up_at, |v| v),
        })
    }
}

lifecycle_inputs!(DeleteCustomerInput, RestoreCustomerInput);

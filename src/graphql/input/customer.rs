//! Inputs of customer queries and mutations.

use super::filter::{BooleanFilter, DateTimeFilter, IdFilter, StringFilter};
use crate::enum_filter;
use crate::error::AppResult;
use crate::graphql::relay::{Date, expect_id};
use crate::graphql::types::enums::{Channel, CustomerKind, CustomerSource, Gender, Industry};
use crate::service::customer::{CustomerPatch, NewCustomer, SortField};
use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};
use entity::customer::Column;
use sea_orm::{Condition, Order};

enum_filter!(CustomerKindFilter, CustomerKind, entity::enums::CustomerKind);
enum_filter!(IndustryFilter, Industry, entity::enums::Industry);
enum_filter!(CustomerSourceFilter, CustomerSource, entity::enums::CustomerSource);

/// Conditions on customers; all given fields must hold. Combine with `and`, `or`, `not`.
#[derive(InputObject, Default, Debug, Clone)]
pub struct CustomerFilter {
    pub code: Option<StringFilter>,
    pub name: Option<StringFilter>,
    pub kind: Option<CustomerKindFilter>,
    pub company_name: Option<StringFilter>,
    pub industry: Option<IndustryFilter>,
    pub region: Option<StringFilter>,
    pub phone: Option<StringFilter>,
    pub email: Option<StringFilter>,
    pub source: Option<CustomerSourceFilter>,
    pub owner_id: Option<IdFilter>,
    pub marketing_consent: Option<BooleanFilter>,
    pub created_at: Option<DateTimeFilter>,
    pub updated_at: Option<DateTimeFilter>,
    pub next_follow_up_at: Option<DateTimeFilter>,
    pub and: Option<Vec<CustomerFilter>>,
    pub or: Option<Vec<CustomerFilter>>,
    pub not: Option<Box<CustomerFilter>>,
}

impl CustomerFilter {
    /// The filter as one condition over `customers`.
    pub fn condition(&self) -> AppResult<Condition> {
        let mut c = Condition::all();
        if let Some(f) = &self.code {
            c = c.add(f.condition(Column::Code)?);
        }
        if let Some(f) = &self.name {
            c = c.add(f.condition(Column::Name)?);
        }
        if let Some(f) = &self.kind {
            c = c.add(f.condition(Column::Kind)?);
        }
        if let Some(f) = &self.company_name {
            c = c.add(f.condition(Column::CompanyName)?);
        }
        if let Some(f) = &self.industry {
            c = c.add(f.condition(Column::Industry)?);
        }
        if let Some(f) = &self.region {
            c = c.add(f.condition(Column::Region)?);
        }
        if let Some(f) = &self.phone {
            c = c.add(f.condition(Column::Phone)?);
        }
        if let Some(f) = &self.email {
            c = c.add(f.condition(Column::Email)?);
        }
        if let Some(f) = &self.source {
            c = c.add(f.condition(Column::Source)?);
        }
        if let Some(f) = &self.owner_id {
            c = c.add(f.condition(Column::OwnerId, "User")?);
        }
        if let Some(f) = &self.marketing_consent {
            c = c.add(f.condition(Column::MarketingConsent)?);
        }
        if let Some(f) = &self.created_at {
            c = c.add(f.condition(Column::CreatedAt)?);
        }
        if let Some(f) = &self.updated_at {
            c = c.add(f.condition(Column::UpdatedAt)?);
        }
        if let Some(f) = &self.next_follow_up_at {
            c = c.add(f.condition(Column::NextFollowUpAt)?);
        }
        if let Some(list) = &self.and {
            for f in list {
                c = c.add(f.condition()?);
            }
        }
        if let Some(list) = &self.or {
            let mut any = Condition::any();
            for f in list {
                any = any.add(f.condition()?);
            }
            c = c.add(any);
        }
        if let Some(f) = &self.not {
            c = c.add(f.condition()?.not());
        }
        Ok(c)
    }
}

/// Fields customers can be ordered by.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum CustomerOrderField {
    CreatedAt,
    UpdatedAt,
    Name,
    Code,
}

/// Ascending or descending.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// One sort key; ties are always broken by id.
#[derive(InputObject, Debug, Clone)]
pub struct CustomerOrder {
    pub field: CustomerOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// The sort keys as the service takes them (default: newest first).
pub fn customer_order(order: Option<Vec<CustomerOrder>>) -> Vec<(Column, Order)> {
    let order = order.filter(|o| !o.is_empty()).unwrap_or_else(|| {
        vec![CustomerOrder { field: CustomerOrderField::CreatedAt, direction: OrderDirection::Asc }]
    });
    order
        .into_iter()
        .map(|o| {
            let field = match o.field {
                CustomerOrderField::CreatedAt => SortField::CreatedAt,
                CustomerOrderField::UpdatedAt => SortField::UpdatedAt,
                CustomerOrderField::Name => SortField::Name,
                CustomerOrderField::Code => SortField::Code,
            };
            (field.column(), if o.direction == OrderDirection::Asc { Order::Asc } else { Order::Desc })
        })
        .collect()
}

/// A new customer. Missing key fields are accepted and flagged (`needsFollowUp`).
#[derive(InputObject, Debug)]
pub struct CreateCustomerInput {
    pub kind: Option<CustomerKind>,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<Date>,
    pub occupation: Option<String>,
    pub company_name: Option<String>,
    pub industry: Option<Industry>,
    pub region: Option<String>,
    pub company_size: Option<i32>,
    pub address: Option<String>,
    /// Any common format; stored as E.164 (numbers without `+` are read as mainland China).
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_channel: Option<Channel>,
    #[graphql(default)]
    pub preferences: Vec<String>,
    pub potential_needs: Option<String>,
    pub notes: Option<String>,
    pub source: Option<CustomerSource>,
    /// Owner (admins and managers only); defaults to the caller.
    pub owner_id: Option<ID>,
    #[graphql(default)]
    pub marketing_consent: bool,
    pub next_follow_up_at: Option<DateTime<Utc>>,
    /// Create even if a customer with the same phone or email exists.
    #[graphql(default)]
    pub allow_duplicate: bool,
}

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

/// Changes to a customer. Fields left out stay as they are; an explicit `null` clears.
#[derive(InputObject, Debug)]
pub struct UpdateCustomerInput {
    pub id: ID,
    /// The `version` the change was made against; another version is `STALE_VERSION`.
    pub expected_version: i32,
    pub kind: Option<CustomerKind>,
    pub name: Option<String>,
    pub gender: MaybeUndefined<Gender>,
    pub birth_date: MaybeUndefined<Date>,
    pub occupation: MaybeUndefined<String>,
    pub company_name: MaybeUndefined<String>,
    pub industry: MaybeUndefined<Industry>,
    pub region: MaybeUndefined<String>,
    pub company_size: MaybeUndefined<i32>,
    pub address: MaybeUndefined<String>,
    pub phone: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    pub preferred_channel: MaybeUndefined<Channel>,
    pub preferences: Option<Vec<String>>,
    pub potential_needs: MaybeUndefined<String>,
    pub notes: MaybeUndefined<String>,
    pub source: Option<CustomerSource>,
    pub owner_id: Option<ID>,
    pub marketing_consent: Option<bool>,
    pub next_follow_up_at: MaybeUndefined<DateTime<Utc>>,
}

fn patch<T, U>(value: MaybeUndefined<T>, map: impl Fn(T) -> U) -> Option<Option<U>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(map(v))),
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

/// Soft-deletes a customer.
#[derive(InputObject, Debug)]
pub struct DeleteCustomerInput {
    pub id: ID,
    /// When given, the delete happens only at this version.
    pub expected_version: Option<i32>,
}

/// Restores a soft-deleted customer.
#[derive(InputObject, Debug)]
pub struct RestoreCustomerInput {
    pub id: ID,
}

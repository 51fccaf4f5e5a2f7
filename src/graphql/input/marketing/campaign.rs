//! Inputs of campaigns and participations.

use super::*;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateFilter, DateTimeFilter, IdFilter, StringFilter};
use crate::graphql::input::patch;
use crate::graphql::relay::Date;
use crate::graphql::types::enums::{CampaignKind, ParticipationStatus};
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::validate::{Checker, ErrorCode};
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{campaign, campaign_participation, customer};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

enum_filter!(CampaignKindFilter, CampaignKind, entity::enums::CampaignKind);
enum_filter!(ParticipationStatusFilter, ParticipationStatus, entity::enums::ParticipationStatus);

record_filter! {
    /// Conditions on campaigns.
    CampaignFilter for campaign as "Campaign" {
        id: IdFilter => Id("Campaign"),
        name: StringFilter => Name,
        kind: CampaignKindFilter => Kind,
        starts_on: DateFilter => StartsOn,
        ends_on: DateFilter => EndsOn,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
}

record_order!(CampaignOrder, CampaignOrderField for campaign as "Campaign", default StartsOn Desc {
    StartsOn => StartsOn,
    Name => Name,
    CreatedAt => CreatedAt,
});

lifecycle_inputs!(DeleteCampaignInput, RestoreCampaignInput);

fn check_span(c: &mut Checker, starts: chrono::NaiveDate, ends: Option<chrono::NaiveDate>) {
    if ends.is_some_and(|e| e < starts) {
        c.push("endsOn", ErrorCode::Invalid, "endsOn cannot be before startsOn");
    }
}

/// A marketing activity to plan.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCampaignInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub name: String,
    pub kind: CampaignKind,
    pub description: Option<String>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

impl CreateCampaignInput {
    /// The row to insert, or the field errors.
    pub fn into_row(self) -> Checked<campaign::ActiveModel> {
        let mut c = Checker::default();
        check_span(&mut c, self.starts_on.0, self.ends_on.map(|d| d.0));
        let ts = now();
        let row = campaign::ActiveModel {
            name: Set(c.name("name", &self.name, 200)),
            kind: Set(self.kind.into()),
            description: Set(c.long_text("description", self.description.as_deref(), 10_000)),
            starts_on: Set(self.starts_on.0),
            ends_on: Set(self.ends_on.map(|d| d.0)),
            ..entity::record::new_row::<entity::campaign::Entity>(ts)
        };
        c.finish(row)
    }
}

/// Changes to a campaign.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCampaignInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub kind: Option<CampaignKind>,
    pub description: MaybeUndefined<String>,
    pub starts_on: Option<Date>,
    pub ends_on: MaybeUndefined<Date>,
}

impl UpdateCampaignInput {
    /// The change to write.
    pub fn change(self, current: &campaign::Model) -> Change<campaign::ActiveModel> {
        let mut c = Checker::default();
        let mut row = campaign::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.name {
            set_field!(row, fields, name, "name", c.name("name", v, 200));
        }
        if let Some(v) = self.kind {
            set_field!(row, fields, kind, "kind", v.into());
        }
        if let Some(v) = patch(self.description, |v| v) {
            set_field!(row, fields, description, "description", c.long_text("description", v.as_deref(), 10_000));
        }
        let starts = self.starts_on.map_or(current.starts_on, |d| d.0);
        let ends = patch(self.ends_on, |d| d.0);
        check_span(&mut c, starts, ends.unwrap_or(current.ends_on));
        if self.starts_on.is_some() {
            set_field!(row, fields, starts_on, "startsOn", starts);
        }
        if let Some(v) = ends {
            set_field!(row, fields, ends_on, "endsOn", v);
        }
        c.finish((row, fields))
    }
}

record_filter! {
    /// Conditions on campaign participations.
    CampaignParticipationFilter for campaign_participation as "CampaignParticipation" {
        id: IdFilter => Id("CampaignParticipation"),
        campaign_id: IdFilter => CampaignId("Campaign"),
        customer_id: IdFilter => CustomerId("Customer"),
        status: ParticipationStatusFilter => Status,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {
        customer: CustomerFilter => (campaign_participation::Column::CustomerId, customer::Entity, customer::Column::Id),
        campaign: CampaignFilter => (campaign_participation::Column::CampaignId, campaign::Entity, campaign::Column::Id),
    }
}

record_order!(CampaignParticipationOrder, CampaignParticipationOrderField for campaign_participation as "CampaignParticipation", default CreatedAt Desc {
    CreatedAt => CreatedAt,
    UpdatedAt => UpdatedAt,
});

lifecycle_inputs!(DeleteCampaignParticipationInput, RestoreCampaignParticipationInput);

/// Invites or registers a customer for a campaign.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCampaignParticipationInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub campaign_id: ID,
    pub customer_id: ID,
    /// INVITED when left out.
    pub status: Option<ParticipationStatus>,
}

impl CreateCampaignParticipationInput {
    /// The row to insert, or the field errors (one participation per campaign and customer).
    pub async fn into_row(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
    ) -> AppResult<Checked<campaign_participation::ActiveModel>> {
        let mut c = Checker::default();
        let campaign = check_ref::<campaign::Entity>(
            db,
            viewer,
            &mut c,
            "campaignId",
            opt_id(Some(&self.campaign_id), "Campaign"),
        )
        .await?;
        let customer = check_ref::<customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            opt_id(Some(&self.customer_id), "Customer"),
        )
        .await?;
        if let (Some(campaign), Some(customer)) = (&campaign, &customer) {
            let existing = campaign_participation::Entity::find()
                .filter(campaign_participation::Column::CampaignId.eq(campaign.id))
                .filter(campaign_participation::Column::CustomerId.eq(customer.id))
                .count(db)
                .await?;
            if existing > 0 {
                c.push("customerId", ErrorCode::AlreadyExists, "the customer already takes part in this campaign");
            }
        }
        let ts = now();
        let row = campaign_participation::ActiveModel {
            campaign_id: Set(campaign.map(|m| m.id).unwrap_or_default()),
            customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
            status: Set(self.status.map_or(entity::enums::ParticipationStatus::Invited, Into::into)),
            ..entity::record::new_row::<entity::campaign_participation::Entity>(ts)
        };
        Ok(c.finish(row))
    }
}

/// Changes a participation's status.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCampaignParticipationInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub status: ParticipationStatus,
}

impl UpdateCampaignParticipationInput {
    /// The change to write.
    pub fn change(self, _current: &campaign_participation::Model) -> Change<campaign_participation::ActiveModel> {
        let mut row = campaign_participation::ActiveModel::default();
        let mut fields = Vec::new();
        set_field!(row, fields, status, "status", self.status.into());
        Ok((row, fields))
    }
}

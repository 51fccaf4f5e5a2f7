//! Campaigns (marketing activities) and the customers taking part in them.

use super::now;
use super::record::{Change, Checked, check_ref};
use super::validate::{Checker, ErrorCode};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::set_field;
use chrono::NaiveDate;
use entity::enums::ParticipationStatus;
use entity::{campaign, campaign_participation, customer};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

crate::writes! {
    inputs campaign_inputs;
    /// A marketing activity to plan.
    create NewCampaign as CreateCampaignInput;
    /// Changes to a campaign.
    update CampaignPatch as UpdateCampaignInput;
    fields {
        name: Text [create required] [update set];
        kind: Enum(CampaignKind) [create required] [update set];
        description: Text [create optional] [update clear];
        starts_on: Date [create required] [update set];
        ends_on: Date [create optional] [update clear];
    }
}

crate::writes! {
    inputs participation_inputs;
    /// Invites or registers a customer for a campaign.
    create NewParticipation as CreateCampaignParticipationInput;
    fields {
        campaign_id: Id(Campaign) [create required];
        customer_id: Id(Customer) [create required];
        status: Enum(ParticipationStatus) [create optional "INVITED when left out."];
    }
}

fn check_span(c: &mut Checker, starts: NaiveDate, ends: Option<NaiveDate>) {
    if ends.is_some_and(|e| e < starts) {
        c.push("endsOn", ErrorCode::Invalid, "endsOn cannot be before startsOn");
    }
}

/// The row of a new campaign, or the field errors.
pub async fn prepare(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    new: NewCampaign,
) -> AppResult<Checked<campaign::ActiveModel>> {
    let mut c = Checker::default();
    check_span(&mut c, new.starts_on, new.ends_on);
    let row = campaign::ActiveModel {
        name: Set(c.name("name", &new.name, 200)),
        kind: Set(new.kind),
        description: Set(c.long_text("description", new.description.as_deref(), 10_000)),
        starts_on: Set(new.starts_on),
        ends_on: Set(new.ends_on),
        ..entity::record::new_row::<campaign::Entity>(now())
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to `current` (its span stays in order).
pub async fn change(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &campaign::Model,
    patch: CampaignPatch,
) -> AppResult<Change<campaign::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = campaign::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.name {
        set_field!(row, fields, name, "name", c.name("name", v, 200));
    }
    if let Some(v) = patch.kind {
        set_field!(row, fields, kind, "kind", v);
    }
    if let Some(v) = patch.description {
        set_field!(row, fields, description, "description", c.long_text("description", v.as_deref(), 10_000));
    }
    let starts = patch.starts_on.unwrap_or(current.starts_on);
    check_span(&mut c, starts, patch.ends_on.unwrap_or(current.ends_on));
    if patch.starts_on.is_some() {
        set_field!(row, fields, starts_on, "startsOn", starts);
    }
    if let Some(v) = patch.ends_on {
        set_field!(row, fields, ends_on, "endsOn", v);
    }
    Ok(c.finish((row, fields)))
}

/// The row of a new participation (one per campaign and customer), or the field errors.
pub async fn prepare_participation(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewParticipation,
) -> AppResult<Checked<campaign_participation::ActiveModel>> {
    let mut c = Checker::default();
    let campaign = check_ref::<campaign::Entity>(db, viewer, &mut c, "campaignId", new.campaign_id).await?;
    let customer = check_ref::<customer::Entity>(db, viewer, &mut c, "customerId", new.customer_id).await?;
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
    let row = campaign_participation::ActiveModel {
        campaign_id: Set(campaign.map(|m| m.id).unwrap_or_default()),
        customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
        status: Set(new.status.unwrap_or(ParticipationStatus::Invited)),
        ..entity::record::new_row::<campaign_participation::Entity>(now())
    };
    Ok(c.finish(row))
}

/// Moves a participation to `status`.
pub async fn change_participation(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    _current: &campaign_participation::Model,
    status: ParticipationStatus,
) -> AppResult<Change<campaign_participation::ActiveModel>> {
    let mut row = campaign_participation::ActiveModel::default();
    let mut fields = Vec::new();
    set_field!(row, fields, status, "status", status);
    Ok(Ok((row, fields)))
}

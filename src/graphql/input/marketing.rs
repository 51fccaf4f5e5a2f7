//! Inputs of campaign, participation, survey, survey response and tag queries and mutations.

use super::customer::CustomerFilter;
use super::filter::{DateFilter, DateTimeFilter, FloatFilter, IdFilter, StringFilter};
use super::patch;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::relay::{Date, expect_id};
use crate::graphql::types::enums::{CampaignKind, ParticipationStatus, SurveyKind, SurveyStatus};
use crate::graphql::types::marketing::QuestionKind;
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::survey::{self as survey_svc, Answer, Question};
use crate::service::validate::{Checker, ErrorCode};
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject, MaybeUndefined};
use entity::{campaign, campaign_participation, customer, survey, survey_response, tag, ticket};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

enum_filter!(CampaignKindFilter, CampaignKind, entity::enums::CampaignKind);
enum_filter!(ParticipationStatusFilter, ParticipationStatus, entity::enums::ParticipationStatus);
enum_filter!(SurveyKindFilter, SurveyKind, entity::enums::SurveyKind);
enum_filter!(SurveyStatusFilter, SurveyStatus, entity::enums::SurveyStatus);

fn opt_id(id: Option<&ID>, kind: &str) -> Option<Uuid> {
    id.map(|id| expect_id(id, kind).unwrap_or_default())
}

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
            id: Set(entity::new_id()),
            name: Set(c.name("name", &self.name, 200)),
            kind: Set(self.kind.into()),
            description: Set(c.long_text("description", self.description.as_deref(), 10_000)),
            starts_on: Set(self.starts_on.0),
            ends_on: Set(self.ends_on.map(|d| d.0)),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
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
            id: Set(entity::new_id()),
            campaign_id: Set(campaign.map(|m| m.id).unwrap_or_default()),
            customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
            status: Set(self.status.map_or(entity::enums::ParticipationStatus::Invited, Into::into)),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
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

record_filter! {
    /// Conditions on surveys.
    SurveyFilter for survey as "Survey" {
        id: IdFilter => Id("Survey"),
        title: StringFilter => Title,
        kind: SurveyKindFilter => Kind,
        status: SurveyStatusFilter => Status,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
}

record_order!(SurveyOrder, SurveyOrderField for survey as "Survey", default CreatedAt Desc {
    CreatedAt => CreatedAt,
    Title => Title,
});

lifecycle_inputs!(DeleteSurveyInput, RestoreSurveyInput);

/// The allowed ratings of a rating question, both ends included.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct RatingRangeInput {
    pub min: i32,
    pub max: i32,
}

/// One question of a questionnaire.
#[derive(InputObject, Debug, Clone)]
pub struct SurveyQuestionInput {
    pub key: String,
    pub kind: QuestionKind,
    pub text: String,
    #[graphql(default)]
    pub options: Vec<String>,
    /// Required for rating questions.
    pub range: Option<RatingRangeInput>,
    #[graphql(default)]
    pub required: bool,
    #[graphql(default)]
    pub multiple: bool,
}

fn questions(c: &mut Checker, list: Vec<SurveyQuestionInput>) -> serde_json::Value {
    let list: Vec<Question> = list
        .into_iter()
        .map(|q| Question {
            key: q.key.trim().to_string(),
            kind: q.kind.into(),
            text: q.text.trim().to_string(),
            options: q.options.iter().map(|o| o.trim().to_string()).collect(),
            min: q.range.map(|r| r.min),
            max: q.range.map(|r| r.max),
            required: q.required,
            multiple: q.multiple,
        })
        .collect();
    survey_svc::check_questions(c, &list);
    serde_json::to_value(list).unwrap_or_default()
}

/// A survey to design.
#[derive(InputObject, Debug, Clone)]
pub struct CreateSurveyInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub title: String,
    pub kind: SurveyKind,
    /// DRAFT when left out; only ACTIVE surveys take responses.
    pub status: Option<SurveyStatus>,
    pub questions: Vec<SurveyQuestionInput>,
}

impl CreateSurveyInput {
    /// The row to insert, or the field errors.
    pub fn into_row(self) -> Checked<survey::ActiveModel> {
        let mut c = Checker::default();
        let ts = now();
        let row = survey::ActiveModel {
            id: Set(entity::new_id()),
            title: Set(c.name("title", &self.title, 200)),
            kind: Set(self.kind.into()),
            status: Set(self.status.map_or(entity::enums::SurveyStatus::Draft, Into::into)),
            questions: Set(questions(&mut c, self.questions)),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        };
        c.finish(row)
    }
}

/// Changes to a survey; its questions change only while nobody has answered.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateSurveyInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub title: Option<String>,
    pub status: Option<SurveyStatus>,
    pub questions: Option<Vec<SurveyQuestionInput>>,
}

impl UpdateSurveyInput {
    /// The change to write.
    pub async fn change(
        self,
        db: &DatabaseConnection,
        current: &survey::Model,
    ) -> AppResult<Change<survey::ActiveModel>> {
        let mut c = Checker::default();
        let mut row = survey::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.title {
            set_field!(row, fields, title, "title", c.name("title", v, 200));
        }
        if let Some(v) = self.status {
            set_field!(row, fields, status, "status", v.into());
        }
        if let Some(list) = self.questions {
            let answered = survey_response::Entity::find()
                .filter(survey_response::Column::SurveyId.eq(current.id))
                .count(db)
                .await?;
            if answered > 0 {
                c.push("questions", ErrorCode::InvalidState, "the survey has responses; create a new survey instead");
            }
            set_field!(row, fields, questions, "questions", questions(&mut c, list));
        }
        Ok(c.finish((row, fields)))
    }
}

record_filter! {
    /// Conditions on survey responses.
    SurveyResponseFilter for survey_response as "SurveyResponse" {
        id: IdFilter => Id("SurveyResponse"),
        survey_id: IdFilter => SurveyId("Survey"),
        customer_id: IdFilter => CustomerId("Customer"),
        ticket_id: IdFilter => TicketId("Ticket"),
        score: FloatFilter => Score,
        submitted_at: DateTimeFilter => SubmittedAt,
    }
    related {
        customer: CustomerFilter => (survey_response::Column::CustomerId, customer::Entity, customer::Column::Id),
        survey: SurveyFilter => (survey_response::Column::SurveyId, survey::Entity, survey::Column::Id),
    }
}

record_order!(SurveyResponseOrder, SurveyResponseOrderField for survey_response as "SurveyResponse", default SubmittedAt Desc {
    SubmittedAt => SubmittedAt,
    CreatedAt => CreatedAt,
});

lifecycle_inputs!(DeleteSurveyResponseInput, RestoreSurveyResponseInput);

/// One answer: a rating, choices or a text, as the question asks.
#[derive(InputObject, Debug, Clone)]
pub struct SurveyAnswerInput {
    pub key: String,
    pub rating: Option<i32>,
    pub choices: Option<Vec<String>>,
    pub text: Option<String>,
}

/// A customer's answers to an active survey.
#[derive(InputObject, Debug, Clone)]
pub struct SubmitSurveyResponseInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub survey_id: ID,
    pub customer_id: ID,
    /// The ticket the survey follows up, if any.
    pub ticket_id: Option<ID>,
    pub answers: Vec<SurveyAnswerInput>,
}

impl SubmitSurveyResponseInput {
    /// The row to insert (answers checked against the questions, score computed).
    pub async fn into_row(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
    ) -> AppResult<Checked<survey_response::ActiveModel>> {
        let mut c = Checker::default();
        let survey =
            check_ref::<survey::Entity>(db, viewer, &mut c, "surveyId", opt_id(Some(&self.survey_id), "Survey"))
                .await?;
        let customer = check_ref::<customer::Entity>(
            db,
            viewer,
            &mut c,
            "customerId",
            opt_id(Some(&self.customer_id), "Customer"),
        )
        .await?;
        let ticket =
            check_ref::<ticket::Entity>(db, viewer, &mut c, "ticketId", opt_id(self.ticket_id.as_ref(), "Ticket"))
                .await?;
        if let (Some(t), Some(cu)) = (&ticket, &customer)
            && t.customer_id != cu.id
        {
            c.push("ticketId", ErrorCode::Invalid, "ticketId belongs to another customer");
        }
        let (answers, score) = match &survey {
            Some(s) if s.status != entity::enums::SurveyStatus::Active => {
                c.push("surveyId", ErrorCode::InvalidState, "the survey is not active");
                (serde_json::Value::Null, None)
            }
            Some(s) => {
                let answers: Vec<Answer> = self
                    .answers
                    .into_iter()
                    .map(|a| Answer { key: a.key, rating: a.rating, choices: a.choices, text: a.text })
                    .collect();
                survey_svc::check_answers(&mut c, &survey_svc::questions(&s.questions), &answers)
            }
            None => (serde_json::Value::Null, None),
        };
        let ts = now();
        let row = survey_response::ActiveModel {
            id: Set(entity::new_id()),
            survey_id: Set(survey.map(|m| m.id).unwrap_or_default()),
            customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
            ticket_id: Set(ticket.map(|m| m.id)),
            answers: Set(answers),
            score: Set(score),
            submitted_at: Set(ts),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        };
        Ok(c.finish(row))
    }
}

record_filter! {
    /// Conditions on tags.
    TagFilter for tag as "Tag" {
        id: IdFilter => Id("Tag"),
        name: StringFilter => Name,
        dimension: StringFilter => Dimension,
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
}

record_order!(TagOrder, TagOrderField for tag as "Tag", default Name Asc {
    Name => Name,
    Dimension => Dimension,
    CreatedAt => CreatedAt,
});

lifecycle_inputs!(DeleteTagInput, RestoreTagInput);

async fn tag_exists(db: &DatabaseConnection, dimension: &str, name: &str, except: Option<Uuid>) -> AppResult<bool> {
    let mut q = tag::Entity::find().filter(tag::Column::Dimension.eq(dimension)).filter(tag::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(tag::Column::Id.ne(id));
    }
    Ok(q.count(db).await? > 0)
}

/// A classification tag.
#[derive(InputObject, Debug, Clone)]
pub struct CreateTagInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub name: String,
    /// e.g. `value`, `lifecycle`, `industry`, `needs`, `behaviour`.
    pub dimension: String,
    /// `#rrggbb`.
    pub color: Option<String>,
}

impl CreateTagInput {
    /// The row to insert; names are unique per dimension.
    pub async fn into_row(self, db: &DatabaseConnection) -> AppResult<Checked<tag::ActiveModel>> {
        let mut c = Checker::default();
        let name = c.name("name", &self.name, 100);
        let dimension = c.name("dimension", &self.dimension, 64).to_lowercase();
        if c.is_clean() && tag_exists(db, &dimension, &name, None).await? {
            c.push("name", ErrorCode::AlreadyExists, format!("a tag `{name}` exists in `{dimension}`"));
        }
        let ts = now();
        let row = tag::ActiveModel {
            id: Set(entity::new_id()),
            name: Set(name),
            dimension: Set(dimension),
            color: Set(c.color("color", self.color.as_deref())),
            version: Set(1),
            created_at: Set(ts),
            updated_at: Set(ts),
            deleted_at: Set(None),
        };
        Ok(c.finish(row))
    }
}

/// Changes to a tag.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateTagInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub color: MaybeUndefined<String>,
}

impl UpdateTagInput {
    /// The change to write.
    pub async fn change(self, db: &DatabaseConnection, current: &tag::Model) -> AppResult<Change<tag::ActiveModel>> {
        let mut c = Checker::default();
        let mut row = tag::ActiveModel::default();
        let mut fields = Vec::new();
        if let Some(v) = &self.name {
            let name = c.name("name", v, 100);
            if c.is_clean() && tag_exists(db, &current.dimension, &name, Some(current.id)).await? {
                c.push("name", ErrorCode::AlreadyExists, format!("a tag `{name}` exists in `{}`", current.dimension));
            }
            set_field!(row, fields, name, "name", name);
        }
        if let Some(v) = patch(self.color, |v| v) {
            set_field!(row, fields, color, "color", c.color("color", v.as_deref()));
        }
        Ok(c.finish((row, fields)))
    }
}

/// Tags to put on or take off a customer.
#[derive(InputObject, Debug, Clone)]
pub struct CustomerTagsInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub customer_id: ID,
    pub tag_ids: Vec<ID>,
}

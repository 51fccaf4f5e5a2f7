//! `Campaign`, `CampaignParticipation`, `Survey`, `SurveyResponse` and `Tag`.

use super::activity::Ticket;
use super::customer::Customer;
use super::enums::{CampaignKind, ParticipationStatus, SurveyKind, SurveyStatus};
use crate::graphql::input::marketing::*;
use crate::graphql::loader::{CampaignParticipations, SurveyResponses};
use crate::graphql::relay::{Date, One, RecordMeta, global_id, one};
use crate::meta;
use crate::service::survey::{self, QuestionKind as Kind};
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

/// A marketing activity (市场活动).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Campaign(pub entity::campaign::Model);

#[Object]
impl Campaign {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Campaign", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn kind(&self) -> CampaignKind {
        self.0.kind.into()
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn starts_on(&self) -> Date {
        Date(self.0.starts_on)
    }
    async fn ends_on(&self) -> Option<Date> {
        self.0.ends_on.map(Date)
    }
    /// The nested lists.
    #[graphql(flatten)]
    async fn lists(&self) -> CampaignLists {
        CampaignLists(self.0.id)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

crate::lists! {
    /// The nested lists of `Campaign`, flattened into it.
    CampaignLists {
        /// Customers invited to or attending this campaign (those the caller may see).
        participations: CampaignParticipations => CampaignParticipation(CampaignParticipationFilter, CampaignParticipationOrder);
    }
}

/// A customer's invitation to and attendance of a campaign.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct CampaignParticipation(pub entity::campaign_participation::Model);

#[Object]
impl CampaignParticipation {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("CampaignParticipation", self.0.id)
    }
    async fn status(&self) -> ParticipationStatus {
        self.0.status.into()
    }
    async fn campaign(&self, ctx: &Context<'_>) -> Result<One<Campaign>> {
        one::<entity::campaign::Entity, _>(ctx, Some(self.0.campaign_id), Campaign).await
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

/// Kind of survey question.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::service::survey::QuestionKind")]
pub enum QuestionKind {
    Rating,
    Choice,
    Text,
}

/// The allowed ratings of a rating question, both ends included.
#[derive(SimpleObject, Clone, Copy)]
pub struct RatingRange {
    pub min: i32,
    pub max: i32,
}

/// One question of a questionnaire.
#[derive(SimpleObject, Clone)]
pub struct SurveyQuestion {
    /// Stable key answers refer to.
    pub key: String,
    pub kind: QuestionKind,
    pub text: String,
    /// The options of a choice question.
    pub options: Vec<String>,
    /// The allowed ratings of a rating question.
    pub range: Option<RatingRange>,
    pub required: bool,
    /// A choice question that takes several options.
    pub multiple: bool,
}

impl From<survey::Question> for SurveyQuestion {
    fn from(q: survey::Question) -> Self {
        let kind: Kind = q.kind;
        Self {
            key: q.key,
            kind: kind.into(),
            text: q.text,
            options: q.options,
            range: match (q.min, q.max) {
                (Some(min), Some(max)) => Some(RatingRange { min, max }),
                _ => None,
            },
            required: q.required,
            multiple: q.multiple,
        }
    }
}

/// A satisfaction survey with its questionnaire.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Survey(pub entity::survey::Model);

#[Object]
impl Survey {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Survey", self.0.id)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn kind(&self) -> SurveyKind {
        self.0.kind.into()
    }
    async fn status(&self) -> SurveyStatus {
        self.0.status.into()
    }
    async fn questions(&self) -> Vec<SurveyQuestion> {
        survey::questions(&self.0.questions).into_iter().map(Into::into).collect()
    }
    /// The nested lists.
    #[graphql(flatten)]
    async fn lists(&self) -> SurveyLists {
        SurveyLists(self.0.id)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

crate::lists! {
    /// The nested lists of `Survey`, flattened into it.
    SurveyLists {
        /// Responses to this survey (of customers the caller may see).
        responses: SurveyResponses => SurveyResponse(SurveyResponseFilter, SurveyResponseOrder);
    }
}

/// One answer of a response.
#[derive(SimpleObject, Clone)]
pub struct SurveyAnswer {
    pub key: String,
    pub rating: Option<i32>,
    pub choices: Option<Vec<String>>,
    pub text: Option<String>,
}

/// One customer's answers to a survey.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct SurveyResponse(pub entity::survey_response::Model);

#[Object]
impl SurveyResponse {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("SurveyResponse", self.0.id)
    }
    async fn answers(&self) -> Vec<SurveyAnswer> {
        let Some(map) = self.0.answers.as_object() else { return Vec::new() };
        map.iter()
            .map(|(key, value)| SurveyAnswer {
                key: key.clone(),
                rating: value.as_i64().and_then(|v| i32::try_from(v).ok()),
                choices: value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()),
                text: value.as_str().map(str::to_string),
            })
            .collect()
    }
    /// The mean of the rating answers.
    async fn score(&self) -> Option<f64> {
        self.0.score
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }
    async fn survey(&self, ctx: &Context<'_>) -> Result<One<Survey>> {
        one::<entity::survey::Entity, _>(ctx, Some(self.0.survey_id), Survey).await
    }
    async fn customer(&self, ctx: &Context<'_>) -> Result<One<Customer>> {
        one::<entity::customer::Entity, _>(ctx, Some(self.0.customer_id), Customer).await
    }
    async fn ticket(&self, ctx: &Context<'_>) -> Result<One<Ticket>> {
        one::<entity::ticket::Entity, _>(ctx, self.0.ticket_id, Ticket).await
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

/// A classification label (lifecycle, value, industry, behaviour …).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Tag(pub entity::tag::Model);

#[Object]
impl Tag {
    /// Opaque global identifier.
    pub async fn id(&self) -> ID {
        global_id("Tag", self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The classification dimension, e.g. `value`, `lifecycle`, `industry`.
    async fn dimension(&self) -> &str {
        &self.0.dimension
    }
    /// Display colour, `#rrggbb`.
    async fn color(&self) -> Option<&str> {
        self.0.color.as_deref()
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        meta!(self.0)
    }
}

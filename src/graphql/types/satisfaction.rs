//! Satisfaction in the API: `inviteToSurvey` (one-time respondent tokens) and
//! `surveyResults` (score by kind, distributions, text answers through the field policy,
//! main issues, before/after comparison). The rules live in `service::survey`.

use crate::auth::policy;
use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::relay::expect_id;
use crate::graphql::types::all::{Customer, Survey};
use crate::graphql::types::enums::{Channel, ValueTier};
use crate::graphql::types::marketing::QuestionKind;
use crate::service::record::{counted, find};
use crate::service::survey::{invite, results};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{customer, survey};
use sea_orm::sea_query::{Query, SelectStatement};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Invites customers to answer an ACTIVE survey: a one-time token each.
#[derive(InputObject, Debug, Clone)]
pub struct InviteToSurveyInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub survey_id: ID,
    /// The customers (at most 5000) — or `segmentId`, one of the two.
    pub customer_ids: Option<Vec<ID>>,
    /// Every member of a saved segment you see (at most 5000).
    pub segment_id: Option<ID>,
    /// How the tokens will be sent.
    pub channel: Channel,
    /// Days the tokens stay valid (1–90, default 14).
    pub expires_in_days: Option<i32>,
}

/// A respondent token to send to its customer; shown once, stored only as a hash.
#[derive(SimpleObject, Serialize, Deserialize, Clone, Debug)]
#[graphql(complex)]
pub struct SurveyInvitation {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    #[graphql(skip)]
    pub customer_id: Uuid,
}

#[async_graphql::ComplexObject]
impl SurveyInvitation {
    /// The customer invited.
    async fn customer(&self, ctx: &Context<'_>) -> Result<crate::graphql::relay::One<Customer>> {
        crate::graphql::relay::one::<customer::Entity, _>(ctx, Some(self.customer_id), Customer).await
    }
}

crate::payload!(/// The result of `inviteToSurvey`.
    InviteToSurveyPayload { survey: Survey;
        /// One token per customer invited.
        invitations: Vec<SurveyInvitation> });

/// The customers a result covers; all given conditions hold.
#[derive(InputObject, Debug, Clone, Default)]
pub struct SurveyResultsFilter {
    /// Responses submitted at or after.
    pub from: Option<DateTime<Utc>>,
    /// Responses submitted before.
    pub to: Option<DateTime<Utc>>,
    /// Customers of a saved segment.
    pub segment_id: Option<ID>,
    /// Customers with the tag of this name.
    pub tag: Option<String>,
    /// Customers of this value tier.
    pub value_tier: Option<ValueTier>,
}

/// `(value, count)` of a distribution.
#[derive(SimpleObject, Clone, Debug)]
pub struct Bucket {
    pub value: String,
    pub count: u64,
}

/// One question's answers.
#[derive(SimpleObject, Clone, Debug)]
pub struct QuestionResult {
    pub key: String,
    pub text: String,
    pub kind: QuestionKind,
    pub answered: u64,
    /// The mean rating (rating questions).
    pub mean: Option<f64>,
    /// Every rating of the scale, or every option, with its count.
    pub distribution: Vec<Bucket>,
    /// The latest 50 text answers, as your role may read them (masked, or `null`).
    pub text_answers: Option<Vec<String>>,
}

/// A frequent keyword of unhappy answers and complaint feedback.
#[derive(SimpleObject, Clone, Debug)]
pub struct Theme {
    pub keyword: String,
    /// Texts holding it.
    pub count: u64,
}

/// The count and score on one side of a comparison.
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct ScoreSide {
    pub responses: u64,
    pub score: Option<f64>,
}

/// Before and after a date.
#[derive(SimpleObject, Clone, Copy, Debug)]
pub struct SurveyComparison {
    pub before: ScoreSide,
    pub after: ScoreSide,
    /// `after.score − before.score`.
    pub change: Option<f64>,
}

/// A survey's results.
pub struct SurveyResults {
    survey: survey::Model,
    customers: SelectStatement,
    found: results::Results,
}

#[Object]
impl SurveyResults {
    async fn survey(&self) -> Survey {
        Survey(self.survey.clone())
    }
    async fn response_count(&self) -> u64 {
        self.found.responses
    }
    /// Invitations sent in the period to these customers.
    async fn invited_count(&self) -> u64 {
        self.found.invited
    }
    /// Responses per invitation, in percent (`null` without invitations).
    async fn response_rate(&self) -> Option<f64> {
        (self.found.invited > 0)
            .then(|| (self.found.responses as f64 / self.found.invited as f64 * 1000.0).round() / 10.0)
    }
    /// By the survey's kind: NPS (−100…100), CSAT (% of 4–5), CES (mean); `null` for CUSTOM
    /// (see `questions`) or without responses.
    async fn score(&self) -> Option<f64> {
        self.found.score
    }
    /// NPS: answers of 9–10.
    async fn promoters(&self) -> Option<u64> {
        self.found.groups.map(|g| g.0)
    }
    /// NPS: answers of 7–8.
    async fn passives(&self) -> Option<u64> {
        self.found.groups.map(|g| g.1)
    }
    /// NPS: answers of 0–6.
    async fn detractors(&self) -> Option<u64> {
        self.found.groups.map(|g| g.2)
    }
    async fn questions(&self) -> Vec<QuestionResult> {
        self.found
            .questions
            .iter()
            .map(|q| QuestionResult {
                key: q.key.clone(),
                text: q.text.clone(),
                kind: q.kind.into(),
                answered: q.answered,
                mean: q.mean,
                distribution: q
                    .distribution
                    .iter()
                    .map(|(value, count)| Bucket { value: value.clone(), count: *count })
                    .collect(),
                text_answers: q.texts.clone(),
            })
            .collect()
    }
    /// The most frequent keywords (Chinese segmented) of negative answers' texts and of
    /// complaint feedback from these customers in the period.
    async fn main_issues(&self) -> Vec<Theme> {
        self.found.themes.iter().map(|(keyword, count)| Theme { keyword: keyword.clone(), count: *count }).collect()
    }
    /// The score in the `days` before `at` and the `days` from `at` (default 30, at most
    /// 366), for the same customers — e.g. around a service change.
    async fn compare_around(
        &self,
        ctx: &Context<'_>,
        at: DateTime<Utc>,
        #[graphql(default = 30)] days: i32,
    ) -> Result<SurveyComparison> {
        if !(1..=366).contains(&days) {
            return Err(AppError::BadUserInput("`days` is between 1 and 366".into()).into());
        }
        let viewer = context::viewer(ctx)?;
        let (before, after) =
            results::compare(context::db(ctx)?, viewer, &self.survey, &self.customers, at, i64::from(days)).await?;
        let side = |s: results::Side| ScoreSide { responses: s.responses, score: s.score };
        let change = before.score.zip(after.score).map(|(b, a)| ((a - b) * 10.0).round() / 10.0);
        Ok(SurveyComparison { before: side(before), after: side(after), change })
    }
}

/// The ids of the customers `filter` names that `viewer` sees, as a statement.
fn customers(ctx: &Context<'_>, viewer: &crate::auth::Viewer, filter: &SurveyResultsFilter) -> Result<SelectStatement> {
    let mut json = serde_json::Map::new();
    if let Some(tag) = &filter.tag {
        json.insert("hasTag".into(), serde_json::json!({ "name": { "eq": tag } }));
    }
    if let Some(tier) = filter.value_tier {
        let tier: entity::enums::ValueTier = tier.into();
        json.insert("valueTier".into(), serde_json::json!({ "eq": tier.as_str() }));
    }
    let parsed = crate::graphql::types::segment::parse(serde_json::Value::Object(json)).map_err(AppError::Internal)?;
    let mut select = Query::select();
    select
        .column(customer::Column::Id)
        .from(customer::Entity)
        .cond_where(counted::<customer::Entity>(viewer, false))
        .cond_where(parsed.condition(viewer)?);
    let _ = ctx;
    Ok(select.to_owned())
}

#[derive(Default)]
pub struct SatisfactionQuery;

#[Object]
impl SatisfactionQuery {
    /// A survey's results over the responses you may see (`null` when the survey is not
    /// visible).
    async fn survey_results(
        &self,
        ctx: &Context<'_>,
        survey_id: ID,
        filter: Option<SurveyResultsFilter>,
    ) -> Result<Option<SurveyResults>> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let Ok(id) = expect_id(&survey_id, "Survey") else { return Ok(None) };
        let Some(survey) = find::<survey::Entity>(db, viewer, id).await? else { return Ok(None) };
        let filter = filter.unwrap_or_default();
        let mut customers = customers(ctx, viewer, &filter)?;
        if let Some(segment) = &filter.segment_id {
            let segment = expect_id(segment, "Segment").ok();
            let found = match segment {
                Some(id) => find::<entity::segment::Entity>(db, viewer, id).await?,
                None => None,
            };
            let Some(segment) = found else {
                return Err(AppError::BadUserInput("no such Segment".into()).into());
            };
            customers.cond_where(crate::graphql::types::segment::condition(&segment, viewer)?);
        }
        let scope = results::Scope { from: filter.from, to: filter.to, customers: customers.clone() };
        let texts = policy::rule(viewer, "SurveyResponse", "textAnswers");
        let feedback = policy::rule(viewer, "Feedback", "content");
        let found = results::results(db, viewer, &survey, &scope, texts, feedback).await?;
        Ok(Some(SurveyResults { survey, customers, found }))
    }
}

#[derive(Default)]
pub struct SatisfactionMutation;

#[Object]
impl SatisfactionMutation {
    /// Invites customers (or a segment's members you see) to an ACTIVE survey: a one-time
    /// respondent token each, to send over `channel`; answered with `submitSurveyResponse(
    /// input: {token, answers})` without an account.
    async fn invite_to_survey(&self, ctx: &Context<'_>, input: InviteToSurveyInput) -> Result<InviteToSurveyPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        crate::graphql::idempotency::idempotent(ctx, key.as_deref(), || async {
            let refuse = |field: &str, message: &str| {
                let error = crate::service::validate::FieldError::new(
                    field,
                    crate::service::validate::ErrorCode::Invalid,
                    message,
                );
                Ok(InviteToSurveyPayload {
                    survey: None,
                    invitations: vec![],
                    user_errors: vec![error.into()],
                    client_mutation_id: key.clone(),
                })
            };
            let survey_id = expect_id(&input.survey_id, "Survey").unwrap_or_default();
            let ids: Vec<Uuid> = match (&input.customer_ids, &input.segment_id) {
                (Some(list), None) => list.iter().map(|id| expect_id(id, "Customer").unwrap_or_default()).collect(),
                (None, Some(segment)) => {
                    let Some(segment) =
                        find::<entity::segment::Entity>(db, viewer, expect_id(segment, "Segment").unwrap_or_default())
                            .await?
                    else {
                        return refuse("segmentId", "no such Segment");
                    };
                    members(db, viewer, &segment).await?
                }
                _ => return refuse("customerIds", "give customerIds or segmentId, one of them"),
            };
            let days = input.expires_in_days.map(i64::from);
            Ok(match invite::invite(db, viewer, survey_id, ids, input.channel.into(), days).await? {
                Ok(issued) => InviteToSurveyPayload {
                    survey: find::<survey::Entity>(db, viewer, survey_id).await?.map(Survey),
                    invitations: issued
                        .into_iter()
                        .map(|i| SurveyInvitation {
                            token: i.token,
                            expires_at: i.expires_at,
                            customer_id: i.customer_id,
                        })
                        .collect(),
                    user_errors: vec![],
                    client_mutation_id: key.clone(),
                },
                Err(errors) => InviteToSurveyPayload {
                    survey: None,
                    invitations: vec![],
                    user_errors: errors.into_iter().map(Into::into).collect(),
                    client_mutation_id: key.clone(),
                },
            })
        })
        .await
    }
}

/// The live members of `segment` the viewer sees (one more than the invitation limit, so
/// that a segment too large is refused rather than cut).
async fn members(
    db: &sea_orm::DatabaseConnection,
    viewer: &crate::auth::Viewer,
    segment: &entity::segment::Model,
) -> crate::error::AppResult<Vec<Uuid>> {
    use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
    let cond = crate::graphql::types::segment::condition(segment, viewer)?;
    Ok(customer::Entity::find()
        .select_only()
        .column(customer::Column::Id)
        .filter(crate::service::record::list_condition::<customer::Entity>(viewer, Some(cond), false)?)
        .limit(invite::MAX_INVITES as u64 + 1)
        .into_tuple()
        .all(db)
        .await?)
}

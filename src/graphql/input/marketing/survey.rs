//! Inputs of surveys and their responses.

use super::*;
use crate::graphql::types::enums::{SurveyKind, SurveyStatus};
use crate::graphql::types::marketing::QuestionKind;
use crate::service::survey::{Answer, NewResponse, NewSurvey, Question, SurveyPatch};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::{ID, InputObject};

enum_filter!(SurveyKindFilter, SurveyKind, entity::enums::SurveyKind);
enum_filter!(SurveyStatusFilter, SurveyStatus, entity::enums::SurveyStatus);

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

impl From<SurveyQuestionInput> for Question {
    fn from(q: SurveyQuestionInput) -> Self {
        Self {
            key: q.key,
            kind: q.kind.into(),
            text: q.text,
            options: q.options,
            min: q.range.map(|r| r.min),
            max: q.range.map(|r| r.max),
            required: q.required,
            multiple: q.multiple,
        }
    }
}

impl From<CreateSurveyInput> for NewSurvey {
    fn from(input: CreateSurveyInput) -> Self {
        Self {
            title: input.title,
            kind: input.kind.into(),
            status: input.status.map(Into::into),
            questions: input.questions.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<UpdateSurveyInput> for SurveyPatch {
    fn from(input: UpdateSurveyInput) -> Self {
        Self {
            title: input.title,
            status: input.status.map(Into::into),
            questions: input.questions.map(|list| list.into_iter().map(Into::into).collect()),
        }
    }
}

impl From<SubmitSurveyResponseInput> for NewResponse {
    fn from(input: SubmitSurveyResponseInput) -> Self {
        Self {
            survey_id: opt_id(Some(&input.survey_id), "Survey"),
            customer_id: opt_id(Some(&input.customer_id), "Customer"),
            ticket_id: opt_id(input.ticket_id.as_ref(), "Ticket"),
            answers: input
                .answers
                .into_iter()
                .map(|a| Answer { key: a.key, rating: a.rating, choices: a.choices, text: a.text })
                .collect(),
        }
    }
}

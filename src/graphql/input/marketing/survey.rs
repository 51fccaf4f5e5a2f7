//! Inputs of surveys and their responses.

use crate::graphql::types::enums::{SurveyKind, SurveyStatus};
use crate::graphql::types::marketing::QuestionKind;
use crate::service::survey::{Answer, NewResponse, NewSurvey, Question, SurveyPatch};
use crate::{enum_filter, lifecycle_inputs};
use async_graphql::InputObject;

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

crate::service::survey::survey_inputs!();

lifecycle_inputs!(DeleteSurveyResponseInput, RestoreSurveyResponseInput);

/// One answer: a rating, choices or a text, as the question asks.
#[derive(InputObject, Debug, Clone)]
pub struct SurveyAnswerInput {
    pub key: String,
    pub rating: Option<i32>,
    pub choices: Option<Vec<String>>,
    pub text: Option<String>,
}

crate::service::survey::response_inputs!();

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

impl From<SurveyAnswerInput> for Answer {
    fn from(a: SurveyAnswerInput) -> Self {
        Self { key: a.key, rating: a.rating, choices: a.choices, text: a.text }
    }
}

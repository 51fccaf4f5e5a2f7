//! `Survey` with its questionnaire, and `SurveyResponse`.

use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, FloatFilter, IdFilter, StringFilter};
use crate::graphql::input::marketing::{SurveyKindFilter, SurveyStatusFilter};
use crate::graphql::loader::SurveyResponses;
use crate::graphql::types::all::{Customer, Ticket};
use crate::graphql::types::enums::{SurveyKind, SurveyStatus};
use crate::service::survey::{self, QuestionKind as Kind};
use async_graphql::{Enum, SimpleObject};
use entity::{customer, survey as survey_entity, survey_response};

crate::record! {
    /// A satisfaction survey with its questionnaire.
    Survey(survey) {
        title Title: Text, filter StringFilter, sort Title;
        kind Kind: Enum(SurveyKind), filter SurveyKindFilter;
        status Status: Enum(SurveyStatus), filter SurveyStatusFilter;
    }
    references {}
    /// Conditions on surveys.
    filter SurveyFilter {
        id: IdFilter => Id("Survey"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
    order SurveyOrder(SurveyOrderField), default CreatedAt Desc {
        CreatedAt => CreatedAt,
    }
    resolvers {
        async fn questions(&self) -> Vec<SurveyQuestion> {
            survey::questions(&self.0.questions).into_iter().map(Into::into).collect()
        }
        /// The nested lists.
        #[graphql(flatten)]
        async fn lists(&self) -> SurveyLists {
            SurveyLists(self.0.id)
        }
    }
}

crate::lists! {
    /// The nested lists of `Survey`, flattened into it.
    SurveyLists {
        /// Responses to this survey (of customers the caller may see).
        responses: SurveyResponses => SurveyResponse(SurveyResponseFilter, SurveyResponseOrder);
    }
}

crate::record! {
    /// One customer's answers to a survey.
    SurveyResponse(survey_response) {
        /// The mean of the rating answers.
        score Score: OptFloat, filter FloatFilter;
        submitted_at SubmittedAt: DateTime, filter DateTimeFilter, sort SubmittedAt;
    }
    references {
        survey survey_id: Survey(survey);
        customer customer_id: Customer(customer);
        ticket ticket_id: Ticket(ticket) optional;
    }
    /// Conditions on survey responses.
    filter SurveyResponseFilter {
        id: IdFilter => Id("SurveyResponse"),
        survey_id: IdFilter => SurveyId("Survey"),
        customer_id: IdFilter => CustomerId("Customer"),
        ticket_id: IdFilter => TicketId("Ticket"),
    }
    related {
        customer: CustomerFilter => (survey_response::Column::CustomerId, customer::Entity, customer::Column::Id),
        survey: SurveyFilter => (survey_response::Column::SurveyId, survey_entity::Entity, survey_entity::Column::Id),
    }
    order SurveyResponseOrder(SurveyResponseOrderField), default SubmittedAt Desc {
        CreatedAt => CreatedAt,
    }
    resolvers {
        /// The answers; free-text answers through the field policy (`SurveyResponse.textAnswers`:
        /// masked, or `null` for roles that may not read them).
        async fn answers(&self, ctx: &async_graphql::Context<'_>) -> async_graphql::Result<Vec<SurveyAnswer>> {
            use crate::auth::policy::{Rule, mask};
            let rule = crate::auth::policy::rule(crate::graphql::context::viewer(ctx)?, "SurveyResponse", "textAnswers");
            let Some(map) = self.0.answers.as_object() else { return Ok(Vec::new()) };
            Ok(map
                .iter()
                .map(|(key, value)| SurveyAnswer {
                    key: key.clone(),
                    rating: value.as_i64().and_then(|v| i32::try_from(v).ok()),
                    choices: value.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()),
                    text: value.as_str().and_then(|t| match rule {
                        Rule::Allow => Some(t.to_string()),
                        Rule::Mask(strategy) => Some(mask(strategy, t)),
                        Rule::Deny => None,
                    }),
                })
                .collect())
        }
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

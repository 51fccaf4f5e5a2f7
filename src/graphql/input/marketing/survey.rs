//! Inputs of surveys and their responses.

use super::*;
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::graphql::input::customer::CustomerFilter;
use crate::graphql::input::filter::{DateTimeFilter, FloatFilter, IdFilter, StringFilter};
use crate::graphql::types::enums::{SurveyKind, SurveyStatus};
use crate::graphql::types::marketing::QuestionKind;
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::survey::{self as survey_svc, Answer, Question};
use crate::service::validate::{Checker, ErrorCode};
use crate::{enum_filter, lifecycle_inputs, record_filter, record_order, set_field};
use async_graphql::{ID, InputObject};
use entity::{customer, survey, survey_response, ticket};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

enum_filter!(SurveyKindFilter, SurveyKind, entity::enums::SurveyKind);
enum_filter!(SurveyStatusFilter, SurveyStatus, entity::enums::SurveyStatus);

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
            title: Set(c.name("title", &self.title, 200)),
            kind: Set(self.kind.into()),
            status: Set(self.status.map_or(entity::enums::SurveyStatus::Draft, Into::into)),
            questions: Set(questions(&mut c, self.questions)),
            ..entity::record::new_row::<entity::survey::Entity>(ts)
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
            survey_id: Set(survey.map(|m| m.id).unwrap_or_default()),
            customer_id: Set(customer.map(|m| m.id).unwrap_or_default()),
            ticket_id: Set(ticket.map(|m| m.id)),
            answers: Set(answers),
            score: Set(score),
            submitted_at: Set(ts),
            ..entity::record::new_row::<entity::survey_response::Entity>(ts)
        };
        Ok(c.finish(row))
    }
}

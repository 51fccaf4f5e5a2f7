//! Designing surveys and taking their responses.

use super::{Answer, Question, check_answers, check_questions, questions};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::now;
use crate::service::record::{Change, Checked, check_ref};
use crate::service::reference::same_customer;
use crate::service::validate::{Checker, ErrorCode};
use crate::set_field;
use entity::enums::{SurveyKind, SurveyStatus};
use entity::{customer, survey, survey_response, ticket};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// A survey to design; strings are raw client input.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    pub title: String,
    pub kind: SurveyKind,
    /// DRAFT when left out; only ACTIVE surveys take responses.
    pub status: Option<SurveyStatus>,
    pub questions: Vec<Question>,
}

/// Changes to a survey; its questions change only while nobody has answered.
#[derive(Debug, Clone, Default)]
pub struct SurveyPatch {
    pub title: Option<String>,
    pub status: Option<SurveyStatus>,
    pub questions: Option<Vec<Question>>,
}

/// A customer's answers to an active survey.
#[derive(Debug, Clone)]
pub struct NewResponse {
    pub survey_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// The ticket the survey follows up, if any.
    pub ticket_id: Option<Uuid>,
    pub answers: Vec<Answer>,
}

/// The questionnaire trimmed and checked, as stored.
fn questionnaire(c: &mut Checker, list: Vec<Question>) -> serde_json::Value {
    let list: Vec<Question> = list
        .into_iter()
        .map(|q| Question {
            key: q.key.trim().to_string(),
            text: q.text.trim().to_string(),
            options: q.options.iter().map(|o| o.trim().to_string()).collect(),
            ..q
        })
        .collect();
    check_questions(c, &list);
    serde_json::to_value(list).unwrap_or_default()
}

/// The row of a new survey, or the field errors.
pub async fn prepare(
    _db: &DatabaseConnection,
    _viewer: &Viewer,
    new: NewSurvey,
) -> AppResult<Checked<survey::ActiveModel>> {
    let mut c = Checker::default();
    let row = survey::ActiveModel {
        title: Set(c.name("title", &new.title, 200)),
        kind: Set(new.kind),
        status: Set(new.status.unwrap_or(SurveyStatus::Draft)),
        questions: Set(questionnaire(&mut c, new.questions)),
        ..entity::record::new_row::<survey::Entity>(now())
    };
    Ok(c.finish(row))
}

/// The change `patch` makes to `current`.
pub async fn change(
    db: &DatabaseConnection,
    _viewer: &Viewer,
    current: &survey::Model,
    patch: SurveyPatch,
) -> AppResult<Change<survey::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = survey::ActiveModel::default();
    let mut fields = Vec::new();
    if let Some(v) = &patch.title {
        set_field!(row, fields, title, "title", c.name("title", v, 200));
    }
    if let Some(v) = patch.status {
        set_field!(row, fields, status, "status", v);
    }
    if let Some(list) = patch.questions {
        let answered =
            survey_response::Entity::find().filter(survey_response::Column::SurveyId.eq(current.id)).count(db).await?;
        if answered > 0 {
            c.push("questions", ErrorCode::InvalidState, "the survey has responses; create a new survey instead");
        }
        set_field!(row, fields, questions, "questions", questionnaire(&mut c, list));
    }
    Ok(c.finish((row, fields)))
}

/// The row of a response (answers checked against the questions, score computed), or
/// the field errors.
pub async fn submit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewResponse,
) -> AppResult<Checked<survey_response::ActiveModel>> {
    let mut c = Checker::default();
    let survey = check_ref::<survey::Entity>(db, viewer, &mut c, "surveyId", new.survey_id).await?;
    let customer = check_ref::<customer::Entity>(db, viewer, &mut c, "customerId", new.customer_id).await?;
    let ticket = check_ref::<ticket::Entity>(db, viewer, &mut c, "ticketId", new.ticket_id).await?;
    if let Some(customer) = &customer {
        same_customer(&mut c, "ticketId", customer.id, ticket.as_ref().map(|t| t.customer_id));
    }
    let (answers, score) = match &survey {
        Some(s) if s.status != SurveyStatus::Active => {
            c.push("surveyId", ErrorCode::InvalidState, "the survey is not active");
            (serde_json::Value::Null, None)
        }
        Some(s) => check_answers(&mut c, &questions(&s.questions), &new.answers),
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
        ..entity::record::new_row::<survey_response::Entity>(ts)
    };
    Ok(c.finish(row))
}

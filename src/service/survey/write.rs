//! Designing surveys and taking their responses.

use super::{Answer, Question, check_answers, check_questions, questions, scoring};
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

crate::writes! {
    inputs survey_inputs;
    /// A survey to design.
    create NewSurvey as CreateSurveyInput;
    /// Changes to a survey; its questions change only while nobody has answered.
    update SurveyPatch as UpdateSurveyInput;
    fields {
        title: Text [create required] [update set];
        kind: Enum(SurveyKind) [create required];
        status: Enum(SurveyStatus) [create optional "DRAFT when left out; only ACTIVE surveys take responses."]
            [update set];
        questions: Each(SurveyQuestionInput, Question) [create required] [update set];
    }
}

crate::writes! {
    inputs response_inputs;
    /// A customer's answers to an active survey: staff entry (`surveyId`, `customerId`) or
    /// the customer's own with an invitation's `token` (no account needed).
    create NewResponse as SubmitSurveyResponseInput;
    fields {
        survey_id: Id(Survey) [create optional "Staff entry: the survey answered."];
        customer_id: Id(Customer) [create optional "Staff entry: the customer answering."];
        token: Text [create optional "An invitation's respondent token (`inviteToSurvey`); then leave out surveyId, customerId and ticketId."];
        ticket_id: Id(Ticket) [create optional "The ticket the survey follows up, if any."];
        answers: Each(SurveyAnswerInput, Answer) [create required];
    }
}

/// The questionnaire trimmed and checked (for a survey of `kind`), as stored.
fn questionnaire(c: &mut Checker, kind: SurveyKind, list: Vec<Question>) -> serde_json::Value {
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
    if let Some(why) = scoring::misfit(kind, &list) {
        c.push("questions", ErrorCode::Invalid, why);
    }
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
        questions: Set(questionnaire(&mut c, new.kind, new.questions)),
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
        set_field!(row, fields, questions, "questions", questionnaire(&mut c, current.kind, list));
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
    if new.token.is_some() {
        c.push("token", ErrorCode::Invalid, "answer with a token without surveyId, customerId or ticketId");
    }
    for (field, given) in [("surveyId", new.survey_id.is_some()), ("customerId", new.customer_id.is_some())] {
        if !given {
            c.push(field, ErrorCode::Required, format!("{field} is required for staff entry"));
        }
    }
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
        Some(s) => {
            let list = questions(&s.questions);
            let stored = check_answers(&mut c, &list, &new.answers);
            let score = scoring::score(s.kind, &list, &stored);
            (stored, score)
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
        ..entity::record::new_row::<survey_response::Entity>(ts)
    };
    Ok(c.finish(row))
}

//! Survey questionnaires and the validation and scoring of responses.

pub mod invite;
pub mod results;
pub mod scoring;
pub mod themes;
mod write;

pub use write::{NewResponse, NewSurvey, SurveyPatch, change, prepare, submit};
pub(crate) use write::{response_inputs, survey_inputs};

use super::validate::{Checker, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Kind of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuestionKind {
    /// A number within `min..=max`.
    Rating,
    /// One or more of `options`.
    Choice,
    /// Free text.
    Text,
}

/// One question of a questionnaire, as stored in `surveys.questions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub key: String,
    pub kind: QuestionKind,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
    #[serde(default)]
    pub required: bool,
    /// For choice questions: whether several options may be picked.
    #[serde(default)]
    pub multiple: bool,
}

/// One answer as the client sends it.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub key: String,
    pub rating: Option<i32>,
    pub choices: Option<Vec<String>>,
    pub text: Option<String>,
}

/// Parses the stored questionnaire.
pub fn questions(stored: &Value) -> Vec<Question> {
    serde_json::from_value(stored.clone()).unwrap_or_default()
}

/// Checks a questionnaire: unique keys, ratings with a sane range, choices with options.
pub fn check_questions(c: &mut Checker, list: &[Question]) {
    if list.is_empty() || list.len() > 100 {
        c.push("questions", ErrorCode::Invalid, "a survey has 1 to 100 questions");
    }
    let mut keys = HashSet::new();
    for q in list {
        if q.key.trim().is_empty() || q.key.len() > 64 || !keys.insert(q.key.clone()) {
            c.push("questions", ErrorCode::Invalid, format!("question key `{}` is blank, too long or repeated", q.key));
        }
        if q.text.trim().is_empty() || q.text.chars().count() > 1000 {
            c.push(
                "questions",
                ErrorCode::Invalid,
                format!("question `{}` needs a text of at most 1000 characters", q.key),
            );
        }
        match q.kind {
            QuestionKind::Rating => match (q.min, q.max) {
                (Some(min), Some(max)) if min < max && max - min <= 100 => {}
                _ => c.push(
                    "questions",
                    ErrorCode::Invalid,
                    format!("rating `{}` needs a range with min < max (at most 100 apart)", q.key),
                ),
            },
            QuestionKind::Choice => {
                if q.options.len() < 2 || q.options.iter().collect::<HashSet<_>>().len() != q.options.len() {
                    c.push(
                        "questions",
                        ErrorCode::Invalid,
                        format!("choice `{}` needs two or more distinct options", q.key),
                    );
                }
            }
            QuestionKind::Text => {}
        }
    }
}

/// Validates `answers` against `questions`; returns the stored answers object.
pub fn check_answers(c: &mut Checker, questions: &[Question], answers: &[Answer]) -> Value {
    let mut stored = Map::new();
    for answer in answers {
        let Some(q) = questions.iter().find(|q| q.key == answer.key) else {
            c.push("answers", ErrorCode::Invalid, format!("no question `{}` in this survey", answer.key));
            continue;
        };
        if stored.contains_key(&q.key) {
            c.push("answers", ErrorCode::Invalid, format!("question `{}` answered twice", q.key));
            continue;
        }
        let Some(value) = answer_value(q, answer) else {
            c.push("answers", ErrorCode::Invalid, format!("`{}` needs {}", q.key, expected(q)));
            continue;
        };
        stored.insert(q.key.clone(), value);
    }
    let answered: HashSet<&str> = answers.iter().map(|a| a.key.as_str()).collect();
    for q in questions.iter().filter(|q| q.required && !answered.contains(q.key.as_str())) {
        c.push("answers", ErrorCode::Required, format!("question `{}` is required", q.key));
    }
    Value::Object(stored)
}

/// The stored value of `answer` to `q`, or `None` when it does not fit the question.
fn answer_value(q: &Question, answer: &Answer) -> Option<Value> {
    match q.kind {
        QuestionKind::Rating => {
            answer.rating.filter(|r| q.min.is_none_or(|m| *r >= m) && q.max.is_none_or(|m| *r <= m)).map(Value::from)
        }
        QuestionKind::Choice => answer
            .choices
            .as_ref()
            .filter(|picked| {
                !picked.is_empty() && (q.multiple || picked.len() == 1) && picked.iter().all(|p| q.options.contains(p))
            })
            .map(|picked| Value::from(picked.clone())),
        QuestionKind::Text => answer
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.chars().count() <= 5000)
            .map(Value::from),
    }
}

/// What an answer to `q` must be, for its error.
fn expected(q: &Question) -> String {
    match q.kind {
        QuestionKind::Rating => format!("a rating in {}..{}", q.min.unwrap_or_default(), q.max.unwrap_or_default()),
        QuestionKind::Choice => format!("{} of its options", if q.multiple { "some" } else { "one" }),
        QuestionKind::Text => "a text of at most 5000 characters".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nps() -> Vec<Question> {
        vec![
            Question {
                key: "nps".into(),
                kind: QuestionKind::Rating,
                text: "Recommend?".into(),
                options: vec![],
                min: Some(0),
                max: Some(10),
                required: true,
                multiple: false,
            },
            Question {
                key: "why".into(),
                kind: QuestionKind::Text,
                text: "Why?".into(),
                options: vec![],
                min: None,
                max: None,
                required: false,
                multiple: false,
            },
        ]
    }

    #[test]
    fn a_valid_response_is_scored() {
        let mut c = Checker::default();
        let answers = vec![Answer { key: "nps".into(), rating: Some(9), ..Default::default() }];
        let stored = check_answers(&mut c, &nps(), &answers);
        assert!(c.errors.is_empty());
        assert_eq!(stored["nps"], 9);
        assert_eq!(scoring::score(entity::enums::SurveyKind::Nps, &nps(), &stored), Some(9.0));
    }

    #[test]
    fn out_of_range_unknown_and_missing_answers_are_errors() {
        let mut c = Checker::default();
        let answers = vec![
            Answer { key: "nps".into(), rating: Some(11), ..Default::default() },
            Answer { key: "bogus".into(), text: Some("x".into()), ..Default::default() },
        ];
        check_answers(&mut c, &nps(), &answers);
        assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
        let mut missing = Checker::default();
        check_answers(&mut missing, &nps(), &[]);
        assert_eq!(missing.errors[0].code, ErrorCode::Required);
    }
}

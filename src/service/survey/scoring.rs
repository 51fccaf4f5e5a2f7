//! Scoring by survey kind. An NPS, CSAT or CES survey has a *primary* question — its first
//! rating question on the kind's scale — and a response's score is the answer to it:
//!
//! - NPS (0–10): promoters answer 9–10, passives 7–8, detractors 0–6; the survey's NPS is
//!   % promoters − % detractors, from −100 to 100.
//! - CSAT (1–5): the share of satisfied answers (4–5), in percent.
//! - CES (1–5 or 1–7, higher is easier): the mean answer.
//! - CUSTOM: no primary question; a response scores the mean of its ratings, and results
//!   are per question.
//!
//! Negative answers — detractors, CSAT 1–2, CES in the lower third, a custom response below
//! its scales' midpoint — feed the main issues (`themes`).

use super::{Question, QuestionKind};
use entity::enums::SurveyKind;
use serde_json::Value;

/// The scale a kind's primary question must have: `(min, allowed max values)`.
fn scale(kind: SurveyKind) -> Option<(i32, &'static [i32])> {
    match kind {
        SurveyKind::Nps => Some((0, &[10])),
        SurveyKind::Csat => Some((1, &[5])),
        SurveyKind::Ces => Some((1, &[5, 7])),
        SurveyKind::Custom => None,
    }
}

/// The primary question of a survey of `kind`, if it has one.
pub fn primary(kind: SurveyKind, questions: &[Question]) -> Option<&Question> {
    let (min, maxes) = scale(kind)?;
    questions
        .iter()
        .find(|q| q.kind == QuestionKind::Rating && q.min == Some(min) && q.max.is_some_and(|m| maxes.contains(&m)))
}

/// Why a questionnaire does not fit its kind, if it does not.
pub fn misfit(kind: SurveyKind, questions: &[Question]) -> Option<String> {
    let (min, maxes) = scale(kind)?;
    if primary(kind, questions).is_some() {
        return None;
    }
    let scales: Vec<String> = maxes.iter().map(|m| format!("{min}–{m}")).collect();
    Some(format!("a {} survey needs a rating question on {}", kind.as_str(), scales.join(" or ")))
}

/// The rating answered to `key` in stored `answers`.
pub fn rating(answers: &Value, key: &str) -> Option<i32> {
    answers.get(key).and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok())
}

/// A response's score: the primary answer, or for CUSTOM the mean of its ratings.
pub fn score(kind: SurveyKind, questions: &[Question], answers: &Value) -> Option<f64> {
    if let Some(q) = primary(kind, questions) {
        return rating(answers, &q.key).map(f64::from);
    }
    let ratings: Vec<f64> = questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Rating)
        .filter_map(|q| rating(answers, &q.key))
        .map(f64::from)
        .collect();
    (!ratings.is_empty()).then(|| ratings.iter().sum::<f64>() / ratings.len() as f64)
}

/// Whether a response is negative (see the module doc).
pub fn negative(kind: SurveyKind, questions: &[Question], answers: &Value) -> bool {
    match kind {
        SurveyKind::Nps => primary(kind, questions).and_then(|q| rating(answers, &q.key)).is_some_and(|r| r <= 6),
        SurveyKind::Csat => primary(kind, questions).and_then(|q| rating(answers, &q.key)).is_some_and(|r| r <= 2),
        SurveyKind::Ces => {
            primary(kind, questions).and_then(|q| {
                let r = rating(answers, &q.key)?;
                let span = f64::from(q.max? - q.min?);
                Some(f64::from(r - q.min?) < span / 3.0)
            }) == Some(true)
        }
        SurveyKind::Custom => {
            let (mut below, mut rated) = (0, 0);
            for q in questions.iter().filter(|q| q.kind == QuestionKind::Rating) {
                if let (Some(r), Some(min), Some(max)) = (rating(answers, &q.key), q.min, q.max) {
                    rated += 1;
                    if f64::from(r) < f64::from(min + max) / 2.0 {
                        below += 1;
                    }
                }
            }
            rated > 0 && below * 2 > rated
        }
    }
}

/// The survey's score over the primary answers `ratings` (see the module doc); `None`
/// without answers or for CUSTOM.
pub fn aggregate(kind: SurveyKind, ratings: &[i32]) -> Option<f64> {
    if ratings.is_empty() {
        return None;
    }
    let n = ratings.len() as f64;
    let share = |pred: &dyn Fn(i32) -> bool| ratings.iter().filter(|r| pred(**r)).count() as f64 / n * 100.0;
    let value = match kind {
        SurveyKind::Nps => share(&|r| r >= 9) - share(&|r| r <= 6),
        SurveyKind::Csat => share(&|r| r >= 4),
        SurveyKind::Ces => ratings.iter().map(|r| f64::from(*r)).sum::<f64>() / n,
        SurveyKind::Custom => return None,
    };
    Some((value * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_scores_by_its_own_rule() {
        // 4 promoters, 2 passives, 4 detractors of 10: NPS 0; 5 and 3 of 10: NPS 20.
        assert_eq!(aggregate(SurveyKind::Nps, &[10, 9, 9, 10, 7, 8, 0, 3, 6, 5]), Some(0.0));
        assert_eq!(aggregate(SurveyKind::Nps, &[9, 9, 10, 9, 10, 7, 8, 1, 2, 3]), Some(20.0));
        assert_eq!(aggregate(SurveyKind::Nps, &[0, 0]), Some(-100.0));
        // CSAT: 2 of 3 answered 4 or 5.
        assert_eq!(aggregate(SurveyKind::Csat, &[5, 4, 2]), Some(66.7));
        assert_eq!(aggregate(SurveyKind::Ces, &[7, 6, 2]), Some(5.0));
        assert_eq!(aggregate(SurveyKind::Custom, &[3]), None);
        assert_eq!(aggregate(SurveyKind::Nps, &[]), None);
    }

    #[test]
    fn an_nps_answer_of_three_is_a_detractor_not_a_score_of_three_out_of_five() {
        let q = |key: &str, min, max| Question {
            key: key.into(),
            kind: QuestionKind::Rating,
            text: "?".into(),
            options: vec![],
            min: Some(min),
            max: Some(max),
            required: true,
            multiple: false,
        };
        let questions = vec![q("ease", 1, 5), q("nps", 0, 10)];
        assert_eq!(primary(SurveyKind::Nps, &questions).map(|q| q.key.as_str()), Some("nps"));
        let answers = serde_json::json!({ "ease": 5, "nps": 3 });
        assert_eq!(score(SurveyKind::Nps, &questions, &answers), Some(3.0));
        assert!(negative(SurveyKind::Nps, &questions, &answers));
        assert_eq!(score(SurveyKind::Custom, &questions, &answers), Some(4.0));
        assert!(misfit(SurveyKind::Csat, &[q("x", 0, 10)]).is_some());
        assert!(misfit(SurveyKind::Ces, &[q("x", 1, 7)]).is_none());
    }
}

//! Satisfaction by customer value tier: a survey's responses the caller may see, grouped
//! by their customer's tier in one statement, scored by the survey's kind
//! (`survey::scoring`): NPS, CSAT or CES from each response's score (its primary answer).

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::record::counted;
use entity::enums::{SurveyKind, ValueTier};
use entity::{customer, survey_response as response};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

/// One tier's figures (`tier: None`: unclassified customers).
#[derive(Debug, Clone, PartialEq)]
pub struct TierScore {
    pub tier: Option<ValueTier>,
    pub responses: i64,
    pub score: Option<f64>,
}

/// The survey's score per value tier.
pub async fn by_value_tier(
    db: &DatabaseConnection,
    viewer: &Viewer,
    survey: Uuid,
    kind: SurveyKind,
) -> AppResult<Vec<TierScore>> {
    let backend = db.get_database_backend();
    let tier = Expr::col((customer::Entity, customer::Column::ValueTier));
    let count_if = |cond: &str| {
        Expr::cust(format!("CAST(SUM(CASE WHEN survey_responses.score {cond} THEN 1 ELSE 0 END) AS BIGINT)"))
    };
    let mut q = Query::select();
    q.expr_as(tier.clone(), Alias::new("tier"))
        .expr_as(Expr::col((response::Entity, response::Column::Score)).count(), Alias::new("responses"))
        .expr_as(count_if(">= 9"), Alias::new("promoters"))
        .expr_as(count_if("<= 6"), Alias::new("detractors"))
        .expr_as(count_if(">= 4"), Alias::new("satisfied"))
        .expr_as(Expr::cust("CAST(AVG(survey_responses.score) AS DOUBLE PRECISION)"), Alias::new("mean"))
        .from(response::Entity)
        .join(
            JoinType::InnerJoin,
            customer::Entity,
            Expr::col((customer::Entity, customer::Column::Id))
                .equals((response::Entity, response::Column::CustomerId)),
        )
        .cond_where(counted::<response::Entity>(viewer, false))
        .and_where(Expr::col((response::Entity, response::Column::SurveyId)).eq(survey))
        .and_where(Expr::col((response::Entity, response::Column::Score)).is_not_null())
        .add_group_by([tier.clone()])
        .order_by_expr(tier, Order::Asc);
    let rows = db.query_all_raw(backend.build(&q)).await?;
    rows.iter()
        .map(|row| {
            let responses: i64 = row.try_get("", "responses")?;
            let share = |n: i64| (n as f64 / responses as f64 * 1000.0).round() / 10.0;
            let score = (responses > 0).then_some(()).and_then(|()| -> Option<f64> {
                Some(match kind {
                    SurveyKind::Nps => {
                        let (p, d): (i64, i64) =
                            (row.try_get("", "promoters").ok()?, row.try_get("", "detractors").ok()?);
                        ((p - d) as f64 / responses as f64 * 1000.0).round() / 10.0
                    }
                    SurveyKind::Csat => share(row.try_get("", "satisfied").ok()?),
                    SurveyKind::Ces | SurveyKind::Custom => {
                        let mean: f64 = row.try_get("", "mean").ok()?;
                        (mean * 10.0).round() / 10.0
                    }
                })
            });
            Ok(TierScore { tier: row.try_get("", "tier")?, responses, score })
        })
        .collect()
}

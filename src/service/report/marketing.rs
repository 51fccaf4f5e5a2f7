//! Segment sizes per classification dimension and campaign effectiveness, over the
//! customers (and records) the caller may see.

use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::record::counted;
use entity::classification::current as class;
use entity::enums::CampaignKind;
use entity::{campaign, campaign_participation as participation, customer};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use uuid::Uuid;

/// A classification dimension with a size per value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Lifecycle,
    ValueTier,
    NeedUrgency,
    /// Each behaviour held (HIGH_FREQUENCY, DORMANT, COMPLAINANT).
    Behaviours,
}

/// Customers per value of `dimension` (`None`: no value), one grouped statement.
pub async fn sizes(
    db: &DatabaseConnection,
    viewer: &Viewer,
    dimension: Dimension,
) -> AppResult<Vec<(Option<String>, i64)>> {
    let backend = db.get_database_backend();
    let mut q = Query::select();
    let key = match dimension {
        Dimension::Lifecycle => Expr::col((customer::Entity, customer::Column::LifecycleStage)),
        Dimension::ValueTier => Expr::col((customer::Entity, customer::Column::ValueTier)),
        Dimension::NeedUrgency => Expr::col((customer::Entity, customer::Column::NeedUrgency)),
        Dimension::Behaviours => {
            q.join(
                sea_orm::sea_query::JoinType::InnerJoin,
                class::Entity,
                Expr::col((class::Entity, class::Column::CustomerId)).equals((customer::Entity, customer::Column::Id)),
            )
            .and_where(Expr::col((class::Entity, class::Column::Dimension)).is_in([
                "HIGH_FREQUENCY",
                "DORMANT",
                "COMPLAINANT",
            ]))
            .and_where(Expr::col((class::Entity, class::Column::Value)).is_not_null());
            Expr::col((class::Entity, class::Column::Dimension))
        }
    };
    q.expr_as(key.clone(), Alias::new("key"))
        .expr_as(Expr::col((customer::Entity, customer::Column::Id)).count(), Alias::new("count"))
        .from(customer::Entity)
        .cond_where(counted::<customer::Entity>(viewer, false))
        .add_group_by([key.clone()])
        .order_by_expr(key, Order::Asc);
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| Ok((row.try_get("", "key")?, row.try_get("", "count")?)))
        .collect()
}

/// One campaign's effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignEffect {
    pub campaign: Uuid,
    pub kind: CampaignKind,
    pub participants: i64,
    /// Participants with a deal opened within the window after the campaign's start.
    pub with_deals: i64,
    /// Participants with a purchase within the window.
    pub with_purchases: i64,
}

/// Per campaign (of `kind`, if given): participants the viewer sees, and how many opened a
/// deal or bought within `days` of the campaign's start — one grouped statement.
pub async fn campaign_effectiveness(
    db: &DatabaseConnection,
    viewer: &Viewer,
    days: u32,
    kind: Option<CampaignKind>,
) -> AppResult<Vec<CampaignEffect>> {
    let backend = db.get_database_backend();
    let end = match backend {
        DbBackend::Postgres => format!("(campaigns.starts_on + {days})"),
        _ => format!("date(campaigns.starts_on, '+{days} days')"),
    };
    let followed = |table: &str, at: &str| {
        Expr::cust(format!(
            "CAST(COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM {table} x WHERE x.customer_id = campaign_participations.customer_id \
             AND x.deleted_at IS NULL AND x.{at} >= campaigns.starts_on AND x.{at} < {end}) \
             THEN campaign_participations.customer_id END) AS BIGINT)"
        ))
    };
    let mut q = Query::select();
    q.expr_as(Expr::col((campaign::Entity, campaign::Column::Id)), Alias::new("campaign"))
        .expr_as(Expr::col((campaign::Entity, campaign::Column::Kind)), Alias::new("kind"))
        .expr_as(Expr::cust("COUNT(DISTINCT campaign_participations.customer_id)"), Alias::new("participants"))
        .expr_as(followed("deals", "created_at"), Alias::new("with_deals"))
        .expr_as(followed("purchases", "purchased_at"), Alias::new("with_purchases"))
        .from(participation::Entity)
        .join(
            sea_orm::sea_query::JoinType::InnerJoin,
            campaign::Entity,
            Expr::col((campaign::Entity, campaign::Column::Id))
                .equals((participation::Entity, participation::Column::CampaignId)),
        )
        .cond_where(counted::<participation::Entity>(viewer, false))
        .and_where(Expr::col((campaign::Entity, campaign::Column::DeletedAt)).is_null())
        .group_by_col((campaign::Entity, campaign::Column::Id))
        .group_by_col((campaign::Entity, campaign::Column::Kind))
        .order_by((campaign::Entity, campaign::Column::Id), Order::Asc);
    if let Some(kind) = kind {
        q.and_where(Expr::col((campaign::Entity, campaign::Column::Kind)).eq(kind.as_str()));
    }
    db.query_all_raw(backend.build(&q))
        .await?
        .iter()
        .map(|row| {
            Ok(CampaignEffect {
                campaign: row.try_get("", "campaign")?,
                kind: row.try_get("", "kind")?,
                participants: row.try_get("", "participants")?,
                with_deals: row.try_get("", "with_deals")?,
                with_purchases: row.try_get("", "with_purchases")?,
            })
        })
        .collect()
}

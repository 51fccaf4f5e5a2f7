//! `node` and `nodes`: any record by global ID (Relay object identification).

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::graphql::context;
use crate::graphql::relay::{Node, parse_global_id};
use crate::graphql::types::all::*;
use crate::service::record::find;
use async_graphql::{Context, ID, Object, Result};
use entity::*;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

#[derive(Default)]
pub struct NodeQuery;

/// Largest `ids` list `nodes` accepts.
const MAX_NODES: usize = 100;

#[Object]
impl NodeQuery {
    /// The record with this global ID, if the caller may see it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        match parse_global_id(&id) {
            Ok((kind, uuid)) => Ok(fetch(db, viewer, &kind, uuid).await?),
            Err(_) => Ok(None),
        }
    }

    /// The records with these global IDs, in the same order; `null` where not visible.
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(AppError::QueryTooComplex(format!("at most {MAX_NODES} ids")).into());
        }
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            out.push(match parse_global_id(id) {
                Ok((kind, uuid)) => fetch(db, viewer, &kind, uuid).await?,
                Err(_) => None,
            });
        }
        Ok(out)
    }
}

/// Looks up `kind` `id` with the row scope of `viewer`.
async fn fetch(db: &DatabaseConnection, viewer: &Viewer, kind: &str, id: Uuid) -> AppResult<Option<Node>> {
    macro_rules! by_kind {
        ($($name:literal => $module:ident as $ty:ident),+ $(,)?) => {
            match kind {
                $($name => find::<$module::Entity>(db, viewer, id).await?.map(|m| Node::$ty($ty(m))),)+
                _ => None,
            }
        };
    }
    Ok(by_kind! {
        "Customer" => customer as Customer,
        "Contact" => contact as Contact,
        "Interaction" => interaction as Interaction,
        "Purchase" => purchase as Purchase,
        "Deal" => deal as Deal,
        "Ticket" => ticket as Ticket,
        "Feedback" => feedback as Feedback,
        "Campaign" => campaign as Campaign,
        "CampaignParticipation" => campaign_participation as CampaignParticipation,
        "Survey" => survey as Survey,
        "SurveyResponse" => survey_response as SurveyResponse,
        "Tag" => tag as Tag,
        "User" => user as User,
        "Team" => team as Team,
    })
}

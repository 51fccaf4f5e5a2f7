//! `node` and `nodes`: any record by global ID (Relay object identification).

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::graphql::context;
use crate::graphql::relay::{Node, parse_global_id};
use crate::graphql::types::all::*;
use crate::service::record::by_ids_visible;
use async_graphql::{Context, ID, Object, Result};
use entity::*;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
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
            Ok((kind, uuid)) => Ok(fetch(db, viewer, &kind, &[uuid]).await?.remove(&uuid)),
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
        // One statement per record type named, not one per id.
        let parsed: Vec<Option<(String, Uuid)>> = ids.iter().map(|id| parse_global_id(id).ok()).collect();
        let mut by_kind: HashMap<&str, Vec<Uuid>> = HashMap::new();
        for (kind, uuid) in parsed.iter().flatten() {
            by_kind.entry(kind.as_str()).or_default().push(*uuid);
        }
        let mut found: HashMap<(&str, Uuid), Node> = HashMap::new();
        for (kind, uuids) in by_kind {
            for (uuid, node) in fetch(db, viewer, kind, &uuids).await? {
                found.insert((kind, uuid), node);
            }
        }
        Ok(parsed.iter().map(|p| p.as_ref().and_then(|(k, u)| found.get(&(k.as_str(), *u)).cloned())).collect())
    }
}

/// Looks up records of `kind` by id with the row scope of `viewer`; the id of a merged
/// customer answers the customer it was merged into.
async fn fetch(db: &DatabaseConnection, viewer: &Viewer, kind: &str, ids: &[Uuid]) -> AppResult<HashMap<Uuid, Node>> {
    let mut found = fetch_kind(db, viewer, kind, ids).await?;
    // A tombstone (an admin sees deleted records) answers its survivor too.
    found.retain(|_, node| !matches!(node, Node::Customer(c) if c.0.merged_into.is_some()));
    if kind == "Customer" && found.len() < ids.len() {
        let missing: Vec<Uuid> = ids.iter().copied().filter(|id| !found.contains_key(id)).collect();
        if missing.is_empty() {
            return Ok(found);
        }
        let survivors = crate::service::merge::survivors(db, &missing).await?;
        if survivors.is_empty() {
            return Ok(found);
        }
        let to: Vec<Uuid> = survivors.iter().map(|(_, s)| *s).collect();
        let live = fetch_kind(db, viewer, kind, &to).await?;
        for (merged, survivor) in survivors {
            if let Some(node) = live.get(&survivor) {
                found.insert(merged, node.clone());
            }
        }
    }
    Ok(found)
}

/// Looks up records of `kind` by id with the row scope of `viewer`, in one statement.
async fn fetch_kind(
    db: &DatabaseConnection,
    viewer: &Viewer,
    kind: &str,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Node>> {
    macro_rules! by_kind {
        ($($name:literal => $module:ident as $ty:ident),+ $(,)?) => {
            match kind {
                $($name => by_ids_visible::<$module::Entity>(db, viewer, ids)
                    .await?
                    .into_iter()
                    .map(|m| (m.id, Node::$ty($ty(m))))
                    .collect(),)+
                _ => HashMap::new(),
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
        "Segment" => segment as Segment,
        "CustomFieldDefinition" => custom_field as CustomFieldDefinition,
        "User" => user as User,
        "Team" => team as Team,
    })
}

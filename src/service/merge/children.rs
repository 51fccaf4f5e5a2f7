//! The child records of merged customers: which move to the survivor, which stay (where
//! the survivor already has one with the same unique key: a campaign it takes part in, a
//! tag it carries), and moving them there and back by id.

use crate::error::AppResult;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Value};
use std::collections::HashSet;
use uuid::Uuid;

/// A table of records under a customer, and the column unique per customer, if any.
struct Child {
    table: &'static str,
    label: &'static str,
    unique: Option<&'static str>,
}

const CHILDREN: [Child; 10] = [
    Child { table: "contacts", label: "Contact", unique: None },
    Child { table: "interactions", label: "Interaction", unique: None },
    Child { table: "purchases", label: "Purchase", unique: None },
    Child { table: "deals", label: "Deal", unique: None },
    Child { table: "tickets", label: "Ticket", unique: None },
    Child { table: "feedback", label: "Feedback", unique: None },
    Child { table: "campaign_participations", label: "CampaignParticipation", unique: Some("campaign_id") },
    Child { table: "survey_responses", label: "SurveyResponse", unique: None },
    Child { table: "customer_tags", label: "Tagging", unique: Some("tag_id") },
    Child { table: "customer_reviews", label: "Review", unique: None },
];

/// Child records of one table moved from one customer.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Move {
    pub table: String,
    pub from: Uuid,
    pub ids: Vec<Uuid>,
}

/// How many records of a type move, and how many stay with the merged records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub label: &'static str,
    pub moved: u64,
    pub kept: u64,
}

/// The moves that merge `merged` into `survivor`, and their counts per type.
pub async fn plan<C: ConnectionTrait>(db: &C, survivor: Uuid, merged: &[Uuid]) -> AppResult<(Vec<Move>, Vec<Count>)> {
    let mut moves = Vec::new();
    let mut counts = Vec::new();
    for child in &CHILDREN {
        let rows = rows(db, child, survivor, merged).await?;
        let mut taken: HashSet<Option<Uuid>> =
            rows.iter().filter(|r| r.1 == survivor).map(|r| r.2).filter(|k| k.is_some()).collect();
        let mut count = Count { label: child.label, ..Count::default() };
        for from in merged {
            let mut ids = Vec::new();
            for (id, _, key) in rows.iter().filter(|r| r.1 == *from) {
                // A unique key the survivor (or an earlier merged record) already holds stays.
                if key.is_some() && !taken.insert(*key) {
                    count.kept += 1;
                } else {
                    ids.push(*id);
                }
            }
            count.moved += ids.len() as u64;
            if !ids.is_empty() {
                moves.push(Move { table: child.table.to_owned(), from: *from, ids });
            }
        }
        counts.push(count);
    }
    Ok((moves, counts))
}

/// `(id, customer_id, unique key)` of the table's records under `survivor` and `merged`.
async fn rows<C: ConnectionTrait>(
    db: &C,
    child: &Child,
    survivor: Uuid,
    merged: &[Uuid],
) -> AppResult<Vec<(Uuid, Uuid, Option<Uuid>)>> {
    let mut q = Query::select();
    q.column(Alias::new("id")).column(Alias::new("customer_id")).from(Alias::new(child.table));
    if let Some(key) = child.unique {
        q.column(Alias::new(key));
    }
    let owners = merged.iter().copied().chain([survivor]).map(Value::from);
    q.and_where(Expr::col(Alias::new("customer_id")).is_in(owners)).order_by(Alias::new("id"), sea_orm::Order::Asc);
    let statement = db.get_database_backend().build(&q);
    let mut out = Vec::new();
    for row in db.query_all_raw(statement).await? {
        let key = match child.unique {
            Some(key) => Some(row.try_get::<Uuid>("", key)?),
            None => None,
        };
        out.push((row.try_get::<Uuid>("", "id")?, row.try_get::<Uuid>("", "customer_id")?, key));
    }
    Ok(out)
}

/// Points each move's records at `to` (the survivor on a merge, `from` on an undo).
pub async fn apply<C: ConnectionTrait>(db: &C, moves: &[Move], to: impl Fn(&Move) -> Uuid) -> AppResult<()> {
    for m in moves {
        let Some(child) = CHILDREN.iter().find(|c| c.table == m.table) else {
            return Err(crate::error::AppError::internal(format!("a merge moved rows of unknown table {}", m.table)));
        };
        for ids in m.ids.chunks(500) {
            let mut q = Query::update();
            q.table(Alias::new(child.table))
                .value(Alias::new("customer_id"), to(m))
                .and_where(Expr::col(Alias::new("id")).is_in(ids.iter().copied().map(Value::from)));
            db.execute_raw(db.get_database_backend().build(&q)).await?;
        }
    }
    Ok(())
}

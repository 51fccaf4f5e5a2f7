//! `duplicateCandidates`: clusters of likely duplicates over the whole customer base.
//!
//! Blocking: only customers sharing a phone, an email, a name's pinyin or a company with
//! another live customer are read (one statement, each key's `GROUP BY … HAVING COUNT(*) > 1`
//! on its index); pairs are formed within each block and scored, and pairs at or above the
//! minimum score join their customers into clusters (union–find). A block larger than
//! [`MAX_BLOCK`] (a switchboard number, 张伟) says nothing about identity and forms no pairs.

use super::{Signal, profile, score};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::record;
use entity::customer::{self, Column};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Largest block whose members are compared pairwise.
pub const MAX_BLOCK: usize = 50;

/// Customers that are likely one.
#[derive(Clone, Debug)]
pub struct Cluster {
    /// Its members, oldest record first.
    pub members: Vec<customer::Model>,
    /// The best score of a pair in it.
    pub score: f64,
    /// Every signal a scored pair in it shares.
    pub signals: Vec<Signal>,
}

/// Every cluster among the live customers the viewer may see, best first.
pub async fn clusters(db: &DatabaseConnection, viewer: &Viewer, min_score: f64) -> AppResult<Vec<Cluster>> {
    let select = customer::Entity::find()
        .filter(record::visible::<customer::Entity>(viewer, false))
        .filter(shares_a_key())
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id);
    let rows = crate::engine::rows::all(db, select).await?;
    let profiles: Vec<_> = rows.iter().map(profile).collect();

    let mut blocks: HashMap<(u8, &str), Vec<usize>> = HashMap::new();
    for (i, p) in profiles.iter().enumerate() {
        let keys =
            [p.phone.as_deref(), p.email.as_deref(), Some(p.keys.pinyin.as_str()), Some(p.keys.company.as_str())];
        for (kind, key) in keys.into_iter().enumerate() {
            if let Some(key) = key.filter(|k| !k.is_empty()) {
                blocks.entry((kind as u8, key)).or_default().push(i);
            }
        }
    }
    let mut seen = HashSet::new();
    let mut sets = UnionFind::new(rows.len());
    let mut found: HashMap<usize, (f64, BTreeSet<Signal>)> = HashMap::new();
    let mut pairs = Vec::new();
    for members in blocks.values().filter(|m| (2..=MAX_BLOCK).contains(&m.len())) {
        for (n, &a) in members.iter().enumerate() {
            for &b in &members[n + 1..] {
                if seen.insert((a, b)) {
                    let (s, why) = score(&profiles[a], &profiles[b]);
                    if s >= min_score {
                        sets.join(a, b);
                        pairs.push((a, s, why));
                    }
                }
            }
        }
    }
    for (a, s, why) in pairs {
        let entry = found.entry(sets.root(a)).or_insert((0.0, BTreeSet::new()));
        entry.0 = entry.0.max(s);
        entry.1.extend(why);
    }
    let mut members: HashMap<usize, Vec<customer::Model>> = HashMap::new();
    for (i, row) in rows.into_iter().enumerate() {
        let root = sets.root(i);
        if found.contains_key(&root) {
            members.entry(root).or_default().push(row);
        }
    }
    let mut out: Vec<Cluster> = members
        .into_iter()
        .map(|(root, members)| {
            let (score, signals) = found.remove(&root).unwrap_or_default();
            Cluster { members, score, signals: signals.into_iter().collect() }
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.members[0].id.cmp(&b.members[0].id)));
    Ok(out)
}

/// The customer shares a phone, email, pinyin or company with another live customer.
fn shares_a_key() -> Condition {
    let mut any = Condition::any();
    for column in [Column::Phone, Column::Email, Column::MatchPinyin, Column::MatchCompany] {
        let shared = Query::select()
            .column(column)
            .from(customer::Entity)
            .and_where(Expr::col(column).is_not_null())
            .and_where(Expr::col(Column::DeletedAt).is_null())
            .group_by_col(column)
            .and_having(Expr::col(Column::Id).count().gt(1))
            .to_owned();
        any = any.add(column.in_subquery(shared));
    }
    any
}

/// Disjoint sets over `0..n`, with path halving.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        Self((0..n).collect())
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.0[rb.max(ra)] = ra.min(rb);
        }
    }
}

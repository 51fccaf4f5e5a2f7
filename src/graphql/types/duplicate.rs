//! Duplicates in the API: `duplicateCandidates` (clusters over the customer base) and the
//! `duplicates` a customer write lists. The matching lives in `service::duplicate`.

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::types::customer::Customer;
use crate::service::duplicate::{self as service, Match, cluster::Cluster};
use crate::service::page::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

/// What two customers share.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, serde::Serialize, serde::Deserialize)]
#[graphql(remote = "crate::service::duplicate::Signal")]
pub enum DuplicateSignal {
    Phone,
    Email,
    /// The same name once width, case, spaces, forms of address (先生, 女士 …) and legal
    /// suffixes (有限公司, Co., Ltd. …) are set aside.
    Name,
    /// Names that read the same in pinyin (张明 / Zhang Ming).
    NamePinyin,
    /// One name is a surname with a form of address that begins the other (张先生 / 张明).
    Surname,
    /// The same company, its legal suffix set aside.
    Company,
}

/// A customer like the one written.
#[derive(SimpleObject, serde::Serialize, serde::Deserialize)]
pub struct DuplicateMatch {
    pub customer: Customer,
    /// Likeness, 0–1: shared signals combined as independent evidence.
    pub score: f64,
    pub matched_on: Vec<DuplicateSignal>,
}

impl From<Match> for DuplicateMatch {
    fn from(m: Match) -> Self {
        Self {
            customer: Customer(m.customer),
            score: m.score,
            matched_on: m.signals.into_iter().map(Into::into).collect(),
        }
    }
}

/// Customers that are likely one.
pub struct DuplicateCluster(Cluster);

#[Object]
impl DuplicateCluster {
    /// The best score of a pair in the cluster.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// Every signal a pair in the cluster shares.
    async fn matched_on(&self) -> Vec<DuplicateSignal> {
        self.0.signals.iter().copied().map(Into::into).collect()
    }
    /// Its customers, oldest record first (the usual survivor of a merge).
    async fn customers(&self) -> Vec<Customer> {
        self.0.members.iter().cloned().map(Customer).collect()
    }
}

/// The size of the whole list.
#[derive(SimpleObject)]
pub struct ClusterCount {
    /// Number of clusters at this minimum score.
    pub total_count: usize,
}

/// `duplicateCandidates`.
#[derive(Default)]
pub struct DuplicateQuery;

#[Object]
impl DuplicateQuery {
    /// Clusters of likely duplicates among the customers the caller may see, best first.
    /// Computed when asked, over the whole customer base, through blocking keys.
    #[graphql(complexity = "crate::graphql::relay::page_complexity(first, None, child_complexity)")]
    async fn duplicate_candidates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Lowest score to report, 0–1 (default 0.5).")] min_score: Option<f64>,
    ) -> Result<Connection<String, DuplicateCluster, ClusterCount, EmptyFields>> {
        let viewer = context::viewer(ctx)?;
        let size = page_size(first)?;
        let min_score = min_score.unwrap_or(service::DEFAULT_MIN_SCORE);
        if !(0.0..=1.0).contains(&min_score) {
            return Err(AppError::BadUserInput("minScore must be between 0 and 1".into()).into());
        }
        let after = after.as_deref().map(decode).transpose()?;
        let all = service::cluster::clusters(context::db(ctx)?, viewer, min_score).await?;
        let total = all.len();
        let start = match after {
            Some(key) => all.iter().position(|c| is_after(c, key)).unwrap_or(total),
            None => 0,
        };
        let end = (start + size).min(total);
        let mut conn = Connection::with_additional_fields(start > 0, end < total, ClusterCount { total_count: total });
        for cluster in all.into_iter().skip(start).take(end - start) {
            conn.edges.push(Edge::new(encode(&cluster), DuplicateCluster(cluster)));
        }
        Ok(conn)
    }
}

fn page_size(first: Option<i32>) -> Result<usize, AppError> {
    match first.unwrap_or(DEFAULT_PAGE_SIZE) {
        n if n < 0 => Err(AppError::BadUserInput("`first` cannot be negative".into())),
        n if n > MAX_PAGE_SIZE => {
            Err(AppError::QueryTooComplex(format!("page size {n} is above the limit of {MAX_PAGE_SIZE}")))
        }
        n => Ok(n as usize),
    }
}

/// A cluster's place in the order (score descending, then its first member's id): stable
/// while clusters come and go.
fn encode(c: &Cluster) -> String {
    let first = c.members.first().map(|m| m.id).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(format!("dup:{}:{first}", c.score))
}

fn decode(cursor: &str) -> Result<(f64, Uuid), AppError> {
    let bad = || AppError::BadUserInput("`after` is not a cursor of this list".into());
    let text = URL_SAFE_NO_PAD.decode(cursor).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad)?;
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next().and_then(|s| s.parse().ok()), parts.next().and_then(|s| s.parse().ok())) {
        (Some("dup"), Some(score), Some(id)) => Ok((score, id)),
        _ => Err(bad()),
    }
}

/// `c` comes after the cluster at `key` in the list's order.
fn is_after(c: &Cluster, (score, id): (f64, Uuid)) -> bool {
    let first = c.members.first().map(|m| m.id).unwrap_or_default();
    c.score < score || (c.score == score && first > id)
}

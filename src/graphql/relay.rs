//! Relay conventions written once: opaque global IDs, the `Node` interface, connections
//! with a lazily counted `totalCount`, and the `Date` scalar.

use super::context;
use super::loader::{ById, ChildCount, ChildCounts, ChildPages, ChildRelation, CountKey, Keyed, NestedArgs, PageKey};
use super::types::all::*;
use crate::engine::listed::Listed;
use crate::error::{AppError, AppResult};
use crate::service::cursor::RowCursor;
use crate::service::page::{Page, PageArgs, SortSpec};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{ContainerType, Context, ID, Interface, Object, Scalar, ScalarType, Value};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDate;
use entity::record::Record;
use sea_orm::Condition;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{ConnectionTrait, TryGetable};
use sea_orm::{EntityTrait, FromQueryResult};
use uuid::Uuid;

/// Anything with a global ID.
#[derive(Interface, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "a node is built once per result and moved a few times; boxing every customer costs more"
)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global identifier."))]
pub enum Node {
    Customer(Customer),
    Contact(Contact),
    Interaction(Interaction),
    Purchase(Purchase),
    Deal(Deal),
    Ticket(Ticket),
    Feedback(Feedback),
    Campaign(Campaign),
    CampaignParticipation(CampaignParticipation),
    Survey(Survey),
    SurveyResponse(SurveyResponse),
    Tag(Tag),
    Segment(Segment),
    CustomFieldDefinition(CustomFieldDefinition),
    User(User),
    Team(Team),
}

/// The opaque global ID of `kind` `id`: base64 of `Kind:uuid`.
pub fn global_id(kind: &str, id: Uuid) -> ID {
    let mut out = Vec::with_capacity(4 * (kind.len() + 40) / 3);
    write_global_id(&mut out, kind, id);
    // Base64 is ASCII.
    ID(String::from_utf8(out).unwrap_or_default())
}

/// Appends the global ID of `kind` `id` to `out`, its text spelled in a stack buffer (no
/// formatting, no allocation for the usual type names).
pub fn write_global_id(out: &mut Vec<u8>, kind: &str, id: Uuid) {
    const UUID: usize = uuid::fmt::Hyphenated::LENGTH;
    let mut text = [0u8; 64];
    let len = kind.len() + 1 + UUID;
    if len > text.len() {
        out.extend_from_slice(STANDARD.encode(format!("{kind}:{id}")).as_bytes());
        return;
    }
    text[..kind.len()].copy_from_slice(kind.as_bytes());
    text[kind.len()] = b':';
    id.hyphenated().encode_lower(&mut text[kind.len() + 1..len]);
    let start = out.len();
    out.resize(start + 4 * len.div_ceil(3), 0);
    let written = STANDARD.encode_slice(&text[..len], &mut out[start..]).unwrap_or(0);
    out.truncate(start + written);
}

/// Splits a global ID into its type name and UUID; malformed IDs are `NOT_FOUND` (an ID
/// is either something the caller may see or nothing).
pub fn parse_global_id(id: &ID) -> AppResult<(String, Uuid)> {
    let bytes = STANDARD.decode(id.as_str()).map_err(|_| AppError::NotFound)?;
    let text = String::from_utf8(bytes).map_err(|_| AppError::NotFound)?;
    let (kind, uuid) = text.split_once(':').ok_or(AppError::NotFound)?;
    Ok((kind.to_string(), Uuid::parse_str(uuid).map_err(|_| AppError::NotFound)?))
}

/// The UUID of a global ID that must name a `kind`.
pub fn expect_id(id: &ID, kind: &str) -> AppResult<Uuid> {
    match parse_global_id(id)? {
        (k, uuid) if k == kind => Ok(uuid),
        _ => Err(AppError::NotFound),
    }
}

/// Where a connection's `totalCount` comes from; nothing is counted unless asked.
pub enum TotalCount {
    /// A prepared `SELECT COUNT(…)` over the whole filtered list.
    Statement(Box<SelectStatement>),
    /// Children of one parent, counted in a batch per nesting level.
    Lazy(Box<dyn CountSource>),
}

/// A deferred count.
#[async_trait::async_trait]
pub trait CountSource: Send + Sync {
    /// Counts.
    async fn count(&self, ctx: &Context<'_>) -> AppResult<i64>;
}

#[async_trait::async_trait]
impl<R: ChildRelation> CountSource for ChildCount<R> {
    async fn count(&self, ctx: &Context<'_>) -> AppResult<i64> {
        let loader = context::loaders(ctx)?.get::<CountKey, ChildCounts<R>>();
        Ok(loader.load_one(self.key()).await?.unwrap_or(0))
    }
}

#[Object]
impl TotalCount {
    /// Number of items in the whole list, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        match self {
            Self::Statement(stmt) => {
                let db = context::db(ctx)?;
                let row = db.query_one(stmt.as_ref()).await.map_err(AppError::from)?;
                let count = match row {
                    Some(row) => i64::try_get(&row, "", "count").map_err(|e| AppError::internal(format!("{e:?}")))?,
                    None => 0,
                };
                Ok(count)
            }
            Self::Lazy(source) => Ok(source.count(ctx).await?),
        }
    }
}

/// A nested connection: a page of `R`'s children under `parent` (optionally filtered
/// and ordered), batched per level.
pub async fn nested<R, N>(
    ctx: &Context<'_>,
    parent: Uuid,
    page: PageArgs,
    filter: Option<Condition>,
    order: Option<SortSpec<<R::Child as EntityTrait>::Column>>,
    map: impl Fn(<R::Child as EntityTrait>::Model) -> N,
) -> async_graphql::Result<Conn<N>>
where
    R: ChildRelation,
    N: ContainerType,
{
    crate::service::page::check_args(&page)?;
    let at = ctx.item.pos;
    let filter = filter.map(|f| Keyed::at(at, f));
    let args = NestedArgs::new(page, filter.clone(), order.map(|o| Keyed::at(at, o)));
    let loader = context::loaders(ctx)?.get::<PageKey<R>, ChildPages<R>>();
    // Boxed: the loader's future is large, and inline it would size every field future of
    // the parent type (each moved into place once per field of every listed object).
    let rows = Box::pin(loader.load_one((parent, args))).await?.unwrap_or_else(Page::empty);
    Ok(connection(rows, TotalCount::Lazy(Box::new(ChildCount::<R>::new(parent, filter))), map))
}

/// A to-one relation's value: the record, resolved as a list item is (see `listed`).
pub type One<N> = Option<Listed<N>>;

/// A to-one relation: the record `id` of `E` if the viewer may see it, batched per level.
pub async fn one<E, N>(
    ctx: &Context<'_>,
    id: Option<Uuid>,
    map: impl Fn(E::Model) -> N,
) -> async_graphql::Result<One<N>>
where
    E: Record<Model: FromQueryResult + Clone + Send + Sync>,
    N: ContainerType,
{
    let Some(id) = id else { return Ok(None) };
    let loader = context::loaders(ctx)?.get::<Uuid, ById<E>>();
    // Boxed for the reason given in `nested`.
    Ok(Box::pin(loader.load_one(id)).await?.map(|model| Listed(map(model))))
}

/// The fields every mutable record shares.
#[derive(async_graphql::SimpleObject)]
pub struct RecordMeta {
    /// Bumped on every write; pass it back as `expectedVersion`.
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Set when soft-deleted.
    pub deleted_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Builds [`RecordMeta`] from a model with the standard columns.
#[macro_export]
macro_rules! meta {
    ($m:expr) => {
        $crate::graphql::relay::RecordMeta {
            version: $m.version,
            created_at: $m.created_at,
            updated_at: $m.updated_at,
            deleted_at: $m.deleted_at,
        }
    };
}

/// A record's field history, flattened into the record as `history` (`Ticket.history` is
/// its status history, so a ticket's field history is `fieldHistory`).
pub struct RecordHistory {
    pub record: (&'static str, Uuid),
}

/// A record's field history under the name `fieldHistory` (tickets).
pub struct FieldHistory {
    pub record: (&'static str, Uuid),
}

/// Who changed which field of `record` when: the resolver behind both names.
async fn changes_of(
    ctx: &async_graphql::Context<'_>,
    record: (&'static str, Uuid),
    args: PageArgs,
    fields: Option<Vec<String>>,
) -> async_graphql::Result<Conn<crate::graphql::types::audit::AuditEvent>> {
    let db = crate::graphql::context::db(ctx)?;
    let (page, count) = crate::service::audit_trail::history(db, record, fields.as_deref(), &args).await?;
    Ok(connection(page, TotalCount::Statement(Box::new(count)), crate::graphql::types::audit::AuditEvent))
}

#[async_graphql::Object]
impl RecordHistory {
    /// Who changed which field of this record when, from what to what, newest first (only
    /// the writes that changed one of `fields`, when given); values shown as the field
    /// policy shows this record's fields to you.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn history(
        &self,
        ctx: &async_graphql::Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        fields: Option<Vec<String>>,
    ) -> async_graphql::Result<Conn<crate::graphql::types::audit::AuditEvent>> {
        changes_of(ctx, self.record, page_args(first, after, last, before), fields).await
    }
}

#[async_graphql::Object]
impl FieldHistory {
    /// Who changed which field of this ticket when, from what to what, newest first (only
    /// the writes that changed one of `fields`, when given); values shown through the field
    /// policy. (`history` is the ticket's status history.)
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn field_history(
        &self,
        ctx: &async_graphql::Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        fields: Option<Vec<String>>,
    ) -> async_graphql::Result<Conn<crate::graphql::types::audit::AuditEvent>> {
        changes_of(ctx, self.record, page_args(first, after, last, before), fields).await
    }
}

/// The field-history object of record type `$ty` (tickets name it `fieldHistory`).
#[doc(hidden)]
#[macro_export]
macro_rules! __history_type {
    (Ticket) => {
        $crate::graphql::relay::FieldHistory
    };
    ($other:ident) => {
        $crate::graphql::relay::RecordHistory
    };
}

/// Builds the field-history object of `$ty` for the model `$m`.
#[doc(hidden)]
#[macro_export]
macro_rules! __history_value {
    (Ticket, $m:expr) => {
        $crate::graphql::relay::FieldHistory { record: ("Ticket", $m.id) }
    };
    ($other:ident, $m:expr) => {
        $crate::graphql::relay::RecordHistory { record: (stringify!($other), $m.id) }
    };
}

/// A connection of `N` with `totalCount`.
pub type Conn<N> = Connection<RowCursor, Listed<N>, TotalCount, EmptyFields>;

/// Builds a connection from a page, mapping each row to its GraphQL type.
pub fn connection<M, N: ContainerType>(page: Page<M>, total: TotalCount, map: impl Fn(M) -> N) -> Conn<N> {
    let mut conn = Connection::with_additional_fields(page.has_previous, page.has_next, total);
    conn.edges.extend(page.items.into_iter().map(|(cursor, row)| Edge::new(cursor, Listed(map(row)))));
    conn
}

/// Relay arguments as the service takes them.
pub fn page_args(first: Option<i32>, after: Option<String>, last: Option<i32>, before: Option<String>) -> PageArgs {
    PageArgs { first, after, last, before }
}

/// Query-cost of a connection field: its page size times the cost of one item, so a
/// `first: 100` nest is counted as what it is.
pub fn page_complexity(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let size = first.or(last).unwrap_or(crate::service::page::DEFAULT_PAGE_SIZE).clamp(1, 100) as usize;
    size.saturating_mul(child.max(1)).saturating_add(1)
}

/// A calendar date, `YYYY-MM-DD` (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| async_graphql::InputValueError::custom(format!("`{s}` is not a YYYY-MM-DD date"))),
            _ => Err(async_graphql::InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_are_base64_of_type_and_uuid_and_parse_back() {
        let id = Uuid::now_v7();
        for kind in ["Customer", "CampaignParticipation", "AVeryLongTypeNameThatNoSchemaWouldEverHaveInIt"] {
            let gid = global_id(kind, id);
            assert_eq!(gid.as_str(), STANDARD.encode(format!("{kind}:{id}")));
            assert_eq!(parse_global_id(&gid).unwrap(), (kind.to_string(), id));
            let mut out = b"\"".to_vec();
            write_global_id(&mut out, kind, id);
            assert_eq!(out, [b"\"", gid.as_str().as_bytes()].concat());
        }
    }
}

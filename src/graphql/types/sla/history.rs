//! The `Duration` scalar (ISO 8601) and a ticket's status history, loaded per request in
//! one statement for all the tickets of a response.

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::loader::{LoaderEnv, MakeLoader};
use crate::graphql::relay::One;
use crate::graphql::types::all::User;
use crate::graphql::types::enums::TicketStatus;
use async_graphql::dataloader::Loader;
use async_graphql::{Context, InputValueError, InputValueResult, Result, Scalar, ScalarType, SimpleObject};
use chrono::{DateTime, Utc};
use entity::ticket_status_change as change;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

/// A span of time, ISO 8601 (`PT4H`, `P1DT2H30M`); days are 24 hours, years and months
/// are not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IsoDuration(pub chrono::Duration);

/// Longest `Duration` accepted (a year).
const MAX_DURATION_SECS: i64 = 366 * 86_400;

#[Scalar(name = "Duration")]
impl ScalarType for IsoDuration {
    fn parse(value: async_graphql::Value) -> InputValueResult<Self> {
        let async_graphql::Value::String(text) = &value else { return Err(InputValueError::expected_type(value)) };
        let parsed: iso8601::Duration =
            text.trim().parse().map_err(|_| InputValueError::custom("not an ISO 8601 duration"))?;
        let secs = match parsed {
            iso8601::Duration::YMDHMS { year: 0, month: 0, day, hour, minute, second, millisecond: 0 } => {
                i64::from(day) * 86_400 + i64::from(hour) * 3_600 + i64::from(minute) * 60 + i64::from(second)
            }
            iso8601::Duration::Weeks(w) => i64::from(w) * 7 * 86_400,
            _ => {
                return Err(InputValueError::custom(
                    "give days, hours, minutes and whole seconds (no years or months)",
                ));
            }
        };
        if secs > MAX_DURATION_SECS {
            return Err(InputValueError::custom("at most a year"));
        }
        Ok(IsoDuration(chrono::Duration::seconds(secs)))
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::String(iso(self.0))
    }
}

/// `d` as ISO 8601 (`PT26H5M`; negative spans keep their sign, `-PT5M`).
fn iso(d: chrono::Duration) -> String {
    let secs = d.num_seconds();
    let (sign, secs) = if secs < 0 { ("-", -secs) } else { ("", secs) };
    let (h, m, s) = (secs / 3_600, secs % 3_600 / 60, secs % 60);
    let mut out = format!("{sign}PT");
    if h > 0 {
        out += &format!("{h}H");
    }
    if m > 0 {
        out += &format!("{m}M");
    }
    if s > 0 || (h == 0 && m == 0) {
        out += &format!("{s}S");
    }
    out
}

/// One move of a ticket between statuses.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct TicketStatusChange {
    /// `null` when the ticket was opened.
    pub from_status: Option<TicketStatus>,
    pub to_status: TicketStatus,
    pub changed_at: DateTime<Utc>,
    #[graphql(skip)]
    pub actor_id: Option<Uuid>,
}

#[async_graphql::ComplexObject]
impl TicketStatusChange {
    /// Who moved it (`null`: the server, e.g. closing an unanswered resolution; or a user
    /// the caller may not see).
    async fn actor(&self, ctx: &Context<'_>) -> Result<One<User>> {
        crate::graphql::relay::one::<entity::user::Entity, _>(ctx, self.actor_id, User).await
    }
}

/// The status moves of tickets, batched per request.
pub struct Histories(LoaderEnv);

impl MakeLoader for Histories {
    fn make(env: LoaderEnv) -> Self {
        Self(env)
    }
}

/// Most moves a ticket's history shows (the latest ones).
const MAX_HISTORY: usize = 200;

impl Loader<Uuid> for Histories {
    type Value = Vec<TicketStatusChange>;
    type Error = AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = change::Entity::find()
            .filter(change::Column::TicketId.is_in(keys.iter().copied()))
            .order_by_asc(change::Column::ChangedAt)
            .order_by_asc(change::Column::Id)
            .all(&self.0.db)
            .await?;
        let mut out: HashMap<Uuid, Self::Value> = HashMap::new();
        for row in rows {
            out.entry(row.ticket_id).or_default().push(TicketStatusChange {
                from_status: row.from_status.map(Into::into),
                to_status: row.to_status.into(),
                changed_at: row.changed_at,
                actor_id: row.actor_id,
            });
        }
        for list in out.values_mut() {
            let extra = list.len().saturating_sub(MAX_HISTORY);
            list.drain(..extra);
        }
        Ok(out)
    }
}

/// The status history of a ticket the caller sees.
pub async fn history(ctx: &Context<'_>, id: Uuid) -> Result<Vec<TicketStatusChange>> {
    let loader = context::loaders(ctx)?.get::<Uuid, Histories>();
    Ok(loader.load_one(id).await?.unwrap_or_default())
}

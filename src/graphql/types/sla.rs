//! Service levels in the API: the `Duration` scalar, a ticket's status history, the SLA
//! policy (`slaPolicy`, `updateSlaPolicy`) and the team leads' queues (`overdueTickets`,
//! `ticketsAtRisk`). The rules live in `service::sla`.

use crate::error::AppError;
use crate::graphql::context;
use crate::graphql::input::activity::{TicketFilter, TicketOrder};
use crate::graphql::loader::{LoaderEnv, MakeLoader};
use crate::graphql::relay::{Conn, One, TotalCount, connection, page_args, page_complexity};
use crate::graphql::types::all::{Ticket, User};
use crate::graphql::types::enums::{TicketPriority, TicketStatus, ValueTier};
use crate::service::sla::{self as service, Calendar, Policy, Target, tickets::OPEN_STATUSES};
use async_graphql::dataloader::Loader;
use async_graphql::{
    Context, Enum, InputObject, InputValueError, InputValueResult, Object, Result, Scalar, ScalarType, SimpleObject,
};
use chrono::{DateTime, NaiveTime, Utc};
use entity::enums::Role;
use entity::{ticket, ticket_status_change as change};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
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

/// A day of the week.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

const WEEK: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// When the team works, in the server's time zone.
#[derive(SimpleObject, InputObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
#[graphql(input_name = "BusinessCalendarInput")]
pub struct BusinessCalendar {
    pub working_days: Vec<Weekday>,
    /// Start of the working day, `HH:MM`.
    pub start_time: String,
    /// End of the working day, `HH:MM` (after the start).
    pub end_time: String,
    /// Days off that fall on working days.
    pub holidays: Vec<crate::graphql::relay::Date>,
}

/// The targets for tickets of one priority, for customers of one value tier (or any).
#[derive(SimpleObject, InputObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
#[graphql(input_name = "SlaTargetInput")]
pub struct SlaTarget {
    pub priority: TicketPriority,
    /// `null`: customers of any tier without a target of their own, and unclassified ones.
    pub value_tier: Option<ValueTier>,
    pub first_response_hours: f64,
    pub resolution_hours: f64,
    /// Count the calendar's working hours (true) or every hour (false).
    pub business_hours: bool,
}

/// The SLA policy in force.
#[derive(SimpleObject, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SlaPolicy {
    /// 0 for the defaults; each update adds one. Pass it back as `expectedVersion`.
    pub version: i32,
    /// When this version was made (`null` for the defaults).
    pub updated_at: Option<DateTime<Utc>>,
    /// The IANA time zone of the calendar (`CLIENTELE_TIME_ZONE`).
    pub time_zone: String,
    pub calendar: BusinessCalendar,
    pub targets: Vec<SlaTarget>,
}

impl From<service::Stored> for SlaPolicy {
    fn from(s: service::Stored) -> Self {
        let cal = s.policy.calendar;
        SlaPolicy {
            version: s.version,
            updated_at: s.updated_at,
            time_zone: service::time_zone().name().to_owned(),
            calendar: BusinessCalendar {
                working_days: cal
                    .working_days
                    .iter()
                    .filter_map(|d| WEEK.get(usize::from(*d).wrapping_sub(1)).copied())
                    .collect(),
                start_time: cal.start.format("%H:%M").to_string(),
                end_time: cal.end.format("%H:%M").to_string(),
                holidays: cal.holidays.into_iter().map(crate::graphql::relay::Date).collect(),
            },
            targets: s
                .policy
                .targets
                .into_iter()
                .map(|t| SlaTarget {
                    priority: t.priority.into(),
                    value_tier: t.value_tier.map(Into::into),
                    first_response_hours: t.first_response_hours,
                    resolution_hours: t.resolution_hours,
                    business_hours: t.business_hours,
                })
                .collect(),
        }
    }
}

/// A new SLA policy, replacing the version named.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateSlaPolicyInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    /// The `version` the change was made against; another version is `STALE_VERSION`.
    pub expected_version: i32,
    pub calendar: BusinessCalendar,
    /// At most 40; one per priority and value tier, and one of any tier for every priority.
    pub targets: Vec<SlaTarget>,
}

impl UpdateSlaPolicyInput {
    /// The service's policy, or the errors of the times of day.
    fn policy(&self) -> Result<Policy, Vec<crate::service::validate::FieldError>> {
        use crate::service::validate::{ErrorCode, FieldError};
        let time = |field: &str, text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map_err(|_| FieldError::new(field, ErrorCode::Invalid, "a time of day, HH:MM"))
        };
        let (start, end) = match (
            time("calendar.startTime", &self.calendar.start_time),
            time("calendar.endTime", &self.calendar.end_time),
        ) {
            (Ok(s), Ok(e)) => (s, e),
            (s, e) => return Err([s.err(), e.err()].into_iter().flatten().collect()),
        };
        let working_days = self
            .calendar
            .working_days
            .iter()
            .map(|d| WEEK.iter().position(|w| w == d).unwrap_or(0) as u8 + 1)
            .collect();
        Ok(Policy {
            calendar: Calendar {
                working_days,
                start,
                end,
                holidays: self.calendar.holidays.iter().map(|d| d.0).collect(),
            },
            targets: self
                .targets
                .iter()
                .map(|t| Target {
                    priority: t.priority.into(),
                    value_tier: t.value_tier.map(Into::into),
                    first_response_hours: t.first_response_hours,
                    resolution_hours: t.resolution_hours,
                    business_hours: t.business_hours,
                })
                .collect(),
        })
    }
}

crate::payload!(/// The result of `updateSlaPolicy`.
    UpdateSlaPolicyPayload { sla_policy: SlaPolicy });

/// Whether `viewer` leads a team: managers and admins.
fn team_lead(viewer: &crate::auth::Viewer) -> Result<()> {
    if matches!(viewer.role, Role::Admin | Role::Manager) {
        Ok(())
    } else {
        Err(AppError::Forbidden("the overdue and at-risk queues are for managers and admins".into()).into())
    }
}

#[derive(Default)]
pub struct SlaQuery;

#[Object]
impl SlaQuery {
    /// The SLA policy in force (readable by every staff role).
    async fn sla_policy(&self, ctx: &Context<'_>) -> Result<SlaPolicy> {
        context::viewer(ctx)?;
        Ok(service::current(context::db(ctx)?).await?.into())
    }

    /// Open tickets past a due time: no first response by its due time, or not resolved by
    /// its due time (managers and admins, within their row scope).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn overdue_tickets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TicketFilter>,
        order_by: Option<Vec<TicketOrder>>,
    ) -> Result<Conn<Ticket>> {
        queue(ctx, crate::service::now(), None, (first, after, last, before), filter, order_by).await
    }

    /// Open tickets not yet overdue whose first response or resolution falls due within
    /// `within` (ISO 8601, e.g. `PT4H`).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn tickets_at_risk(
        &self,
        ctx: &Context<'_>,
        within: IsoDuration,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<TicketFilter>,
        order_by: Option<Vec<TicketOrder>>,
    ) -> Result<Conn<Ticket>> {
        queue(ctx, crate::service::now(), Some(within.0), (first, after, last, before), filter, order_by).await
    }
}

/// Open tickets overdue at `now` (`within: None`), or due within `within` and not overdue.
async fn queue(
    ctx: &Context<'_>,
    now: DateTime<Utc>,
    within: Option<chrono::Duration>,
    (first, after, last, before): (Option<i32>, Option<String>, Option<i32>, Option<String>),
    filter: Option<TicketFilter>,
    order_by: Option<Vec<TicketOrder>>,
) -> Result<Conn<Ticket>> {
    let viewer = context::viewer(ctx)?;
    team_lead(viewer)?;
    let pending_first = || ticket::Column::FirstResponseAt.is_null();
    let due_by = |at: DateTime<Utc>| {
        Condition::any()
            .add(Condition::all().add(pending_first()).add(ticket::Column::FirstResponseDueAt.lt(at)))
            .add(ticket::Column::ResolutionDueAt.lt(at))
    };
    let mut cond = Condition::all().add(ticket::Column::Status.is_in(OPEN_STATUSES));
    cond = match within {
        None => cond.add(due_by(now)),
        Some(span) => cond.add(due_by(now + span)).add(due_by(now).not()),
    };
    if let Some(f) = filter {
        cond = cond.add(f.condition(viewer)?);
    }
    let order = TicketOrder::spec(viewer, order_by)?;
    let args = page_args(first, after, last, before);
    let (page, count) =
        crate::service::record::list::<ticket::Entity>(context::db(ctx)?, viewer, Some(cond), &order, &args, false)
            .await?;
    Ok(connection(page, TotalCount::Statement(Box::new(count)), Ticket))
}

#[derive(Default)]
pub struct SlaMutation;

#[Object]
impl SlaMutation {
    /// Replaces the SLA policy (admins): validated, a new version, audited. Tickets opened
    /// from then on, and tickets whose priority or customer tier changes, get its targets.
    async fn update_sla_policy(
        &self,
        ctx: &Context<'_>,
        input: UpdateSlaPolicyInput,
    ) -> Result<UpdateSlaPolicyPayload> {
        let viewer = context::viewer(ctx)?;
        let key = input.client_mutation_id.clone();
        crate::graphql::idempotency::idempotent(ctx, key.as_deref(), || async {
            let payload =
                |policy: Option<SlaPolicy>, errors: Vec<crate::service::validate::FieldError>| UpdateSlaPolicyPayload {
                    sla_policy: policy,
                    user_errors: errors.into_iter().map(crate::graphql::types::user_error::UserError::from).collect(),
                    client_mutation_id: key.clone(),
                };
            let policy = match input.policy() {
                Ok(policy) => policy,
                Err(errors) => return Ok(payload(None, errors)),
            };
            Ok(match service::update(context::db(ctx)?, viewer, input.expected_version, policy).await? {
                Ok(stored) => payload(Some(stored.into()), vec![]),
                Err(errors) => payload(None, errors),
            })
        })
        .await
    }
}

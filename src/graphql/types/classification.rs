//! Classification in the API: the rules (`classificationRules`,
//! `updateClassificationRules`), a customer's classes with since and reason, and their
//! history. The rules and the statements live in `service::classification`.

use crate::graphql::context;
use crate::graphql::loader::{LoaderEnv, MakeLoader};
use crate::graphql::relay::{Conn, TotalCount, connection, page_args, page_complexity};
use crate::graphql::types::enums::ClassificationDimension;
use crate::service::classification::{self as service, reason};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::classification::{current, history};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Lifecycle rules: NEW after a recent first purchase, CHURN_RISK after a long silence.
#[derive(SimpleObject, InputObject, Serialize, Deserialize, Clone, Debug)]
#[graphql(input_name = "LifecycleRulesInput")]
pub struct LifecycleRules {
    /// A first purchase at most this many months old makes a customer NEW.
    pub new_within_months: u32,
    /// No interaction for this many months puts a buying customer at CHURN_RISK.
    pub churn_risk_after_months: u32,
}

/// Value rules: spend over a window in the base currency.
#[derive(SimpleObject, InputObject, Serialize, Deserialize, Clone, Debug)]
#[graphql(input_name = "ValueRulesInput")]
pub struct ValueRules {
    /// ISO 4217 code of the purchases that count.
    pub base_currency: String,
    /// The spend window, in months.
    pub window_months: u32,
    /// HIGH: at least this spend in the window (whole units) …
    pub high_threshold: Decimal,
    /// … or among this top share of customers by spend, in percent.
    pub high_top_percent: u32,
    /// MEDIUM: at least this spend; below it, LOW.
    pub medium_threshold: Decimal,
    /// POTENTIAL: the spend of the last this-many months exceeds the span before.
    pub growth_months: u32,
}

/// Behaviour rules: HIGH_FREQUENCY, DORMANT, COMPLAINANT.
#[derive(SimpleObject, InputObject, Serialize, Deserialize, Clone, Debug)]
#[graphql(input_name = "BehaviourRulesInput")]
pub struct BehaviourRules {
    /// HIGH_FREQUENCY: at least this many interactions …
    pub high_frequency_interactions: u32,
    /// … within this many days.
    pub high_frequency_days: u32,
    /// DORMANT: no interaction for this many months.
    pub dormant_after_months: u32,
    /// COMPLAINANT: a complaint (ticket or feedback) within this many months.
    pub complaint_within_months: u32,
}

/// Need rules: URGENT or ROUTINE from the potential need's priority and expected date.
#[derive(SimpleObject, InputObject, Serialize, Deserialize, Clone, Debug)]
#[graphql(input_name = "NeedRulesInput")]
pub struct NeedRules {
    /// A need expected within this many days (or a HIGH priority one) is URGENT.
    pub urgent_within_days: u32,
}

/// The classification rules in force: named rule kinds and their parameters.
#[derive(SimpleObject, Serialize, Deserialize, Clone, Debug)]
pub struct ClassificationRules {
    /// 0 for the defaults; each update adds one. Pass it back as `expectedVersion`.
    pub version: i32,
    /// When this version was made (`null` for the defaults).
    pub updated_at: Option<DateTime<Utc>>,
    pub lifecycle: LifecycleRules,
    pub value: ValueRules,
    pub behaviour: BehaviourRules,
    pub need: NeedRules,
}

impl From<service::Stored> for ClassificationRules {
    fn from(s: service::Stored) -> Self {
        let r = s.rules;
        ClassificationRules {
            version: s.version,
            updated_at: s.updated_at,
            lifecycle: LifecycleRules {
                new_within_months: r.lifecycle.new_within_months,
                churn_risk_after_months: r.lifecycle.churn_risk_after_months,
            },
            value: ValueRules {
                base_currency: r.value.base_currency,
                window_months: r.value.window_months,
                high_threshold: Decimal::from(r.value.high_threshold),
                high_top_percent: r.value.high_top_percent,
                medium_threshold: Decimal::from(r.value.medium_threshold),
                growth_months: r.value.growth_months,
            },
            behaviour: BehaviourRules {
                high_frequency_interactions: r.behaviour.high_frequency_interactions,
                high_frequency_days: r.behaviour.high_frequency_days,
                dormant_after_months: r.behaviour.dormant_after_months,
                complaint_within_months: r.behaviour.complaint_within_months,
            },
            need: NeedRules { urgent_within_days: r.need.urgent_within_days },
        }
    }
}

/// New classification rules, replacing the version named.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateClassificationRulesInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    /// The `version` the change was made against; another version is `STALE_VERSION`.
    pub expected_version: i32,
    pub lifecycle: LifecycleRules,
    pub value: ValueRules,
    pub behaviour: BehaviourRules,
    pub need: NeedRules,
}

impl UpdateClassificationRulesInput {
    /// The service's rules; a fractional or out-of-range threshold is reported by field.
    pub fn rules(&self) -> Result<service::Rules, Vec<crate::service::validate::FieldError>> {
        use crate::service::validate::{ErrorCode, FieldError};
        let whole =
            |field: &str, d: Decimal| {
                d.fract().is_zero().then(|| d.to_i64()).flatten().ok_or_else(|| {
                    FieldError::new(field, ErrorCode::Invalid, format!("{field} must be a whole amount"))
                })
            };
        let high = whole("value.highThreshold", self.value.high_threshold);
        let medium = whole("value.mediumThreshold", self.value.medium_threshold);
        let (high, medium) = match (high, medium) {
            (Ok(h), Ok(m)) => (h, m),
            (h, m) => return Err([h.err(), m.err()].into_iter().flatten().collect()),
        };
        Ok(service::Rules {
            lifecycle: service::LifecycleRules {
                new_within_months: self.lifecycle.new_within_months,
                churn_risk_after_months: self.lifecycle.churn_risk_after_months,
            },
            value: service::ValueRules {
                base_currency: self.value.base_currency.clone(),
                window_months: self.value.window_months,
                high_threshold: high,
                high_top_percent: self.value.high_top_percent,
                medium_threshold: medium,
                growth_months: self.value.growth_months,
            },
            behaviour: service::BehaviourRules {
                high_frequency_interactions: self.behaviour.high_frequency_interactions,
                high_frequency_days: self.behaviour.high_frequency_days,
                dormant_after_months: self.behaviour.dormant_after_months,
                complaint_within_months: self.behaviour.complaint_within_months,
            },
            need: service::NeedRules { urgent_within_days: self.need.urgent_within_days },
        })
    }
}

crate::payload!(/// The result of `updateClassificationRules`.
    UpdateClassificationRulesPayload { rules: ClassificationRules });

/// A customer's class on one dimension: since when, and why.
pub struct ClassificationEntry(pub current::Model);

#[Object]
impl ClassificationEntry {
    async fn dimension(&self) -> Result<ClassificationDimension> {
        dimension(&self.0.dimension)
    }
    /// The class, e.g. `HIGH`, `CHURN_RISK`, `URGENT`, `DORMANT`.
    async fn value(&self) -> &str {
        self.0.value.as_deref().unwrap_or_default()
    }
    /// When the customer came into this class.
    async fn since(&self) -> DateTime<Utc> {
        self.0.since
    }
    /// Why, in words: e.g. "no interaction since 2026-05-01".
    async fn reason(&self, ctx: &Context<'_>) -> Result<String> {
        let m = &self.0;
        let rules = service::rules::cached_at_version(context::db(ctx)?, m.rules_version).await?;
        let facts = reason::Facts { amount: m.amount, share: m.share, at: m.at, count: m.count };
        Ok(reason::reason(&m.dimension, m.value.as_deref().unwrap_or_default(), facts, &rules))
    }
}

/// One change of a customer's class.
pub struct ClassificationChange(pub history::Model);

#[Object]
impl ClassificationChange {
    async fn dimension(&self) -> Result<ClassificationDimension> {
        dimension(&self.0.dimension)
    }
    /// The class before (`null`: none).
    async fn from(&self) -> Option<&str> {
        self.0.from_value.as_deref()
    }
    /// The class after (`null`: none, e.g. a behaviour that stopped).
    async fn to(&self) -> Option<&str> {
        self.0.to_value.as_deref()
    }
    async fn changed_at(&self) -> DateTime<Utc> {
        self.0.changed_at
    }
    /// Why the class changed (`null` when it was dropped).
    async fn reason(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let m = &self.0;
        let Some(to) = m.to_value.as_deref() else { return Ok(None) };
        let rules = service::rules::cached_at_version(context::db(ctx)?, m.rules_version).await?;
        let facts = reason::Facts { amount: m.amount, share: m.share, at: m.at, count: m.count };
        Ok(Some(reason::reason(&m.dimension, to, facts, &rules)))
    }
}

fn dimension(text: &str) -> Result<ClassificationDimension> {
    use sea_orm::ActiveEnum;
    entity::enums::ClassificationDimension::try_from_value(&text.to_string())
        .map(Into::into)
        .map_err(|_| async_graphql::Error::new(format!("unknown classification dimension {text}")))
}

/// The current classes of customers, batched per request (the customers were read under
/// the caller's row scope already).
pub struct Classifications(LoaderEnv);

impl MakeLoader for Classifications {
    fn make(env: LoaderEnv) -> Self {
        Self(env)
    }
}

impl Loader<Uuid> for Classifications {
    type Value = Vec<current::Model>;
    type Error = crate::error::AppError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = current::Entity::find()
            .filter(current::Column::CustomerId.is_in(keys.iter().copied()))
            .filter(current::Column::Value.is_not_null())
            .order_by_asc(current::Column::Dimension)
            .all(&self.0.db)
            .await?;
        let mut out: HashMap<Uuid, Vec<current::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.customer_id).or_default().push(row);
        }
        Ok(out)
    }
}

/// A customer's current classes, by dimension.
pub async fn of_customer(ctx: &Context<'_>, id: Uuid) -> Result<Vec<ClassificationEntry>> {
    let loader = context::loaders(ctx)?.get::<Uuid, Classifications>();
    let mut rows = loader.load_one(id).await?.unwrap_or_default();
    let order = |d: &str| service::DIMENSIONS.iter().position(|x| *x == d).unwrap_or(usize::MAX);
    rows.sort_by_key(|r| order(&r.dimension));
    Ok(rows.into_iter().map(ClassificationEntry).collect())
}

/// The classification fields of `Customer`, flattened into it.
pub struct CustomerClasses {
    id: Uuid,
    industry: Option<entity::enums::Industry>,
    value: Option<entity::enums::ValueTier>,
    need: Option<entity::enums::NeedUrgency>,
}

impl CustomerClasses {
    /// The fields of `customer`.
    pub fn of(customer: &entity::customer::Model) -> Self {
        Self { id: customer.id, industry: customer.industry, value: customer.value_tier, need: customer.need_urgency }
    }
}

#[Object]
impl CustomerClasses {
    /// The customer's classes, by dimension (lifecycle, value, need, behaviours that hold),
    /// each with since when and why.
    async fn classification(&self, ctx: &Context<'_>) -> Result<Vec<ClassificationEntry>> {
        of_customer(ctx, self.id).await
    }

    /// The combined tag of industry, value and need, e.g. 制造业-高价值-紧急需求.
    async fn label(&self) -> Option<String> {
        reason::label(self.industry, self.value, self.need)
    }

    /// The changes of the customer's classes, newest first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn classification_history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Conn<ClassificationChange>> {
        use sea_orm::sea_query::{Expr, ExprTrait};
        use sea_orm::{Order, QueryTrait};
        let db = context::db(ctx)?;
        let select = history::Entity::find().filter(history::Column::CustomerId.eq(self.id));
        let count =
            select.clone().select_only().column_as(Expr::col(history::Column::Id).count(), "count").into_query();
        let order = vec![(history::Column::ChangedAt, Order::Desc)];
        let args = page_args(first, after, last, before);
        let page = crate::service::page::paginate(db, select, &order, history::Column::Id, &args).await?;
        Ok(connection(page, TotalCount::Statement(Box::new(count)), ClassificationChange))
    }
}

#[derive(Default)]
pub struct ClassificationQuery;

#[Object]
impl ClassificationQuery {
    /// The classification rules in force (readable by every role).
    async fn classification_rules(&self, ctx: &Context<'_>) -> Result<ClassificationRules> {
        context::viewer(ctx)?;
        Ok(service::rules::current(context::db(ctx)?).await?.into())
    }
}

#[derive(Default)]
pub struct ClassificationMutation;

#[Object]
impl ClassificationMutation {
    /// Replaces the classification rules (admins): validated, a new version, audited. The
    /// next reclassification (daily, or `clientele reclassify`) applies them.
    async fn update_classification_rules(
        &self,
        ctx: &Context<'_>,
        input: UpdateClassificationRulesInput,
    ) -> Result<UpdateClassificationRulesPayload> {
        let viewer = context::viewer(ctx)?;
        let key = input.client_mutation_id.clone();
        crate::graphql::idempotency::idempotent(ctx, key.as_deref(), || async {
            let user_errors = |errors: Vec<crate::service::validate::FieldError>| {
                errors.into_iter().map(crate::graphql::types::user_error::UserError::from).collect()
            };
            let rules = match input.rules() {
                Ok(rules) => rules,
                Err(errors) => {
                    return Ok(UpdateClassificationRulesPayload {
                        rules: None,
                        user_errors: user_errors(errors),
                        client_mutation_id: key.clone(),
                    });
                }
            };
            let saved = service::rules::update(context::db(ctx)?, viewer, input.expected_version, rules).await?;
            Ok(match saved {
                Ok(stored) => UpdateClassificationRulesPayload {
                    rules: Some(stored.into()),
                    user_errors: vec![],
                    client_mutation_id: key.clone(),
                },
                Err(errors) => UpdateClassificationRulesPayload {
                    rules: None,
                    user_errors: user_errors(errors),
                    client_mutation_id: key.clone(),
                },
            })
        })
        .await
    }
}

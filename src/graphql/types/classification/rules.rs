//! The classification rules in the API: `classificationRules` and
//! `updateClassificationRules` (the rules and their validation live in
//! `service::classification::rules`).

use crate::graphql::context;
use crate::service::classification as service;
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

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

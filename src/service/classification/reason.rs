//! The sentence a person reads for a class: from the facts it was decided on and the
//! rules (of the version) it was decided under, e.g. "no interaction since 2026-05-01",
//! "12-month spend 182,000 CNY, top 4 %".

use super::rules::Rules;
use chrono::NaiveDate;

/// The facts a class was decided on (see `entity::classification`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts {
    pub amount: Option<i64>,
    pub share: Option<f64>,
    pub at: Option<NaiveDate>,
    pub count: Option<i32>,
}

/// Why `dimension` is `value`.
pub fn reason(dimension: &str, value: &str, facts: Facts, rules: &Rules) -> String {
    let at = facts.at.map(|d| d.to_string());
    let at = at.as_deref().unwrap_or("an unknown date");
    let v = &rules.value;
    let spend = || grouped(facts.amount.unwrap_or(0));
    match (dimension, value) {
        ("LIFECYCLE", "POTENTIAL") => "no purchase yet".into(),
        ("LIFECYCLE", "NEW") => format!("first purchase on {at}, within {} months", rules.lifecycle.new_within_months),
        ("LIFECYCLE", "ESTABLISHED") => format!("customer since the first purchase on {at}"),
        ("LIFECYCLE", "CHURN_RISK") => format!("no interaction since {at}"),
        ("VALUE", "HIGH") => {
            let top = facts.share.map(|s| format!(", top {} %", (s * 100.0).floor() as i64 + 1)).unwrap_or_default();
            format!("{}-month spend {} {}{top}", v.window_months, spend(), v.base_currency)
        }
        ("VALUE", "POTENTIAL") => {
            format!(
                "spend growing: {} {} in the last {} months, more than before",
                spend(),
                v.base_currency,
                v.growth_months
            )
        }
        ("VALUE", _) => format!("{}-month spend {} {}", v.window_months, spend(), v.base_currency),
        ("NEED", "URGENT") if facts.at.is_some() => format!("need expected by {at}"),
        ("NEED", "URGENT") => "high-priority need".into(),
        ("NEED", _) => "a potential need, not urgent".into(),
        ("HIGH_FREQUENCY", _) => {
            format!("{} interactions in {} days", facts.count.unwrap_or(0), rules.behaviour.high_frequency_days)
        }
        ("DORMANT", _) if facts.at.is_some() => format!("no interaction since {at}"),
        ("DORMANT", _) => "no interaction yet".into(),
        ("COMPLAINANT", _) => format!("complaint on {at}"),
        _ => format!("{dimension} is {value}"),
    }
}

/// `182000` as `182,000`.
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The combined tag of a customer's industry, value and need, e.g. 制造业-高价值-紧急需求;
/// `None` when it has none of them.
pub fn label(
    industry: Option<entity::enums::Industry>,
    value: Option<entity::enums::ValueTier>,
    need: Option<entity::enums::NeedUrgency>,
) -> Option<String> {
    use entity::enums::{Industry as I, NeedUrgency as N, ValueTier as V};
    let industry = industry.map(|i| match i {
        I::Manufacturing => "制造业",
        I::Services => "服务业",
        I::Education => "教育",
        I::Retail => "零售",
        I::Finance => "金融",
        I::Healthcare => "医疗",
        I::Technology => "科技",
        I::Government => "政府",
        I::Other => "其他行业",
    });
    let value = value.map(|v| match v {
        V::High => "高价值",
        V::Medium => "中价值",
        V::Low => "低价值",
        V::Potential => "潜力客户",
    });
    let need = need.map(|n| match n {
        N::Urgent => "紧急需求",
        N::Routine => "常规需求",
    });
    let parts: Vec<&str> = [industry, value, need].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_sentences() {
        let rules = Rules::default();
        let facts = Facts { amount: Some(182_000), share: Some(0.031), ..Facts::default() };
        assert_eq!(reason("VALUE", "HIGH", facts, &rules), "12-month spend 182,000 CNY, top 4 %");
        let since = Facts { at: NaiveDate::from_ymd_opt(2026, 5, 1), ..Facts::default() };
        assert_eq!(reason("LIFECYCLE", "CHURN_RISK", since, &rules), "no interaction since 2026-05-01");
        assert_eq!(
            reason("HIGH_FREQUENCY", "HIGH_FREQUENCY", Facts { count: Some(4), ..Facts::default() }, &rules),
            "4 interactions in 30 days"
        );
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(-1000), "-1,000");
        use entity::enums::{Industry, NeedUrgency, ValueTier};
        let tag = label(Some(Industry::Manufacturing), Some(ValueTier::High), Some(NeedUrgency::Urgent));
        assert_eq!(tag.as_deref(), Some("制造业-高价值-紧急需求"));
        assert_eq!(label(None, Some(ValueTier::Low), None).as_deref(), Some("低价值"));
        assert_eq!(label(None, None, None), None);
    }
}

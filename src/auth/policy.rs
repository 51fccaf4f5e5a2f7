//! The field-level policy: one table, role × `Type.field` → `ALLOW` | `MASK(strategy)` |
//! `DENY`. Fields not in the table (ids, numbers, enums, timestamps, relations) are
//! readable by every role that may see the row. `clientele policy` prints this table and
//! the README shows it; a test keeps the two equal.

use super::Viewer;
use entity::enums::Role;

/// How a value leaves the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// As stored.
    Allow,
    /// Masked with a strategy.
    Mask(Mask),
    /// Not at all: `null` with a `FORBIDDEN` error at the field.
    Deny,
}

/// Masking strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mask {
    /// `*明`, `J*** S****`.
    Name,
    /// `138****5678`.
    Phone,
    /// `z***@example.com`.
    Email,
    /// The region only.
    Address,
    /// `****`.
    Full,
}

use Mask::*;
use Rule::{Allow as A, Deny as D};

const fn m(mask: Mask) -> Rule {
    Rule::Mask(mask)
}

/// Roles in the column order of [`POLICY`].
pub const ROLES: [Role; 7] =
    [Role::Admin, Role::Manager, Role::Sales, Role::Service, Role::Marketing, Role::Analyst, Role::Partner];

/// The governed fields. Columns: ADMIN, MANAGER, SALES, SERVICE, MARKETING, ANALYST,
/// PARTNER. A partner key with the `pii:read` scope sees masked values in full.
pub const POLICY: &[(&str, &str, [Rule; 7])] = &[
    ("Customer", "name", [A, A, A, A, m(Name), m(Name), m(Name)]),
    ("Customer", "companyName", [A, A, A, A, m(Name), m(Name), m(Name)]),
    ("Customer", "phone", [A, A, A, m(Phone), m(Phone), m(Phone), m(Phone)]),
    ("Customer", "email", [A, A, A, m(Email), m(Email), m(Email), m(Email)]),
    ("Customer", "address", [A, A, A, m(Address), m(Address), m(Address), m(Address)]),
    ("Customer", "birthDate", [A, A, A, D, D, D, D]),
    ("Customer", "occupation", [A, A, A, A, m(Full), m(Full), D]),
    ("Customer", "notes", [A, A, A, A, D, D, D]),
    ("Customer", "potentialNeeds", [A, A, A, A, A, A, D]),
    ("Customer", "sensitiveCustomFields", [A, A, A, m(Full), m(Full), m(Full), D]),
    ("Contact", "name", [A, A, A, A, m(Name), m(Name), m(Name)]),
    ("Contact", "phone", [A, A, A, m(Phone), m(Phone), m(Phone), m(Phone)]),
    ("Contact", "email", [A, A, A, m(Email), m(Email), m(Email), m(Email)]),
    ("Contact", "notes", [A, A, A, A, D, D, D]),
    ("Contact", "sensitiveCustomFields", [A, A, A, m(Full), m(Full), m(Full), D]),
    ("Interaction", "summary", [A, A, A, A, D, m(Full), D]),
    ("Interaction", "outcome", [A, A, A, A, D, m(Full), D]),
    ("Interaction", "nextStep", [A, A, A, A, D, m(Full), D]),
    ("Deal", "amount", [A, A, A, D, D, A, D]),
    ("Deal", "lostReason", [A, A, A, D, D, A, D]),
    ("Deal", "sensitiveCustomFields", [A, A, A, D, D, m(Full), D]),
    ("Purchase", "amount", [A, A, A, A, D, A, D]),
    ("Purchase", "paymentMethod", [A, A, A, A, D, D, D]),
    ("Ticket", "description", [A, A, A, A, D, m(Full), D]),
    ("Ticket", "resolution", [A, A, A, A, D, A, D]),
    ("Ticket", "sensitiveCustomFields", [A, A, A, A, D, m(Full), D]),
    ("Feedback", "content", [A, A, A, A, A, A, D]),
    ("SurveyResponse", "textAnswers", [A, A, A, A, A, m(Full), D]),
    ("User", "email", [A, A, A, A, A, A, m(Email)]),
];

/// Why each row of [`POLICY`] is as it is (the README prints it beside the row).
pub const REASONS: &[(&str, &str, &str)] = &[
    (
        "Customer",
        "name",
        "identifies the person: in full for those who serve the customer; masked (one character kept) where only the record's existence matters",
    ),
    ("Customer", "companyName", "a small company's name identifies its owner (个体户): governed like the name"),
    (
        "Customer",
        "phone",
        "direct contact: sales call it; service answers through tickets and sees the last four digits",
    ),
    ("Customer", "email", "direct contact, like the phone"),
    ("Customer", "address", "where a person lives: reduced to the region, which is all a market or a report needs"),
    ("Customer", "birthDate", "sensitive (age): the owner's side only; nobody else needs it"),
    ("Customer", "occupation", "helps sales and service tailor an answer; elsewhere only that one is recorded"),
    ("Customer", "notes", "free text staff write about the person: those who serve the customer only"),
    (
        "Customer",
        "potentialNeeds",
        "a business need, not personal data: shared with marketing for targeting; never with partners",
    ),
    (
        "Customer",
        "sensitiveCustomFields",
        "custom fields an admin flagged sensitive: in full for the owner's side, masked for the rest, never partners",
    ),
    ("Contact", "name", "identifies the person, as the customer's name"),
    ("Contact", "phone", "direct contact, as the customer's phone"),
    ("Contact", "email", "direct contact, as the customer's email"),
    ("Contact", "notes", "free text about the person: those who serve the customer only"),
    ("Contact", "sensitiveCustomFields", "as the customer's sensitive custom fields"),
    (
        "Interaction",
        "summary",
        "what was said with the customer: the relationship's content, no business of marketing or partners",
    ),
    ("Interaction", "outcome", "as the summary"),
    ("Interaction", "nextStep", "as the summary"),
    ("Deal", "amount", "commercial terms: the sales side and aggregate reports; service and marketing have no need"),
    ("Deal", "lostReason", "commercial, as the amount"),
    ("Deal", "sensitiveCustomFields", "commercial fields an admin flagged sensitive: the sales side only"),
    (
        "Purchase",
        "amount",
        "spend: service needs it for entitlements, reports aggregate it; marketing targets by tier, not amounts",
    ),
    ("Purchase", "paymentMethod", "payment data: the owner's side and service only"),
    ("Ticket", "description", "the customer's problem in their words: the service side; marketing has no need"),
    ("Ticket", "resolution", "what was done: the service side and quality reports"),
    ("Ticket", "sensitiveCustomFields", "service fields an admin flagged sensitive"),
    ("Feedback", "content", "collected so that the teams improving service and marketing read it; not partners"),
    (
        "SurveyResponse",
        "textAnswers",
        "free text may name people: reports take themes from it by keyword; never partners",
    ),
    ("User", "email", "staff contact: partners see it masked"),
];

/// The rule for `viewer` on `ty.field`.
pub fn rule(viewer: &Viewer, ty: &str, field: &str) -> Rule {
    let Some((_, _, rules)) = POLICY.iter().find(|(t, f, _)| *t == ty && *f == field) else { return Rule::Allow };
    let column = ROLES.iter().position(|r| *r == viewer.role).unwrap_or(ROLES.len() - 1);
    match rules[column] {
        Rule::Mask(_) if viewer.has_scope("pii:read") => Rule::Allow,
        rule => rule,
    }
}

/// True when `ty.field` is governed (has a row in the policy).
pub fn governed(ty: &str, field: &str) -> bool {
    POLICY.iter().any(|(t, f, _)| *t == ty && *f == field)
}

/// True when `viewer` reads `ty.field` in full (so it may filter, sort and search on it).
pub fn readable(viewer: &Viewer, ty: &str, field: &str) -> bool {
    rule(viewer, ty, field) == Rule::Allow
}

/// Applies a masking strategy to a text value.
pub fn mask(strategy: Mask, value: &str) -> String {
    match strategy {
        Name => mask_name(value),
        Phone => mask_phone(value),
        Email => mask_email(value),
        Address | Full => "****".to_string(),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn mask_name(value: &str) -> String {
    if value.chars().any(is_cjk) {
        let n = value.chars().count();
        let last = value.chars().last().map(String::from).unwrap_or_default();
        return format!("{}{last}", "*".repeat(n.saturating_sub(1).max(1)));
    }
    value
        .split_whitespace()
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            format!("{first}{}", "*".repeat(chars.count()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn mask_phone(value: &str) -> String {
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let national = digits.strip_prefix("86").filter(|d| d.len() == 11 && value.starts_with("+86")).unwrap_or(&digits);
    if national.len() < 8 {
        return "****".to_string();
    }
    format!("{}****{}", &national[..3], &national[national.len() - 4..])
}

fn mask_email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}***@{domain}")
        }
        None => "****".to_string(),
    }
}

/// The policy as a Markdown table (for `clientele policy` and the README).
pub fn markdown() -> String {
    let mut out = String::from("| field | ADMIN | MANAGER | SALES | SERVICE | MARKETING | ANALYST | PARTNER | why |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (ty, field, rules) in POLICY {
        let cells: Vec<String> = rules
            .iter()
            .map(|r| match r {
                Rule::Allow => "ALLOW".to_string(),
                Rule::Deny => "DENY".to_string(),
                Rule::Mask(m) => format!("MASK({})", format!("{m:?}").to_lowercase()),
            })
            .collect();
        let why = REASONS.iter().find(|(t, f, _)| t == ty && f == field).map_or("", |(_, _, why)| *why);
        out.push_str(&format!("| `{ty}.{field}` | {} | {why} |\n", cells.join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_says_why() {
        for (ty, field, _) in POLICY {
            assert!(REASONS.iter().any(|(t, f, _)| t == ty && f == field), "{ty}.{field} has no reason");
        }
        assert_eq!(REASONS.len(), POLICY.len(), "a reason for a row that is gone");
    }

    #[test]
    fn names_are_masked_by_script() {
        assert_eq!(mask(Name, "张明"), "*明");
        assert_eq!(mask(Name, "欧阳明华"), "***华");
        assert_eq!(mask(Name, "John Smith"), "J*** S****");
    }

    #[test]
    fn phones_keep_prefix_and_last_four() {
        assert_eq!(mask(Phone, "+8613812345678"), "138****5678");
        assert_eq!(mask(Phone, "+442079460958"), "442****0958");
        assert_eq!(mask(Phone, "12"), "****");
    }

    #[test]
    fn emails_keep_the_first_letter_and_domain() {
        assert_eq!(mask(Email, "zhang@example.com"), "z***@example.com");
    }

    #[test]
    fn every_row_names_a_rule_for_every_role() {
        for (ty, field, rules) in POLICY {
            assert_eq!(rules.len(), ROLES.len(), "{ty}.{field}");
            assert_eq!(rules[0], Rule::Allow, "{ty}.{field}: admins see everything");
        }
    }
}

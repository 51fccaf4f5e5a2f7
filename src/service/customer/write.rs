//! Validating new customers and changes to them.

use super::checks::{check_duplicate, check_owner};
use super::likeness;
use super::{CustomerPatch, NewCustomer};
use crate::auth::Viewer;
use crate::error::AppResult;
use crate::service::custom_field;
use crate::service::record::Checked;
use crate::service::validate::{Checker, ErrorCode};
use crate::service::{now, record, sequence};
use crate::set_field;
use chrono::{DateTime, NaiveDate, Utc};
use entity::customer;
use entity::enums::{CustomRecordType, CustomerKind, CustomerSource, DuplicatePolicy, LifecycleStage};
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use uuid::Uuid;

struct Clean {
    name: String,
    occupation: Option<String>,
    company_name: Option<String>,
    region: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    potential_needs: Option<String>,
    notes: Option<String>,
    preferences: Vec<String>,
}

fn clean_preferences(c: &mut Checker, raw: &[String]) -> Vec<String> {
    if raw.len() > 50 {
        c.push("preferences", ErrorCode::Invalid, "at most 50 preferences");
    }
    let mut out: Vec<String> = Vec::new();
    for item in raw {
        if let Some(v) = c.text("preferences", Some(item), 100)
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    out
}

fn check_birth_date(c: &mut Checker, date: Option<NaiveDate>) {
    if let Some(date) = date {
        let today = Utc::now().date_naive();
        if date > today || date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(date) {
            c.push("birthDate", ErrorCode::Invalid, "birthDate must be between 1900-01-01 and today");
        }
    }
}

fn check_company_size(c: &mut Checker, size: Option<i32>) {
    if size.is_some_and(|s| s < 1) {
        c.push("companySize", ErrorCode::Invalid, "companySize must be at least 1");
    }
}

/// Validates a new customer owned by the viewer (or, for admins and managers, by
/// `ownerId`) into the row to insert, numbered `C` + date + sequence.
pub async fn prepare(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewCustomer,
) -> AppResult<Checked<customer::ActiveModel>> {
    crate::service::permission::require_write(viewer, "Customer")?;
    let mut c = Checker::default();
    let clean = Clean {
        name: c.name("name", &input.name, 200),
        occupation: c.text("occupation", input.occupation.as_deref(), 200),
        company_name: c.text("companyName", input.company_name.as_deref(), 200),
        region: c.text("region", input.region.as_deref(), 200),
        address: c.text("address", input.address.as_deref(), 500),
        phone: c.phone("phone", input.phone.as_deref()),
        email: c.email("email", input.email.as_deref()),
        potential_needs: c.long_text("potentialNeeds", input.potential_needs.as_deref(), 5000),
        notes: c.long_text("notes", input.notes.as_deref(), 10_000),
        preferences: clean_preferences(&mut c, &input.preferences),
    };
    check_birth_date(&mut c, input.birth_date);
    check_company_size(&mut c, input.company_size);
    let owner_id = check_owner(db, viewer, &mut c, input.owner_id).await?;
    let custom = custom_field::for_new(db, &mut c, CustomRecordType::Customer, &input.custom_fields).await?;
    let policy = input.duplicate_policy.unwrap_or(DuplicatePolicy::Warn);
    if c.errors.is_empty() && !allows_duplicates(input.allow_duplicate, policy) {
        let (phone, email) = (clean.phone.as_deref(), clean.email.as_deref());
        check_duplicate(db, viewer, &mut c, phone, email, None).await?;
        if let Some(error) = c.errors.last_mut() {
            error.message.push_str("; pass duplicatePolicy ALLOW to create anyway");
        }
    }
    if c.errors.is_empty() && policy == DuplicatePolicy::Block {
        likeness::refuse_likely(db, viewer, &mut c, &likeness::probe_new(&input), None).await?;
    }
    let clean = match c.finish(clean) {
        Ok(clean) => clean,
        Err(errors) => return Ok(Err(errors)),
    };
    let now = now();
    // A number drawn for a write that then fails leaves a gap, never a duplicate.
    let code = sequence::next_code(db, "C", now.date_naive()).await?;
    let mut row = new_row(input, clean, code, owner_id, now);
    row.custom_fields = Set(custom);
    Ok(Ok(row))
}

/// The row of a new customer from its input and its cleaned values.
fn new_row(
    input: NewCustomer,
    clean: Clean,
    code: String,
    owner_id: Uuid,
    now: DateTime<Utc>,
) -> customer::ActiveModel {
    let kind = input.kind.unwrap_or(CustomerKind::Individual);
    let keys = crate::service::duplicate::keys(kind, &clean.name, clean.company_name.as_deref());
    let mut row = customer::ActiveModel {
        code: Set(code),
        kind: Set(kind),
        name: Set(clean.name),
        gender: Set(input.gender),
        birth_date: Set(input.birth_date),
        occupation: Set(clean.occupation),
        company_name: Set(clean.company_name),
        industry: Set(input.industry),
        region: Set(clean.region),
        company_size: Set(input.company_size),
        address: Set(clean.address),
        phone: Set(clean.phone),
        email: Set(clean.email),
        preferred_channel: Set(input.preferred_channel),
        preferences: Set(serde_json::json!(clean.preferences)),
        potential_needs: Set(clean.potential_needs),
        need_priority: Set(input.need_priority),
        need_expected_date: Set(input.need_expected_date),
        notes: Set(clean.notes),
        source: Set(input.source.unwrap_or(CustomerSource::Other)),
        owner_id: Set(owner_id),
        marketing_consent: Set(input.marketing_consent),
        consent_at: Set(input.marketing_consent.then_some(now)),
        lifecycle_stage: Set(LifecycleStage::Potential),
        value_tier: Set(None),
        next_follow_up_at: Set(input.next_follow_up_at),
        last_interaction_at: Set(None),
        custom_fields: Set(serde_json::json!({})),
        duplicate_allowed: Set(allows_duplicates(
            input.allow_duplicate,
            input.duplicate_policy.unwrap_or(DuplicatePolicy::Warn),
        )),
        ..entity::record::new_row::<entity::customer::Entity>(now)
    };
    crate::service::duplicate::set_keys(&mut row, keys);
    row
}

/// True when the write is exempt from the exact phone/email rule.
fn allows_duplicates(allow_duplicate: bool, policy: DuplicatePolicy) -> bool {
    allow_duplicate || policy == DuplicatePolicy::Allow
}

/// The change `patch` makes to `current` (only the given fields are written).
pub async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    current: &customer::Model,
    patch: CustomerPatch,
) -> AppResult<record::Change<customer::ActiveModel>> {
    let mut c = Checker::default();
    if current.erased_at.is_some() {
        c.push(
            "id",
            ErrorCode::InvalidState,
            "the customer's personal data was erased; the record is not changed again",
        );
        return Ok(c.finish((Default::default(), Vec::new())));
    }
    let mut row = <customer::ActiveModel as Default>::default();
    let mut fields: Vec<&str> = Vec::new();
    profile(&mut c, &mut row, &mut fields, &patch);
    let (new_phone, new_email) = reach(&mut c, &mut row, &mut fields, &patch);
    if let Some(owner) = patch.owner_id
        && owner != current.owner_id
    {
        let v = check_owner(db, viewer, &mut c, Some(owner)).await?;
        set_field!(row, fields, owner_id, "ownerId", v);
    }
    if let Some(consent) = patch.marketing_consent
        && consent != current.marketing_consent
    {
        set_field!(row, fields, marketing_consent, "marketingConsent", consent);
        row.consent_at = Set(consent.then(now));
    }
    if let Some(v) = patch.next_follow_up_at {
        set_field!(row, fields, next_follow_up_at, "nextFollowUpAt", v);
    }
    if let Some(given) = &patch.custom_fields {
        let v = custom_field::for_change(db, &mut c, CustomRecordType::Customer, &current.custom_fields, given).await?;
        set_field!(row, fields, custom_fields, "customFields", v);
    }
    let policy = patch.duplicate_policy.unwrap_or(DuplicatePolicy::Warn);
    // A new phone or email may not be another live customer's.
    if c.is_clean() && policy != DuplicatePolicy::Allow {
        let phone = new_phone.filter(|p| current.phone.as_deref() != Some(p.as_str()));
        let email = new_email.filter(|e| current.email.as_deref() != Some(e.as_str()));
        check_duplicate(db, viewer, &mut c, phone.as_deref(), email.as_deref(), Some(current.id)).await?;
    } else if policy == DuplicatePolicy::Allow && !current.duplicate_allowed {
        row.duplicate_allowed = Set(true);
    }
    let identity = ["kind", "name", "companyName", "phone", "email"];
    if fields.iter().any(|f| identity.contains(f)) {
        let probe = likeness::probe_change(current, &patch);
        if c.is_clean() && policy == DuplicatePolicy::Block {
            likeness::refuse_likely(db, viewer, &mut c, &probe, Some(current.id)).await?;
        }
        crate::service::duplicate::set_keys(&mut row, probe.keys);
    }
    Ok(c.finish((row, fields)))
}

/// Who the customer is: the profile fields of `patch`, in the order they are reported.
fn profile(c: &mut Checker, row: &mut customer::ActiveModel, fields: &mut Vec<&'static str>, patch: &CustomerPatch) {
    if let Some(kind) = patch.kind {
        set_field!(row, fields, kind, "kind", kind);
    }
    if let Some(name) = &patch.name {
        set_field!(row, fields, name, "name", c.name("name", name, 200));
    }
    if let Some(v) = patch.gender {
        set_field!(row, fields, gender, "gender", v);
    }
    if let Some(v) = patch.birth_date {
        check_birth_date(c, v);
        set_field!(row, fields, birth_date, "birthDate", v);
    }
    if let Some(v) = &patch.occupation {
        set_field!(row, fields, occupation, "occupation", c.text("occupation", v.as_deref(), 200));
    }
    if let Some(v) = &patch.company_name {
        set_field!(row, fields, company_name, "companyName", c.text("companyName", v.as_deref(), 200));
    }
    if let Some(v) = patch.industry {
        set_field!(row, fields, industry, "industry", v);
    }
    if let Some(v) = &patch.region {
        set_field!(row, fields, region, "region", c.text("region", v.as_deref(), 200));
    }
    if let Some(v) = patch.company_size {
        check_company_size(c, v);
        set_field!(row, fields, company_size, "companySize", v);
    }
    if let Some(v) = &patch.address {
        set_field!(row, fields, address, "address", c.text("address", v.as_deref(), 500));
    }
}

/// How the customer is reached and what they want; answers the new phone and email,
/// cleaned, for the duplicate check.
fn reach(
    c: &mut Checker,
    row: &mut customer::ActiveModel,
    fields: &mut Vec<&'static str>,
    patch: &CustomerPatch,
) -> (Option<String>, Option<String>) {
    let (mut new_phone, mut new_email) = (None, None);
    if let Some(v) = &patch.phone {
        let v = c.phone("phone", v.as_deref());
        new_phone.clone_from(&v);
        set_field!(row, fields, phone, "phone", v);
    }
    if let Some(v) = &patch.email {
        let v = c.email("email", v.as_deref());
        new_email.clone_from(&v);
        set_field!(row, fields, email, "email", v);
    }
    if let Some(v) = patch.preferred_channel {
        set_field!(row, fields, preferred_channel, "preferredChannel", v);
    }
    if let Some(v) = &patch.preferences {
        set_field!(row, fields, preferences, "preferences", serde_json::json!(clean_preferences(c, v)));
    }
    if let Some(v) = &patch.potential_needs {
        set_field!(row, fields, potential_needs, "potentialNeeds", c.long_text("potentialNeeds", v.as_deref(), 5000));
    }
    if let Some(v) = patch.need_priority {
        set_field!(row, fields, need_priority, "needPriority", v);
    }
    if let Some(v) = patch.need_expected_date {
        set_field!(row, fields, need_expected_date, "needExpectedDate", v);
    }
    if let Some(v) = &patch.notes {
        set_field!(row, fields, notes, "notes", c.long_text("notes", v.as_deref(), 10_000));
    }
    if let Some(v) = patch.source {
        set_field!(row, fields, source, "source", v);
    }
    (new_phone, new_email)
}

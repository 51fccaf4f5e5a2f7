//! The survivor's fields after a merge: its own values, except where the caller chose a
//! merged record's (`fieldChoices`).

use entity::customer::{ActiveModel, Model};
use sea_orm::ActiveValue::Set;

/// The fields a merge may take from a merged record, as the API names them.
pub const CHOOSABLE: [&str; 20] = [
    "kind",
    "name",
    "gender",
    "birthDate",
    "occupation",
    "companyName",
    "industry",
    "region",
    "companySize",
    "address",
    "phone",
    "email",
    "preferredChannel",
    "preferences",
    "potentialNeeds",
    "needPriority",
    "needExpectedDate",
    "notes",
    "ownerId",
    "nextFollowUpAt",
];

/// Copies `field` of `from` into `row` (and into `preview`, the survivor as it will be);
/// false when the field is not one a merge chooses.
pub fn take(row: &mut ActiveModel, preview: &mut Model, field: &str, from: &Model) -> bool {
    macro_rules! copy {
        ($($name:literal => $f:ident),+ $(,)?) => {
            match field {
                $($name => {
                    row.$f = Set(from.$f.clone());
                    preview.$f = from.$f.clone();
                })+
                _ => return false,
            }
        };
    }
    copy! {
        "kind" => kind, "name" => name, "gender" => gender, "birthDate" => birth_date,
        "occupation" => occupation, "companyName" => company_name, "industry" => industry,
        "region" => region, "companySize" => company_size, "address" => address, "phone" => phone,
        "email" => email, "preferredChannel" => preferred_channel, "preferences" => preferences,
        "potentialNeeds" => potential_needs, "needPriority" => need_priority,
        "needExpectedDate" => need_expected_date, "notes" => notes, "ownerId" => owner_id,
        "nextFollowUpAt" => next_follow_up_at,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choosable_field_is_copied() {
        let from: Model = serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::nil(), "code": "C1", "kind": "INDIVIDUAL", "name": "张明", "gender": null,
            "birth_date": null, "occupation": null, "company_name": null, "industry": null, "region": null,
            "company_size": null, "address": null, "phone": null, "email": null, "preferred_channel": null,
            "preferences": [], "potential_needs": null, "need_priority": null, "need_expected_date": null,
            "need_urgency": null, "notes": null, "source": "OTHER", "owner_id": uuid::Uuid::nil(),
            "marketing_consent": false, "consent_at": null, "partner_sharing_consent": false, "analytics_allowed": true, "profiling_allowed": true, "lifecycle_stage": "POTENTIAL", "value_tier": null,
            "next_follow_up_at": null, "last_interaction_at": null, "last_reviewed_at": null, "custom_fields": {},
            "match_name": null, "match_pinyin": null, "match_company": null, "merged_into": null,
            "erased_at": null, "duplicate_allowed": false, "version": 1, "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z", "deleted_at": null
        }))
        .unwrap();
        for field in CHOOSABLE {
            let (mut row, mut preview) = (ActiveModel::default(), from.clone());
            assert!(take(&mut row, &mut preview, field, &from), "{field}");
        }
        assert!(!take(&mut ActiveModel::default(), &mut from.clone(), "version", &from));
    }
}

//! Who may write what: one table, role × record type.

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use entity::enums::Role;

/// True when `role` may create, change and delete records of `record` (a GraphQL type
/// name). Restoring and reassigning owners are narrower still (admins and managers).
pub fn may_write(role: Role, record: &str) -> bool {
    match role {
        Role::Admin => true,
        Role::Manager => !matches!(record, "User" | "CustomFieldDefinition"),
        Role::Sales => {
            matches!(
                record,
                "Customer" | "Contact" | "Interaction" | "Purchase" | "Deal" | "SurveyResponse" | "Segment"
            )
        }
        Role::Service => {
            matches!(record, "Contact" | "Interaction" | "Ticket" | "Feedback" | "SurveyResponse")
        }
        Role::Marketing => matches!(record, "Campaign" | "CampaignParticipation" | "Survey" | "Tag" | "Segment"),
        Role::Analyst | Role::Partner => false,
    }
}

/// True when the viewer may write `record`: by role, or for a partner key by its
/// `<family>:write` scope.
pub fn viewer_may_write(viewer: &Viewer, record: &str) -> bool {
    if viewer.role == Role::Partner {
        let family = super::api_key::family(record);
        return !family.is_empty() && viewer.has_scope(&format!("{family}:write"));
    }
    may_write(viewer.role, record)
}

/// `FORBIDDEN` unless the viewer may write `record`.
pub fn require_write(viewer: &Viewer, record: &str) -> AppResult<()> {
    if viewer_may_write(viewer, record) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("your role may not change {record} records")))
    }
}

/// `FORBIDDEN` unless the viewer is an admin or a manager.
pub fn require_manager(viewer: &Viewer, what: &str) -> AppResult<()> {
    if matches!(viewer.role, Role::Admin | Role::Manager) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("only admins and managers may {what}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysts_and_partners_write_nothing() {
        for record in ["Customer", "Deal", "Ticket", "Tag"] {
            assert!(!may_write(Role::Analyst, record));
            assert!(!may_write(Role::Partner, record));
        }
    }

    #[test]
    fn service_writes_tickets_not_deals() {
        assert!(may_write(Role::Service, "Ticket"));
        assert!(!may_write(Role::Service, "Deal"));
    }
}

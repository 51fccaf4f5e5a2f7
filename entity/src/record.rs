//! What every business record shares (id, version, soft delete, the customer it belongs
//! to), so reads, writes and row scope are written once for all of them.

use crate::enums::Role;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IdenStatic};
use uuid::Uuid;

/// A business table with the common columns.
pub trait Record: EntityTrait<ActiveModel: sea_orm::TryIntoModel<Self::Model>> {
    /// The GraphQL type name (also the prefix of global IDs).
    const NAME: &'static str;
    /// The primary key column.
    fn id_column() -> Self::Column;
    /// The `version` column.
    fn version_column() -> Self::Column;
    /// The `deleted_at` column.
    fn deleted_column() -> Self::Column;
    /// The `updated_at` column.
    fn updated_column() -> Self::Column;
    /// The `created_at` column.
    fn created_column() -> Self::Column;
    /// The column naming the customer this record belongs to, if it hangs under one.
    fn customer_column() -> Option<Self::Column>;

    /// Row scope: the rows a user with `role` may see. Records under a customer are
    /// visible when their customer is; records of no customer (teams, campaigns,
    /// surveys, tags) are visible to every staff role and to no partner.
    fn visible_to(role: Role, user_id: Uuid, team_id: Option<Uuid>) -> Condition {
        match Self::customer_column() {
            Some(col) => {
                let customers = Query::select()
                    .column(crate::customer::Column::Id)
                    .from(crate::customer::Entity)
                    .cond_where(crate::customer::visible_to(role, user_id, team_id))
                    .and_where(Expr::col(crate::customer::Column::DeletedAt).is_null())
                    .to_owned();
                Condition::all().add(col.in_subquery(customers))
            }
            None if role == Role::Partner => Condition::all().add(Expr::val(1).eq(0)),
            None => Condition::all(),
        }
    }
}

/// Implements [`Record`] for an entity module with the standard column names.
macro_rules! record {
    ($module:ident, $name:literal, customer: $customer:expr) => {
        impl Record for crate::$module::Entity {
            const NAME: &'static str = $name;
            fn id_column() -> Self::Column {
                crate::$module::Column::Id
            }
            fn version_column() -> Self::Column {
                crate::$module::Column::Version
            }
            fn deleted_column() -> Self::Column {
                crate::$module::Column::DeletedAt
            }
            fn updated_column() -> Self::Column {
                crate::$module::Column::UpdatedAt
            }
            fn created_column() -> Self::Column {
                crate::$module::Column::CreatedAt
            }
            fn customer_column() -> Option<Self::Column> {
                $customer
            }
        }
    };
}

record!(team, "Team", customer: None);
record!(user, "User", customer: None);
record!(contact, "Contact", customer: Some(crate::contact::Column::CustomerId));
record!(interaction, "Interaction", customer: Some(crate::interaction::Column::CustomerId));
record!(purchase, "Purchase", customer: Some(crate::purchase::Column::CustomerId));
record!(deal, "Deal", customer: Some(crate::deal::Column::CustomerId));
record!(ticket, "Ticket", customer: Some(crate::ticket::Column::CustomerId));
record!(feedback, "Feedback", customer: Some(crate::feedback::Column::CustomerId));
record!(campaign, "Campaign", customer: None);
record!(campaign_participation, "CampaignParticipation", customer: Some(crate::campaign_participation::Column::CustomerId));
record!(survey, "Survey", customer: None);
record!(survey_response, "SurveyResponse", customer: Some(crate::survey_response::Column::CustomerId));
record!(tag, "Tag", customer: None);
record!(segment, "Segment", customer: None);
record!(custom_field, "CustomFieldDefinition", customer: None);

impl Record for crate::customer::Entity {
    const NAME: &'static str = "Customer";
    fn id_column() -> Self::Column {
        crate::customer::Column::Id
    }
    fn version_column() -> Self::Column {
        crate::customer::Column::Version
    }
    fn deleted_column() -> Self::Column {
        crate::customer::Column::DeletedAt
    }
    fn updated_column() -> Self::Column {
        crate::customer::Column::UpdatedAt
    }
    fn created_column() -> Self::Column {
        crate::customer::Column::CreatedAt
    }
    fn customer_column() -> Option<Self::Column> {
        Some(crate::customer::Column::Id)
    }
    fn visible_to(role: Role, user_id: Uuid, team_id: Option<Uuid>) -> Condition {
        crate::customer::visible_to(role, user_id, team_id)
    }
}

/// A new record's row with what every new record gets — a fresh id, version 1, created and
/// updated `now`, not deleted — for builders to complete:
/// `deal::ActiveModel { title: Set(…), ..new_row::<deal::Entity>(now) }`.
pub fn new_row<E: Record>(now: DateTimeUtc) -> E::ActiveModel {
    let mut row = E::ActiveModel::default();
    let values: [(E::Column, sea_orm::Value); 5] = [
        (E::id_column(), crate::new_id().into()),
        (E::version_column(), 1i32.into()),
        (E::created_column(), now.into()),
        (E::updated_column(), now.into()),
        (E::deleted_column(), Option::<DateTimeUtc>::None.into()),
    ];
    for (column, value) in values {
        // Every record's columns have these types (a test sets them on each); were one
        // not to, the column stays unset and the insert is refused, without a panic.
        let _ = row.try_set(column, value);
    }
    row
}

/// The column's name, for audit rows and messages.
pub fn column_name<C: IdenStatic>(col: C) -> &'static str {
    col.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ActiveValue;

    fn stamped<E: Record>() {
        let now = chrono::Utc::now();
        let row = new_row::<E>(now);
        for column in [E::id_column(), E::version_column(), E::created_column(), E::updated_column()] {
            assert!(matches!(row.get(column), ActiveValue::Set(_)), "{}.{}", E::NAME, column.as_str());
        }
        assert!(matches!(row.get(E::deleted_column()), ActiveValue::Set(sea_orm::Value::ChronoDateTimeUtc(None))));
    }

    #[test]
    fn every_record_type_gets_its_id_version_and_times() {
        stamped::<crate::customer::Entity>();
        stamped::<crate::team::Entity>();
        stamped::<crate::user::Entity>();
        stamped::<crate::contact::Entity>();
        stamped::<crate::interaction::Entity>();
        stamped::<crate::purchase::Entity>();
        stamped::<crate::deal::Entity>();
        stamped::<crate::ticket::Entity>();
        stamped::<crate::feedback::Entity>();
        stamped::<crate::campaign::Entity>();
        stamped::<crate::campaign_participation::Entity>();
        stamped::<crate::survey::Entity>();
        stamped::<crate::survey_response::Entity>();
        stamped::<crate::tag::Entity>();
    }
}

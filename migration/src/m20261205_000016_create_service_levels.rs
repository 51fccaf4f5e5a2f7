//! Service levels: versioned SLA policies, each ticket's due times, breach flags, the
//! value tier its targets were computed for and the outcome of its resolution, the status
//! history of tickets, the ticket a communication record answers, and senior service staff.

use crate::common::{code, code_null, create, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Columns added to existing tables, one statement each (SQLite adds one at a time).
fn added() -> Vec<(&'static str, ColumnDef)> {
    vec![
        ("tickets", timestamp_with_time_zone_null("first_response_due_at")),
        ("tickets", timestamp_with_time_zone_null("resolution_due_at")),
        ("tickets", boolean("first_response_breached").default(false).to_owned()),
        ("tickets", boolean("resolution_breached").default(false).to_owned()),
        ("tickets", code_null("sla_tier")),
        ("tickets", code_null("resolution_outcome")),
        ("tickets", integer("reopen_count").default(0).to_owned()),
        ("interactions", uuid_null("ticket_id")),
        ("users", boolean("senior").default(false).to_owned()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let policies = Table::create()
            .table("sla_policies")
            .col(pk_uuid("id"))
            .col(integer_uniq("version"))
            .col(text("policy"))
            .col(uuid_null("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .to_owned();
        create(manager, policies, vec![], vec![]).await?;

        let history = Table::create()
            .table("ticket_status_changes")
            .col(pk_uuid("id"))
            .col(uuid("ticket_id"))
            .col(code_null("from_status"))
            .col(code("to_status"))
            .col(uuid_null("actor_id"))
            .col(timestamp_with_time_zone("changed_at"))
            .to_owned();
        create(
            manager,
            history,
            vec![fk("ticket_status_changes", "ticket_id", "tickets", ForeignKeyAction::Cascade)],
            vec![index("ticket_status_changes", &["ticket_id", "changed_at"])],
        )
        .await?;

        for (table, mut column) in added() {
            manager.alter_table(Table::alter().table(table).add_column(&mut column).to_owned()).await?;
        }
        for statement in [
            index("tickets", &["status", "first_response_due_at"]),
            index("tickets", &["status", "resolution_due_at"]),
            index("interactions", &["ticket_id"]),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name) in [
            ("tickets", "idx_tickets_status_first_response_due_at"),
            ("tickets", "idx_tickets_status_resolution_due_at"),
            ("interactions", "idx_interactions_ticket_id"),
        ] {
            manager.drop_index(Index::drop().name(name).table(table).if_exists().to_owned()).await?;
        }
        for (table, column) in added() {
            let name = column.get_column_name();
            manager.alter_table(Table::alter().table(table).drop_column(name).to_owned()).await?;
        }
        for table in ["ticket_status_changes", "sla_policies"] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}

//! A database guarantee for the duplicate check: two live customers may not share a phone
//! or an email unless one was created with `allowDuplicate` (`duplicate_allowed`).
//!
//! Why an index and not only the read before the insert: eight concurrent creates with
//! one phone all passed that read. Partial unique indexes (both databases have them)
//! make the second insert fail, and the service reports it as `DUPLICATE_SUSPECTED`.
//! Live duplicates already stored are marked as allowed (all but the oldest), so the
//! indexes can be built over existing data.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 2] = [("uq_customers_live_phone", "phone"), ("uq_customers_live_email", "email")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("customers")
                    .add_column(ColumnDef::new("duplicate_allowed").boolean().not_null().default(false))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for (_, column) in INDEXES {
            db.execute_unprepared(&format!(
                "UPDATE customers SET duplicate_allowed = TRUE WHERE deleted_at IS NULL AND {column} IS NOT NULL \
                 AND EXISTS (SELECT 1 FROM customers o WHERE o.{column} = customers.{column} \
                 AND o.deleted_at IS NULL AND o.id < customers.id)"
            ))
            .await?;
        }
        for (name, column) in INDEXES {
            db.execute_unprepared(&format!(
                "CREATE UNIQUE INDEX IF NOT EXISTS {name} ON customers ({column}) \
                 WHERE deleted_at IS NULL AND NOT duplicate_allowed"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.drop_index(Index::drop().name(name).table("customers").if_exists().to_owned()).await?;
        }
        manager.alter_table(Table::alter().table("customers").drop_column("duplicate_allowed").to_owned()).await
    }
}

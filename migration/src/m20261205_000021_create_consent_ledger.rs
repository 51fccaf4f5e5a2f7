//! The consent ledger: privacy notice versions, and per customer every grant and withdrawal
//! of consent by purpose (MARKETING, PARTNER_SHARING, ANALYTICS, PROFILING). Rows are only
//! added, and a grant's `withdrawn_at` set once; the customer keeps the derived current
//! state per purpose so that row scopes read it without a join.
//!
//! Customers who had `marketing_consent` get a MARKETING grant dated from `consent_at`
//! (source `migration`), so the ledger explains every live consent.

use crate::common::{code, code_null, create, fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let notices = Table::create()
            .table("privacy_notices")
            .col(pk_uuid("id"))
            .col(integer_uniq("version"))
            .col(string_len("title", 200))
            .col(text("body"))
            .col(string_len_null("url", 2000))
            .col(uuid("published_by"))
            .col(timestamp_with_time_zone("published_at"))
            .to_owned();
        create(
            manager,
            notices,
            vec![fk("privacy_notices", "published_by", "users", ForeignKeyAction::Restrict)],
            vec![],
        )
        .await?;
        let consents = Table::create()
            .table("consents")
            .col(pk_uuid("id"))
            .col(uuid("customer_id"))
            .col(code("purpose"))
            .col(code_null("channel"))
            .col(integer_null("notice_version"))
            // NULL for an objection to a purpose that was never granted (PROFILING, ANALYTICS).
            .col(timestamp_with_time_zone_null("granted_at"))
            .col(timestamp_with_time_zone_null("withdrawn_at"))
            .col(string_len("source", 200))
            .col(text_null("evidence"))
            .col(uuid_null("granted_by"))
            .col(uuid_null("withdrawn_by"))
            .col(string_len_null("withdrawal_source", 200))
            .to_owned();
        create(
            manager,
            consents,
            vec![fk("consents", "customer_id", "customers", ForeignKeyAction::Cascade)],
            vec![index("consents", &["customer_id", "purpose", "withdrawn_at"])],
        )
        .await?;
        for column in [
            boolean("partner_sharing_consent").default(false).to_owned(),
            boolean("analytics_allowed").default(true).to_owned(),
            boolean("profiling_allowed").default(true).to_owned(),
        ] {
            let mut column = column;
            manager.alter_table(Table::alter().table("customers").add_column(&mut column).to_owned()).await?;
        }
        backfill(manager.get_connection(), "migration", None).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["partner_sharing_consent", "analytics_allowed", "profiling_allowed"] {
            manager.alter_table(Table::alter().table("customers").drop_column(column).to_owned()).await?;
        }
        crate::common::drop(manager, &["consents", "privacy_notices"]).await
    }
}

/// Gives every customer marked as consenting (`marketing_consent`,
/// `partner_sharing_consent`) without a live grant in the ledger one, dated from
/// `consent_at` (or its creation), from `source` under notice `notice` — for rows written
/// before the ledger existed, and by the seeders.
pub async fn backfill<C: ConnectionTrait>(db: &C, source: &str, notice: Option<i32>) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let id = match backend {
        DbBackend::Postgres => "gen_random_uuid()",
        _ => "randomblob(16)",
    };
    for (purpose, column) in [("MARKETING", "marketing_consent"), ("PARTNER_SHARING", "partner_sharing_consent")] {
        let sql = format!(
            "INSERT INTO consents (id, customer_id, purpose, notice_version, granted_at, source)
             SELECT {id}, c.id, '{purpose}', $1, COALESCE(c.consent_at, c.created_at), $2
             FROM customers c WHERE c.{column} AND NOT EXISTS (
                 SELECT 1 FROM consents k WHERE k.customer_id = c.id AND k.purpose = '{purpose}'
                     AND k.granted_at IS NOT NULL AND k.withdrawn_at IS NULL)"
        );
        let sql = if backend == DbBackend::Sqlite { sql.replace("$1", "?").replace("$2", "?") } else { sql };
        let values: [sea_orm_migration::sea_orm::Value; 2] = [notice.into(), source.into()];
        db.execute_raw(sea_orm_migration::sea_orm::Statement::from_sql_and_values(backend, sql, values)).await?;
    }
    Ok(())
}

//! Dashboard summaries kept current by every deal and purchase write: deal count and
//! amount per customer owner × deal owner × stage × currency, and purchase count and
//! amount per customer owner × month × currency. Amounts are split sums (`units / 10^8`
//! and `units % 10^8` of `amount_e4`), exact and safe from 64-bit overflow. "No owner" is
//! the nil UUID, so every key is non-null and the primary key can take upserts.
//!
//! The tables are filled from the records here, and again by [`rebuild`] (seeding).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn totals(name: &'static str, keys: Vec<ColumnDef>, key_names: &[&'static str]) -> TableCreateStatement {
    let mut table = Table::create();
    table.table(name);
    for mut key in keys {
        table.col(&mut key);
    }
    table.col(big_integer("count")).col(big_integer("high")).col(big_integer("low"));
    let mut pk = Index::create();
    for key in key_names {
        pk.col(*key);
    }
    table.primary_key(&mut pk).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let deals = totals(
            "deal_totals",
            vec![uuid("scope_owner_id"), uuid("owner_id"), string_len("stage", 32), char_len("currency", 3)],
            &["scope_owner_id", "owner_id", "stage", "currency"],
        );
        manager.create_table(deals).await?;
        let sales = totals(
            "sales_totals",
            vec![uuid("owner_id"), date("month"), char_len("currency", 3)],
            &["owner_id", "month", "currency"],
        );
        manager.create_table(sales).await?;
        rebuild(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["sales_totals", "deal_totals"] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}

/// Refills both summary tables from the live records of live customers (run inside a
/// transaction by callers that need it atomic).
pub async fn rebuild<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let (nil, month) = match backend {
        DbBackend::Postgres => {
            ("'00000000-0000-0000-0000-000000000000'::uuid", "CAST(date_trunc('month', p.purchased_at) AS DATE)")
        }
        _ => ("zeroblob(16)", "date(p.purchased_at, 'start of month')"),
    };
    let sums = |units: &str| {
        format!("COUNT(*), CAST(SUM({units} / 100000000) AS BIGINT), CAST(SUM({units} % 100000000) AS BIGINT)")
    };
    let statements = [
        "DELETE FROM deal_totals".to_owned(),
        "DELETE FROM sales_totals".to_owned(),
        format!(
            "INSERT INTO deal_totals (scope_owner_id, owner_id, stage, currency, count, high, low) \
             SELECT COALESCE(c.owner_id, {nil}), COALESCE(d.owner_id, {nil}), d.stage, d.currency, {} \
             FROM deals d JOIN customers c ON c.id = d.customer_id \
             WHERE d.deleted_at IS NULL AND c.deleted_at IS NULL \
             GROUP BY COALESCE(c.owner_id, {nil}), COALESCE(d.owner_id, {nil}), d.stage, d.currency",
            sums("d.amount_e4")
        ),
        format!(
            "INSERT INTO sales_totals (owner_id, month, currency, count, high, low) \
             SELECT COALESCE(c.owner_id, {nil}), {month}, p.currency, {} \
             FROM purchases p JOIN customers c ON c.id = p.customer_id \
             WHERE p.deleted_at IS NULL AND c.deleted_at IS NULL \
             GROUP BY COALESCE(c.owner_id, {nil}), {month}, p.currency",
            sums("p.amount_e4")
        ),
    ];
    for sql in statements {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

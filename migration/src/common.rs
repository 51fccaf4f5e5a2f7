//! Column and index shapes shared by every table.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// A table with the columns every business record has: `id` (UUID v7), `version`,
/// `created_at`, `updated_at` and `deleted_at` (soft delete).
pub fn record_table(name: &'static str) -> TableCreateStatement {
    let mut table = link_table(name);
    table.col(integer("version").default(1)).col(timestamp_with_time_zone_null("deleted_at"));
    table
}

/// A table with `id`, `created_at` and `updated_at` but no version or soft delete.
pub fn link_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(pk_uuid("id"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .to_owned()
}

/// A short enum or code column.
pub fn code(name: &'static str) -> ColumnDef {
    string_len(name, 32)
}

/// A nullable short enum or code column.
pub fn code_null(name: &'static str) -> ColumnDef {
    string_len_null(name, 32)
}

/// A foreign key from `table.column` to `target.id`.
pub fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(on_delete)
        .to_owned()
}

/// An index named after its table and columns.
pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", columns.join("_"))).table(table);
    for column in columns {
        stmt.col(*column);
    }
    stmt.to_owned()
}

/// Creates `table` with its foreign keys, then its indexes.
pub async fn create(
    manager: &SchemaManager<'_>,
    mut table: TableCreateStatement,
    fks: Vec<ForeignKeyCreateStatement>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for mut fk in fks {
        table.foreign_key(&mut fk);
    }
    manager.create_table(table).await?;
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// Drops tables in the given order.
pub async fn drop(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for table in tables {
        manager.drop_table(Table::drop().table(*table).to_owned()).await?;
    }
    Ok(())
}

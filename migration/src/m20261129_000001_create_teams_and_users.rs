//! Teams and users.

use crate::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261129_000001_create_teams_and_users"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut teams = record_table("teams");
        teams.col(string_len_uniq("name", 200)).col(text_null("description"));
        create(manager, teams, vec![], vec![]).await?;

        let mut users = record_table("users");
        users
            .col(string_len_uniq("email", 320))
            .col(string_len("name", 200))
            .col(code("role"))
            .col(uuid_null("team_id"))
            .col(text_null("password_hash"))
            .col(boolean("active").default(true))
            .col(string_len_null("external_id", 255).unique_key());
        create(
            manager,
            users,
            vec![fk("users", "team_id", "teams", ForeignKeyAction::SetNull)],
            vec![index("users", &["team_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, &["users", "teams"]).await
    }
}

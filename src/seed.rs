pub async fn demo(_db: &sea_orm::DatabaseConnection) -> crate::error::AppResult<()> { Ok(()) }

//! Users: creation (CLI, admin), look-ups for loaders and sign-in.

use super::now;
use super::validate::Checker;
use crate::error::{AppError, AppResult};
use entity::enums::Role;
use entity::{team, user};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

/// Users by id (any state: an owner who left still names their customers).
pub async fn find_many(db: &DatabaseConnection, ids: &[Uuid]) -> AppResult<Vec<user::Model>> {
    Ok(user::Entity::find().filter(user::Column::Id.is_in(ids.iter().copied())).all(db).await?)
}

/// A user by email (case-insensitive: emails are stored lower-cased).
pub async fn find_by_email(db: &DatabaseConnection, email: &str) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find().filter(user::Column::Email.eq(email.trim().to_lowercase())).one(db).await?)
}

/// Finds a team by name, creating it when missing.
pub async fn team_named(db: &DatabaseConnection, name: &str) -> AppResult<team::Model> {
    if let Some(team) = team::Entity::find().filter(team::Column::Name.eq(name)).one(db).await? {
        return Ok(team);
    }
    let now = now();
    Ok(team::ActiveModel {
        id: Set(entity::new_id()),
        name: Set(name.to_string()),
        description: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(db)
    .await?)
}

/// Creates a user with an Argon2id-hashed password.
pub async fn create(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: Role,
    team_id: Option<Uuid>,
    password: Option<String>,
) -> AppResult<user::Model> {
    let mut c = Checker::default();
    let email = c.email("email", Some(email));
    let name = c.name("name", name, 200);
    if let Some(password) = &password
        && password.chars().count() < 12
    {
        c.push("password", super::validate::ErrorCode::Invalid, "password must have at least 12 characters");
    }
    let email = match (c.finish(()), email) {
        (Ok(()), Some(email)) => email,
        (Err(errors), _) => {
            let text = errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ");
            return Err(AppError::BadUserInput(text));
        }
        (Ok(()), None) => return Err(AppError::BadUserInput("email is required".into())),
    };
    if find_by_email(db, &email).await?.is_some() {
        return Err(AppError::BadUserInput(format!("a user with email {email} exists")));
    }
    let password_hash = match password {
        Some(p) => Some(crate::auth::password::hash(p).await?),
        None => None,
    };
    let now = now();
    Ok(user::ActiveModel {
        id: Set(entity::new_id()),
        email: Set(email),
        name: Set(name),
        role: Set(role),
        team_id: Set(team_id),
        password_hash: Set(password_hash),
        active: Set(true),
        external_id: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(db)
    .await?)
}

//! Users: creation (CLI, admin), look-ups for loaders and sign-in.

use super::now;
use super::record::Checked;
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
        name: Set(name.to_string()),
        description: Set(None),
        ..entity::record::new_row::<entity::team::Entity>(now)
    }
    .insert(db)
    .await?)
}

/// Creates a user (CLI, tests): field errors become one `BAD_USER_INPUT`.
pub async fn create(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: Role,
    team_id: Option<Uuid>,
    password: Option<String>,
) -> AppResult<user::Model> {
    match create_checked(db, email, name, role, team_id, password).await? {
        Ok(user) => Ok(user),
        Err(errors) => {
            Err(AppError::BadUserInput(errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")))
        }
    }
}

/// Creates a user with an Argon2id-hashed password, or the field errors.
pub async fn create_checked(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: Role,
    team_id: Option<Uuid>,
    password: Option<String>,
) -> AppResult<Checked<user::Model>> {
    let mut c = Checker::default();
    let email = c.email("email", Some(email));
    let name = c.name("name", name, 200);
    if let Some(password) = &password
        && password.chars().count() < 12
    {
        c.push("password", super::validate::ErrorCode::Invalid, "password must have at least 12 characters");
    }
    if email.is_none() && c.is_clean() {
        c.push("email", super::validate::ErrorCode::Required, "email is required");
    }
    if let Some(email) = &email
        && find_by_email(db, email).await?.is_some()
    {
        c.push("email", super::validate::ErrorCode::AlreadyExists, format!("a user with email {email} exists"));
    }
    if let Some(team) = team_id
        && team::Entity::find_by_id(team).one(db).await?.is_none()
    {
        c.push("teamId", super::validate::ErrorCode::NotFound, "no such Team");
    }
    let email = match (c.finish(()), email) {
        (Ok(()), Some(email)) => email,
        (Err(errors), _) => return Ok(Err(errors)),
        (Ok(()), None) => return Err(AppError::internal("email checked above")),
    };
    let password_hash = match password {
        Some(p) => Some(crate::auth::password::hash(p).await?),
        None => None,
    };
    let now = now();
    Ok(Ok(user::ActiveModel {
        email: Set(email),
        name: Set(name),
        role: Set(role),
        team_id: Set(team_id),
        password_hash: Set(password_hash),
        active: Set(true),
        external_id: Set(None),
        ..entity::record::new_row::<entity::user::Entity>(now)
    }
    .insert(db)
    .await?))
}

/// Changes to a user (admins): name, role, team, active. Deactivating ends every
/// session of the user at once.
#[derive(Debug, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub team_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
    pub senior: Option<bool>,
}

/// The change `patch` makes to `current`.
pub async fn change(
    db: &DatabaseConnection,
    current: &user::Model,
    patch: UserPatch,
) -> AppResult<super::record::Change<user::ActiveModel>> {
    let mut c = Checker::default();
    let mut row = <user::ActiveModel as Default>::default();
    let mut fields = Vec::new();
    if let Some(name) = &patch.name {
        row.name = Set(c.name("name", name, 200));
        fields.push("name");
    }
    if let Some(role) = patch.role {
        row.role = Set(role);
        fields.push("role");
    }
    if let Some(team) = patch.team_id {
        if let Some(id) = team
            && team::Entity::find_by_id(id).one(db).await?.is_none()
        {
            c.push("teamId", super::validate::ErrorCode::NotFound, "no such Team");
        }
        row.team_id = Set(team);
        fields.push("teamId");
    }
    if let Some(senior) = patch.senior {
        row.senior = Set(senior);
        fields.push("senior");
    }
    if let Some(active) = patch.active {
        row.active = Set(active);
        fields.push("active");
        if !active && current.active {
            super::session::end_all(db, current.id).await?;
        }
    }
    Ok(c.finish((row, fields)))
}

/// Creates a team (admins).
pub async fn create_team(
    db: &DatabaseConnection,
    name: &str,
    description: Option<&str>,
) -> AppResult<Checked<team::Model>> {
    let mut c = Checker::default();
    let name = c.name("name", name, 200);
    let description = c.long_text("description", description, 2_000);
    if c.is_clean() && team::Entity::find().filter(team::Column::Name.eq(&name)).one(db).await?.is_some() {
        c.push("name", super::validate::ErrorCode::AlreadyExists, format!("a team named {name} exists"));
    }
    if let Err(errors) = c.finish(()) {
        return Ok(Err(errors));
    }
    let now = now();
    Ok(Ok(team::ActiveModel {
        name: Set(name),
        description: Set(description),
        ..entity::record::new_row::<entity::team::Entity>(now)
    }
    .insert(db)
    .await?))
}

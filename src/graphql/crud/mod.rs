//! The standard mutations of a record type, written once: create, update, delete
//! (soft) and restore, each idempotent by `clientMutationId`, each answering with a
//! payload of the record and `userErrors`.

use super::context;
use super::idempotency::{Payload, idempotent};
use super::relay::expect_id;
use super::types::user_error::{UserError, user_errors};
use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::service::insert::{Hooks, insert_all};
use crate::service::permission::require_write;
use crate::service::record::{self, Change, Checked};
use crate::service::validate::FieldError;
use async_graphql::{Context, ID, Result};
use entity::record::Record;
use sea_orm::{ActiveModelBehavior, ActiveModelTrait, DatabaseConnection, FromQueryResult, IntoActiveModel};

/// A payload that carries one record.
pub trait RecordPayload: Payload {
    /// The GraphQL type of the record.
    type Record;
    /// Builds the payload.
    fn build(record: Option<Self::Record>, errors: Vec<UserError>, key: Option<String>) -> Self;
}

/// A create input: validates itself into a row to insert.
#[async_trait::async_trait]
pub trait CreateInput: Send + Sync + Sized {
    /// The record type created.
    type Entity: Record;
    /// The row type.
    type Row: ActiveModelTrait<Entity = Self::Entity> + ActiveModelBehavior + Send;
    /// The idempotency key.
    fn key(&self) -> Option<String>;
    /// The row, or the field errors.
    async fn row(self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<Checked<Self::Row>>;
    /// Work in the insert's transaction before and after the row is stored (none by default).
    fn hooks() -> Hooks<'static, Self::Row, <Self::Entity as sea_orm::EntityTrait>::Model> {
        Hooks { before: None, after: None }
    }
}

/// An update-like input (update, and actions such as `moveDealStage`): a target at a
/// version and the change it makes.
#[async_trait::async_trait]
pub trait ChangeInput: Send + Sync + Sized {
    /// The record type changed.
    type Entity: Record<Model: FromQueryResult + Send + Sync>;
    /// The row type.
    type Row: ActiveModelTrait<Entity = Self::Entity> + Send;
    /// The idempotency key.
    fn key(&self) -> Option<String>;
    /// The target's global ID.
    fn id(&self) -> &ID;
    /// The version the change was made against.
    fn expected_version(&self) -> i32;
    /// The change, computed from the current row.
    async fn change(
        self,
        db: &DatabaseConnection,
        viewer: &Viewer,
        current: &<Self::Entity as sea_orm::EntityTrait>::Model,
    ) -> AppResult<Change<Self::Row>>;
}

/// A write's payload: the record wrapped, or its field errors as `userErrors`.
pub fn build<P: RecordPayload, M>(result: Checked<M>, wrap: impl Fn(M) -> P::Record, key: Option<String>) -> P {
    match result {
        Ok(m) => P::build(Some(wrap(m)), vec![], key),
        Err(errors) => P::build(None, user_errors(errors), key),
    }
}

/// `create<Type>`.
pub async fn create<I, P>(
    ctx: &Context<'_>,
    input: I,
    wrap: impl Fn(<I::Entity as sea_orm::EntityTrait>::Model) -> P::Record,
) -> Result<P>
where
    I: CreateInput,
    P: RecordPayload,
    <I::Entity as sea_orm::EntityTrait>::Model: IntoActiveModel<I::Row> + Send + Sync,
{
    // The one mutation that may run as a guessed viewer: its insert confirms the
    // credential before it commits (`auth::gate`). With a `clientMutationId`, the
    // idempotency record would be written first: `idempotent` asks for the viewer, which
    // closes the gate, and the request runs again after the check.
    let (viewer, gate) = context::gated_viewer(ctx)?;
    let db = context::db(ctx)?;
    require_write(viewer, <I::Entity as Record>::NAME)?;
    let key = input.key();
    idempotent(ctx, key.as_deref(), || async {
        let result = match input.row(db, viewer).await? {
            Ok(row) => match insert_all::<I::Entity, I::Row>(db, viewer, gate, vec![row], I::hooks).await? {
                Ok(saved) => {
                    Ok(saved.into_iter().next().ok_or_else(|| AppError::internal("an insert saved no record"))?)
                }
                Err((_, errors)) => Err(errors),
            },
            Err(errors) => Err(errors),
        };
        Ok(build(result, wrap, key.clone()))
    })
    .await
}

/// Most items one batch create takes.
pub const MAX_BATCH: usize = 100;

/// `create<Types>`: up to [`MAX_BATCH`] records, all or nothing; a user error's field path
/// names the item (`["input", "items", "3", "phone"]`).
pub async fn create_many<I, P, N>(
    ctx: &Context<'_>,
    key: Option<String>,
    items: Vec<I>,
    wrap: impl Fn(<I::Entity as sea_orm::EntityTrait>::Model) -> N,
) -> Result<P>
where
    I: CreateInput,
    P: RecordPayload<Record = Vec<N>>,
    <I::Entity as sea_orm::EntityTrait>::Model: IntoActiveModel<I::Row> + Send + Sync,
{
    let viewer = context::viewer(ctx)?;
    let db = context::db(ctx)?;
    require_write(viewer, <I::Entity as Record>::NAME)?;
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(crate::error::AppError::BadUserInput(format!("pass 1 to {MAX_BATCH} items")).into());
    }
    idempotent(ctx, key.as_deref(), || async {
        let mut rows = Vec::with_capacity(items.len());
        let mut errors = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            match item.row(db, viewer).await? {
                Ok(row) => rows.push(row),
                Err(item_errors) => errors.extend(item_errors.into_iter().map(|e| of_item(index, e))),
            }
        }
        if !errors.is_empty() {
            return Ok(P::build(None, user_errors(errors), key.clone()));
        }
        match insert_all::<I::Entity, I::Row>(db, viewer, None, rows, I::hooks).await? {
            Ok(saved) => Ok(P::build(Some(saved.into_iter().map(&wrap).collect()), vec![], key.clone())),
            Err((index, refused)) => {
                let errors = refused.into_iter().map(|e| of_item(index, e)).collect();
                Ok(P::build(None, user_errors(errors), key.clone()))
            }
        }
    })
    .await
}

/// An item's field error, its path under the item (`["input", "items", "3", "phone"]`).
fn of_item(index: usize, mut error: FieldError) -> FieldError {
    let rest = error.field.split_off(1.min(error.field.len()));
    error.field = ["input".to_string(), "items".to_string(), index.to_string()].into_iter().chain(rest).collect();
    error
}

/// `update<Type>` and the actions that change one record.
pub async fn change<I, P>(
    ctx: &Context<'_>,
    input: I,
    wrap: impl Fn(<I::Entity as sea_orm::EntityTrait>::Model) -> P::Record,
) -> Result<P>
where
    I: ChangeInput,
    P: RecordPayload,
{
    let viewer = context::viewer(ctx)?;
    let db = context::db(ctx)?;
    let key = input.key();
    let id = expect_id(input.id(), <I::Entity as Record>::NAME)?;
    let expected = input.expected_version();
    idempotent(ctx, key.as_deref(), || async {
        let current = match record::begin_update::<I::Entity>(db, viewer, id, expected).await? {
            Ok(current) => current,
            Err(errors) => return Ok(build(Err(errors), wrap, key.clone())),
        };
        let result = match input.change(db, viewer, &current).await? {
            Ok((row, fields)) => {
                record::write_versioned::<I::Entity, I::Row>(db, viewer, &current, row, "update", &fields).await?
            }
            Err(errors) => Err(errors),
        };
        Ok(build(result, wrap, key.clone()))
    })
    .await
}

/// `delete<Type>`: soft delete.
pub async fn delete<E, A, P>(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: Option<i32>,
    key: Option<String>,
    wrap: impl Fn(E::Model) -> P::Record,
) -> Result<P>
where
    E: Record<Model: FromQueryResult + IntoActiveModel<A> + Send + Sync>,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    P: RecordPayload,
{
    let viewer = context::viewer(ctx)?;
    let db = context::db(ctx)?;
    let id = expect_id(id, E::NAME)?;
    idempotent(ctx, key.as_deref(), || async {
        let result = record::soft_delete::<E, A>(db, viewer, id, expected_version).await?;
        Ok(build(result, wrap, key.clone()))
    })
    .await
}

/// `restore<Type>`.
pub async fn restore<E, A, P>(
    ctx: &Context<'_>,
    id: &ID,
    key: Option<String>,
    wrap: impl Fn(E::Model) -> P::Record,
) -> Result<P>
where
    E: Record<Model: FromQueryResult + IntoActiveModel<A> + Send + Sync>,
    A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    P: RecordPayload,
{
    let viewer = context::viewer(ctx)?;
    let db = context::db(ctx)?;
    let id = expect_id(id, E::NAME)?;
    idempotent(ctx, key.as_deref(), || async {
        let result = record::restore::<E, A>(db, viewer, id).await?;
        Ok(build(result, wrap, key.clone()))
    })
    .await
}

mod macros;

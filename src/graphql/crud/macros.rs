//! The macros that declare a record type's standard mutations and wire its inputs to
//! [`CreateInput`](super::CreateInput) and [`ChangeInput`](super::ChangeInput).

/// Implements [`CreateInput`] for an input that converts (`Into`) into the new record of
/// its service: `create_input!(CreateDealInput => deal via service::deal::prepare)`.
#[macro_export]
macro_rules! create_input {
    ($input:ty => $module:ident via $prepare:path, after $after:path) => {
        $crate::create_input!(@impl $input => $module via $prepare;
            fn hooks() -> $crate::service::insert::Hooks<'static, Self::Row, entity::$module::Model> {
                $crate::service::insert::Hooks {
                    before: None,
                    after: Some(Box::new(|txn, _viewer, model| Box::pin($after(txn, model)))),
                }
            }
        );
    };
    ($input:ty => $module:ident via $prepare:path, after by viewer $after:path) => {
        $crate::create_input!(@impl $input => $module via $prepare;
            fn hooks() -> $crate::service::insert::Hooks<'static, Self::Row, entity::$module::Model> {
                $crate::service::insert::Hooks {
                    before: None,
                    after: Some(Box::new(|txn, viewer, model| Box::pin($after(txn, viewer, model)))),
                }
            }
        );
    };
    ($input:ty => $module:ident via $prepare:path) => {
        $crate::create_input!(@impl $input => $module via $prepare;);
    };
    (@impl $input:ty => $module:ident via $prepare:path; $($hooks:tt)*) => {
        #[async_trait::async_trait]
        impl $crate::graphql::crud::CreateInput for $input {
            type Entity = entity::$module::Entity;
            type Row = entity::$module::ActiveModel;
            fn key(&self) -> Option<String> {
                self.client_mutation_id.clone()
            }
            async fn row(
                self,
                db: &sea_orm::DatabaseConnection,
                viewer: &$crate::auth::Viewer,
            ) -> $crate::error::AppResult<$crate::service::record::Checked<Self::Row>> {
                $prepare(db, viewer, self.into()).await
            }
            $($hooks)*
        }
    };
}

/// Implements [`ChangeInput`] for an input that converts (`Into`) into the change its
/// service takes: `change_input!(UpdateDealInput => deal via service::deal::change)`.
#[macro_export]
macro_rules! change_input {
    ($input:ty => $module:ident via $change:path) => {
        #[async_trait::async_trait]
        impl $crate::graphql::crud::ChangeInput for $input {
            type Entity = entity::$module::Entity;
            type Row = entity::$module::ActiveModel;
            fn key(&self) -> Option<String> {
                self.client_mutation_id.clone()
            }
            fn id(&self) -> &async_graphql::ID {
                &self.id
            }
            fn expected_version(&self) -> i32 {
                self.expected_version
            }
            async fn change(
                self,
                db: &sea_orm::DatabaseConnection,
                viewer: &$crate::auth::Viewer,
                current: &entity::$module::Model,
            ) -> $crate::error::AppResult<$crate::service::record::Change<Self::Row>> {
                $change(db, viewer, current, self.into()).await
            }
        }
    };
}

/// Declares the four standard mutations of a record type and their payloads. With
/// `kept by path`, deleting first asks `path(viewer, &current)` (the update's service
/// asks it too) — for shared records only some may remove.
#[macro_export]
macro_rules! crud_mutations {
    (
        $mutation:ident for $module:ident as $ty:ident in $field:ident $(, kept by $keeper:path)? {
            $create:ident($create_input:ty) -> $create_payload:ident,
            $update:ident($update_input:ty) -> $update_payload:ident,
            $delete:ident($delete_input:ty) -> $delete_payload:ident,
            $restore:ident($restore_input:ty) -> $restore_payload:ident $(,)?
        }
    ) => {
        $crate::payload!(
            #[doc = concat!("The result of `", stringify!($create), "`.")]
            $create_payload { $field: $ty }
        );
        $crate::payload!(
            #[doc = concat!("The result of `", stringify!($update), "`.")]
            $update_payload { $field: $ty }
        );
        $crate::payload!(
            #[doc = concat!("The result of `", stringify!($delete), "`.")]
            $delete_payload { $field: $ty }
        );
        $crate::payload!(
            #[doc = concat!("The result of `", stringify!($restore), "`.")]
            $restore_payload { $field: $ty }
        );

        #[doc = concat!("Create, update, delete and restore of `", stringify!($ty), "`.")]
        #[derive(Default)]
        pub struct $mutation;

        impl $mutation {
            /// The create mutation's resolver name (`create_deal` for `createDeal`): it
            /// runs through [`crud::create`](crate::graphql::crud::create), which may act
            /// as a guessed viewer (see `auth::gate`).
            pub const CREATE: &'static str = stringify!($create);
        }

        #[async_graphql::Object]
        impl $mutation {
            #[doc = concat!("Creates a ", stringify!($ty), "; invalid fields are `userErrors` and write nothing.")]
            async fn $create(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $create_input,
            ) -> async_graphql::Result<$create_payload> {
                $crate::graphql::crud::create(ctx, input, $ty).await
            }

            #[doc = concat!("Changes a ", stringify!($ty), " at `expectedVersion`.")]
            async fn $update(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $update_input,
            ) -> async_graphql::Result<$update_payload> {
                $crate::graphql::crud::change(ctx, input, $ty).await
            }

            #[doc = concat!("Soft-deletes a ", stringify!($ty), ".")]
            async fn $delete(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $delete_input,
            ) -> async_graphql::Result<$delete_payload> {
                $(
                    let viewer = $crate::graphql::context::viewer(ctx)?;
                    let id = $crate::graphql::relay::expect_id(&input.id, <entity::$module::Entity as entity::record::Record>::NAME)?;
                    let db = $crate::graphql::context::db(ctx)?;
                    let current = $crate::service::record::load_for_write::<entity::$module::Entity>(db, viewer, id).await?;
                    $keeper(viewer, &current)?;
                )?
                $crate::graphql::crud::delete::<entity::$module::Entity, entity::$module::ActiveModel, _>(
                    ctx,
                    &input.id,
                    input.expected_version,
                    input.client_mutation_id.clone(),
                    $ty,
                )
                .await
            }

            #[doc = concat!("Restores a soft-deleted ", stringify!($ty), " (admins and managers).")]
            async fn $restore(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $restore_input,
            ) -> async_graphql::Result<$restore_payload> {
                $crate::graphql::crud::restore::<entity::$module::Entity, entity::$module::ActiveModel, _>(
                    ctx,
                    &input.id,
                    input.client_mutation_id.clone(),
                    $ty,
                )
                .await
            }
        }
    };
}

//! The macros that declare a record type's standard mutations and wire its inputs to
//! [`CreateInput`](super::CreateInput) and [`ChangeInput`](super::ChangeInput).

/// Implements [`CreateInput`] for an input with an inherent `into_row`, in one of its
/// three shapes: `(db, viewer)`, `(db)` or plain.
#[macro_export]
macro_rules! create_input {
    ($input:ty => $module:ident, $($shape:tt)*) => {
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
                $crate::__row!(self, db, viewer, $($shape)*)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __row {
    ($s:ident, $db:ident, $viewer:ident, db_viewer) => {
        $s.into_row($db, $viewer).await
    };
    ($s:ident, $db:ident, $viewer:ident, db) => {{
        let _ = $viewer;
        $s.into_row($db).await
    }};
    ($s:ident, $db:ident, $viewer:ident, plain) => {{
        let _ = ($db, $viewer);
        Ok($s.into_row())
    }};
}

/// Implements [`ChangeInput`] for an input with an inherent `change`, in one of its
/// shapes: `(db, viewer, current)`, `(db, current)` or `(current)`.
#[macro_export]
macro_rules! change_input {
    ($input:ty => $module:ident, $($shape:tt)*) => {
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
                $crate::__change!(self, db, viewer, current, $($shape)*)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __change {
    ($s:ident, $db:ident, $viewer:ident, $cur:ident, db_viewer) => {
        $s.change($db, $viewer, $cur).await
    };
    ($s:ident, $db:ident, $viewer:ident, $cur:ident, db) => {{
        let _ = $viewer;
        $s.change($db, $cur).await
    }};
    ($s:ident, $db:ident, $viewer:ident, $cur:ident, plain) => {{
        let _ = ($db, $viewer);
        Ok($s.change($cur))
    }};
}

/// Declares the four standard mutations of a record type and their payloads.
#[macro_export]
macro_rules! crud_mutations {
    (
        $mutation:ident for $module:ident as $ty:ident in $field:ident {
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

//! `clientMutationId` as an idempotency key, for every mutation: a retry with the same
//! key from the same caller replays the first payload and writes nothing; the same key
//! with another input is the user error `IDEMPOTENCY_KEY_REUSED`.

use super::context;
use super::types::user_error::{UserError, UserErrorCode};
use crate::error::AppError;
use crate::service::idempotency::{Claim, claim, finish, release};
use async_graphql::{Context, Result, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;

/// A mutation payload that can be stored and replayed.
pub trait Payload: Serialize + DeserializeOwned + Send {
    /// A payload that only reports `errors`.
    fn rejected(errors: Vec<UserError>) -> Self;
}

/// Runs `run` at most once per `key` (when given) for the current user.
pub async fn idempotent<P, F, Fut>(ctx: &Context<'_>, key: Option<&str>, run: F) -> Result<P>
where
    P: Payload,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<P>>,
{
    let Some(key) = key else { return run().await };
    let viewer = context::viewer(ctx)?;
    let db = context::db(ctx)?;
    let operation = ctx.field().name().to_string();
    let request = canonical_arguments(ctx)?;
    match claim(db, viewer, key, &operation, &request).await? {
        Claim::Replay(stored) => Ok(serde_json::from_value(stored).map_err(AppError::internal)?),
        Claim::Reused => Ok(P::rejected(vec![UserError {
            field: Some(vec!["input".into(), "clientMutationId".into()]),
            code: UserErrorCode::IdempotencyKeyReused,
            message: "this clientMutationId was used with another input; use a new key".into(),
        }])),
        Claim::Fresh(id) => match run().await {
            Ok(payload) => {
                let stored = serde_json::to_value(&payload).map_err(AppError::internal)?;
                finish(db, id, stored).await?;
                Ok(payload)
            }
            Err(err) => {
                // Nothing was written; a retry may run again.
                release(db, id).await?;
                Err(err)
            }
        },
    }
}

/// The field's arguments as JSON with keys sorted and `clientMutationId` left out, so the
/// same input compares equal however the client ordered it.
fn canonical_arguments(ctx: &Context<'_>) -> Result<String> {
    let args = ctx.field().arguments().map_err(|e| AppError::BadUserInput(e.message))?;
    let object: Value = Value::Object(args.into_iter().collect());
    let json = serde_json::to_value(object).map_err(AppError::internal)?;
    Ok(canonical(&json).to_string())
}

fn canonical(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().filter(|k| k.as_str() != "clientMutationId").collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&map[k]));
            }
            serde_json::Value::Object(out)
        }
        serde_json::Value::Array(items) => serde_json::Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Declares a mutation payload: the written record (or `null`), `userErrors`, and the
/// echoed `clientMutationId`; after `;`, extra fields a resolver fills after the write
/// (empty when built).
#[macro_export]
macro_rules! payload {
    ($(#[$doc:meta])* $name:ident { $field:ident : $ty:ty $(; $(#[$edoc:meta])* $extra:ident : $ety:ty)* }) => {
        $(#[$doc])*
        #[derive(async_graphql::SimpleObject, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            /// The record as stored after the write; `null` when nothing was written.
            pub $field: Option<$ty>,
            $($(#[$edoc])* #[serde(default)] pub $extra: $ety,)*
            /// Expected business outcomes that stopped the write.
            pub user_errors: Vec<$crate::graphql::types::user_error::UserError>,
            /// The idempotency key the request carried.
            pub client_mutation_id: Option<String>,
        }

        impl $crate::graphql::idempotency::Payload for $name {
            fn rejected(errors: Vec<$crate::graphql::types::user_error::UserError>) -> Self {
                Self { $field: None, $($extra: Default::default(),)* user_errors: errors, client_mutation_id: None }
            }
        }

        impl $crate::graphql::crud::RecordPayload for $name {
            type Record = $ty;
            fn build(
                record: Option<$ty>,
                errors: Vec<$crate::graphql::types::user_error::UserError>,
                key: Option<String>,
            ) -> Self {
                Self { $field: record, $($extra: Default::default(),)* user_errors: errors, client_mutation_id: key }
            }
        }
    };
}

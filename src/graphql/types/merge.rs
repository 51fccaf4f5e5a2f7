//! Merging duplicates in the API: `mergeCustomers` (or its dry run) and
//! `unmergeCustomers`. The rules live in `service::merge`.

use crate::graphql::context;
use crate::graphql::idempotency::idempotent;
use crate::graphql::relay::{expect_id, global_id};
use crate::graphql::types::customer::Customer;
use crate::graphql::types::user_error::{UserError, user_errors};
use crate::service::merge::{self as service, Outcome, Request};
use crate::service::validate::{ErrorCode, FieldError};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

/// Take one field's value from a merged customer instead of the survivor's.
#[derive(InputObject, Clone)]
pub struct MergeFieldChoice {
    /// The field as the API names it (`phone`, `companyName` …).
    pub field: String,
    /// The customer whose value to keep.
    pub from: ID,
}

/// Customers to fold into one.
#[derive(InputObject)]
pub struct MergeCustomersInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    /// The customer that stays.
    pub survivor_id: ID,
    /// The customers merged into it (1 to 10): kept as tombstones pointing at it.
    pub merged_ids: Vec<ID>,
    /// Fields to take from a merged customer; every other field keeps the survivor's value.
    #[graphql(default)]
    pub field_choices: Vec<MergeFieldChoice>,
    /// Report what the merge would do and write nothing.
    #[graphql(default)]
    pub dry_run: bool,
}

/// A merge to undo.
#[derive(InputObject)]
pub struct UnmergeCustomersInput {
    /// Idempotency key: a retry with the same key replays the first result.
    pub client_mutation_id: Option<String>,
    pub merge_id: ID,
}

/// Child records of one type a merge moves to the survivor, and those it leaves on the
/// merged record because the survivor already has one like it (a campaign, a tag).
#[derive(SimpleObject, serde::Serialize, serde::Deserialize)]
pub struct MergeMoves {
    pub record_type: String,
    pub moved: u64,
    pub kept: u64,
}

/// A merge of customers, undoable with `unmergeCustomers` while the survivor is unchanged.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct CustomerMerge(entity::customer_merge::Model);

#[Object]
impl CustomerMerge {
    async fn id(&self) -> ID {
        global_id("CustomerMerge", self.0.id)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was undone (`null` while in force).
    async fn undone_at(&self) -> Option<DateTime<Utc>> {
        self.0.undone_at
    }
}

/// The result of `mergeCustomers` and `unmergeCustomers`.
#[derive(SimpleObject, serde::Serialize, serde::Deserialize, Default)]
pub struct MergeCustomersPayload {
    /// The merge (`null` on a dry run or when refused).
    pub merge: Option<CustomerMerge>,
    /// The survivor as it is afterwards (on a dry run: as it would be).
    pub survivor: Option<Customer>,
    /// The merged customers as they are afterwards: tombstones, or restored by an undo.
    pub merged: Vec<Customer>,
    /// What moved, per record type (empty for an undo, which moves everything back).
    pub moves: Vec<MergeMoves>,
    pub dry_run: bool,
    /// Expected business outcomes that stopped the write.
    pub user_errors: Vec<UserError>,
    /// The idempotency key the request carried.
    pub client_mutation_id: Option<String>,
}

impl crate::graphql::idempotency::Payload for MergeCustomersPayload {
    fn rejected(errors: Vec<UserError>) -> Self {
        Self { user_errors: errors, ..Self::default() }
    }
}

impl MergeCustomersPayload {
    fn of(result: crate::service::record::Checked<Outcome>, dry_run: bool, key: Option<String>) -> Self {
        match result {
            Ok(o) => Self {
                merge: o.merge.map(CustomerMerge),
                survivor: Some(Customer(o.survivor)),
                merged: o.merged.into_iter().map(Customer).collect(),
                moves: o
                    .counts
                    .into_iter()
                    .map(|c| MergeMoves { record_type: c.label.to_owned(), moved: c.moved, kept: c.kept })
                    .collect(),
                dry_run,
                user_errors: Vec::new(),
                client_mutation_id: key,
            },
            Err(errors) => {
                Self { user_errors: user_errors(errors), client_mutation_id: key, dry_run, ..Self::default() }
            }
        }
    }
}

/// `mergeCustomers` and `unmergeCustomers`.
#[derive(Default)]
pub struct MergeMutation;

#[Object]
impl MergeMutation {
    /// Folds duplicates into a survivor: its values kept unless `fieldChoices` say
    /// otherwise, every child record moved to it, the merged customers kept as tombstones
    /// (`node` of a merged id answers the survivor). One audit event; undoable.
    async fn merge_customers(&self, ctx: &Context<'_>, input: MergeCustomersInput) -> Result<MergeCustomersPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        let dry_run = input.dry_run;
        let run = || async {
            let id = |id: &ID| expect_id(id, "Customer").unwrap_or_default();
            let request = Request {
                survivor: id(&input.survivor_id),
                merged: input.merged_ids.iter().map(id).collect(),
                choices: input.field_choices.iter().map(|c| (c.field.clone(), id(&c.from))).collect(),
                dry_run,
            };
            let result = service::merge(db, viewer, request, crate::service::now()).await?;
            Ok(MergeCustomersPayload::of(result, dry_run, key.clone()))
        };
        // A dry run writes nothing, so it keeps no idempotency record either.
        if dry_run { run().await } else { idempotent(ctx, key.as_deref(), run).await }
    }

    /// Undoes a merge: the customers as they were before it, their records moved back.
    /// Refused (`STALE_VERSION`) once the survivor has changed since.
    async fn unmerge_customers(
        &self,
        ctx: &Context<'_>,
        input: UnmergeCustomersInput,
    ) -> Result<MergeCustomersPayload> {
        let viewer = context::viewer(ctx)?;
        let db = context::db(ctx)?;
        let key = input.client_mutation_id.clone();
        idempotent(ctx, key.as_deref(), || async {
            let result = match expect_id(&input.merge_id, "CustomerMerge") {
                Ok(id) => service::unmerge(db, viewer, id, crate::service::now()).await?,
                Err(_) => Err(vec![FieldError::new("mergeId", ErrorCode::NotFound, "no such merge to undo")]),
            };
            Ok(MergeCustomersPayload::of(result, false, key.clone()))
        })
        .await
    }
}

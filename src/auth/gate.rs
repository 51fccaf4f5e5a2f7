//! A create mutation run as a guessed viewer, its credential confirmed by the write itself.
//!
//! Why: a create waited for the user lookup of authentication before its own round trips
//! (BEGIN, its writes, its audit row, COMMIT). When the credential resolved to a viewer
//! before (`auth::hints`), the create now starts at once as that viewer, and its audit row
//! is written only if the user record still names that very viewer (one statement: the
//! insert carries the check, see [`crate::service::audit::record_gated`]). The write
//! commits only when that row was written; otherwise its transaction rolls back and the
//! request runs again after the full check, as before.
//!
//! Until the gate has passed, nothing else may act as the guessed viewer: the context's
//! [`viewer`](crate::graphql::context::viewer) and
//! [`loaders`](crate::graphql::context::loaders) close the gate instead (the request then
//! runs again after the check). Only the `create<Type>` mutations of
//! [`crate::graphql::crud`] open a gate (see [`crate::graphql::mutation::gated`]).

use super::Viewer;
use entity::{refresh_token, user};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};
use std::sync::atomic::{AtomicU8, Ordering};

/// A bearer token's subject, checked (signature, times) but not yet against the database.
#[derive(Debug, Clone, Copy)]
pub struct Credential {
    pub user_id: uuid::Uuid,
    /// The login session the token belongs to, if any.
    pub session: Option<uuid::Uuid>,
}

impl Credential {
    /// True when the record condition that authentication checks would make `viewer` of
    /// this credential's user: a person (API keys have scopes and are never guessed).
    pub fn fits(&self, viewer: &Viewer) -> bool {
        viewer.user_id == self.user_id && viewer.scopes.is_none()
    }

    /// The one credential predicate: over the users table, the credential's user exists,
    /// is active and not deleted, and the token's session (if any) is not revoked.
    /// Authentication reads the user with it ([`super::authenticate`]); [`Self::names`]
    /// builds on it for the gate and the direct path.
    pub fn standing(&self) -> Condition {
        let mut condition = Condition::all()
            .add(user::Column::Id.eq(self.user_id))
            .add(user::Column::Active.eq(true))
            .add(user::Column::DeletedAt.is_null());
        if let Some(family) = self.session {
            let revoked = Query::select()
                .expr(Expr::val(1))
                .from(refresh_token::Entity)
                .and_where(refresh_token::Column::FamilyId.eq(family))
                .and_where(refresh_token::Column::RevokedAt.is_not_null())
                .to_owned();
            condition = condition.add(Expr::exists(revoked).not());
        }
        condition
    }

    /// True (as SQL) when the credential stands and its user has `viewer`'s role and team:
    /// authentication would make `viewer` of it. One statement can carry it.
    pub fn names(&self, viewer: &Viewer) -> Expr {
        let team = match viewer.team_id {
            Some(team) => user::Column::TeamId.eq(team),
            None => user::Column::TeamId.is_null(),
        };
        let user = Query::select()
            .expr(Expr::val(1))
            .from(user::Entity)
            .cond_where(self.standing())
            .and_where(user::Column::Role.eq(viewer.role))
            .and_where(team)
            .to_owned();
        Expr::exists(user)
    }
}

/// Where a gated mutation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Nothing was written and nothing was confirmed yet.
    Waiting,
    /// The write's own transaction confirmed the credential names the viewer.
    Passed,
    /// The credential did not name the viewer, or code that cannot confirm it asked for
    /// the viewer: nothing was written, and the request must run again after the check.
    Closed,
}

/// The gate of one request.
#[derive(Debug)]
pub struct Gate {
    /// The bearer token's subject, checked (signature, times) but not yet against the
    /// user record.
    pub credential: Credential,
    state: AtomicU8,
}

impl Gate {
    /// A gate for `credential`, waiting.
    pub fn new(credential: Credential) -> Self {
        Self { credential, state: AtomicU8::new(Progress::Waiting as u8) }
    }

    /// Where the request stands.
    pub fn state(&self) -> Progress {
        match self.state.load(Ordering::Acquire) {
            0 => Progress::Waiting,
            1 => Progress::Passed,
            _ => Progress::Closed,
        }
    }

    /// True once the credential is confirmed.
    pub fn passed(&self) -> bool {
        self.state() == Progress::Passed
    }

    /// Records that the write's transaction confirmed the credential (a closed gate stays
    /// closed).
    pub fn pass(&self) {
        let _ = self.state.compare_exchange(
            Progress::Waiting as u8,
            Progress::Passed as u8,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }

    /// Closes a waiting gate: the request's answer is dropped and it runs again after the
    /// check. (A gate that passed stays passed: its write has committed.)
    pub fn close(&self) {
        let _ = self.state.compare_exchange(
            Progress::Waiting as u8,
            Progress::Closed as u8,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }
}

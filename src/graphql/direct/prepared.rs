//! Plans kept for reuse: a document planned once per viewer, its statement's text reused
//! with the IDs of each new request bound in.
//!
//! Why: of a one-customer read (Q2), planning, writing the statement's text and dropping
//! its expression tree were two fifths of the server's work, the same every time but for
//! the customer's ID. When a key (document, viewer, the types of the IDs its variables
//! hold) comes a second time, its document is planned once more with other IDs of the same
//! types (the probe); when the two statements have the same text and differ only where each
//! ID's UUID is bound, the plan is kept with those places marked, and later requests only
//! decode their IDs and bind them there. Anything else — another viewer, credential,
//! operation, an ID of another type, a variable that is not an ID, a statement the probe
//! changed elsewhere — is planned afresh (a key the probe refused is remembered, and
//! planned without a probe from then on). A key seen once costs one planning, as before.

use super::plan::Plan;
use crate::auth::Viewer;
use crate::auth::gate::Credential;
use crate::graphql::relay::{global_id, parse_global_id};
use async_graphql::{Name, Value as GqlValue, Variables};
use sea_orm::sea_query::{Value, Values};
use sea_orm::{DbBackend, Statement};
use std::hash::{BuildHasher, Hash, Hasher};
use uuid::Uuid;

/// A planned document, its statement's text and values, and where each ID is bound.
pub struct Prepared {
    key: Key,
    /// The plan that writes the answer (its statement taken out).
    pub plan: Plan,
    /// The statement's text, `None` when the answer needs no statement.
    sql: Option<String>,
    values: Vec<Value>,
    /// Per ID variable (in [`Key::ids`] order), the places its UUID is bound at.
    slots: Vec<Vec<usize>>,
}

/// What a plan was made for, besides the IDs' UUIDs.
#[derive(PartialEq, Eq)]
pub struct Key {
    query: String,
    operation: Option<String>,
    viewer: Viewer,
    credential: Option<(Uuid, Option<Uuid>)>,
    /// Each variable's name and the type its global ID names, in the request's order.
    ids: Vec<(Name, String)>,
}

/// A variable holding a global ID: its name, the type the ID names, and the UUID.
pub type Id = (Name, String, Uuid);

/// The IDs a request's variables hold, or `None` when a variable holds anything but a
/// global ID.
pub fn ids(variables: &Variables) -> Option<Vec<Id>> {
    variables
        .iter()
        .map(|(name, value)| match value {
            GqlValue::String(text) => {
                let (kind, uuid) = parse_global_id(&async_graphql::ID(text.clone())).ok()?;
                Some((name.clone(), kind, uuid))
            }
            _ => None,
        })
        .collect()
}

impl Key {
    /// The key of `request` as `viewer` with `credential`, whose variables hold `ids`.
    pub fn new(request: &async_graphql::Request, viewer: &Viewer, credential: Option<&Credential>, ids: &[Id]) -> Self {
        Self {
            query: request.query.clone(),
            operation: request.operation_name.clone(),
            viewer: viewer.clone(),
            credential: credential.map(|c| (c.user_id, c.session)),
            ids: ids.iter().map(|(name, kind, _)| (name.clone(), kind.clone())).collect(),
        }
    }

    /// The cache slot of a request: a hash of what [`Key`] holds, computed without
    /// copying it.
    pub fn fingerprint(
        hasher: &impl BuildHasher,
        request: &async_graphql::Request,
        viewer: &Viewer,
        credential: Option<&Credential>,
        ids: &[Id],
    ) -> u64 {
        let mut state = hasher.build_hasher();
        request.query.hash(&mut state);
        request.operation_name.hash(&mut state);
        (viewer.user_id, viewer.role.as_str(), viewer.team_id, &viewer.scopes).hash(&mut state);
        credential.map(|c| (c.user_id, c.session)).hash(&mut state);
        for (name, kind, _) in ids {
            (name.as_str(), kind).hash(&mut state);
        }
        state.finish()
    }

    /// True when this key is the one of the request [`Key::fingerprint`] took.
    pub fn matches(
        &self,
        request: &async_graphql::Request,
        viewer: &Viewer,
        credential: Option<&Credential>,
        ids: &[Id],
    ) -> bool {
        self.query == request.query
            && self.operation == request.operation_name
            && self.viewer == *viewer
            && self.credential == credential.map(|c| (c.user_id, c.session))
            && self.ids.len() == ids.len()
            && self.ids.iter().zip(ids).all(|((n, k), (name, kind, _))| n == name && k == kind)
    }
}

/// Variables like `variables` but each ID another of the same type (fresh UUIDs).
pub fn probe(variables: &Variables, ids: &[Id]) -> (Variables, Vec<Uuid>) {
    let mut probe = variables.clone();
    let mut uuids = Vec::with_capacity(ids.len());
    for (name, kind, _) in ids {
        let uuid = Uuid::new_v4();
        probe.insert(name.clone(), GqlValue::String(global_id(kind, uuid).0));
        uuids.push(uuid);
    }
    (probe, uuids)
}

/// Where each ID's UUID is bound in `built` (the statement for `ids`), found against
/// `probe` (the statement for the same document with `probes`, one UUID per ID): `None`
/// unless both have the same text and differ only at such places.
pub fn slots(
    built: Option<&Statement>,
    probe: Option<&Statement>,
    ids: &[Id],
    probes: &[Uuid],
) -> Option<Vec<Vec<usize>>> {
    let mut slots = vec![Vec::new(); ids.len()];
    let (built, probe) = match (built, probe) {
        (None, None) => return Some(slots),
        (Some(built), Some(probe)) if built.sql == probe.sql => (built, probe),
        _ => return None,
    };
    let no_values = Values(Vec::new());
    let values = &built.values.as_ref().unwrap_or(&no_values).0;
    let others = &probe.values.as_ref().unwrap_or(&no_values).0;
    if values.len() != others.len() {
        return None;
    }
    for (at, (value, other)) in values.iter().zip(others).enumerate() {
        if value == other {
            continue;
        }
        let id = ids.iter().zip(probes).position(|((_, _, uuid), probe)| {
            *value == Value::Uuid(Some(*uuid)) && *other == Value::Uuid(Some(*probe))
        })?;
        slots.get_mut(id)?.push(at);
    }
    Some(slots)
}

impl Prepared {
    /// `plan` kept with its statement `built` and the places its IDs are bound (see
    /// [`slots`]).
    pub fn new(key: Key, mut plan: Plan, built: Option<Statement>, slots: Vec<Vec<usize>>) -> Self {
        plan.statement = None;
        let (sql, values) = match built {
            Some(built) => (Some(built.sql), built.values.map(|v| v.0).unwrap_or_default()),
            None => (None, Vec::new()),
        };
        Self { key, plan, sql, values, slots }
    }

    /// The key this plan was made for.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// The statement for a request of this key whose variables hold `ids`.
    pub fn statement(&self, backend: DbBackend, ids: &[Id]) -> Option<Statement> {
        let sql = self.sql.as_ref()?;
        let mut values = self.values.clone();
        for (slot, (_, _, uuid)) in self.slots.iter().zip(ids) {
            for &at in slot {
                if let Some(value) = values.get_mut(at) {
                    *value = Value::Uuid(Some(*uuid));
                }
            }
        }
        Some(Statement { sql: sql.clone(), values: Some(Values(values)), db_backend: backend })
    }
}

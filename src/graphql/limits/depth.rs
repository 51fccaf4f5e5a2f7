//! Selection depth and size once fragment spreads are followed (see [`Depth`]).

use super::{Limits, too_complex};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{ErrorExtensions, Name, ServerError, ServerResult};
use std::collections::{HashMap, HashSet};

/// How deep selections nest and how many fields there are when fragment spreads are
/// followed (each spread a level): async-graphql's validation and execution recurse
/// through spreads, so a chain of hundreds of fragments is as deep a recursion as hundreds
/// of nested braces, and a fragment spread three times at each of thirty levels is 3³⁰
/// fields. Each fragment is measured once (the walk stays linear), and a cycle is refused.
pub(super) struct Depth<'a> {
    document: &'a ExecutableDocument,
    memo: HashMap<&'a Name, Size>,
    visiting: HashSet<&'a Name>,
    limits: &'a Limits,
}

/// What a selection set expands to: its depth and its number of fields (saturating).
#[derive(Clone, Copy, Default)]
pub(super) struct Size {
    depth: usize,
    fields: usize,
}

impl<'a> Depth<'a> {
    pub(super) fn new(document: &'a ExecutableDocument, limits: &'a Limits) -> Self {
        Self { document, memo: HashMap::new(), visiting: HashSet::new(), limits }
    }

    /// Refuses `set` (an operation's selections) if it nests or expands too far.
    pub(super) fn check(&mut self, set: &'a SelectionSet) -> ServerResult<()> {
        let size = self.set(set, 0)?;
        if size.depth > self.limits.nesting {
            return Err(self.too_deep());
        }
        if size.fields > self.limits.fields {
            return Err(too_complex(format!(
                "{} fields once fragments are expanded; at most {} are allowed",
                size.fields, self.limits.fields
            )));
        }
        Ok(())
    }

    fn too_deep(&self) -> ServerError {
        let limit = self.limits.nesting;
        too_complex(format!(
            "selections nest deeper than {limit} levels (fragment spreads included); at most {limit} are allowed"
        ))
    }

    /// The size below `set`; `frames` (how deep this walk is) never passes the limit.
    fn set(&mut self, set: &'a SelectionSet, frames: usize) -> ServerResult<Size> {
        if frames > self.limits.nesting {
            return Err(self.too_deep());
        }
        let mut total = Size::default();
        for item in &set.items {
            let size = match &item.node {
                Selection::Field(field) => {
                    let below = self.set(&field.node.selection_set.node, frames + 1)?;
                    Size { depth: below.depth + 1, fields: below.fields.saturating_add(1) }
                }
                Selection::InlineFragment(fragment) => self.set(&fragment.node.selection_set.node, frames + 1)?,
                Selection::FragmentSpread(spread) => {
                    let below = self.fragment(&spread.node.fragment_name.node, frames + 1)?;
                    Size { depth: below.depth + 1, fields: below.fields }
                }
            };
            total.depth = total.depth.max(size.depth);
            total.fields = total.fields.saturating_add(size.fields);
        }
        Ok(total)
    }

    /// The size of fragment `name` (measured once).
    pub(super) fn fragment(&mut self, name: &'a Name, frames: usize) -> ServerResult<Size> {
        if let Some(size) = self.memo.get(name) {
            return Ok(*size);
        }
        if !self.visiting.insert(name) {
            let err = async_graphql::Error::new(format!("fragment `{name}` spreads itself"))
                .extend_with(|_, e| e.set("code", "BAD_USER_INPUT"));
            return Err(err.into_server_error(async_graphql::Pos::default()));
        }
        let size = match self.document.fragments.get(name) {
            Some(fragment) => self.set(&fragment.node.selection_set.node, frames)?,
            None => Size::default(),
        };
        self.visiting.remove(name);
        self.memo.insert(name, size);
        Ok(size)
    }
}

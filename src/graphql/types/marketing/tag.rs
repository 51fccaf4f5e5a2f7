//! `Tag`: a classification label.

use crate::graphql::input::filter::{DateTimeFilter, IdFilter, StringFilter};

crate::record! {
    /// A classification label (lifecycle, value, industry, behaviour …).
    Tag(tag) {
        name Name: Text, filter StringFilter, sort Name;
        /// The classification dimension, e.g. `value`, `lifecycle`, `industry`.
        dimension Dimension: Text, filter StringFilter, sort Dimension;
        /// Display colour, `#rrggbb`.
        color Color: OptText;
    }
    references {}
    /// Conditions on tags.
    filter TagFilter {
        id: IdFilter => Id("Tag"),
        created_at: DateTimeFilter => CreatedAt,
    }
    related {}
    order TagOrder(TagOrderField), default Name Asc {
        CreatedAt => CreatedAt,
    }
    resolvers {}
}

//! Segment mutations: save, change, delete and restore a customer filter.

use crate::graphql::input::segment::*;
use crate::graphql::types::segment::Segment;
use crate::{change_input, create_input, crud_mutations};

create_input!(CreateSegmentInput => segment via crate::graphql::input::segment::prepare);
change_input!(UpdateSegmentInput => segment via crate::graphql::input::segment::change);

crud_mutations! {
    SegmentMutation for segment as Segment in segment, kept by crate::service::segment::require_keeper {
        create_segment(CreateSegmentInput) -> CreateSegmentPayload,
        update_segment(UpdateSegmentInput) -> UpdateSegmentPayload,
        delete_segment(DeleteSegmentInput) -> DeleteSegmentPayload,
        restore_segment(RestoreSegmentInput) -> RestoreSegmentPayload,
    }
}

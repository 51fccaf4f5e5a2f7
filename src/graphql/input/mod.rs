//! Input objects, one file per domain noun, plus the shared filter operators.

pub mod contact;
pub mod customer;
pub mod filter;

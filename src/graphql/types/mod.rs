//! Output types, one file per domain noun.

pub mod contact;
pub mod customer;
pub mod enums;
pub mod user;
pub mod user_error;

//! Credentials → [`Viewer`]: JWT verification, password hashing, the current caller.

pub mod external;
pub mod gate;
pub mod hints;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod throttle;
mod viewer;

pub use viewer::{Viewer, authenticate, credential};

//! Generated requests: see below.

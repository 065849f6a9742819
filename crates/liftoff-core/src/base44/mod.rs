//! Base44 (base44.com): fetching an app's source through the eject endpoint.

pub mod app;
pub mod eject;
pub mod rows;
pub mod schema;
pub mod seed;

pub use app::Base44AppExport;
pub use eject::{Base44Config, Base44Eject};

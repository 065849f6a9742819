//! The toolkit every pass edits a project with, each edit recorded in the report through
//! [`Edits`]: JSON that keeps its layout ([`json`]), whole lines of JavaScript ([`js`]) and HTML
//! ([`html`]), a dependency removed everywhere npm looks ([`deps`], [`npm_lock`]), and
//! environment variables ([`env_vars`]). Builders' passes and the generic passes both use it;
//! it knows no builder.

pub mod deps;
mod edits;
pub mod env_vars;
pub mod html;
pub mod js;
pub mod json;
pub mod npm_lock;

pub use edits::Edits;

/// A normalization pass: one concern, one function over the tree and report.
pub type Pass = fn(&mut Edits<'_>);

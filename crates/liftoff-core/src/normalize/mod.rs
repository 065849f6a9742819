//! Normalization: small passes over the tree that remove the builder's lock-in, each
//! recording every change (path, action, reason) in the report. A pass edits only what it
//! recognises, by parsing; a file of an unexpected shape gets a warning, never a guess.
//! Running it on its own output changes nothing.

mod base44;
mod bolt;
mod deps;
mod edit;
mod env;
mod html;
mod js;
mod json;
mod liftoff_md;
mod lovable;
mod npm_lock;
mod scaffold;
mod secrets;

pub use edit::Edits;
pub use liftoff_md::PATH as LIFTOFF_MD;

use crate::capture::Capture;

/// A pass: one concern, one function.
type Pass = fn(&mut Edits<'_>);

/// The passes, in order: builders' marks first, then what depends on the result
/// (lockfiles follow `package.json`; the scaffold and LIFTOFF.md see the final tree).
const PASSES: &[Pass] = &[
    lovable::remove_lovable,
    bolt::remove_bolt,
    base44::remove_base44,
    crate::base44::schema::add_entities_migration,
    env::extract_env,
    secrets::scan_secrets,
    scaffold::scaffold,
    liftoff_md::write_liftoff_md,
];

/// What every export does after the capture: normalize it, or with `raw` keep the files as
/// they are and still report the secrets they hold (the scan edits nothing).
pub fn prepare(capture: &mut Capture, raw: bool) {
    if raw {
        let mut edits = Edits::new(&mut capture.tree, &mut capture.report, &capture.name);
        secrets::scan_secrets(&mut edits);
    } else {
        normalize(capture);
    }
}

/// Normalizes a capture in place.
pub fn normalize(capture: &mut Capture) {
    let mut edits = Edits::new(&mut capture.tree, &mut capture.report, &capture.name);
    for pass in PASSES {
        pass(&mut edits);
    }
    capture.report.files = capture.tree.len();
}

//! Normalization: small passes over the tree that remove the builder's lock-in, each
//! recording every change (path, action, reason) in the report. A pass edits only what it
//! recognises, by parsing; a file of an unexpected shape gets a warning, never a guess.
//! Running it on its own output changes nothing.
//!
//! The builders' own passes come from the registry (`crate::builders`), every builder's on
//! every export (each acts only on its own marks); then the passes every project gets, here.

mod env;
mod liftoff_md;
mod scaffold;
mod secrets;

#[cfg(test)]
pub(crate) use liftoff_md::write_liftoff_md;
pub use liftoff_md::PATH as LIFTOFF_MD;

use crate::builders;
use crate::capture::Capture;
use crate::edit::{Edits, Pass};

/// The passes after the builders' own, in order: what depends on the result (the scaffold and
/// LIFTOFF.md see the final tree).
const GENERIC_PASSES: &[Pass] = &[
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
    let builder_passes = builders::ALL.iter().flat_map(|spec| spec.passes);
    for pass in builder_passes.chain(GENERIC_PASSES) {
        pass(&mut edits);
    }
    capture.report.files = capture.tree.len();
}

//! A 2 GiB-unpacked bomb must be refused without the reader ever holding much of it: the
//! allocator here records the peak of live heap bytes while the archive is read.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use liftoff_core::archive::{read_archive, ArchiveError};
use liftoff_core::{Limits, Report};

struct PeakAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(live, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    /// Grows in place where the system can (large blocks are remapped, not copied), so the
    /// live count rises by the difference only, as the process's memory does.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let live = LIVE.fetch_add(new_size - layout.size(), Ordering::SeqCst) + new_size
                - layout.size();
            PEAK.fetch_max(live, Ordering::SeqCst);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

const MIB: usize = 1024 * 1024;

#[test]
fn two_gib_bombs_stay_under_512_mib() {
    let tgz = common::tgz_bomb(2048);
    let zip = common::zip_bomb(2048);
    for (name, bomb) in [("bomb.tgz", &tgz), ("bomb.zip", &zip)] {
        // Default limits, then the worst case where only the total-size cap stands.
        let no_ratio = Limits {
            max_ratio: u64::MAX,
            ..Limits::default()
        };
        for limits in [Limits::default(), no_ratio] {
            let before = LIVE.load(Ordering::SeqCst);
            PEAK.store(before, Ordering::SeqCst);
            let err = read_archive(name, bomb, &limits, &mut Report::default()).unwrap_err();
            assert!(matches!(err, ArchiveError::Limit { .. }), "{name}: {err}");
            let peak = PEAK.load(Ordering::SeqCst) - before;
            assert!(peak < 512 * MIB, "{name}: peak {} MiB", peak / MIB);
            eprintln!("{name} ({err}): peak {} MiB", peak / MIB);
        }
    }
}

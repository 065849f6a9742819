//! A tree written as a zip file on several threads, streaming: each file's record (the core's
//! [`Packer`]) is made by whichever thread is free, and written as soon as it and every record
//! before it are done, so the file holds the records in the tree's order and the bytes are
//! those of [`liftoff_core::zip_write::write_zip`] whatever the number of threads.
//!
//! Memory: the tree (the input), plus the records made but not yet written. A thread starts a
//! file only while the files between the last one written and it hold at most
//! [`AHEAD_BYTES`], so a slow file early in the tree never lets the others pile up behind it.
//!
//! Hand-written on `std::thread` rather than rayon: rayon's parallel iterators hand results
//! back unordered or all at once, and this needs them in order, one at a time, with the
//! threads held back when the writer falls behind; a counter, a condition variable and a
//! channel say that in a few lines.

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::thread;

use liftoff_core::path::ProjectPath;
use liftoff_core::tree::FileEntry;
use liftoff_core::zip_write::{Directory, Level, Packed, Packer};
use liftoff_core::SourceTree;

/// How many bytes of input the files between the next record to write and a file a thread
/// starts may hold: the bound on the records done and held until their turn (each is no
/// larger than its file).
pub const AHEAD_BYTES: u64 = 32 << 20;

/// The number of threads to use when none is asked for: one per core.
pub fn default_threads() -> NonZeroUsize {
    thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Writes `tree` to `out` as a zip deflated at `level` on `threads` threads, calling
/// `progress(done)` as records are written.
pub fn write_zip(
    tree: &SourceTree,
    level: Level,
    threads: NonZeroUsize,
    out: &mut impl Write,
    mut progress: impl FnMut(usize),
) -> io::Result<()> {
    let files: Vec<(&ProjectPath, &FileEntry)> = tree.iter().collect();
    let mut directory = Directory::new();
    let mut lay = |i: usize, record: &[u8], packed: &Packed| -> io::Result<()> {
        out.write_all(record)?;
        let (path, entry) = files[i];
        directory.add(path.as_str(), entry.executable, packed);
        progress(i + 1);
        Ok(())
    };
    let threads = threads.get().min(files.len().max(1));
    if threads == 1 {
        // One thread: the same records, made here one after the other into one buffer.
        let mut packer = Packer::new(level);
        let mut record = Vec::new();
        for (i, (path, entry)) in files.iter().enumerate() {
            record.clear();
            let packed = packer.pack_into(&mut record, path, &entry.bytes);
            lay(i, &record, &packed)?;
        }
    } else {
        in_parallel(&files, level, threads, AHEAD_BYTES, &mut lay)?;
    }
    let mut end = Vec::new();
    directory.finish(&mut end);
    out.write_all(&end)
}

/// Where the threads and the writer meet.
struct Schedule {
    /// The next file a thread takes, and the first one not yet written.
    state: Mutex<(usize, usize)>,
    /// Signalled when a record is written (room ahead) or the writer stops.
    written: Condvar,
    /// `start[i]`: the input bytes before file `i`.
    start: Vec<u64>,
    /// [`AHEAD_BYTES`], lower in tests.
    ahead: u64,
}

impl Schedule {
    /// The next file for a thread, waiting while it lies too far ahead of the writer; `None`
    /// when every file is taken or the writer has stopped.
    fn take(&self) -> Option<usize> {
        let files = self.start.len() - 1;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let (next, first_unwritten) = *state;
            if next >= files {
                return None;
            }
            // The files after the one the writer waits for, up to this one: records that
            // may be held.
            let between = self.start[next] - self.start[(first_unwritten + 1).min(next)];
            if between <= self.ahead {
                state.0 += 1;
                return Some(next);
            }
            state = self.written.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn wrote(&self, first_unwritten: usize) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).1 = first_unwritten;
        self.written.notify_all();
    }

    /// Lets every waiting thread go (taking nothing more): the writer failed.
    fn stop(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 = self.start.len();
        self.written.notify_all();
    }
}

/// Stops the schedule when its thread panics, so that the other threads and the writer end
/// rather than wait for a record that will never come.
struct StopOnPanic<'a>(&'a Schedule);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.stop();
        }
    }
}

fn in_parallel(
    files: &[(&ProjectPath, &FileEntry)],
    level: Level,
    threads: usize,
    ahead: u64,
    lay: &mut impl FnMut(usize, &[u8], &Packed) -> io::Result<()>,
) -> io::Result<()> {
    let start: Vec<u64> = std::iter::once(0)
        .chain(files.iter().scan(0u64, |sum, (_, entry)| {
            *sum += entry.bytes.len() as u64;
            Some(*sum)
        }))
        .collect();
    let schedule = Schedule {
        state: Mutex::new((0, 0)),
        written: Condvar::new(),
        start,
        ahead,
    };
    let (done, records) = mpsc::channel::<(usize, Vec<u8>, Packed)>();
    thread::scope(|scope| {
        for _ in 0..threads {
            let done = done.clone();
            let schedule = &schedule;
            scope.spawn(move || {
                let _stop = StopOnPanic(schedule);
                let mut packer = Packer::new(level);
                while let Some(i) = schedule.take() {
                    let (path, entry) = files[i];
                    let (record, packed) = packer.pack(path, &entry.bytes);
                    if done.send((i, record, packed)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        // Records that finished before an earlier one, by index, until their turn.
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0;
        let result = (|| {
            for (i, record, packed) in records.iter() {
                waiting.insert(i, (record, packed));
                while let Some((record, packed)) = waiting.remove(&next) {
                    lay(next, &record, &packed)?;
                    next += 1;
                }
                schedule.wrote(next);
            }
            if next < files.len() {
                // A thread panicked (the scope passes its panic on) and stopped the rest.
                return Err(io::Error::other("a zip thread stopped"));
            }
            Ok(())
        })();
        if result.is_err() {
            schedule.stop();
        }
        drop(records);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use liftoff_core::tree::OnDuplicate;

    /// Text, a stored image, a file deflate cannot shrink and an empty one, in sizes from 0 to
    /// 200 KB, so threads finish out of order.
    fn project() -> SourceTree {
        let mut tree = SourceTree::new();
        let mut seed = 7u64;
        for i in 0..120u32 {
            let len = (i as usize * 1_700) % 200_000;
            let bytes: Vec<u8> = match i % 4 {
                0 => format!("export const v{i} = {i};\n")
                    .repeat(len / 20 + 1)
                    .into_bytes(),
                1 | 2 => (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        (seed >> 56) as u8
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let name = match i % 4 {
                1 => format!("img/{i:03}.png"),
                2 => format!("data/{i:03}.bin"),
                _ => format!("src/{i:03}.ts"),
            };
            let entry = FileEntry {
                bytes,
                executable: i % 9 == 0,
            };
            tree.insert(&name, entry, OnDuplicate::Refuse).unwrap();
        }
        tree
    }

    fn zipped(tree: &SourceTree, level: Level, threads: usize, ahead: u64) -> Vec<u8> {
        let files: Vec<_> = tree.iter().collect();
        let mut out = Vec::new();
        let mut directory = Directory::new();
        let mut calls = 0;
        let mut lay = |i: usize, record: &[u8], packed: &Packed| -> io::Result<()> {
            assert_eq!(i, calls, "records are laid down in order");
            calls += 1;
            out.extend_from_slice(record);
            directory.add(files[i].0.as_str(), files[i].1.executable, packed);
            Ok(())
        };
        in_parallel(&files, level, threads, ahead, &mut lay).unwrap();
        assert_eq!(calls, files.len());
        directory.finish(&mut out);
        out
    }

    #[test]
    fn any_number_of_threads_and_any_window_give_the_core_s_bytes() {
        let tree = project();
        for level in [Level::Normal, Level::Fast] {
            let want = liftoff_core::zip_write::write_zip_with(&tree, level, |_, _| {});
            for threads in [2, 3, 8] {
                // No room ahead at all, a little, and plenty.
                for ahead in [0, 50_000, AHEAD_BYTES] {
                    let got = zipped(&tree, level, threads, ahead);
                    assert!(got == want, "{level:?}, {threads} threads, {ahead} ahead");
                }
            }
            let mut streamed = Vec::new();
            for threads in [1, 2, 5] {
                streamed.clear();
                let threads = NonZeroUsize::new(threads).unwrap();
                write_zip(&tree, level, threads, &mut streamed, |_| {}).unwrap();
                assert!(streamed == want, "write_zip, {level:?}, {threads} threads");
            }
        }
    }

    /// A writer that fails after `left` bytes.
    struct Failing {
        left: usize,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if buf.len() > self.left {
                return Err(io::Error::other("disk full"));
            }
            self.left -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_stops_every_thread_and_says_why() {
        let tree = project();
        for threads in [1, 4] {
            let mut out = Failing { left: 300_000 };
            let threads = NonZeroUsize::new(threads).unwrap();
            let err = write_zip(&tree, Level::Normal, threads, &mut out, |_| {}).unwrap_err();
            assert_eq!(err.to_string(), "disk full");
        }
    }
}

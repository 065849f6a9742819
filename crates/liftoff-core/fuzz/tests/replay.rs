//! The fuzz targets on stable Rust, as CI runs them
//! (`cargo test --release --no-default-features --manifest-path crates/liftoff-core/fuzz/Cargo.toml`):
//!
//! 1. `corpus_and_crashers_replay`: every file of `corpus/<target>/` and `crashers/<target>/`
//!    through its target. A crasher fails until the core is fixed; then it stays as a
//!    regression fixture.
//! 2. `seeded_random_run`: a bounded random run of every target from its corpus, with the small
//!    mutator below. `LIFTOFF_FUZZ_SECONDS` (default 60) is split evenly across the targets;
//!    `LIFTOFF_FUZZ_SEED` (default [`DEFAULT_SEED`]) makes a run repeatable. A panic writes the
//!    input (made smaller first, as libFuzzer's `-minimize_crash` would) to
//!    `crashers/<target>/<hash>` and fails the test, naming the file.
//!
//! `write_seeds` (ignored) regenerates the committed corpus: see `seeds/mod.rs`.

mod seeds;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use liftoff_fuzz::TARGETS;

/// The seed of the random run when `LIFTOFF_FUZZ_SEED` is not set.
const DEFAULT_SEED: u64 = 0x001f_70ff_5eed;
/// Longest input the mutator makes.
const MAX_LEN: usize = 64 * 1024;
/// New crashers one target may write in one run (then it stops: the rest are likely repeats).
const MAX_NEW_CRASHERS: usize = 8;

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// Catching panics quietly, with where they happened.

thread_local! {
    /// Set while a target runs under `run_caught`: the hook records instead of printing.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
    static QUIET: RefCell<bool> = const { RefCell::new(false) };
}

fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| *q.borrow()) {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let message = info
                    .payload()
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "(no message)".into());
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{place}: {message}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `target` on `input`; `Err("file:line: message")` when it panics.
fn run_caught(target: fn(&[u8]), input: &[u8]) -> Result<(), String> {
    install_hook();
    QUIET.with(|q| *q.borrow_mut() = true);
    let result = panic::catch_unwind(AssertUnwindSafe(|| target(input)));
    QUIET.with(|q| *q.borrow_mut() = false);
    result.map_err(|_| {
        CAUGHT
            .with(|c| c.borrow_mut().take())
            .unwrap_or_else(|| "(panic without a message)".into())
    })
}

/// What tells two panics apart: where, and what the message says before its first colon
/// (`invariant: <what> <variants>: …`, `attempt to subtract with overflow`), without quoted
/// text or digits, so a run does not write the same bug a hundred times.
fn signature(panic: &str) -> String {
    let (place, message) = panic.split_once(": ").unwrap_or((panic, ""));
    let message = message.strip_prefix("invariant: ").unwrap_or(message);
    let head = message.split(": ").next().unwrap_or(message);
    let words: String = head
        .split(['"', '`'])
        .step_by(2)
        .flat_map(str::chars)
        .filter(|c| !c.is_ascii_digit())
        .take(80)
        .collect();
    format!("{place} {words}")
}

/// A smaller input that panics the same way (chunks cut out while the signature holds): what
/// libFuzzer's `-minimize_crash` does, within a fixed number of runs so the result does not
/// depend on the machine's speed.
fn minimize(target: fn(&[u8]), input: &[u8], wanted: &str) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut runs = 0;
    let mut chunk = best.len().div_ceil(2).max(1);
    while runs < 2_000 {
        let mut at = 0;
        let mut shrunk = false;
        while at < best.len() && runs < 2_000 {
            let candidate = [&best[..at], &best[(at + chunk).min(best.len())..]].concat();
            runs += 1;
            match run_caught(target, &candidate) {
                Err(panic) if signature(&panic) == wanted => {
                    best = candidate;
                    shrunk = true;
                }
                _ => at += chunk,
            }
        }
        if chunk == 1 && !shrunk {
            break;
        }
        if !shrunk {
            chunk = chunk.div_ceil(2);
        }
    }
    best
}

/// FNV-1a: a file name for an input that is the same on every platform and Rust version.
fn hash(input: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in input {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The files of `dir` (not `.gitkeep` nor other dot files), sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    !p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn replay_command(target: &str, file: &Path) -> String {
    let relative = file.strip_prefix(fuzz_dir()).unwrap_or(file).display();
    format!(
        "cargo test --release --no-default-features --manifest-path crates/liftoff-core/fuzz/Cargo.toml \
         --test replay corpus_and_crashers_replay  (or: cargo +nightly fuzz run {target} {relative})"
    )
}

// ---------------------------------------------------------------------------------------------
// 1. Replay

#[test]
fn corpus_and_crashers_replay() {
    let mut failures = Vec::new();
    for (name, target) in TARGETS {
        let mut count = 0;
        for dir in ["corpus", "crashers"] {
            for file in files(&fuzz_dir().join(dir).join(name)) {
                let input = std::fs::read(&file).expect("readable fixture");
                count += 1;
                if let Err(panic) = run_caught(*target, &input) {
                    failures.push(format!("{name}: {}\n    {panic}", file.display()));
                }
            }
        }
        println!("replay {name}: {count} inputs");
    }
    assert!(
        failures.is_empty(),
        "{} input(s) make a target panic (a crasher fails until the core is fixed):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// 2. The seeded random run
//
// cargo-fuzz needs a nightly compiler and builds libFuzzer's C++, which CI machines may lack.
// This small mutator, seeded and without coverage feedback, lets every stable CI run explore
// some distance from the corpus anyway: libFuzzer's basic moves (bit flips, interesting bytes,
// inserted, deleted and duplicated ranges, truncation, splicing two inputs) plus tokens each
// target's format is made of, stacked a few at a time on an input from the corpus or from what
// this run made before.

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, other: &[u8], dictionary: &[&[u8]]) {
    const INTERESTING: &[u8] = &[0, 0xff, 0x7f, 0x80, 1, b' ', b'0', b'\n'];
    let len = input.len();
    let at = rng.below(len + 1);
    let most = if rng.below(4) == 0 { 256 } else { 16 };
    let span = 1 + rng.below(most);
    match rng.below(10) {
        0 if len > 0 => input[at.min(len - 1)] ^= 1 << rng.below(8),
        1 if len > 0 => input[at.min(len - 1)] = INTERESTING[rng.below(INTERESTING.len())],
        2 if len > 0 => {
            let i = at.min(len - 1);
            input[i] = input[i].wrapping_add(rng.below(9) as u8).wrapping_sub(4);
        }
        3 => {
            let bytes: Vec<u8> = (0..span.min(8)).map(|_| rng.next() as u8).collect();
            input.splice(at..at, bytes);
        }
        4 if len > 0 => drop(input.drain(at.min(len - 1)..(at + span).min(len))),
        5 if len > 0 => {
            let from = rng.below(len);
            let piece = input[from..(from + span).min(len)].to_vec();
            input.splice(at..at, piece);
        }
        6 => input.truncate(at),
        7 if !other.is_empty() => {
            let from = rng.below(other.len());
            input.truncate(at);
            input.extend_from_slice(&other[from..]);
        }
        8 if len >= 2 => {
            // A 16-bit length or count, either byte order.
            let value = [0u16, 1, 0x7fff, 0xffff, len as u16][rng.below(5)];
            let bytes = if rng.below(2) == 0 {
                value.to_be_bytes()
            } else {
                value.to_le_bytes()
            };
            let i = at.min(len - 2);
            input[i..i + 2].copy_from_slice(&bytes);
        }
        _ if !dictionary.is_empty() => {
            let token = dictionary[rng.below(dictionary.len())];
            if rng.below(2) == 0 || len == 0 {
                input.splice(at..at, token.iter().copied());
            } else {
                let end = (at + token.len()).min(len);
                input.splice(at..end, token.iter().copied());
            }
        }
        _ => input.push(rng.next() as u8),
    }
    input.truncate(MAX_LEN);
}

/// Tokens each target's format is made of.
fn dictionary(target: &str) -> &'static [&'static [u8]] {
    const PATHS: &[&[u8]] = &[
        b"../",
        b"..\\",
        b".git/",
        b".GIT./",
        b"/",
        b"\\",
        b"C:",
        b"\xe2\x80\xae",
        b"\xef\xbb\xbf",
        b"\x00",
        b"node_modules/",
        b"a/",
        b"A",
        b"\xc3\xa9",
        b"e\xcc\x81",
    ];
    const ZIP: &[&[u8]] = &[
        b"PK\x03\x04",
        b"PK\x01\x02",
        b"PK\x05\x06",
        b"PK\x06\x06",
        b"PK\x06\x07",
        b"\xff\xff\xff\xff",
        b"\x01\x00\x10\x00",
        b"up",
        b"\x08\x00",
        b"\x00\x08",
        b"\xed\x41",
        b"\xff\xa1",
        b"../",
        b".git/",
        b"\xe2\x80\xae",
        b"dir/",
    ];
    const TAR: &[&[u8]] = &[
        b"ustar\x0000",
        b"ustar  \x00",
        b"././@LongLink\x00",
        b"0000644\x00",
        b"0000755\x00",
        b"00000000000\x00",
        b"77777777777\x00",
        b"\x80\x00\x00\x00",
        b"L",
        b"K",
        b"x",
        b"g",
        b"5",
        b"2",
        b"1",
        b"0",
        b" path=",
        b" linkpath=",
        b"\x1f\x8b\x08\x00",
        b"../",
        b".git/",
        b"\xe2\x80\xae",
    ];
    const BOLT: &[&[u8]] = &[
        b"<boltArtifact",
        b"</boltArtifact>",
        b"<boltAction",
        b"</boltAction>",
        b" type=\"file\"",
        b" type=\"shell\"",
        b" type=\"start\"",
        b" type=\"supabase\"",
        b" operation=\"migration\"",
        b" operation=\"query\"",
        b" filePath=\"",
        b" title=\"",
        b"/home/project/",
        b"../",
        b".git/",
        b"\"",
        b">",
        b"<",
        b"```",
        b"```ts\n",
        b"&lt;",
        b"&gt;",
        b"<bolt-quick-actions>",
        b"</bolt-quick-actions>",
        b"<bolt-quick-action type=\"x\">",
        b"</bolt-quick-action>",
        b"<div class=\"__boltThought__\">",
        b"</div>",
        b"\xe2\x80\xae",
        b"\xef\xbb\xbf",
        b"\n",
        b"\"chats\"",
        b"\"snapshots\"",
        b"\"messages\":[",
        b"\"role\":\"assistant\"",
        b"\"content\":",
        b"\"chatIndex\":",
        b"\"isBinary\":true",
        b"\"type\":\"file\"",
        b"\"urlId\":",
        b"\"timestamp\":",
        b"{",
        b"}",
        b"[",
        b"]",
        b"\\u0000",
        b"\\ud800",
        b"\\\"",
    ];
    const JSON: &[&[u8]] = &[
        b"{\"files\":[",
        b"\"name\":",
        b"\"contents\":",
        b"\"binary\":true",
        b"{\"chats\":[]}",
        b"\"path\":",
        b"\"",
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"null",
        b"true",
        b"-0",
        b"1e308",
        b"\\u0000",
        b"\\ud800",
        b"\\u202e",
        b"../",
        b".git/",
        b".env",
        b"package.json",
        b"node_modules/",
        b"PK\x03\x04",
        b"\xef\xbb\xbf",
        b"=",
        b"==",
        b"\"dependencies\":{",
        b"\"lovable-tagger\":\"1\"",
        b"index.html",
        b"<script",
    ];
    const BASE44: &[&[u8]] = &[
        b"\"entities\":",
        b"\"rows\":",
        b"\"properties\":",
        b"\"type\":\"string\"",
        b"\"type\":\"integer\"",
        b"\"type\":\"number\"",
        b"\"type\":\"boolean\"",
        b"\"type\":\"object\"",
        b"\"type\":\"array\"",
        b"\"type\":[\"string\",\"null\"]",
        b"\"format\":\"date-time\"",
        b"\"format\":\"date\"",
        b"\"enum\":[",
        b"\"default\":",
        b"\"required\":[",
        b"\"name\":",
        b"\"id\":",
        b"//",
        b"/*",
        b"*/",
        b"'",
        b"\"",
        b"\\\\",
        b"$$",
        b"$liftoff$",
        b"--",
        b";",
        b"\\u0000",
        b"\xe2\x80\xae",
        b"1e308",
        b"-0",
        b"1.5",
        b"9223372036854775808",
        b"\"2024-02-29\"",
        b"\"2024-01-01T10:00:00Z\"",
        b",}",
        b",]",
    ];
    const ENV: &[&[u8]] = &[
        b"=",
        b"\"",
        b"'",
        b"#",
        b" #",
        b"export ",
        b"\n",
        b"\r\n",
        b"\r",
        b"$",
        b"\\",
        b"A=",
        b"\"\n",
        b"LIFTOFF_FUZZ_ADDED=",
        b"\xe2\x80\xae",
        b"\x00",
        b"\t",
    ];
    const PACKAGE: &[&[u8]] = &[
        b"\"dependencies\":{",
        b"\"devDependencies\":{",
        b"\"peerDependencies\":{",
        b"\"optionalDependencies\":{",
        b"\"packages\":{",
        b"\"\":{",
        b"\"node_modules/",
        b"/node_modules/",
        b"\"lovable-tagger\"",
        b"\"link\":true",
        b"\"resolved\":",
        b"\"lockfileVersion\":3",
        b"{",
        b"}",
        b":",
        b",",
        b"\"",
        b"\"x\":\"1\"",
        b"[]",
        b"\n    ",
        b"\t",
        b"1.0",
        b"1e2",
    ];
    const SQL: &[&[u8]] = &[
        b"'",
        b"''",
        b"\"",
        b"$$",
        b"$a$",
        b"$1",
        b"--",
        b"/*",
        b"*/",
        b";",
        b"E'",
        b"e'",
        b"\\'",
        b"\\",
        b"\n",
        b"begin",
        b"commit",
        b"2024-02-29",
        b"T10:00:00Z",
        b"+02:00",
        b"-0530",
        b".123",
        b" ",
        b"\xe3\x80\x80",
        b"\xc2\x85",
    ];
    const GIT: &[&[u8]] = &[
        b"0000",
        b"0001",
        b"0002",
        b"0003",
        b"0004",
        b"ffff",
        b"FFFF",
        b"fff0",
        b"fff1",
        b"# service=git-receive-pack\n",
        b"\x00",
        b"report-status",
        b"side-band-64k",
        b"unpack ok\n",
        b"ok refs/heads/main\n",
        b"ng refs/heads/main ",
        b"option ",
        b"\x01",
        b"\x02",
        b"\x03",
        b"refs/heads/main",
        b"capabilities^{}",
        b".have",
        b"shallow ",
        b"1111111111111111111111111111111111111111",
        b"\n",
        b" ",
        b"\x1b[2J",
        b"\xe2\x80\xae",
    ];
    const REMOTE: &[&[u8]] = &[
        b"\x00\x00\x00",
        b"\x0e\x00\x00",
        b"\x05\x00\x02{}",
        b"\x0b\x00\x00",
        b"\x00\x00\x02[]",
        b"{\"id\":\"x\"}",
        b"\"readyState\":\"READY\"",
        b"\"readyState\":\"ERROR\"",
        b"\"state\":\"ready\"",
        b"\"state\":\"error\"",
        b"\"deploy_id\":\"d\"",
        b"\"error\":",
        b"\"errorMessage\":\"",
        b"\"error_message\":\"",
        b"\"missing\":[",
        b"\"code\":\"missing_files\"",
        b"\"deployments\":[",
        b"\"pagination\":{\"next\":1}",
        b"\"targets\":{\"production\":{\"id\":\"",
        b"\"clone_url\":\"https://github.com/",
        b"\"login\":\"",
        b"\"full_name\":\"",
        b"\"html_url\":\"",
        b"\"sha\":\"",
        b"\"files\":[",
        b"\"key\":\"EXTRA_SETTING\"",
        b"\"key\":\"VITE_API_URL\"",
        b"\"message\":\"",
        b"\"uid\":\"",
        b"\"meta\":{",
        b"\"liftoffDeployKey\":\"",
        b"\"title\":\"Liftoff ",
        b"\"account_id\":\"",
        b"\"published_deploy\":{",
        b"\"created_at\":\"2024-01-01T00:00:00Z\"",
        b"[{\"ledger\":\"[]\"}]",
        b"liftoff-probe-passed",
        b"\xe2\x80\xae",
        b"\\u001b",
        b"\\u202e",
        b"0000",
        b"\x01",
        b"\x02",
        b"\x03",
        b"unpack ok\n",
        b"ng refs/heads/main ",
    ];
    const TREE: &[&[u8]] = &[
        b"{\"path\":\"",
        b"\"mode\":\"100644\"",
        b"\"mode\":\"040000\"",
        b"\"mode\":\"100755\"",
        b"\"mode\":\"120000\"",
        b"\"mode\":\"160000\"",
        b"\"type\":\"tree\"",
        b"\"type\":\"blob\"",
        b"\"type\":\"commit\"",
        b"\"sha\":\"",
        b"\"truncated\":true",
        b"\"size\":",
        b"1111111111111111111111111111111111111111",
        b"/",
        b"\n",
        b".",
        b"-",
        b"0",
        b"a/",
        b"\xc3\xa9",
    ];
    match target {
        "zip" => ZIP,
        "tar" | "tar_gz" => TAR,
        "bolt_parser" | "bolt_history" => BOLT,
        "lovable_json" => JSON,
        "base44_schema" => BASE44,
        "env_file" => ENV,
        "package_edits" => PACKAGE,
        "sql_split" => SQL,
        "pktline" | "advertisement" | "report_status" | "git_fetch" => GIT,
        "remote_answers" => REMOTE,
        "github_tree" => TREE,
        _ => PATHS,
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("{name}={text:?} is not a number"))
        }
        Err(_) => default,
    }
}

/// The fuzz profile must make arithmetic overflow panic, or the run finds less than it should.
fn overflow_checks_are_on() -> bool {
    let max = std::hint::black_box(u8::MAX);
    install_hook();
    QUIET.with(|q| *q.borrow_mut() = true);
    let overflowed = panic::catch_unwind(|| std::hint::black_box(max + 1)).is_err();
    QUIET.with(|q| *q.borrow_mut() = false);
    CAUGHT.with(|c| c.borrow_mut().take());
    overflowed
}

#[test]
fn seeded_random_run() {
    assert!(
        overflow_checks_are_on(),
        "build with the fuzz crate's release profile (overflow checks on): cargo test --release"
    );
    let seconds = env_number("LIFTOFF_FUZZ_SECONDS", 60);
    let seed = env_number("LIFTOFF_FUZZ_SEED", DEFAULT_SEED);
    let budget = Duration::from_secs_f64(seconds as f64 / TARGETS.len() as f64);
    println!(
        "random run: seed {seed:#x} (LIFTOFF_FUZZ_SEED), {seconds} s (LIFTOFF_FUZZ_SECONDS) for {} targets",
        TARGETS.len()
    );
    let mut new_crashers = Vec::new();
    for (index, (name, target)) in TARGETS.iter().enumerate() {
        let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let crasher_dir = fuzz_dir().join("crashers").join(name);
        // Bugs already saved as crashers are not saved again.
        let mut known: BTreeSet<String> = files(&crasher_dir)
            .iter()
            .filter_map(|f| run_caught(*target, &std::fs::read(f).ok()?).err())
            .map(|panic| signature(&panic))
            .collect();
        let corpus: Vec<Vec<u8>> = files(&fuzz_dir().join("corpus").join(name))
            .iter()
            .filter_map(|f| std::fs::read(f).ok())
            .collect();
        let mut pool = if corpus.is_empty() {
            vec![Vec::new()]
        } else {
            corpus
        };
        let originals = pool.len();
        let words = dictionary(name);
        let started = Instant::now();
        let (mut runs, mut crashes, mut saved) = (0u64, 0u64, 0usize);
        while started.elapsed() < budget && saved < MAX_NEW_CRASHERS {
            let mut input = pool[rng.below(pool.len())].clone();
            let other = pool[rng.below(pool.len())].clone();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut input, &other, words);
            }
            runs += 1;
            match run_caught(*target, &input) {
                Ok(()) => {
                    // Keep some inputs to mutate further: stacked changes reach further.
                    if rng.below(8) == 0 {
                        if pool.len() < originals + 256 {
                            pool.push(input);
                        } else {
                            let slot = originals + rng.below(256);
                            pool[slot] = input;
                        }
                    }
                }
                Err(panic) => {
                    crashes += 1;
                    let wanted = signature(&panic);
                    if known.insert(wanted.clone()) {
                        let input = minimize(*target, &input, &wanted);
                        let panic = run_caught(*target, &input).err().unwrap_or(panic);
                        std::fs::create_dir_all(&crasher_dir).expect("crashers folder");
                        let file = crasher_dir.join(hash(&input));
                        std::fs::write(&file, &input).expect("crasher written");
                        saved += 1;
                        new_crashers.push(format!(
                            "{name}: {}\n    {panic}\n    replay: {}",
                            file.display(),
                            replay_command(name, &file)
                        ));
                    }
                }
            }
        }
        println!(
            "random run {name}: {runs} executions in {:.1} s, {crashes} panics, {saved} new crashers",
            started.elapsed().as_secs_f64()
        );
    }
    assert!(
        new_crashers.is_empty(),
        "the random run (seed {seed:#x}) found {} new panic(s); each input is saved under crashers/ \
         and now fails corpus_and_crashers_replay until the core is fixed:\n{}",
        new_crashers.len(),
        new_crashers.join("\n")
    );
}

/// Regenerates `corpus/` from the repository's fixtures and hand-made inputs:
/// `cargo test --release --no-default-features --manifest-path crates/liftoff-core/fuzz/Cargo.toml -- --ignored write_seeds`.
#[test]
#[ignore = "writes corpus/; run by hand when the seeds change"]
fn write_seeds() {
    let written = seeds::write_all(&fuzz_dir());
    for (target, count) in written {
        println!("{target}: {count} seeds");
    }
}

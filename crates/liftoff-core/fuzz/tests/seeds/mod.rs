//! Writes `corpus/<target>/`: seeds made from the repository's fixtures (`tests/fixtures/`: the
//! Bolt history, the Lovable project, the Base44 entity schemas and rows, package files, SQL)
//! and by hand (hostile archives, git protocol answers, the happy and unhappy paths of every
//! network conversation), each a few KB. The files are committed; this runs only by hand
//! (`write_seeds` in `replay.rs`) when the seeds should change. A seed that makes its target
//! panic goes to `crashers/<target>/` instead (it found a bug).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use liftoff_core::builders::base44::schema::{map_schema, migration_sql, read_entities};
use liftoff_core::builders::base44::seed::{seed_sql, EntityRows};
use liftoff_core::destinations::github::pktline::write_pkt;
use liftoff_core::net::{Method, Outcome, Request};
use liftoff_core::tree::{FileEntry, OnDuplicate};
use liftoff_core::zip_write::write_zip;
use liftoff_core::SourceTree;
use liftoff_fuzz::{answer, converse, CONVERSATIONS, STATUSES, TARGETS};

/// One seed: target, file name, bytes.
type Seeds = Vec<(&'static str, String, Vec<u8>)>;

/// Writes every seed; returns how many each target got.
pub fn write_all(fuzz: &Path) -> Vec<(String, usize)> {
    let fixtures = fuzz.join("../../../tests/fixtures");
    let read = |path: &str| {
        std::fs::read(fixtures.join(path)).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
    };
    let mut seeds = Seeds::new();
    archives(&mut seeds);
    bolt(&mut seeds, &read);
    lovable(&mut seeds, &read);
    base44(&mut seeds, &read, &fixtures);
    env(&mut seeds, &read);
    packages(&mut seeds, &read);
    sql(&mut seeds, &read, &fixtures);
    git(&mut seeds);
    remote(&mut seeds);

    let total: usize = seeds.iter().map(|(_, _, b)| b.len()).sum();
    assert!(total < 1024 * 1024, "the corpus is {total} bytes");
    for (name, _) in TARGETS {
        let dir = fuzz.join("corpus").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("corpus folder");
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (target, file, bytes) in seeds {
        assert!(
            bytes.len() <= 16 * 1024,
            "{target}/{file} is {} bytes",
            bytes.len()
        );
        let run = TARGETS
            .iter()
            .find(|(n, _)| *n == target)
            .unwrap_or_else(|| panic!("no target {target}"))
            .1;
        let panicked = std::panic::catch_unwind(|| run(&bytes)).is_err();
        let folder = if panicked { "crashers" } else { "corpus" };
        if panicked {
            println!("seed {target}/{file} panics: saved under crashers/ (a finding)");
        }
        let dir = fuzz.join(folder).join(target);
        std::fs::create_dir_all(&dir).expect("folder");
        std::fs::write(dir.join(&file), &bytes).expect("seed written");
        *counts.entry(target.to_string()).or_default() += 1;
    }
    counts.into_iter().collect()
}

fn add(seeds: &mut Seeds, target: &'static str, file: &str, bytes: impl Into<Vec<u8>>) {
    seeds.push((target, file.to_string(), bytes.into()));
}

fn tree(files: &[(&str, &[u8])]) -> SourceTree {
    let mut tree = SourceTree::new();
    for (path, bytes) in files {
        tree.insert(path, FileEntry::new(*bytes), OnDuplicate::Refuse)
            .expect("a valid path");
    }
    tree
}

// ---------------------------------------------------------------------------------------------
// Archives

/// CRC-32 (IEEE), bit by bit: the seeds are small.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Raw deflate of `bytes`, taken from the core's own zip writer (no other deflater here).
fn deflate(bytes: &[u8]) -> Vec<u8> {
    let zip = write_zip(&tree(&[("x.bin", bytes)]));
    let u16_at = |at: usize| usize::from(u16::from_le_bytes([zip[at], zip[at + 1]]));
    let packed = u32::from_le_bytes([zip[18], zip[19], zip[20], zip[21]]) as usize;
    assert_eq!(u16_at(8), 8, "the writer deflated the data");
    let start = 30 + u16_at(26) + u16_at(28);
    zip[start..start + packed].to_vec()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.extend(deflate(bytes));
    out.extend(crc32(bytes).to_le_bytes());
    out.extend((bytes.len() as u32).to_le_bytes());
    out
}

/// One entry of a hand-made zip.
struct RawEntry<'a> {
    name: &'a [u8],
    data: &'a [u8],
    flags: u16,
    method: u16,
    /// `(made_by << 16) | ...`: version made by (system in the high byte) and external attrs.
    made_by: u16,
    external: u32,
}

fn entry<'a>(name: &'a [u8], data: &'a [u8]) -> RawEntry<'a> {
    RawEntry {
        name,
        data,
        flags: 0,
        method: 0,
        made_by: 0x031e,
        external: 0o100644 << 16,
    }
}

/// A stored zip of `entries` as written (names, flags, methods as given), with ZIP64 end
/// records when `zip64`.
fn raw_zip(entries: &[RawEntry], zip64: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    let p16 = |out: &mut Vec<u8>, v: u16| out.extend(v.to_le_bytes());
    let p32 = |out: &mut Vec<u8>, v: u32| out.extend(v.to_le_bytes());
    for e in entries {
        offsets.push(out.len() as u32);
        p32(&mut out, 0x0403_4b50);
        p16(&mut out, 20);
        p16(&mut out, e.flags);
        p16(&mut out, e.method);
        p32(&mut out, 0);
        p32(&mut out, crc32(e.data));
        p32(&mut out, e.data.len() as u32);
        p32(&mut out, e.data.len() as u32);
        p16(&mut out, e.name.len() as u16);
        p16(&mut out, 0);
        out.extend_from_slice(e.name);
        out.extend_from_slice(e.data);
    }
    let cd_start = out.len();
    for (e, offset) in entries.iter().zip(&offsets) {
        p32(&mut out, 0x0201_4b50);
        p16(&mut out, e.made_by);
        p16(&mut out, 20);
        p16(&mut out, e.flags);
        p16(&mut out, e.method);
        p32(&mut out, 0);
        p32(&mut out, crc32(e.data));
        p32(&mut out, e.data.len() as u32);
        p32(&mut out, e.data.len() as u32);
        p16(&mut out, e.name.len() as u16);
        p16(&mut out, 0);
        p16(&mut out, 0);
        p16(&mut out, 0);
        p16(&mut out, 0);
        p32(&mut out, e.external);
        p32(&mut out, *offset);
        out.extend_from_slice(e.name);
    }
    let cd_size = out.len() - cd_start;
    let count = entries.len() as u16;
    if zip64 {
        let record = out.len() as u64;
        p32(&mut out, 0x0606_4b50);
        out.extend(44u64.to_le_bytes());
        p16(&mut out, 45);
        p16(&mut out, 45);
        p32(&mut out, 0);
        p32(&mut out, 0);
        out.extend((entries.len() as u64).to_le_bytes());
        out.extend((entries.len() as u64).to_le_bytes());
        out.extend((cd_size as u64).to_le_bytes());
        out.extend((cd_start as u64).to_le_bytes());
        p32(&mut out, 0x0706_4b50);
        p32(&mut out, 0);
        out.extend(record.to_le_bytes());
        p32(&mut out, 1);
    }
    p32(&mut out, 0x0605_4b50);
    p16(&mut out, 0);
    p16(&mut out, 0);
    p16(&mut out, if zip64 { 0xffff } else { count });
    p16(&mut out, if zip64 { 0xffff } else { count });
    p32(&mut out, if zip64 { u32::MAX } else { cd_size as u32 });
    p32(&mut out, if zip64 { u32::MAX } else { cd_start as u32 });
    p16(&mut out, 0);
    out
}

/// One tar header block and the data after it.
fn tar_entry(out: &mut Vec<u8>, name: &[u8], kind: u8, data: &[u8], mode: &str, link: &[u8]) {
    let mut h = [0u8; 512];
    h[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
    h[100..108].copy_from_slice(format!("{mode:0>7}\0").as_bytes());
    h[108..116].copy_from_slice(b"0001750\0");
    h[116..124].copy_from_slice(b"0001750\0");
    h[124..136].copy_from_slice(format!("{:011o}\0", data.len()).as_bytes());
    h[136..148].copy_from_slice(b"14712345670\0");
    h[148..156].copy_from_slice(b"        ");
    h[156] = kind;
    h[157..157 + link.len()].copy_from_slice(link);
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[265..269].copy_from_slice(b"fuzz");
    h[297..301].copy_from_slice(b"fuzz");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn tar_end(mut out: Vec<u8>) -> Vec<u8> {
    out.extend([0u8; 1024]);
    out
}

fn pax_record(key: &str, value: &str) -> Vec<u8> {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    while format!("{len}{body}").len() != len {
        len += 1;
    }
    format!("{len}{body}").into_bytes()
}

fn archives(seeds: &mut Seeds) {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
    let app = b"import { useState } from 'react';\n\nexport default function App() {\n  const [n, setN] = useState(0);\n  return <button onClick={() => setN(n + 1)}>clicked {n} times</button>;\n}\n";
    let package = b"{\n  \"name\": \"fuzz-app\",\n  \"private\": true,\n  \"scripts\": {\"dev\": \"vite\", \"build\": \"vite build\"},\n  \"dependencies\": {\"react\": \"^18.3.1\"},\n  \"devDependencies\": {\"vite\": \"^5.4.1\", \"lovable-tagger\": \"^1.1.7\"}\n}\n";
    let mut project = tree(&[
        ("package.json", package),
        ("src/App.tsx", app),
        ("public/logo.png", png),
        ("index.html", b"<!doctype html>\n<div id=\"root\"></div>\n"),
        ("empty.txt", b""),
    ]);
    let run = FileEntry {
        bytes: b"#!/bin/sh\nnpm run build\n".to_vec(),
        executable: true,
    };
    project
        .insert("scripts/build.sh", run, OnDuplicate::Refuse)
        .expect("valid");
    add(seeds, "zip", "project.zip", write_zip(&project));
    let bolt = tree(&[
        ("project/package.json", package),
        (
            "project/.bolt/config.json",
            b"{\"template\": \"bolt-vite-react-ts\"}\n",
        ),
        ("project/src/App.tsx", app),
    ]);
    add(seeds, "zip", "bolt-download.zip", write_zip(&bolt));
    let symlink = RawEntry {
        external: 0o120777 << 16,
        ..entry(b"link-to-passwd", b"../../../etc/passwd")
    };
    let hostile = [
        entry(b"../evil.txt", b"escapes"),
        entry(b".git/config", b"[core]\n"),
        entry(b"src/evil\xe2\x80\xaegpj.js", b"bidi"),
        entry(b"dir/", b""),
        entry(b"A.txt", b"upper"),
        entry(b"a.txt", b"lower"),
        entry(b"a", b"file"),
        entry(b"a/b", b"under a file"),
        entry(b"C:/windows.txt", b"drive"),
        entry(b"dup.txt", b"one"),
        entry(b"dup.txt", b"two"),
        entry(b"caf\x82.txt", b"cp437"),
        symlink,
    ];
    add(seeds, "zip", "hostile-names.zip", raw_zip(&hostile, false));
    add(
        seeds,
        "zip",
        "zip64-records.zip",
        raw_zip(&[entry(b"a.txt", b"a"), entry(b"b/c.txt", b"c")], true),
    );
    let encrypted = RawEntry {
        flags: 1,
        ..entry(b"secret.txt", b"\x00\x01\x02\x03encrypted")
    };
    add(
        seeds,
        "zip",
        "encrypted.zip",
        raw_zip(&[entry(b"ok.txt", b"ok"), encrypted], false),
    );
    let bzip2 = RawEntry {
        method: 12,
        ..entry(b"packed.bz2", b"BZh91AY&SY")
    };
    add(seeds, "zip", "bzip2-method.zip", raw_zip(&[bzip2], false));
    // Two directory entries pointing at one local header (how some bombs multiply their
    // output), with names a terminal must not show raw.
    let long_name = format!("{}\u{202e}gpj.js", "a".repeat(300));
    let mut overlapping = raw_zip(
        &[
            entry(long_name.as_bytes(), b"x"),
            entry(b"b\x1b]0;pwned\x07", b"y"),
        ],
        false,
    );
    // Point the second directory entry at the first local header (offset field at +42).
    let second = overlapping
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .nth(1)
        .map(|(at, _)| at)
        .expect("two directory entries");
    overlapping[second + 42..second + 46].copy_from_slice(&0u32.to_le_bytes());
    add(
        seeds,
        "zip",
        "overlapping-entries-hidden-names.zip",
        overlapping,
    );
    // `./C:/…` passes the drive-letter check (made before `./` is dropped) and becomes `C:/…`.
    let drive = raw_zip(&[entry(b"./C:/Windows/evil.txt", b"x")], false);
    add(seeds, "zip", "dot-slash-drive-letter.zip", drive);
    let dos = RawEntry {
        made_by: 0x0014,
        external: 0x20,
        ..entry(b"DOS\\PATH\\FILE.TXT", b"dos")
    };
    let mut prefixed = b"#!/bin/sh\nexit 0\n".to_vec();
    prefixed.extend(raw_zip(&[dos], false));
    add(seeds, "zip", "prepended-dos.zip", prefixed);
    let zeros = vec![0u8; 60_000];
    add(
        seeds,
        "zip",
        "compressible.zip",
        write_zip(&tree(&[("zeros.bin", &zeros)])),
    );

    let mut simple = Vec::new();
    tar_entry(&mut simple, b"package.json", b'0', package, "644", b"");
    tar_entry(&mut simple, b"src/", b'5', b"", "755", b"");
    tar_entry(&mut simple, b"src/App.tsx", b'0', app, "644", b"");
    tar_entry(&mut simple, b"run.sh", b'0', b"#!/bin/sh\n", "755", b"");
    let simple = tar_end(simple);
    add(seeds, "tar", "project.tar", simple.clone());
    add(seeds, "tar_gz", "project.tar.gz", gzip(&simple));

    let long = format!("src/{}/deep.txt", "very-long-folder-name".repeat(6));
    let mut odd = Vec::new();
    tar_entry(
        &mut odd,
        b"././@LongLink",
        b'L',
        format!("{long}\0").as_bytes(),
        "644",
        b"",
    );
    tar_entry(
        &mut odd,
        b"src/truncated-name",
        b'0',
        b"long name",
        "644",
        b"",
    );
    let pax = [
        pax_record("path", "src/pax-\u{e9}t\u{e9}.txt"),
        pax_record("mtime", "1700000000.5"),
    ]
    .concat();
    tar_entry(&mut odd, b"PaxHeaders/x", b'x', &pax, "644", b"");
    tar_entry(&mut odd, b"ignored-by-pax", b'0', b"pax", "644", b"");
    tar_entry(
        &mut odd,
        b"passwd-link",
        b'2',
        b"",
        "777",
        b"../../etc/passwd",
    );
    tar_entry(&mut odd, b"hard-link", b'1', b"", "644", b"package.json");
    tar_entry(&mut odd, b"../escape.txt", b'0', b"escape", "644", b"");
    tar_entry(&mut odd, b"fifo", b'6', b"", "644", b"");
    let odd = tar_end(odd);
    let mut drive = Vec::new();
    tar_entry(&mut drive, b"./C:/Windows/evil.txt", b'0', b"x", "644", b"");
    add(seeds, "tar", "dot-slash-drive-letter.tar", tar_end(drive));
    add(seeds, "tar", "links-and-long-names.tar", odd.clone());
    add(seeds, "tar_gz", "links-and-long-names.tar.gz", gzip(&odd));
    // Two gzip members, as `cat a.gz b.gz` makes: one tar stream across them.
    let (first, second) = simple.split_at(1024);
    add(
        seeds,
        "tar_gz",
        "two-members.tar.gz",
        [gzip(first), gzip(second)].concat(),
    );
}

// ---------------------------------------------------------------------------------------------
// Bolt

const BOLT_MESSAGE: &str = "I'll build a counter.\n\n<boltArtifact id=\"counter\" title=\"Counter App\">\n<boltAction type=\"file\" filePath=\"package.json\">{\n  \"name\": \"counter\",\n  \"scripts\": {\"dev\": \"vite\"}\n}</boltAction>\n<boltAction type=\"file\" filePath=\"/home/project/src/App.tsx\">```tsx\nexport default function App() {\n  return &lt;main&gt;0&lt;/main&gt;;\n}\n```</boltAction>\n<boltAction type=\"file\" filePath=\"README.md\">```md\n# Counter &lt;3\n```</boltAction>\n<boltAction type=\"shell\">npm install</boltAction>\n<boltAction type=\"start\">npm run dev</boltAction>\n</boltArtifact>\n\nRun it and click.";

const BOLT_EXTRAS: &str = "<div class=\"__boltThought__\">Maybe <boltArtifact title=\"x\"><boltAction type=\"shell\">rm -rf /</boltAction></boltArtifact></div>Here it is.\n<boltArtifact id=\"db\" title=\"Database\" type=\"bundled\">\n<boltAction type=\"supabase\" operation=\"migration\" filePath=\"/home/project/supabase/migrations/001_init.sql\">create table notes (id uuid primary key);</boltAction>\n<boltAction type=\"supabase\" operation=\"query\">select 1;</boltAction>\n<boltAction type=\"edit\" filePath=\"src/x.ts\">diff</boltAction>\n<boltAction type=\"file\" filePath=\"../outside.txt\">no</boltAction>\n</boltArtifact>\n<bolt-quick-actions><bolt-quick-action type=\"message\" message=\"Add auth\">Add auth</bolt-quick-action><bolt-quick-action type=\"file\" path=\"/src/App.tsx\">Open</bolt-quick-action></bolt-quick-actions> done";

const BOLT_BROKEN: &str = "<boltArtifact title=\"t\"><boltAction type=\"shell\">ls</boltAction><boltAction type=\"file\">no path</boltAction><boltAction type=\"shell\">pwd</boltAction></boltArtifact><boltArtifactt>prose<<boltArtifact title=\"open\"><boltAction type=\"file\" filePath=\"a.ts\">streaming";

fn bolt(seeds: &mut Seeds, read: &dyn Fn(&str) -> Vec<u8>) {
    for (file, delimiter, message) in [
        ("counter.txt", b'<', BOLT_MESSAGE),
        ("thoughts-supabase-quick-actions.txt", b'\n', BOLT_EXTRAS),
        ("errors-and-partial-tags.txt", b'>', BOLT_BROKEN),
    ] {
        let mut bytes = vec![delimiter];
        bytes.extend_from_slice(message.as_bytes());
        add(seeds, "bolt_parser", file, bytes);
    }
    let history: Value = serde_json::from_slice(&read("bolt/history.json")).expect("JSON");
    let chats = history["chats"].as_array().expect("chats");
    let snapshots = history["snapshots"].as_array().expect("snapshots");
    for chat in chats {
        for message in chat["messages"].as_array().expect("messages") {
            if message["role"] == "assistant" {
                let text = message["content"].as_str().unwrap_or_default();
                let id = message["id"].as_str().unwrap_or("message");
                let mut bytes = vec![b' '];
                bytes.extend_from_slice(text.as_bytes());
                add(seeds, "bolt_parser", &format!("fixture-{id}.txt"), bytes);
            }
        }
    }
    // Each chat of the fixture with its snapshot, files cut short to stay small.
    for chat in chats {
        let id = chat["id"].clone();
        let mut snapshot = snapshots
            .iter()
            .find(|s| s["chatId"] == id)
            .cloned()
            .unwrap_or(Value::Null);
        if let Some(files) = snapshot
            .pointer_mut("/snapshot/files")
            .and_then(Value::as_object_mut)
        {
            let kept: Map<String, Value> = files
                .iter()
                .take(8)
                .map(|(k, v)| {
                    let mut v = v.clone();
                    if let Some(Value::String(content)) = v.get_mut("content") {
                        let cut: String = content.chars().take(300).collect();
                        *content = cut;
                    }
                    (k.clone(), v)
                })
                .collect();
            *files = kept;
        }
        let dump = json!({"chats": [chat], "snapshots": [snapshot]});
        let name = format!(
            "fixture-chat-{}.json",
            chat["urlId"].as_str().unwrap_or("chat")
        );
        let bytes = serde_json::to_vec_pretty(&dump).expect("JSON");
        add(seeds, "bolt_history", &name, bytes.clone());
        add(seeds, "lovable_json", &format!("bolt-{name}"), bytes);
    }
    let handmade = json!({
        "chats": [
            {"id": "a", "urlId": "older", "timestamp": "2024-01-01T00:00:00Z", "messages": [
                {"id": "m1", "role": "user", "content": "make it"},
                {"id": "m2", "role": "assistant", "content": [
                    {"type": "text", "text": "<boltArtifact title=\"A\"><boltAction type=\"file\" filePath=\"/home/project/a.txt\">a</boltAction>"},
                    {"type": "text", "text": "<boltAction type=\"file\" filePath=\"/etc/passwd\">x</boltAction></boltArtifact>"}
                ]}
            ]},
            {"id": "b", "description": "Newest \u{202e}chat", "timestamp": "2025-06-01T00:00:00Z", "messages": [
                {"id": "n1", "role": "assistant", "content": BOLT_BROKEN},
                {"id": "n2", "role": "assistant", "content": BOLT_MESSAGE}
            ]}
        ],
        "snapshots": [
            {"chatId": "b", "snapshot": {"chatIndex": "n1", "files": {
                "/home/project/logo.png": {"type": "file", "content": "iVBORw0KGgo=", "isBinary": true},
                "/home/project/broken.bin": {"type": "file", "content": "%%%", "isBinary": true},
                "/home/project/lost.bin": {"type": "file", "content": "", "isBinary": true},
                "/home/project/src": {"type": "folder"},
                "/home/project/src/index.ts": {"type": "file", "content": "export {};\n"},
                "/tmp/outside": {"type": "file", "content": "x"},
                "/home/project/gone": null
            }}},
            {"chatId": "a", "snapshot": {"chatIndex": "missing", "files": {}}}
        ]
    });
    let bytes = serde_json::to_vec_pretty(&handmade).expect("JSON");
    add(
        seeds,
        "bolt_history",
        "snapshots-binaries-parts.json",
        bytes.clone(),
    );
    add(
        seeds,
        "lovable_json",
        "bolt-snapshots-binaries-parts.json",
        bytes,
    );
    add(
        seeds,
        "bolt_history",
        "no-chats.json",
        b"{\"chats\": []}".to_vec(),
    );
}

// ---------------------------------------------------------------------------------------------
// Lovable

fn lovable(seeds: &mut Seeds, read: &dyn Fn(&str) -> Vec<u8>) {
    let text_files = [
        "package.json",
        "index.html",
        "vite.config.ts",
        "src/main.tsx",
        "src/App.tsx",
        ".env",
        ".lovable/plan.md",
        "supabase/config.toml",
    ];
    let mut files: Vec<Value> = text_files
        .iter()
        .map(|path| {
            let contents =
                String::from_utf8(read(&format!("lovable/expected/{path}"))).expect("UTF-8");
            json!({"name": path, "contents": contents, "binary": false})
        })
        .collect();
    let icon = read("lovable/expected/public/favicon.ico");
    files.push(json!({"name": "public/favicon.ico", "contents": liftoff_core::b64::encode(&icon), "binary": true}));
    let project = json!({ "files": files });
    add(
        seeds,
        "lovable_json",
        "fixture-source-code.json",
        serde_json::to_vec(&project).expect("JSON"),
    );
    let hostile = json!({"files": [
        {"name": "../escape.ts", "contents": "x"},
        {"name": ".git/hooks/pre-commit", "contents": "rm -rf ~"},
        {"name": "src/App.tsx", "contents": "export {}"},
        {"name": "src/app.tsx", "contents": "case collision"},
        {"name": "src\\win.ts", "contents": "backslash"},
        {"name": "node_modules/x/index.js", "contents": "pruned"},
        {"name": "bad.png", "contents": "%%%", "binary": true},
        {"name": "gone.txt"},
        {"name": "src/evil\u{202e}gpj.js", "contents": "bidi"},
        {"name": ".env", "contents": "OPENAI_API_KEY=\"sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD\"\n"}
    ]});
    add(
        seeds,
        "lovable_json",
        "hostile-source-code.json",
        serde_json::to_vec(&hostile).expect("JSON"),
    );
    add(
        seeds,
        "lovable_json",
        "empty-files.json",
        b"{\"files\": []}".to_vec(),
    );
    add(
        seeds,
        "lovable_json",
        "unknown-shape.json",
        b"\xef\xbb\xbf{\"project\": {\"files\": 3}}".to_vec(),
    );
    add(
        seeds,
        "lovable_json",
        "lone-surrogate.json",
        b"{\"files\": [{\"name\": \"a\\ud800.ts\", \"contents\": \"\"}]}".to_vec(),
    );
}

// ---------------------------------------------------------------------------------------------
// Base44

fn base44(seeds: &mut Seeds, read: &dyn Fn(&str) -> Vec<u8>, fixtures: &Path) {
    let schemas = [
        "base44-data/app/base44/entities/check-in.jsonc",
        "base44-data/app/base44/entities/event.jsonc",
        "base44-data/app/base44/entities/rsvp.jsonc",
        "base44-data/app/base44/entities/user-profile.jsonc",
        "base44/newer/base44/entities/check-in.jsonc",
        "base44/newer/base44/entities/habit.jsonc",
        "base44/older/entities/Task",
        "base44/older/entities/Project",
    ];
    for path in schemas {
        let name = path.replace('/', "-");
        add(seeds, "base44_schema", &name, read(path));
    }
    // The Event Planner app: its four schemas and a few of its rows, with every row that does
    // not fit its table.
    let (tree, rows) = base44_app(fixtures);
    let (entities, _) = read_entities(&tree);
    let schema = map_schema(&entities);
    let seed = seed_sql(&schema, &rows);
    let mut picked: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for entity in &rows {
        let misfits: Vec<&str> = seed
            .unmapped
            .iter()
            .filter(|u| u.entity == entity.entity)
            .filter_map(|u| u.id.as_deref())
            .collect();
        let chosen = entity.rows.iter().enumerate().filter(|(i, row)| {
            *i < 2
                || row
                    .get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| misfits.contains(&id))
        });
        picked.insert(
            entity.entity.clone(),
            chosen.map(|(_, r)| r.clone()).collect(),
        );
    }
    let json_entities: Vec<Value> = entities
        .iter()
        .map(|e| Value::Object(e.json.clone()))
        .collect();
    let composite = json!({"entities": json_entities, "rows": picked});
    let bytes = serde_json::to_vec(&composite).expect("JSON");
    add(
        seeds,
        "base44_schema",
        "event-planner-with-rows.json",
        bytes,
    );
    let hostile = json!({"entities": [
        {"name": "Order", "properties": {
            "order": {"type": "integer", "default": 3.0},
            "displayName": {"type": "string", "enum": ["it's", "a\\b", "$$", "-- no"]},
            "x\n); drop table t; --": {"type": "string", "default": "'; drop table t; --"},
            "$liftoff$": {"type": ["string", "null"]},
            "when": {"type": "string", "format": "date-time", "default": "2024-02-29T10:00:00+02:00"},
            "day": {"type": "string", "format": "date", "default": "2023-02-29"},
            "ratio": {"type": "number", "enum": [1, 1.5, 2]},
            "flag": {"enum": [true, false]},
            "blob": {"type": "object", "default": {"k": "v'"}},
            "a_very_long_property_name_that_goes_past_postgresql_limit_of_sixty_three": {"type": "string"},
            "a_very_long_property_name_that_goes_past_postgresql_limit_of_sixty_three_2": {"type": "string"},
            "": {"type": "string"},
            "id": {"type": "integer"}
        }, "required": ["order", "when"]},
        {"name": "Order", "properties": "not an object"},
        {"name": "liftoff_unmapped_rows"},
        {"name": "\u{202e}---"}
    ], "rows": {
        "Order": [
            {"id": "1", "order": 5, "displayName": "it's", "x\n); drop table t; --": "v", "when": "2024-01-01"},
            {"id": "1", "order": 5, "displayName": "it's", "x\n); drop table t; --": "v", "when": "2024-01-01"},
            {"id": "1", "order": 6},
            {"id": "2", "order": "seven", "when": "2024-01-01T00:00:00Z"},
            {"id": "3", "order": 1, "when": "2024-01-01T00:00:00Z", "unknown": "\u{0000}"},
            ["not", "an", "object"]
        ],
        "Ghost": [{"id": "g"}]
    }});
    add(
        seeds,
        "base44_schema",
        "hostile-names-and-rows.json",
        serde_json::to_vec(&hostile).expect("JSON"),
    );
}

/// The Event Planner app's entity files as a tree, and all its rows.
fn base44_app(fixtures: &Path) -> (SourceTree, Vec<EntityRows>) {
    let dir = fixtures.join("base44-data/app/base44/entities");
    let mut tree = SourceTree::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("entities folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    for name in names {
        let bytes = std::fs::read(dir.join(&name)).expect("schema");
        tree.insert(
            &format!("base44/entities/{name}"),
            FileEntry::new(bytes),
            OnDuplicate::Refuse,
        )
        .expect("valid");
    }
    let rows = ["CheckIn", "Event", "RSVP", "UserProfile"]
        .iter()
        .map(|entity| {
            let bytes = std::fs::read(fixtures.join(format!("base44-data/rows/{entity}.json")))
                .expect("rows");
            EntityRows {
                entity: entity.to_string(),
                rows: serde_json::from_slice(&bytes).expect("JSON rows"),
            }
        })
        .collect();
    (tree, rows)
}

// ---------------------------------------------------------------------------------------------
// .env

fn env(seeds: &mut Seeds, read: &dyn Fn(&str) -> Vec<u8>) {
    add(
        seeds,
        "env_file",
        "fixture-lovable.env",
        read("lovable/expected/.env"),
    );
    add(
        seeds,
        "env_file",
        "forms.env",
        "# comment\n\nexport A=1\nB = \"two words\" \nC='three' # note\nD=four # note\nE=\"multi\nline\"\nnot a var\n9X=bad\nF=\nG=\"with $dollar and \\\\ backslash\"\nH=x=y\r\nI=\u{202e}bidi\n",
    );
    add(
        seeds,
        "env_file",
        "no-final-newline.env",
        "VITE_SUPABASE_URL=\"https://x.supabase.co\"\nLIFTOFF_FUZZ_ADDED=\"old\"",
    );
}

// ---------------------------------------------------------------------------------------------
// package.json and package-lock.json

fn packages(seeds: &mut Seeds, read: &dyn Fn(&str) -> Vec<u8>) {
    let mut manifest: Value =
        serde_json::from_slice(&read("lovable/expected/package.json")).expect("JSON");
    manifest["devDependencies"]["lovable-tagger"] = json!("^1.1.7");
    add(
        seeds,
        "package_edits",
        "lovable-package.json",
        serde_json::to_vec_pretty(&manifest).expect("JSON"),
    );
    add(
        seeds,
        "package_edits",
        "base44-package.json",
        read("base44/newer/package.json"),
    );
    // The Lovable lockfile, cut to the root and the packages near the tagger and React.
    let lock: Value =
        serde_json::from_slice(&read("lovable/expected/package-lock.json")).expect("JSON");
    let wanted = [
        "",
        "node_modules/lovable-tagger",
        "node_modules/react",
        "node_modules/loose-envify",
        "node_modules/js-tokens",
        "node_modules/vite",
        "node_modules/esbuild",
    ];
    let mut packages = Map::new();
    for (key, value) in lock["packages"].as_object().expect("packages") {
        let nested_under_kept = wanted
            .iter()
            .any(|w| !w.is_empty() && key.starts_with(&format!("{w}/node_modules/")));
        if wanted.contains(&key.as_str()) || (nested_under_kept && packages.len() < 12) {
            let mut value = value.clone();
            if let Some(object) = value.as_object_mut() {
                object.remove("integrity");
                object.remove("resolved");
                object.remove("funding");
                object.remove("engines");
            }
            packages.insert(key.clone(), value);
        }
    }
    let cut = json!({"name": lock["name"], "version": lock["version"], "lockfileVersion": 3, "requires": true, "packages": packages});
    add(
        seeds,
        "package_edits",
        "lovable-package-lock.json",
        serde_json::to_vec_pretty(&cut).expect("JSON"),
    );
    let legacy = json!({"lockfileVersion": 2, "packages": {
        "": {"devDependencies": {"lovable-tagger": "^1", "vite": "^5"}},
        "node_modules/lovable-tagger": {"dependencies": {"tagger-only": "^2", "esbuild": "^0.19"}},
        "node_modules/lovable-tagger/node_modules/esbuild": {"version": "0.19.0"},
        "node_modules/tagger-only": {"version": "2.0.0"},
        "node_modules/vite": {"dependencies": {"esbuild": "^0.21"}},
        "node_modules/esbuild": {"version": "0.21.5"},
        "packages/web": {"dependencies": {"linked": "*"}},
        "node_modules/linked": {"link": true, "resolved": "packages/linked"},
        "packages/linked": {"dependencies": {"tagger-only": "^2"}}
    }, "dependencies": {"lovable-tagger": {}, "tagger-only": {}, "vite": {}}});
    add(
        seeds,
        "package_edits",
        "workspaces-links-legacy-lock.json",
        serde_json::to_vec(&legacy).expect("JSON"),
    );
    add(seeds, "package_edits", "npm6-lock.json", b"{\n\t\"lockfileVersion\": 1,\n\t\"dependencies\": {\"lovable-tagger\": {\"version\": \"1.0.0\"}}\n}".to_vec());
}

// ---------------------------------------------------------------------------------------------
// SQL

fn sql(seeds: &mut Seeds, read: &dyn Fn(&str) -> Vec<u8>, fixtures: &Path) {
    add(
        seeds,
        "sql_split",
        "fixture-lovable-migration.sql",
        read("lovable/expected/supabase/migrations/20250312094512_create_tasks.sql"),
    );
    let (tree, rows) = base44_app(fixtures);
    let (entities, _) = read_entities(&tree);
    let two = map_schema(&entities[..2]);
    add(
        seeds,
        "sql_split",
        "base44-migration.sql",
        migration_sql(&two),
    );
    let few: Vec<EntityRows> = rows
        .iter()
        .map(|e| EntityRows {
            entity: e.entity.clone(),
            rows: e.rows.iter().take(3).cloned().collect(),
        })
        .collect();
    add(
        seeds,
        "sql_split",
        "base44-seed.sql",
        seed_sql(&map_schema(&entities), &few).sql,
    );
    add(
        seeds,
        "sql_split",
        "quotes-comments-dollars.sql",
        "select 'a;b', 'it''s;', \"we;ird\"\"\"; select E'\\';', e'a\\\\'; select 'b\\'; select 3;\n\
         select 1 /* a; /* nested; */ still; */ + 1; -- line; comment\n\
         create function f() returns int language plpgsql as $fn$\nbegin\n  perform 'x;$$';\n  return 1;\nend\n$fn$;\n\
         do $$ begin null; end $$; select $1; select a$b$ from t; select type'x;';\n\
         2024-02-29T10:00:00.123+02:00\n2024-02-29\n2023-02-29 10:00\n\u{3000}select 'open; never closed",
    );
    add(
        seeds,
        "sql_split",
        "begin-commit.sql",
        "BEGIN;\ninsert into t values (1) -- trailing\n;\nCOMMIT;\n/* open comment",
    );
}

// ---------------------------------------------------------------------------------------------
// git's wire protocol

const OID_A: &str = "1111111111111111111111111111111111111111";
const OID_B: &str = "2222222222222222222222222222222222222222";
const OID_C: &str = "3333333333333333333333333333333333333333";
const OID_D: &str = "4444444444444444444444444444444444444444";
const OID_E: &str = "5555555555555555555555555555555555555555";

fn pkts(lines: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        if *line == b"0000" || *line == b"0001" || *line == b"0002" {
            out.extend_from_slice(line);
        } else {
            write_pkt(&mut out, line).expect("short");
        }
    }
    out
}

fn advertisement(refs: &[(&str, &str)]) -> Vec<u8> {
    let caps = "report-status report-status-v2 delete-refs side-band-64k quiet atomic ofs-delta object-format=sha1 agent=github/spokes-receive-pack";
    let mut lines: Vec<Vec<u8>> = vec![b"# service=git-receive-pack\n".to_vec(), b"0000".to_vec()];
    if refs.is_empty() {
        lines.push(format!("{} capabilities^{{}}\0{caps}\n", "0".repeat(40)).into_bytes());
    }
    for (i, (oid, name)) in refs.iter().enumerate() {
        let line = if i == 0 {
            format!("{oid} {name}\0{caps}\n")
        } else {
            format!("{oid} {name}\n")
        };
        lines.push(line.into_bytes());
    }
    lines.push(b"0000".to_vec());
    let borrowed: Vec<&[u8]> = lines.iter().map(Vec::as_slice).collect();
    pkts(&borrowed)
}

/// A report-status, wrapped in band 1 (and with band-2 progress) when `side_band`.
fn report(lines: &[&str], side_band: bool) -> Vec<u8> {
    let mut inner: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
    inner.push(b"0000");
    let inner = pkts(&inner);
    if !side_band {
        return inner;
    }
    let (a, b) = inner.split_at(inner.len() / 2);
    let frames: Vec<Vec<u8>> = vec![
        [b"\x02".as_slice(), b"Resolving deltas: 100% (1/1)\r"].concat(),
        [b"\x01".as_slice(), a].concat(),
        [
            b"\x02".as_slice(),
            b"error: GH006: Protected branch update failed\n",
        ]
        .concat(),
        [b"\x01".as_slice(), b].concat(),
        b"0000".to_vec(),
    ];
    let borrowed: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
    pkts(&borrowed)
}

fn git(seeds: &mut Seeds) {
    let main = advertisement(&[
        (OID_A, "refs/heads/main"),
        (OID_B, "refs/heads/feature"),
        (OID_B, ".have"),
    ]);
    let empty = advertisement(&[]);
    add(seeds, "advertisement", "github-main.pkt", main.clone());
    add(seeds, "advertisement", "empty-repository.pkt", empty);
    add(
        seeds,
        "advertisement",
        "bare-no-header.pkt",
        pkts(&[
            format!("{OID_A} refs/heads/main\0report-status\n").as_bytes(),
            format!("shallow {OID_B}").as_bytes(),
            b"0000",
        ]),
    );
    add(seeds, "pktline", "advertisement.pkt", main);
    add(
        seeds,
        "pktline",
        "v2-delimiters.pkt",
        b"0014command=ls-refs\n00010009peel\n0000000200040000".to_vec(),
    );
    let ok = report(&["unpack ok\n", "ok refs/heads/main\n"], false);
    let ng = report(
        &[
            "unpack ok\n",
            "ng refs/heads/main fetch first\n",
            "option refname refs/heads/main\n",
        ],
        true,
    );
    add(seeds, "report_status", "ok.pkt", ok.clone());
    add(seeds, "report_status", "ng-side-band.pkt", ng.clone());
    add(
        seeds,
        "report_status",
        "unpack-error.pkt",
        report(
            &[
                "unpack index-pack abnormal exit\n",
                "ng refs/heads/main unpacker error\n",
            ],
            false,
        ),
    );
    add(
        seeds,
        "report_status",
        "fatal-band-3.pkt",
        pkts(&[b"\x03fatal: the remote end hung up\n", b"0000"]),
    );
    add(seeds, "pktline", "side-band-report.pkt", ng);
    add(seeds, "pktline", "report.pkt", ok);

    let listing = json!({"sha": OID_A, "truncated": false, "tree": [
        {"path": "package.json", "mode": "100644", "type": "blob", "sha": OID_B, "size": 40},
        {"path": "src", "mode": "040000", "type": "tree", "sha": OID_C},
        {"path": "src/main.js", "mode": "100644", "type": "blob", "sha": OID_D, "size": 30},
        {"path": "run.sh", "mode": "100755", "type": "blob", "sha": OID_E, "size": 9},
        {"path": "link", "mode": "120000", "type": "blob", "sha": OID_E, "size": 9},
        {"path": "vendor", "mode": "160000", "type": "commit", "sha": OID_E},
        {"path": "old.txt", "mode": "100644", "type": "blob", "sha": "not-an-id"}
    ]});
    add(
        seeds,
        "github_tree",
        "listing.json",
        serde_json::to_vec_pretty(&listing).expect("JSON"),
    );
    add(
        seeds,
        "github_tree",
        "truncated-listing.json",
        b"{\"sha\": \"x\", \"truncated\": true, \"tree\": []}".to_vec(),
    );
    // Names whose order differs between files and folders (git sorts a folder as `name/`).
    add(seeds, "github_tree", "sort-order-paths.txt", "a.b\na/b\na-b\na0\nfoo.txt\nfoo/bar\nfoo-bar/x\nsrc/App.tsx\nsrc/app/x.ts\nZ\n.hidden\nsp ace/x\ncaf\u{e9}/r\u{e9}sum\u{e9}.md\n\u{1f680}.txt\nd/C:\n\u{fffd}\\R:\n");
}

// ---------------------------------------------------------------------------------------------
// The network conversations

/// One scripted answer: the record's first byte (status index and header flags) and body.
type Reply = (u8, Vec<u8>);

/// The record kind for `status` with header `flags` (see `remote.rs`).
fn kind(status: u16, flags: u8) -> u8 {
    let index = STATUSES
        .iter()
        .position(|s| *s == status)
        .expect("a status of the table") as u8;
    index | (flags << 4)
}

fn ok(body: Value) -> Reply {
    (kind(200, 4), serde_json::to_vec(&body).expect("JSON"))
}

fn status(code: u16, body: Value) -> Reply {
    (kind(code, 4), serde_json::to_vec(&body).expect("JSON"))
}

const NETWORK_ERROR: u8 = 0x0e;

/// Runs conversation `selector` against `reply` and records the answers as a seed.
fn record(selector: u8, mut reply: impl FnMut(&Request, usize) -> Reply) -> Vec<u8> {
    let mut seed = vec![selector];
    let mut n = 0;
    let mut respond = |request: &Request| -> Outcome {
        let (kind, body) = reply(request, n);
        n += 1;
        assert!(
            body.len() <= usize::from(u16::MAX),
            "a body fits the record"
        );
        seed.push(kind);
        seed.extend((body.len() as u16).to_be_bytes());
        seed.extend_from_slice(&body);
        answer(kind, &body, request)
    };
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        converse(selector, &mut respond)
    }));
    seed
}

fn path(request: &Request) -> String {
    let url = &request.url;
    let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    rest.split_once('/').map_or("", |(_, p)| p).to_string()
}

fn selector(name: &str, variant: u8) -> u8 {
    let index = CONVERSATIONS
        .iter()
        .position(|c| *c == name)
        .expect("a conversation") as u8;
    index | (variant << 4)
}

fn remote(seeds: &mut Seeds) {
    let github_repo = json!({"full_name": "fuzz-owner/fuzz-repo", "default_branch": "main",
        "clone_url": "https://github.com/fuzz-owner/fuzz-repo.git",
        "html_url": "https://github.com/fuzz-owner/fuzz-repo", "owner": {"login": "fuzz-owner"}});
    let user = json!({"login": "fuzz-owner", "id": 7, "name": "Fuzz Owner", "email": null});
    // What the branch holds: files that differ from the export's, in a listing and as blobs.
    let listing = |truncated: bool| {
        json!({"sha": OID_A, "truncated": truncated, "tree": [
            {"path": "package.json", "mode": "100644", "type": "blob", "sha": OID_B, "size": 40},
            {"path": "src", "mode": "040000", "type": "tree", "sha": OID_C},
            {"path": "src/main.js", "mode": "100644", "type": "blob", "sha": OID_D, "size": 30},
            {"path": "run.sh", "mode": "100755", "type": "blob", "sha": OID_E, "size": 9},
            {"path": "vendor", "mode": "160000", "type": "commit", "sha": OID_E}
        ]})
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Git {
        Existing,
        Created,
        Refused,
        Truncated,
        NewPull,
        OpenPull,
    }
    let github = |scenario: Git| {
        let repo = github_repo.clone();
        let user = user.clone();
        move |request: &Request, _: usize| -> Reply {
            let p = path(request);
            let branch = if matches!(scenario, Git::NewPull | Git::OpenPull) {
                "fuzz-branch"
            } else {
                "main"
            };
            if p == "user" {
                ok(user.clone())
            } else if p == "repos/fuzz-owner/fuzz-repo" {
                if scenario == Git::Created {
                    status(404, json!({"message": "Not Found"}))
                } else {
                    ok(repo.clone())
                }
            } else if p == "user/repos" {
                status(201, repo.clone())
            } else if p.ends_with("info/refs?service=git-receive-pack") {
                let refs: &[(&str, &str)] = if scenario == Git::Created {
                    &[]
                } else {
                    &[(OID_A, "refs/heads/main")]
                };
                (kind(200, 4), advertisement(refs))
            } else if p.contains("/git/trees/") {
                ok(listing(scenario == Git::Truncated && !p.contains(OID_C)))
            } else if p.contains("/git/commits/") {
                ok(json!({"sha": OID_A, "tree": {"sha": OID_C}}))
            } else if p.contains("/git/blobs/") {
                let old = if p.contains(OID_B) {
                    "{\n  \"name\": \"old-app\"\n}\n"
                } else {
                    "console.log('old');\n"
                };
                ok(
                    json!({"sha": OID_B, "encoding": "base64", "content": liftoff_core::b64::encode(old.as_bytes())}),
                )
            } else if p.ends_with("git-receive-pack") {
                let refused = format!("ng refs/heads/{branch} protected branch hook declined\n");
                let accepted = format!("ok refs/heads/{branch}\n");
                let line = if scenario == Git::Refused {
                    refused
                } else {
                    accepted
                };
                (kind(200, 4), report(&["unpack ok\n", &line], true))
            } else if p.contains("/pulls?head=") {
                if scenario == Git::OpenPull {
                    ok(json!([{"number": 2, "state": "open", "head": {"ref": "fuzz-branch"}}]))
                } else {
                    ok(json!([]))
                }
            } else if p.ends_with("/pulls") || p.contains("/pulls/") {
                let number = if scenario == Git::OpenPull { 2 } else { 3 };
                let url = format!("https://github.com/fuzz-owner/fuzz-repo/pull/{number}");
                status(
                    if number == 3 { 201 } else { 200 },
                    json!({"number": number, "html_url": url}),
                )
            } else {
                (NETWORK_ERROR, Vec::new())
            }
        }
    };
    for (file, variant, scenario) in [
        ("github-push-existing.bin", 0, Git::Existing),
        ("github-push-create.bin", 1, Git::Created),
        ("github-push-refused.bin", 0, Git::Refused),
        ("github-push-truncated-listing.bin", 0, Git::Truncated),
        ("github-push-new-pull-request.bin", 4, Git::NewPull),
        ("github-push-open-pull-request.bin", 4, Git::OpenPull),
    ] {
        add(
            seeds,
            "remote_answers",
            file,
            record(selector("github-push", variant), github(scenario)),
        );
    }
    add(
        seeds,
        "remote_answers",
        "github-preview.bin",
        record(selector("github-preview", 0), github(Git::Existing)),
    );
    add(
        seeds,
        "remote_answers",
        "github-preview-new-repository.bin",
        record(selector("github-preview", 1), github(Git::Created)),
    );
    let checks = |request: &Request, n: usize| -> Reply {
        let p = path(request);
        let done = n >= 4;
        if p.contains("/check-runs") {
            let run = if done {
                json!({"name": "build", "status": "completed", "conclusion": "success", "html_url": "https://github.com/fuzz-owner/fuzz-repo/runs/1"})
            } else {
                json!({"name": "build", "status": "in_progress"})
            };
            ok(json!({"total_count": 1, "check_runs": [run]}))
        } else if p.ends_with("/status") {
            ok(
                json!({"state": "success", "statuses": [{"context": "ci/lint", "state": "success", "target_url": "https://ci.example/1"}]}),
            )
        } else {
            (NETWORK_ERROR, Vec::new())
        }
    };
    add(
        seeds,
        "remote_answers",
        "github-checks-once.bin",
        record(selector("github-checks", 0), checks),
    );
    add(
        seeds,
        "remote_answers",
        "github-checks-wait.bin",
        record(selector("github-checks", 1), checks),
    );
    let failing = |request: &Request, _: usize| -> Reply {
        if path(request).contains("/check-runs") {
            ok(
                json!({"check_runs": [{"name": "test", "status": "completed", "conclusion": "failure", "details_url": "https://ci.example/2"}]}),
            )
        } else {
            ok(json!({"state": "failure", "statuses": [{"context": "deploy", "state": "error"}]}))
        }
    };
    add(
        seeds,
        "remote_answers",
        "github-checks-failing.bin",
        record(selector("github-checks", 1), failing),
    );

    let vercel = |request: &Request, n: usize| -> Reply {
        let p = path(request);
        let p = p.split('?').next().unwrap_or_default();
        match (request.method, p) {
            (Method::Get, "v9/projects/fuzz-project") => {
                ok(json!({"id": "prj_1", "name": "fuzz-project"}))
            }
            (Method::Post, "v10/projects/prj_1/env") => status(201, json!({"created": []})),
            (Method::Post, "v13/deployments") if n < 4 => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let sha = body.pointer("/files/0/sha").cloned().unwrap_or_default();
                status(
                    400,
                    json!({"error": {"code": "missing_files", "message": "Missing files", "missing": [sha]}}),
                )
            }
            (Method::Post, "v2/files") => ok(json!({})),
            (Method::Post, "v13/deployments") => {
                ok(json!({"id": "dpl_1", "url": "dpl-1.vercel.app", "readyState": "QUEUED"}))
            }
            (Method::Get, "v13/deployments/dpl_1") if n < 7 => {
                ok(json!({"id": "dpl_1", "readyState": "BUILDING"}))
            }
            (Method::Get, "v13/deployments/dpl_1") => {
                ok(json!({"id": "dpl_1", "url": "dpl-1.vercel.app", "readyState": "READY"}))
            }
            (Method::Get, "v9/projects/prj_1") => {
                ok(json!({"id": "prj_1", "targets": {"production": {"id": "dpl_0"}}}))
            }
            (Method::Post, _) if p.contains("/promote/") => status(201, json!({})),
            _ => (NETWORK_ERROR, Vec::new()),
        }
    };
    add(
        seeds,
        "remote_answers",
        "vercel-deploy.bin",
        record(selector("vercel-deploy", 0), vercel),
    );
    let vercel_failed = |request: &Request, _: usize| -> Reply {
        match path(request).split('?').next().unwrap_or_default() {
            "v9/projects/fuzz-project" => status(404, json!({"error": {"code": "not_found"}})),
            "v10/projects" => ok(json!({"id": "prj_2", "name": "fuzz-project"})),
            "v10/projects/prj_2/env" => status(201, json!({})),
            "v13/deployments" => ok(
                json!({"id": "dpl_9", "readyState": "ERROR", "errorMessage": "Command \"vite build\" exited with 1"}),
            ),
            _ => (NETWORK_ERROR, Vec::new()),
        }
    };
    add(
        seeds,
        "remote_answers",
        "vercel-deploy-build-failed.bin",
        record(selector("vercel-deploy", 1), vercel_failed),
    );
    let listing = json!({"deployments": [
        {"uid": "dpl_3", "url": "c.vercel.app", "state": "READY", "created": 3000},
        {"uid": "dpl_2", "url": "b.vercel.app", "state": "ERROR", "created": 2000},
        {"uid": "dpl_1", "url": "a.vercel.app", "state": "READY", "created": 1000}
    ], "pagination": {"next": 1000}});
    let vercel_history = move |request: &Request, _: usize| -> Reply {
        let p = path(request);
        if p.starts_with("v9/projects/") && request.method == Method::Get {
            ok(json!({"id": "prj_1", "targets": {"production": {"id": "dpl_3"}}}))
        } else if p.starts_with("v6/deployments") && p.contains("until=") {
            ok(json!({"deployments": [], "pagination": {"next": null}}))
        } else if p.starts_with("v6/deployments") {
            ok(listing.clone())
        } else if p.contains("/rollback/") || p.contains("/promote/") {
            status(201, json!({}))
        } else if p.starts_with("v13/deployments/") {
            ok(json!({"id": "dpl_1", "url": "a.vercel.app", "readyState": "READY"}))
        } else {
            (NETWORK_ERROR, Vec::new())
        }
    };
    add(
        seeds,
        "remote_answers",
        "vercel-history.bin",
        record(selector("vercel-history", 0), vercel_history.clone()),
    );
    add(
        seeds,
        "remote_answers",
        "vercel-rollback.bin",
        record(selector("vercel-rollback", 0), vercel_history.clone()),
    );
    add(
        seeds,
        "remote_answers",
        "vercel-rollback-named.bin",
        record(selector("vercel-rollback", 2), vercel_history),
    );

    let site = json!([{"name": "fuzz-site", "id": "site1", "account_id": "acc1", "ssl_url": "https://fuzz-site.netlify.app",
        "published_deploy": {"id": "d2", "state": "ready"}}]);
    let netlify = {
        let site = site.clone();
        move |request: &Request, n: usize| -> Reply {
            let p = path(request);
            let p = p.strip_prefix("api/v1/").unwrap_or(&p).to_string();
            if p.starts_with("sites?name=") {
                ok(site.clone())
            } else if p.starts_with("accounts/acc1/env?") && request.method == Method::Get {
                ok(json!([{"key": "EXTRA_SETTING", "values": []}]))
            } else if p.starts_with("accounts/acc1/env/") {
                ok(json!({}))
            } else if p.starts_with("accounts/acc1/env?") {
                status(201, json!([]))
            } else if p.starts_with("sites/site1/builds") {
                ok(json!({"id": "b1", "deploy_id": "d1"}))
            } else if p.starts_with("sites/site1/deploys/d1") && n < 7 {
                ok(json!({"id": "d1", "state": "building"}))
            } else if p.starts_with("sites/site1/deploys/d1") {
                ok(
                    json!({"id": "d1", "state": "ready", "ssl_url": "https://fuzz-site.netlify.app"}),
                )
            } else if p.starts_with("sites/site1/deploys?") {
                ok(json!([
                    {"id": "d2", "state": "ready", "created_at": "2024-03-02T10:00:00.123Z", "context": "production"},
                    {"id": "dp", "state": "ready", "created_at": "2024-03-01T12:00:00+02:00", "context": "deploy-preview"},
                    {"id": "d1", "state": "ready", "created_at": "2024-03-01T10:00:00Z", "context": "production"}
                ]))
            } else if p.ends_with("/restore") {
                ok(json!({"id": "d1", "state": "ready"}))
            } else {
                (NETWORK_ERROR, Vec::new())
            }
        }
    };
    add(
        seeds,
        "remote_answers",
        "netlify-deploy.bin",
        record(selector("netlify-deploy", 0), netlify.clone()),
    );
    add(
        seeds,
        "remote_answers",
        "netlify-history.bin",
        record(selector("netlify-history", 0), netlify.clone()),
    );
    add(
        seeds,
        "remote_answers",
        "netlify-restore.bin",
        record(selector("netlify-restore", 0), netlify.clone()),
    );
    add(
        seeds,
        "remote_answers",
        "netlify-restore-named.bin",
        record(selector("netlify-restore", 1), netlify),
    );
    let netlify_new_site = |request: &Request, _: usize| -> Reply {
        let p = path(request);
        let p = p.strip_prefix("api/v1/").unwrap_or(&p).to_string();
        if p.starts_with("sites?name=") {
            ok(json!([{"name": "other-site", "id": "x"}]))
        } else if p == "sites" {
            ok(json!({"id": "site2", "name": "fuzz-site"}))
        } else if p == "accounts" {
            ok(json!([{"id": "acc2"}]))
        } else if p.starts_with("accounts/acc2/env?") && request.method == Method::Get {
            ok(json!([]))
        } else if p.starts_with("accounts/acc2/env?") {
            status(201, json!([]))
        } else if p.starts_with("sites/site2/builds") {
            ok(json!({"id": "b2"}))
        } else if p.starts_with("builds/b2") {
            ok(json!({"id": "b2", "error": "Build script returned non-zero exit code: 2"}))
        } else {
            (NETWORK_ERROR, Vec::new())
        }
    };
    add(
        seeds,
        "remote_answers",
        "netlify-deploy-new-site-build-error.bin",
        record(selector("netlify-deploy", 0), netlify_new_site),
    );
    // The site's variables listed with a name twice (a listing is the service's to get wrong).
    let netlify_listed_twice = {
        let site = site.clone();
        move |request: &Request, _: usize| -> Reply {
            let p = path(request);
            let p = p.strip_prefix("api/v1/").unwrap_or(&p).to_string();
            if p.starts_with("sites?name=") {
                ok(site.clone())
            } else if p.starts_with("accounts/acc1/env?") && request.method == Method::Get {
                let key = json!({"key": "EXTRA_SETTING"});
                ok(json!([key, key, key, key]))
            } else {
                ok(json!({}))
            }
        }
    };
    add(
        seeds,
        "remote_answers",
        "netlify-deploy-variable-listed-twice.bin",
        record(selector("netlify-deploy", 0), netlify_listed_twice),
    );
    // Listed twice again, but fewer times than there are variables; then the creation's answer
    // is lost and the variables are listed again.
    let netlify_recheck = {
        let site = site.clone();
        let mut listings = 0;
        move |request: &Request, _: usize| -> Reply {
            let p = path(request);
            let p = p.strip_prefix("api/v1/").unwrap_or(&p).to_string();
            if p.starts_with("sites?name=") {
                ok(site.clone())
            } else if p.starts_with("accounts/acc1/env?") && request.method == Method::Get {
                listings += 1;
                if listings == 1 {
                    ok(json!([{"key": "EXTRA_SETTING"}, {"key": "EXTRA_SETTING"}]))
                } else {
                    ok(
                        json!([{"key": "EXTRA_SETTING"}, {"key": "VITE_API_URL"}, {"key": "SESSION_SALT"}]),
                    )
                }
            } else if p.starts_with("accounts/acc1/env?") {
                (NETWORK_ERROR, Vec::new())
            } else {
                ok(json!({}))
            }
        }
    };
    add(
        seeds,
        "remote_answers",
        "netlify-deploy-recheck-after-listed-twice.bin",
        record(selector("netlify-deploy", 0), netlify_recheck),
    );

    let supabase = |fail_seed: bool| {
        move |request: &Request, _: usize| -> Reply {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let query = body["query"].as_str().unwrap_or_default();
            if query.contains("coalesce(json_agg") {
                status(
                    201,
                    json!([{"ledger": "[[\"supabase/migrations/00000000000000_old.sql\", \"sha1:00\"]]"}]),
                )
            } else if query.contains("liftoff_probe") {
                status(
                    400,
                    json!({"message": "ERROR: P0001: liftoff-probe-passed"}),
                )
            } else if fail_seed && query.contains("$$two$$") {
                status(
                    400,
                    json!({"message": "ERROR: 23505: duplicate key value violates unique constraint \"note_pkey\""}),
                )
            } else {
                status(201, json!([]))
            }
        }
    };
    add(
        seeds,
        "remote_answers",
        "supabase-push.bin",
        record(selector("supabase-push", 0), supabase(false)),
    );
    add(
        seeds,
        "remote_answers",
        "supabase-push-failing-seed.bin",
        record(selector("supabase-push", 0), supabase(true)),
    );

    let lovable_listing = |request: &Request, _: usize| -> Reply {
        let p = path(request);
        if p.ends_with("/source-code") {
            status(404, json!({"message": "not here"}))
        } else if p.contains("/git/files?") {
            ok(
                json!({"files": [{"path": "package.json"}, {"path": "src", "type": "dir"}, {"path": "src/App.tsx"}, {"path": "../x"}, {"path": "src/App.tsx"}, {"path": "gone.txt"}]}),
            )
        } else if p.contains("path=package.json") {
            (
                kind(200, 0),
                b"{\"name\": \"lovable-app\", \"devDependencies\": {\"lovable-tagger\": \"^1\"}}"
                    .to_vec(),
            )
        } else if p.contains("path=src%2FApp.tsx") {
            (
                kind(200, 0),
                b"export default function App() { return null; }\n".to_vec(),
            )
        } else if p.contains("path=gone.txt") {
            status(404, json!({}))
        } else {
            (NETWORK_ERROR, Vec::new())
        }
    };
    add(
        seeds,
        "remote_answers",
        "lovable-fetch-listing.bin",
        record(selector("lovable-fetch", 0), lovable_listing),
    );
    let lovable_source = |request: &Request, _: usize| -> Reply {
        if path(request).ends_with("/source-code") {
            ok(json!({"files": [
                {"name": "package.json", "contents": "{\"name\": \"x\", \"devDependencies\": {\"lovable-tagger\": \"1\"}}", "binary": false},
                {"name": "index.html", "contents": "<html><head><meta name=\"author\" content=\"Lovable\" /></head></html>", "binary": false},
                {"name": "src/App.tsx", "contents": "export {}\n"}
            ]}))
        } else {
            (NETWORK_ERROR, Vec::new())
        }
    };
    add(
        seeds,
        "remote_answers",
        "lovable-fetch-source-code.bin",
        record(selector("lovable-fetch", 1), lovable_source),
    );

    let mut app = Vec::new();
    tar_entry(
        &mut app,
        b"package.json",
        b'0',
        b"{\"name\": \"b44\", \"dependencies\": {\"@base44/sdk\": \"^0.1\"}}",
        "644",
        b"",
    );
    tar_entry(&mut app, b"base44/entities/task.jsonc", b'0', b"// tasks\n{\"name\": \"Task\", \"properties\": {\"title\": {\"type\": \"string\"}, \"done\": {\"type\": \"boolean\", \"default\": false},},}", "644", b"");
    tar_entry(&mut app, b"src/App.jsx", b'0', b"import { base44 } from './api/base44Client';\nexport default () => base44.entities.Task.list();\n", "644", b"");
    let eject = gzip(&tar_end(app));
    let base44 = move |request: &Request, _: usize| -> Reply {
        let p = path(request);
        if p.ends_with("/eject") {
            (kind(200, 0), eject.clone())
        } else if p.contains("entities/Task?") && p.ends_with("skip=0") {
            ok(
                json!([{"id": "t1", "title": "one", "done": false}, {"id": "t2", "title": "it's", "done": true, "extra": 1}]),
            )
        } else if p.contains("entities/Task?") && p.ends_with("skip=2") {
            ok(json!([{"id": "t3", "title": null}]))
        } else if p.contains("entities/") {
            ok(json!([]))
        } else {
            (NETWORK_ERROR, Vec::new())
        }
    };
    add(
        seeds,
        "remote_answers",
        "base44-fetch.bin",
        record(selector("base44-fetch", 0), base44.clone()),
    );
    add(
        seeds,
        "remote_answers",
        "base44-fetch-raw.bin",
        record(selector("base44-fetch", 1), base44.clone()),
    );
    add(
        seeds,
        "remote_answers",
        "base44-rows.bin",
        record(selector("base44-rows", 0), base44),
    );
}

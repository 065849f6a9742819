//! Secrets: finds credentials that must never ship in front-end code and reports them by path,
//! line and kind, with the value masked. The pass reports only: it edits nothing.
//!
//! The scanner is written by hand (no `regex` crate) to keep the WebAssembly small: one pass
//! over each file's bytes, dispatching on the first byte of each known prefix. Every pattern
//! checks a word boundary before the match (so `risk_live_…` or `desk-…` never match), a
//! minimum length and a character mix (so `sk-` in prose or a CSS class such as `sk-chase`
//! never matches).
//!
//! No type here holds a secret's value: a match is a byte range, turned into a masked string
//! as soon as it is found. Nothing prints the value, not even in `Debug` output.

use crate::b64;

use crate::edit::Edits;
use crate::report::Secret;

/// The names of what the scanner finds, as they appear in `Secret::kind`.
pub mod kind {
    pub const OPENAI: &str = "OpenAI API key";
    pub const ANTHROPIC: &str = "Anthropic API key";
    pub const STRIPE_SECRET: &str = "Stripe secret key";
    pub const STRIPE_RESTRICTED: &str = "Stripe restricted key";
    pub const AWS_ACCESS_KEY: &str = "AWS access key ID";
    pub const GITHUB: &str = "GitHub token";
    pub const SUPABASE_SERVICE_ROLE: &str = "Supabase service_role key";
    pub const SUPABASE_SECRET: &str = "Supabase secret key";
    pub const PRIVATE_KEY: &str = "private key";
}

/// Files larger than this are not scanned (generated bundles, data dumps).
const MAX_SCANNED_BYTES: usize = 2 * 1024 * 1024;

/// Lockfiles: full of long hashes, never hand-written secrets.
const LOCKFILES: &[&str] = &[
    "package-lock.json",
    "bun.lockb",
    "bun.lock",
    "yarn.lock",
    "pnpm-lock.yaml",
];

/// Scans every text file and adds what it finds to `report.secrets`, ordered by path and line.
/// Running it again on the same report adds nothing.
pub fn scan_secrets(edits: &mut Edits<'_>) {
    let mut found = Vec::new();
    for (path, entry) in edits.tree.iter() {
        if !is_scanned(path.file_name(), &entry.bytes) {
            continue;
        }
        let Ok(text) = std::str::from_utf8(&entry.bytes) else {
            continue;
        };
        found.extend(scan_text(text).into_iter().map(|f| Secret {
            path: path.as_str().to_string(),
            line: f.line,
            kind: f.kind.to_string(),
            masked: f.masked,
        }));
    }
    let secrets = &mut edits.report.secrets;
    for secret in found {
        if !secrets.contains(&secret) {
            secrets.push(secret);
        }
    }
    secrets.sort_by(|a, b| (a.path.as_str(), a.line).cmp(&(b.path.as_str(), b.line)));
}

/// Whether a file is worth scanning: not a lockfile, not too big, not binary.
fn is_scanned(file_name: &str, bytes: &[u8]) -> bool {
    !LOCKFILES.contains(&file_name) && bytes.len() <= MAX_SCANNED_BYTES && !bytes.contains(&0)
}

/// One secret in a text: 1-based line, kind, masked value.
struct Finding {
    line: usize,
    kind: &'static str,
    masked: String,
}

/// A match: the byte range of the value (never a copy of it) and its kind.
struct Hit {
    start: usize,
    end: usize,
    kind: &'static str,
}

/// Every secret in `text`, in order.
fn scan_text(text: &str) -> Vec<Finding> {
    let mut lines = LineCounter::default();
    find_hits(text.as_bytes())
        .into_iter()
        .map(|hit| Finding {
            line: lines.line_at(text.as_bytes(), hit.start),
            kind: hit.kind,
            masked: mask(text.get(hit.start..hit.end).unwrap_or_default(), hit.kind),
        })
        .collect()
}

/// Turns ascending byte offsets into 1-based line numbers in one pass over the text.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: usize,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> usize {
        let offset = offset.min(bytes.len());
        if offset > self.offset {
            self.newlines += bytes[self.offset..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.offset = offset;
        }
        self.newlines + 1
    }
}

/// Every match in `bytes`, in order, without overlaps.
fn find_hits(bytes: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let next = match bytes[i] {
            b's' | b'r' | b'g' => match_prefixed(bytes, i),
            b'A' => match_aws(bytes, i),
            b'e' => match_jwt(bytes, i),
            b'-' => match_private_key(bytes, i),
            _ => Scan::Miss,
        };
        match next {
            // Every token-shaped secret needs a boundary before it, so none starts inside
            // the rest of this word: jump over it (a private key's dashes end the jump).
            Scan::Miss if is_word_byte(bytes[i]) => i = run_end(bytes, i + 1, is_word_byte),
            Scan::Miss => i += 1,
            Scan::Skip(end) => i = end.max(i + 1),
            Scan::Hit(hit, resume) => {
                i = resume.max(i + 1);
                hits.push(hit);
            }
        }
    }
    hits
}

/// What a matcher made of one position.
enum Scan {
    /// Nothing here: move on by one byte.
    Miss,
    /// Nothing here, and nothing before this offset either.
    Skip(usize),
    /// A secret; resume scanning at the offset.
    Hit(Hit, usize),
}

/// A token made of a fixed prefix and a random-looking body.
struct Prefixed {
    prefix: &'static str,
    kind: &'static str,
    /// Which bytes the body is made of.
    body: fn(u8) -> bool,
    /// The shortest body a real token has.
    min_body: usize,
    /// The character mix a real body has (placeholders and prose lack it).
    looks_random: fn(&[u8]) -> bool,
}

/// The prefixed tokens. The first prefix that matches the text decides, so longer prefixes
/// come before their own prefixes (`sk-ant-` before `sk-`).
const PREFIXED: &[Prefixed] = &[
    Prefixed {
        prefix: "sk-ant-",
        kind: kind::ANTHROPIC,
        body: is_token_byte,
        min_body: 32,
        looks_random: has_upper_lower_digit,
    },
    // Legacy `sk-` + 48 characters, `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…`.
    Prefixed {
        prefix: "sk-",
        kind: kind::OPENAI,
        body: is_token_byte,
        min_body: 32,
        looks_random: has_upper_lower_digit,
    },
    Prefixed {
        prefix: "sk_live_",
        kind: kind::STRIPE_SECRET,
        body: is_alnum,
        min_body: 20,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "sk_test_",
        kind: kind::STRIPE_SECRET,
        body: is_alnum,
        min_body: 20,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "rk_live_",
        kind: kind::STRIPE_RESTRICTED,
        body: is_alnum,
        min_body: 20,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "rk_test_",
        kind: kind::STRIPE_RESTRICTED,
        body: is_alnum,
        min_body: 20,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "sb_secret_",
        kind: kind::SUPABASE_SECRET,
        body: is_token_byte,
        min_body: 20,
        looks_random: has_letter_digit,
    },
    // Fine-grained: `github_pat_` + 22 characters + `_` + 59 characters.
    Prefixed {
        prefix: "github_pat_",
        kind: kind::GITHUB,
        body: is_word_byte,
        min_body: 40,
        looks_random: has_upper_lower_digit,
    },
    // Classic: prefix + 36 characters.
    Prefixed {
        prefix: "ghp_",
        kind: kind::GITHUB,
        body: is_alnum,
        min_body: 36,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "gho_",
        kind: kind::GITHUB,
        body: is_alnum,
        min_body: 36,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "ghu_",
        kind: kind::GITHUB,
        body: is_alnum,
        min_body: 36,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "ghs_",
        kind: kind::GITHUB,
        body: is_alnum,
        min_body: 36,
        looks_random: has_letter_digit,
    },
    Prefixed {
        prefix: "ghr_",
        kind: kind::GITHUB,
        body: is_alnum,
        min_body: 36,
        looks_random: has_letter_digit,
    },
];

/// A prefixed token at `i`: OpenAI, Anthropic, Stripe, Supabase secret, GitHub.
fn match_prefixed(bytes: &[u8], i: usize) -> Scan {
    if !boundary_before(bytes, i) {
        return Scan::Miss;
    }
    let rest = &bytes[i..];
    let Some(token) = PREFIXED
        .iter()
        .find(|t| rest.starts_with(t.prefix.as_bytes()))
    else {
        return Scan::Miss;
    };
    let body_start = i + token.prefix.len();
    let body_end = run_end(bytes, body_start, token.body);
    let body = &bytes[body_start..body_end];
    if body.len() >= token.min_body && (token.looks_random)(body) {
        let hit = Hit {
            start: i,
            end: body_end,
            kind: token.kind,
        };
        return Scan::Hit(hit, body_end);
    }
    Scan::Skip(body_end)
}

/// An AWS access key id at `i`: `AKIA` or `ASIA` and exactly 16 uppercase letters or digits.
/// AWS's documented example (`…EXAMPLE`) is not a secret.
fn match_aws(bytes: &[u8], i: usize) -> Scan {
    const LEN: usize = 20;
    let rest = &bytes[i..];
    if !(rest.starts_with(b"AKIA") || rest.starts_with(b"ASIA")) || !boundary_before(bytes, i) {
        return Scan::Miss;
    }
    let Some(id) = rest.get(..LEN) else {
        return Scan::Miss;
    };
    let upper_alnum = id[4..]
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let ends_here = rest.get(LEN).is_none_or(|&b| !is_token_byte(b));
    if upper_alnum && ends_here && !id.ends_with(b"EXAMPLE") {
        let hit = Hit {
            start: i,
            end: i + LEN,
            kind: kind::AWS_ACCESS_KEY,
        };
        return Scan::Hit(hit, i + LEN);
    }
    Scan::Miss
}

/// The largest JWT payload decoded; anything longer is not a Supabase key.
const MAX_JWT_PAYLOAD: usize = 16 * 1024;

/// A JWT at `i` whose payload says `"role": "service_role"` (Supabase's server key; the
/// public `anon` key is fine). The signature is not checked: only the claim matters.
fn match_jwt(bytes: &[u8], i: usize) -> Scan {
    if !bytes[i..].starts_with(b"eyJ") || !boundary_before(bytes, i) || bytes_before(bytes, i, b'.')
    {
        return Scan::Miss;
    }
    let run_end = run_end(bytes, i, |b| is_token_byte(b) || b == b'.');
    let mut end = run_end;
    while end > i && bytes[end - 1] == b'.' {
        end -= 1;
    }
    let token = &bytes[i..end];
    if is_service_role_jwt(token) {
        let hit = Hit {
            start: i,
            end,
            kind: kind::SUPABASE_SERVICE_ROLE,
        };
        return Scan::Hit(hit, run_end);
    }
    Scan::Skip(run_end)
}

/// Whether `token` is `header.payload.signature` with a `service_role` payload.
fn is_service_role_jwt(token: &[u8]) -> bool {
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if header.is_empty() || signature.is_empty() || payload.len() > MAX_JWT_PAYLOAD {
        return false;
    }
    let Ok(json) = b64::decode(payload, b64::Alphabet::UrlSafe) else {
        return false;
    };
    let Ok(claims) = serde_json::from_slice::<serde_json::Value>(&json) else {
        return false;
    };
    claims.get("role").and_then(|r| r.as_str()) == Some("service_role")
}

/// How far after a private key's header its base64 body must start.
const PEM_BODY_WINDOW: usize = 512;
/// How far a private key's `-----END` may be; the body up to it is skipped.
const PEM_MAX_LEN: usize = 64 * 1024;

/// A PEM private key at `i`: `-----BEGIN <…>PRIVATE KEY[ BLOCK]-----` followed by key
/// material. A header alone (code that checks for one) is not a key.
fn match_private_key(bytes: &[u8], i: usize) -> Scan {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const DASHES: &[u8] = b"-----";
    if !bytes[i..].starts_with(BEGIN) {
        return Scan::Miss;
    }
    let label_start = i + BEGIN.len();
    let label_end = run_end(bytes, label_start, |b| {
        b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' '
    });
    let label = &bytes[label_start..label_end];
    let is_private = label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK");
    if !is_private || !bytes[label_end..].starts_with(DASHES) {
        return Scan::Miss;
    }
    let header_end = label_end + DASHES.len();
    let window_end = (header_end + PEM_BODY_WINDOW).min(bytes.len());
    if longest_run(&bytes[header_end..window_end], is_base64_byte) < 40 {
        return Scan::Skip(header_end);
    }
    let search_end = (header_end + PEM_MAX_LEN).min(bytes.len());
    let resume =
        find(&bytes[header_end..search_end], b"-----END ").map_or(header_end, |at| header_end + at);
    let hit = Hit {
        start: i,
        end: header_end,
        kind: kind::PRIVATE_KEY,
    };
    Scan::Hit(hit, resume)
}

/// The masked form of a value: its first 4 and last 2 characters. A private key shows its
/// header only (public boilerplate); the key material is never shown.
fn mask(value: &str, kind: &str) -> String {
    if kind == kind::PRIVATE_KEY {
        return format!("{value}…");
    }
    let chars: Vec<char> = value.chars().collect();
    if chars.len() < 12 {
        return "…".to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}…{tail}")
}

/// Letters, digits, `_` and `-`: what tokens are made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// Whether a match may start at `i`: the byte before it is not part of a token.
fn boundary_before(bytes: &[u8], i: usize) -> bool {
    i == 0 || !is_token_byte(bytes[i - 1])
}

/// Whether the byte before `i` is `b`.
fn bytes_before(bytes: &[u8], i: usize, b: u8) -> bool {
    i > 0 && bytes[i - 1] == b
}

/// The end of the run of bytes satisfying `keep` that starts at `from`.
fn run_end(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let from = from.min(bytes.len());
    from + bytes[from..].iter().take_while(|&&b| keep(b)).count()
}

/// The length of the longest run of bytes satisfying `keep`.
fn longest_run(bytes: &[u8], keep: fn(u8) -> bool) -> usize {
    bytes
        .split(|&b| !keep(b))
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

/// The offset of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn has_letter_digit(body: &[u8]) -> bool {
    body.iter().any(u8::is_ascii_alphabetic) && body.iter().any(u8::is_ascii_digit)
}

fn has_upper_lower_digit(body: &[u8]) -> bool {
    body.iter().any(u8::is_ascii_uppercase)
        && body.iter().any(u8::is_ascii_lowercase)
        && body.iter().any(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests;

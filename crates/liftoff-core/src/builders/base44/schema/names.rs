//! Table and column names: snake_case entity names, PostgreSQL's 63-byte limit, uniqueness.

use std::collections::BTreeSet;

use super::MAX_NAME_BYTES;

/// An entity's table name: snake_case, not pluralized (`RSVP` → `rsvp`, `UserProfile` →
/// `user_profile`, `CheckIn` → `check_in`, `HTTPRequest` → `http_request`).
pub fn table_name(entity: &str) -> String {
    let chars: Vec<char> = entity.chars().collect();
    let mut out = String::with_capacity(entity.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary =
                prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower);
            if boundary && !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
        }
        out.push(crate::fold::lower(c));
    }
    let trimmed = out.trim_matches('_');
    if trimmed.is_empty() {
        "entity".into()
    } else {
        trimmed.into()
    }
}

/// `name` cut to at most 63 bytes, on a character boundary.
pub fn cut_name(name: &str) -> &str {
    cut_to(name, MAX_NAME_BYTES)
}

fn cut_to(name: &str, max: usize) -> &str {
    if name.len() <= max {
        return name;
    }
    let mut end = max;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// `base` if free, else `base_2`, `base_3`… (cut to fit 63 bytes).
pub(super) fn unique_name(base: &str, taken: &BTreeSet<String>) -> String {
    let base = cut_name(base);
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| {
            let suffix = format!("_{n}");
            format!("{}{suffix}", cut_to(base, MAX_NAME_BYTES - suffix.len()))
        })
        .find(|candidate| !taken.contains(candidate))
        .expect("some suffix is free")
}

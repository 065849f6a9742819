//! Quoting identifiers and literals for PostgreSQL, the way its own `quote_ident` and
//! `quote_literal` do: everything Liftoff writes into SQL from outside data goes through here.

use serde_json::Value;
use thiserror::Error;

use super::keywords::is_keyword;
use crate::time::{parse_date, parse_date_time};

/// Why a value cannot be written as SQL.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum QuoteError {
    /// PostgreSQL's text, names and jsonb cannot hold the NUL character.
    #[error("contains the NUL character, which PostgreSQL cannot store")]
    Nul,
    #[error("an identifier cannot be empty")]
    EmptyIdentifier,
    #[error("not a finite number (NaN or infinite)")]
    NotFinite,
    #[error("'{}' is not a date (YYYY-MM-DD)", crate::text::excerpt(.0))]
    BadDate(String),
    #[error("'{}' is not an ISO 8601 date and time", crate::text::excerpt(.0))]
    BadDateTime(String),
}

/// `name` as an identifier: as it is when it is a plain lower-case name that is not a keyword
/// (`title`, `due_date`), double-quoted otherwise (`"Title"`, `"order"`, `"my field"`), with
/// inner double quotes doubled.
pub fn quote_ident(name: &str) -> Result<String, QuoteError> {
    if name.is_empty() {
        return Err(QuoteError::EmptyIdentifier);
    }
    if name.contains('\0') {
        return Err(QuoteError::Nul);
    }
    let plain = name
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !is_keyword(name);
    if plain {
        return Ok(name.to_string());
    }
    Ok(format!("\"{}\"", name.replace('"', "\"\"")))
}

/// `text` as a string literal: `'it''s'`; a text with a backslash is written `E'a\\b'`, which
/// means the same whatever `standard_conforming_strings` says.
pub fn quote_literal(text: &str) -> Result<String, QuoteError> {
    if text.contains('\0') {
        return Err(QuoteError::Nul);
    }
    let escaped = text.replace('\'', "''");
    Ok(if text.contains('\\') {
        format!("E'{}'", escaped.replace('\\', "\\\\"))
    } else {
        format!("'{escaped}'")
    })
}

/// A `bigint` literal.
pub fn literal_i64(value: i64) -> String {
    value.to_string()
}

/// A `double precision` literal: the shortest text that reads back as the same number.
/// Printed by serde_json (ryu), which the module carries anyway, rather than `f64`'s own
/// `Display`, which would add about 20 KB of float formatting to the extension's wasm.
pub fn literal_f64(value: f64) -> Result<String, QuoteError> {
    if !value.is_finite() {
        return Err(QuoteError::NotFinite);
    }
    let text = serde_json::to_string(&value).map_err(|_| QuoteError::NotFinite)?;
    Ok(text.strip_suffix(".0").map(str::to_string).unwrap_or(text))
}

/// `true` or `false`.
pub fn literal_bool(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// The SQL null.
pub const NULL: &str = "null";

/// Any JSON value as a `jsonb` literal: `'{"a":1}'::jsonb`. Refused when a string or key
/// holds NUL (`\u0000`), which jsonb rejects.
pub fn literal_jsonb(value: &Value) -> Result<String, QuoteError> {
    if json_has_nul(value) {
        return Err(QuoteError::Nul);
    }
    let text = serde_json::to_string(value).expect("a Value always serializes");
    Ok(format!("{}::jsonb", quote_literal(&text)?))
}

/// Whether any string or key inside `value` holds NUL.
pub fn json_has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(json_has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || json_has_nul(v)),
        _ => false,
    }
}

/// A `date` literal from `YYYY-MM-DD` (checked: a real day of a real month).
pub fn literal_date(text: &str) -> Result<String, QuoteError> {
    parse_date(text).ok_or_else(|| QuoteError::BadDate(shorten(text)))?;
    quote_literal(text)
}

/// A `timestamptz` literal from an ISO 8601 date and time (`2024-05-01T10:00:00.123Z`,
/// `2024-05-01 10:00:00+02:00`). A value without an offset is taken as UTC (Base44 stores UTC)
/// and written with `Z`, so the session's time zone never shifts it; a bare date is midnight UTC.
pub fn literal_timestamptz(text: &str) -> Result<String, QuoteError> {
    let parsed = parse_date_time(text).ok_or_else(|| QuoteError::BadDateTime(shorten(text)))?;
    let mut normalized = text.to_string();
    if !parsed.has_time {
        normalized.push_str("T00:00:00");
    }
    if !parsed.has_offset {
        normalized.push('Z');
    }
    quote_literal(&normalized)
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identifiers_are_quoted_only_when_sql_needs_it() {
        for (name, quoted) in [
            ("title", "title"),
            ("due_date", "due_date"),
            ("_x1", "_x1"),
            ("Title", "\"Title\""),
            ("displayName", "\"displayName\""),
            ("order", "\"order\""),
            ("user", "\"user\""),
            ("from", "\"from\""),
            ("1st", "\"1st\""),
            ("my field", "\"my field\""),
            ("a\"b", "\"a\"\"b\""),
            ("café", "\"café\""),
            ("x;drop table t", "\"x;drop table t\""),
        ] {
            assert_eq!(quote_ident(name).unwrap(), quoted, "{name}");
        }
        assert_eq!(quote_ident(""), Err(QuoteError::EmptyIdentifier));
        assert_eq!(quote_ident("a\0b"), Err(QuoteError::Nul));
    }

    #[test]
    fn literals_escape_quotes_and_backslashes_and_refuse_nul() {
        assert_eq!(quote_literal("plain").unwrap(), "'plain'");
        assert_eq!(quote_literal("it's").unwrap(), "'it''s'");
        assert_eq!(quote_literal("''").unwrap(), "''''''");
        assert_eq!(quote_literal(r"a\b").unwrap(), r"E'a\\b'");
        assert_eq!(quote_literal(r"\'; drop").unwrap(), r"E'\\''; drop'");
        assert_eq!(quote_literal("$$ -- /* ;").unwrap(), "'$$ -- /* ;'");
        assert_eq!(quote_literal("line\nbreak ✓").unwrap(), "'line\nbreak ✓'");
        assert_eq!(quote_literal("a\0"), Err(QuoteError::Nul));
    }

    #[test]
    fn numbers_booleans_and_null() {
        assert_eq!(literal_i64(-42), "-42");
        assert_eq!(literal_i64(i64::MAX), "9223372036854775807");
        assert_eq!(literal_f64(0.1).unwrap(), "0.1");
        assert_eq!(literal_f64(-2.5).unwrap(), "-2.5");
        assert_eq!(literal_f64(3.0).unwrap(), "3");
        assert!(literal_f64(f64::NAN).is_err());
        assert!(literal_f64(f64::INFINITY).is_err());
        assert_eq!(literal_bool(true), "true");
        assert_eq!(NULL, "null");
    }

    #[test]
    fn jsonb_keeps_order_and_refuses_nul() {
        let v = json!({"b": 1, "a": ["it's", "\\", {"n": null}]});
        assert_eq!(
            literal_jsonb(&v).unwrap(),
            r#"E'{"b":1,"a":["it''s","\\\\",{"n":null}]}'::jsonb"#
        );
        assert_eq!(literal_jsonb(&json!({"a\u{0}": 1})), Err(QuoteError::Nul));
        assert_eq!(literal_jsonb(&json!(["x\u{0}"])), Err(QuoteError::Nul));
    }

    #[test]
    fn dates_and_timestamps_are_checked() {
        assert_eq!(literal_date("2024-02-29").unwrap(), "'2024-02-29'");
        assert!(literal_date("2023-02-29").is_err());
        assert!(literal_date("2024-13-01").is_err());
        assert!(literal_date("2024-1-01").is_err());
        assert!(literal_date("tomorrow").is_err());
        assert_eq!(
            literal_timestamptz("2024-05-01T10:00:00.123456").unwrap(),
            "'2024-05-01T10:00:00.123456Z'"
        );
        assert_eq!(
            literal_timestamptz("2024-05-01 10:00:00+02:00").unwrap(),
            "'2024-05-01 10:00:00+02:00'"
        );
        assert_eq!(
            literal_timestamptz("2024-05-01").unwrap(),
            "'2024-05-01T00:00:00Z'"
        );
        assert!(literal_timestamptz("2024-05-01T25:00:00Z").is_err());
        assert!(literal_timestamptz("now").is_err());
        assert!(literal_timestamptz("2024-05-01T10:00:00Z'; drop table x; --").is_err());
    }
}

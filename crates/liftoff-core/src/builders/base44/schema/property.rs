//! One property's column: its type from `type` and `format`, its CHECK from `enum`, its
//! DEFAULT from `default`; what does not fit is noted through `note`, never dropped.

use serde_json::{Map, Value};

use super::{as_i64, Column, ColumnKind};

/// The column type of a property (`type`, `format`; an `enum` without a type tells it).
pub(super) fn column_kind(spec: &Map<String, Value>, note: &mut dyn FnMut(String)) -> ColumnKind {
    let types: Vec<&str> = match spec.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let types: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    match types.as_slice() {
        ["string"] => match spec.get("format").and_then(Value::as_str) {
            Some("date") => ColumnKind::Date,
            Some("date-time") => ColumnKind::Timestamptz,
            _ => ColumnKind::Text,
        },
        ["number"] => ColumnKind::Double,
        ["integer"] => ColumnKind::Bigint,
        ["boolean"] => ColumnKind::Boolean,
        ["object"] => ColumnKind::Object,
        ["array"] => ColumnKind::Array,
        [] => match spec
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|v| enum_kind(v))
        {
            Some(kind) => kind,
            None => {
                note("no type given: kept as jsonb".into());
                ColumnKind::Json
            }
        },
        [other] => {
            note(format!(
                "type '{other}' has no PostgreSQL column type: kept as jsonb"
            ));
            ColumnKind::Json
        }
        several => {
            note(format!(
                "several types ({}): kept as jsonb",
                several.join(", ")
            ));
            ColumnKind::Json
        }
    }
}

/// The type all of an enum's values share.
fn enum_kind(values: &[Value]) -> Option<ColumnKind> {
    let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    let all = |f: fn(&Value) -> bool| !values.is_empty() && values.iter().all(|v| f(v));
    if all(Value::is_string) {
        Some(ColumnKind::Text)
    } else if all(|v| v.as_number().is_some_and(|n| as_i64(n).is_some())) {
        Some(ColumnKind::Bigint)
    } else if all(Value::is_number) {
        Some(ColumnKind::Double)
    } else if all(Value::is_boolean) {
        Some(ColumnKind::Boolean)
    } else {
        None
    }
}

pub(super) fn allowed_values(
    column: &Column,
    spec: &Map<String, Value>,
    note: &mut dyn FnMut(String),
) -> Option<Vec<Value>> {
    let values = match spec.get("enum")? {
        Value::Array(values) => values,
        _ => {
            note("'enum' is not a list: no CHECK constraint".into());
            return None;
        }
    };
    if matches!(
        column.kind,
        ColumnKind::Object | ColumnKind::Array | ColumnKind::Json
    ) {
        note("an enum on a jsonb column is not checked".into());
        return None;
    }
    let allowed: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
    let probe = Column {
        allowed: None,
        ..column.clone()
    };
    if allowed.is_empty() || allowed.iter().any(|v| probe.literal(v).is_err()) {
        note("its enum lists no value, or values of another type: no CHECK constraint".into());
        return None;
    }
    Some(allowed)
}

pub(super) fn default_value(
    column: &Column,
    spec: &Map<String, Value>,
    note: &mut dyn FnMut(String),
) -> Option<String> {
    let value = spec.get("default").filter(|v| !v.is_null())?;
    match column.literal(value) {
        Ok(literal) => Some(literal),
        Err(why) => {
            note(format!("default {why}: no DEFAULT"));
            None
        }
    }
}

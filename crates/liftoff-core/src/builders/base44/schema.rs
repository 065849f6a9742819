//! Base44 entity schemas as PostgreSQL tables. An entity schema is a JSON Schema object
//! (`{"name", "type": "object", "properties", "required"}`) found at `entities/<Name>` (no
//! extension, older exports) or `base44/entities/*.jsonc` (the CLI layout, with comments).
//! [`map_schema`] decides every table and column (names, types, NOT NULL, CHECK, DEFAULT)
//! and notes what did not map; [`migration_sql`] writes the one migration; [`add_entities_migration`]
//! is the normalize pass that puts it in the tree.

mod names;
mod property;
mod read;
mod render;

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};
use thiserror::Error;

use crate::edit::Edits;
use crate::sql::quote::{
    literal_bool, literal_date, literal_f64, literal_i64, literal_jsonb, literal_timestamptz,
    quote_literal,
};
use crate::tree::SourceTree;

pub use names::{cut_name, table_name};
pub use read::{read_entities, strip_jsonc};
pub use render::migration_sql;

/// What LIFTOFF.md says about the database files (Markdown, starting with a `##` heading): a
/// text of the off-ramp's folder (`offramp/database.md`), when this build has them.
pub fn database_notes_md() -> Option<&'static str> {
    super::offramp::texts::texts().map(|t| t.database.as_str())
}

use names::unique_name;
use property::{allowed_values, column_kind, default_value};

/// Longest PostgreSQL name, in bytes (longer ones are cut by the server).
pub const MAX_NAME_BYTES: usize = 63;
/// The timestamp the normalize pass gives the migration when the tree has none yet: fixed, so
/// the same project always exports the same bytes, and early, so migrations the founder adds
/// later sort after it.
pub const DEFAULT_TIMESTAMP: &str = "20000101000000";
/// What follows the timestamp in the migration's file name.
pub const MIGRATION_SUFFIX: &str = "_liftoff_base44_entities.sql";
/// The side table for rows that do not fit their table.
pub const UNMAPPED_TABLE: &str = "liftoff_unmapped_rows";
/// Names a table may not take (Liftoff's own).
const RESERVED_TABLES: &[&str] = &[UNMAPPED_TABLE, crate::sql::migration::LEDGER_TABLE];

/// One entity schema as found in the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySchema {
    /// The entity's name as the app and the API use it (`Task`, `UserProfile`).
    pub name: String,
    /// The file it came from.
    pub path: String,
    /// The schema object.
    pub json: Map<String, Value>,
}

/// A column's type, as Base44 data meets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Date,
    Timestamptz,
    Double,
    Bigint,
    Boolean,
    /// jsonb holding a JSON object.
    Object,
    /// jsonb holding a JSON array.
    Array,
    /// jsonb holding anything (a type that did not map).
    Json,
}

impl ColumnKind {
    /// The PostgreSQL type.
    pub fn sql_type(self) -> &'static str {
        match self {
            ColumnKind::Text => "text",
            ColumnKind::Date => "date",
            ColumnKind::Timestamptz => "timestamptz",
            ColumnKind::Double => "double precision",
            ColumnKind::Bigint => "bigint",
            ColumnKind::Boolean => "boolean",
            ColumnKind::Object | ColumnKind::Array | ColumnKind::Json => "jsonb",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The entity property it holds.
    pub property: String,
    /// The column's name: the property's, cut to 63 bytes when longer.
    pub name: String,
    pub kind: ColumnKind,
    pub not_null: bool,
    /// The DEFAULT expression, already SQL.
    pub default: Option<String>,
    /// The values the `enum` allows (a CHECK constraint), nulls left out.
    pub allowed: Option<Vec<Value>>,
    /// One of `id`, `created_date`, `updated_date`, `created_by`.
    pub builtin: bool,
}

impl Column {
    fn builtin(name: &str, kind: ColumnKind, not_null: bool, default: Option<&str>) -> Self {
        Self {
            property: name.into(),
            name: name.into(),
            kind,
            not_null,
            default: default.map(str::to_string),
            allowed: None,
            builtin: true,
        }
    }

    /// `value` as a SQL literal for this column, or why it does not fit (wrong type, not one
    /// of the enum's values, a NUL character). `null` is the SQL null.
    pub fn literal(&self, value: &Value) -> Result<String, String> {
        if value.is_null() {
            return Ok(crate::sql::quote::NULL.into());
        }
        if let Some(allowed) = &self.allowed {
            if !allowed.iter().any(|a| same_value(a, value)) {
                return Err(format!("{} is not one of the allowed values", short(value)));
            }
        }
        let wrong = || format!("{} is not {}", short(value), self.kind.described());
        match (self.kind, value) {
            (ColumnKind::Text, Value::String(s)) => quote_literal(s).map_err(|e| e.to_string()),
            (ColumnKind::Date, Value::String(s)) => literal_date(s).map_err(|e| e.to_string()),
            (ColumnKind::Timestamptz, Value::String(s)) => {
                literal_timestamptz(s).map_err(|e| e.to_string())
            }
            (ColumnKind::Double, Value::Number(n)) => n
                .as_f64()
                .ok_or_else(wrong)
                .and_then(|f| literal_f64(f).map_err(|e| e.to_string())),
            (ColumnKind::Bigint, Value::Number(n)) => as_i64(n).map(literal_i64).ok_or_else(wrong),
            (ColumnKind::Boolean, Value::Bool(b)) => Ok(literal_bool(*b).into()),
            (ColumnKind::Object, Value::Object(_))
            | (ColumnKind::Array, Value::Array(_))
            | (ColumnKind::Json, _) => literal_jsonb(value).map_err(|e| e.to_string()),
            _ => Err(wrong()),
        }
    }
}

impl ColumnKind {
    fn described(self) -> &'static str {
        match self {
            ColumnKind::Text => "a string",
            ColumnKind::Date => "a date",
            ColumnKind::Timestamptz => "a date and time",
            ColumnKind::Double => "a number",
            ColumnKind::Bigint => "an integer",
            ColumnKind::Boolean => "a boolean",
            ColumnKind::Object => "an object",
            ColumnKind::Array => "an array",
            ColumnKind::Json => "JSON",
        }
    }
}

/// An integer, also when written `3.0`.
fn as_i64(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        (f.fract() == 0.0 && f >= -(2f64.powi(63)) && f < 2f64.powi(63)).then_some(f as i64)
    })
}

/// JSON equality where `1` and `1.0` are the same number.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A value for a message: its JSON, cut short.
/// A value as a reason quotes it: its JSON, escaped, at most 60 characters.
fn short(value: &Value) -> String {
    crate::text::quote(&value.to_string(), 60)
}

/// One table: an entity with its columns, built-in ones first.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub entity: String,
    /// snake_case, unique, at most 63 bytes.
    pub name: String,
    /// The schema file.
    pub source: String,
    pub columns: Vec<Column>,
}

impl Table {
    /// The column holding `property`, if one does.
    pub fn column(&self, property: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.property == property)
    }
}

/// Something in a schema that did not map as it is: kept (as jsonb or text, or without its
/// CHECK or DEFAULT) and named in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub entity: String,
    pub property: Option<String>,
    pub what: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.property {
            Some(p) => write!(
                f,
                "Base44 entity {}, property '{}': {}",
                self.entity, p, self.what
            ),
            None => write!(f, "Base44 entity {}: {}", self.entity, self.what),
        }
    }
}

/// Every table, and what did not map as it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    pub tables: Vec<Table>,
    pub notes: Vec<Note>,
}

impl Schema {
    /// The table of `entity`, if it has one.
    pub fn table(&self, entity: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.entity == entity)
    }
}

/// The columns every Base44 record has.
fn builtin_columns() -> Vec<Column> {
    vec![
        Column::builtin(
            "id",
            ColumnKind::Text,
            true,
            Some("gen_random_uuid()::text"),
        ),
        Column::builtin("created_date", ColumnKind::Timestamptz, true, Some("now()")),
        Column::builtin("updated_date", ColumnKind::Timestamptz, true, Some("now()")),
        Column::builtin("created_by", ColumnKind::Text, false, None),
    ]
}

/// Maps every entity to a table.
pub fn map_schema(entities: &[EntitySchema]) -> Schema {
    let mut taken: BTreeSet<String> = RESERVED_TABLES.iter().map(|s| s.to_string()).collect();
    let mut schema = Schema::default();
    for entity in entities {
        let name = unique_name(&table_name(&entity.name), &taken);
        taken.insert(name.clone());
        let mut notes = Vec::new();
        let columns = map_columns(entity, &mut notes);
        schema
            .notes
            .extend(notes.into_iter().map(|(property, what)| Note {
                entity: entity.name.clone(),
                property,
                what,
            }));
        schema.tables.push(Table {
            entity: entity.name.clone(),
            name,
            source: entity.path.clone(),
            columns,
        });
    }
    schema
}

type Notes = Vec<(Option<String>, String)>;

fn map_columns(entity: &EntitySchema, notes: &mut Notes) -> Vec<Column> {
    let mut columns = builtin_columns();
    let required: BTreeSet<&str> = entity
        .json
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = match entity.json.get("properties") {
        Some(Value::Object(p)) => p.clone(),
        None => Map::new(),
        Some(_) => {
            notes.push((
                None,
                "'properties' is not an object: the table has only the built-in columns".into(),
            ));
            Map::new()
        }
    };
    for (property, spec) in &properties {
        if columns.iter().any(|c| c.builtin && c.property == *property) {
            // The schema declares a built-in column itself: the built-in definition stands.
            continue;
        }
        let note = |what: String| (Some(property.clone()), what);
        if property.is_empty() || property.contains('\0') {
            notes.push(note("cannot be a column name; rows with a value for it are kept whole in liftoff_unmapped_rows".into()));
            continue;
        }
        let name = cut_name(property).to_string();
        if let Some(clash) = columns.iter().find(|c| c.name == name) {
            notes.push(note(format!(
                "its name cut to 63 bytes is the column of '{}'; rows with a value for it are kept \
                 whole in liftoff_unmapped_rows",
                clash.property
            )));
            continue;
        }
        if name != *property {
            notes.push(note(format!(
                "the column name is cut to PostgreSQL's 63 bytes: {name}"
            )));
        }
        let empty = Map::new();
        let spec = spec.as_object().unwrap_or(&empty);
        let mut column = Column {
            property: property.clone(),
            name,
            kind: column_kind(spec, &mut |what| notes.push(note(what))),
            not_null: required.contains(property.as_str()),
            default: None,
            allowed: None,
            builtin: false,
        };
        column.allowed = allowed_values(&column, spec, &mut |what| notes.push(note(what)));
        column.default = default_value(&column, spec, &mut |what| notes.push(note(what)));
        columns.push(column);
    }
    columns
}

/// The migration's path for a 14-digit timestamp (`YYYYMMDDHHMMSS`, Supabase's format).
pub fn migration_path(timestamp: &str) -> Result<String, BadTimestamp> {
    if timestamp.len() != 14 || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadTimestamp(timestamp.into()));
    }
    Ok(format!(
        "{}/{timestamp}{MIGRATION_SUFFIX}",
        crate::sql::migration::MIGRATIONS_DIR
    ))
}

/// A migration timestamp that is not 14 digits.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("'{}' is not a migration timestamp (14 digits, YYYYMMDDHHMMSS)", crate::text::excerpt(.0))]
pub struct BadTimestamp(pub String);

/// The path of the entities migration already in `tree`, if there is one.
pub fn existing_migration(tree: &SourceTree) -> Option<String> {
    let prefix = format!("{}/", crate::sql::migration::MIGRATIONS_DIR);
    tree.iter()
        .map(|(p, _)| p.as_str())
        .find(|p| {
            p.strip_prefix(&prefix)
                .is_some_and(|rest| !rest.contains('/') && rest.ends_with(MIGRATION_SUFFIX))
        })
        .map(str::to_string)
}

/// The entity schemas of `tree`, mapped; with the warnings of reading them.
pub fn schema_of_tree(tree: &SourceTree) -> (Schema, Vec<String>) {
    let (entities, warnings) = read_entities(tree);
    (map_schema(&entities), warnings)
}

/// The normalize pass: writes the entities migration of a Base44 project (at the path it
/// already has, else with [`DEFAULT_TIMESTAMP`]) and names in the report what did not map.
pub fn add_entities_migration(edits: &mut Edits<'_>) {
    add_entities_migration_at(edits, DEFAULT_TIMESTAMP).expect("the default timestamp is valid");
}

/// [`add_entities_migration`] with the timestamp a new migration gets (an existing one keeps
/// its own, so normalizing twice changes nothing).
pub fn add_entities_migration_at(
    edits: &mut Edits<'_>,
    timestamp: &str,
) -> Result<(), BadTimestamp> {
    let path = match existing_migration(edits.tree) {
        Some(path) => path,
        None => migration_path(timestamp)?,
    };
    if edits.report.builder != super::SPEC.builder {
        return Ok(());
    }
    let (entities, warnings) = read_entities(edits.tree);
    for warning in warnings {
        edits.warn(warning);
    }
    if entities.is_empty() {
        return Ok(());
    }
    let schema = map_schema(&entities);
    edits.write(
        &path,
        migration_sql(&schema).into_bytes(),
        "the Base44 entity schemas as PostgreSQL tables, with row-level security for Supabase \
         (`liftoff db push` applies it)",
    );
    for note in &schema.notes {
        edits.warn(note.to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests;

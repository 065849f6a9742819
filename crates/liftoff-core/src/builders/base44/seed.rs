//! An app's rows as `supabase/seed.sql`: one INSERT per row with explicit columns, every value
//! written by the quoting functions of [`crate::sql::quote`], ids and dates as Base44 gave
//! them. A row that does not fit its table (a property the schema does not declare, a value of
//! the wrong type, a required value missing) goes whole into `liftoff_unmapped_rows`, with the
//! reason, and is named in the report: no row is ever dropped.

use crate::text::{count, excerpt};
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::schema::{schema_of_tree, Schema, Table, UNMAPPED_TABLE};
use crate::edit::Edits;
use crate::sql::migration::SEED;
use crate::sql::quote::{literal_jsonb, quote_ident, quote_literal};

/// The rows of one entity, as the API returned them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntityRows {
    pub entity: String,
    pub rows: Vec<Value>,
}

/// A row kept in `liftoff_unmapped_rows`, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmappedRow {
    pub entity: String,
    /// The row's `id`, when it has a string one.
    pub id: Option<String>,
    pub reason: String,
}

/// The seed and what went where.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Seed {
    pub sql: String,
    /// Rows inserted into their entity's table, by entity.
    pub inserted: BTreeMap<String, usize>,
    /// Rows kept whole in `liftoff_unmapped_rows`.
    pub unmapped: Vec<UnmappedRow>,
    /// Rows that repeated an earlier row exactly (same id, same values): written once.
    pub repeated: usize,
}

/// Writes the seed for `data` against the tables of `schema`.
pub fn seed_sql(schema: &Schema, data: &[EntityRows]) -> Seed {
    let mut seed = Seed::default();
    let total: usize = data.iter().map(|d| d.rows.len()).sum();
    let mut body = String::new();
    let mut side = String::new();
    for entity in data {
        let table = schema.table(&entity.entity);
        let mut seen: BTreeMap<&str, &Value> = BTreeMap::new();
        let mut inserted = 0;
        let mut lines = String::new();
        for row in &entity.rows {
            let id = row.get("id").and_then(Value::as_str);
            let result = match (table, id.and_then(|id| seen.get(id))) {
                (_, Some(earlier)) if *earlier == row => {
                    seed.repeated += 1;
                    continue;
                }
                (_, Some(_)) => Err("another row has the same id and different values".into()),
                (None, None) => Err(format!(
                    "there is no schema for entity {}",
                    excerpt(&entity.entity)
                )),
                (Some(table), None) => insert(table, row),
            };
            match result {
                Ok(sql) => {
                    if let Some(id) = id {
                        seen.insert(id, row);
                    }
                    lines.push_str(&sql);
                    inserted += 1;
                }
                Err(reason) => {
                    side.push_str(&unmapped_insert(&entity.entity, row, &reason));
                    seed.unmapped.push(UnmappedRow {
                        entity: entity.entity.clone(),
                        id: id.map(str::to_string),
                        reason,
                    });
                }
            }
        }
        if let Some(table) = table.filter(|_| inserted > 0) {
            body.push_str(&format!(
                "\n-- {} ({}) into {}\n{lines}",
                one_line(&entity.entity),
                count(inserted as u64, "row", "rows"),
                one_line(&table.name)
            ));
        }
        *seed.inserted.entry(entity.entity.clone()).or_default() += inserted;
    }
    seed.sql = format!(
        "-- The app's rows as Base44 returned them, written by Liftoff: {} of {} in their \
         tables,\n-- {} kept whole in {UNMAPPED_TABLE} (see LIFTOFF.md). Apply after the \
         migrations\n-- (`liftoff db push` does; `supabase db reset` runs this file by itself).\n",
        seed.inserted.values().sum::<usize>(),
        count(total as u64, "row", "rows"),
        seed.unmapped.len(),
    );
    seed.sql.push_str(&body);
    if !side.is_empty() {
        seed.sql.push_str(&format!(
            "\n-- Rows that did not fit their table, with the reason.\n{side}"
        ));
    }
    seed
}

/// The INSERT of `row` into `table`, or why the row does not fit.
fn insert(table: &Table, row: &Value) -> Result<String, String> {
    let Value::Object(fields) = row else {
        return Err("the row is not a JSON object".into());
    };
    if let Some(unknown) = fields.keys().find(|k| table.column(k).is_none()) {
        return Err(format!(
            "property '{}' is not a column of {}",
            excerpt(unknown),
            table.name
        ));
    }
    let mut names = Vec::new();
    let mut values = Vec::new();
    for column in &table.columns {
        let value = fields.get(&column.property).filter(|v| !v.is_null());
        let Some(value) = value else {
            if column.not_null && column.default.is_none() {
                return Err(format!(
                    "required '{}' has no value",
                    excerpt(&column.property)
                ));
            }
            continue;
        };
        let literal = column
            .literal(value)
            .map_err(|why| format!("'{}': {why}", excerpt(&column.property)))?;
        names.push(quote_ident(&column.name).expect("column names are checked"));
        values.push(literal);
    }
    let t = quote_ident(&table.name).expect("table names are checked");
    Ok(format!(
        "insert into public.{t} ({}) values ({}) on conflict (id) do nothing;\n",
        names.join(", "),
        values.join(", ")
    ))
}

fn unmapped_insert(entity: &str, row: &Value, reason: &str) -> String {
    let (row, reason) = match literal_jsonb(row) {
        Ok(literal) => (literal, reason.to_string()),
        // jsonb cannot hold NUL: keep the row with U+FFFD in its place, and say so.
        Err(_) => (
            literal_jsonb(&without_nul(row)).expect("no NUL is left"),
            format!("{reason} (NUL characters replaced by U+FFFD)"),
        ),
    };
    format!(
        "insert into public.{UNMAPPED_TABLE} (entity, \"row\", reason) values ({}, {row}, {});\n",
        text_literal(entity),
        text_literal(&reason)
    )
}

fn text_literal(text: &str) -> String {
    quote_literal(&text.replace('\0', "\u{fffd}")).expect("no NUL is left")
}

fn without_nul(value: &Value) -> Value {
    let clean = |s: &str| s.replace('\0', "\u{fffd}");
    match value {
        Value::String(s) => Value::String(clean(s)),
        Value::Array(items) => Value::Array(items.iter().map(without_nul).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (clean(k), without_nul(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Writes `supabase/seed.sql` for `data` against the entity schemas in the tree, and names the
/// rows kept in `liftoff_unmapped_rows` in the report. Returns what went where.
pub fn add_seed(edits: &mut Edits<'_>, data: &[EntityRows]) -> Seed {
    let (schema, _) = schema_of_tree(edits.tree);
    let seed = seed_sql(&schema, data);
    edits.write(
        SEED,
        seed.sql.clone().into_bytes(),
        "the app's rows read from Base44, as INSERTs (`liftoff db push` applies them)",
    );
    let mut by_entity: BTreeMap<&str, Vec<&UnmappedRow>> = BTreeMap::new();
    for row in &seed.unmapped {
        by_entity.entry(&row.entity).or_default().push(row);
    }
    for (entity, rows) in by_entity {
        let first = rows[0];
        let did = count(rows.len() as u64, "row", "rows");
        let are = if rows.len() == 1 { "is" } else { "are" };
        edits.warn(format!(
            "Base44 entity {}: {did} did not fit the table and {are} kept whole in \
             {UNMAPPED_TABLE} (first: {}{})",
            excerpt(entity),
            first
                .id
                .as_deref()
                .map(|id| format!("id {}: ", excerpt(id)))
                .unwrap_or_default(),
            crate::text::quote_message(&first.reason)
        ));
    }
    seed
}

#[cfg(test)]
mod tests;

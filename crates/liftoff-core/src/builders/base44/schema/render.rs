//! The migration's text: tables, the `updated_date` trigger, row-level security, and the
//! Supabase-only part (grants, `created_by` default, policies) inside a guard, so the same
//! file applies to plain PostgreSQL 15 and to Supabase, and applying it twice is harmless.

use super::{cut_name, Column, Schema, Table};
use crate::sql::quote::{quote_ident, quote_literal};

/// The whole migration for `schema`.
pub fn migration_sql(schema: &Schema) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str(SHARED);
    for table in &schema.tables {
        render_table(&mut out, schema, table);
    }
    render_policies(&mut out, &schema.tables);
    out.push_str(
        "\n-- Let Supabase's REST layer see the new tables.\nnotify pgrst, 'reload schema';\n",
    );
    out
}

const HEADER: &str = "\
-- Base44 entities as PostgreSQL tables, written by Liftoff from the app's entity schemas.
-- Applies to Supabase and to plain PostgreSQL 15 or later: what needs Supabase (the auth
-- schema, the authenticated role) is guarded. Running it twice changes nothing.
";

const SHARED: &str = "
-- Keeps updated_date current, as Base44 did.
create or replace function public.liftoff_set_updated_date() returns trigger
language plpgsql set search_path = '' as $liftoff$
begin
  new.updated_date := now();
  return new;
end
$liftoff$;

-- Rows read from Base44 that did not fit their table, kept whole (see LIFTOFF.md).
create table if not exists public.liftoff_unmapped_rows (
  entity text not null,
  \"row\" jsonb not null,
  reason text
);
alter table public.liftoff_unmapped_rows enable row level security;
";

/// Comment text on one line (a name from a schema could hold a line break).
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn ident(name: &str) -> String {
    quote_ident(name).expect("names are checked when the schema is mapped")
}

fn literal(text: &str) -> String {
    quote_literal(text).expect("names are checked when the schema is mapped")
}

fn column_sql(column: &Column) -> String {
    let name = ident(&column.name);
    let mut sql = format!("{name} {}", column.kind.sql_type());
    if column.builtin && column.name == "id" {
        sql.push_str(" primary key");
    } else if column.not_null {
        sql.push_str(" not null");
    }
    if let Some(default) = &column.default {
        sql.push_str(&format!(" default {default}"));
    }
    if let Some(allowed) = &column.allowed {
        let values: Vec<String> = allowed
            .iter()
            .map(|v| column.literal(v).expect("allowed values fit the column"))
            .collect();
        sql.push_str(&format!(" check ({name} in ({}))", values.join(", ")));
    }
    sql
}

fn render_table(out: &mut String, schema: &Schema, table: &Table) {
    let t = format!("public.{}", ident(&table.name));
    out.push_str(&format!(
        "\n-- {} (from {})\n",
        comment(&table.entity),
        comment(&table.source)
    ));
    for note in schema.notes.iter().filter(|n| n.entity == table.entity) {
        let what = match &note.property {
            Some(p) => format!("'{p}': {}", note.what),
            None => note.what.clone(),
        };
        out.push_str(&format!("-- note: {}\n", comment(&what)));
    }
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("  {}", column_sql(c)))
        .collect();
    out.push_str(&format!(
        "create table if not exists {t} (\n{}\n);\n",
        columns.join(",\n")
    ));
    out.push_str(&format!(
        "create or replace trigger liftoff_updated_date before update on {t}\n  \
         for each row execute function public.liftoff_set_updated_date();\n"
    ));
    let index = ident(cut_name(&format!("{}_created_by_idx", table.name)));
    out.push_str(&format!(
        "create index if not exists {index} on {t} (created_by);\n"
    ));
    out.push_str(&format!("alter table {t} enable row level security;\n"));
}

/// The policies, one per command, by name.
const POLICIES: &[(&str, &str, &str)] = &[
    ("Users read their own rows", "select", "using"),
    ("Users create their own rows", "insert", "with check"),
    ("Users update their own rows", "update", "using"),
    ("Users delete their own rows", "delete", "using"),
];

const OWN_ROW: &str = "(created_by = (select auth.jwt() ->> 'email'))";

fn render_policies(out: &mut String, tables: &[Table]) {
    out.push_str(
        "\n-- Supabase only: signed-in users (role authenticated) get their own rows, by created_by\n\
         -- = the email in their token. Skipped, with a notice, where there is no auth schema.\n\
         do $liftoff$\nbegin\n  \
         if to_regnamespace('auth') is null\n     \
         or to_regprocedure('auth.jwt()') is null\n     \
         or not exists (select from pg_roles where rolname = 'authenticated') then\n    \
         raise notice 'liftoff: no Supabase auth schema here: row-level security is on and no \
         policy was made (only the owner and roles that bypass it see rows)';\n    \
         return;\n  end if;\n",
    );
    for table in tables {
        let t = format!("public.{}", ident(&table.name));
        out.push_str(&format!(
            "\n  grant select, insert, update, delete on {t} to authenticated;\n  \
             alter table {t} alter column created_by set default (auth.jwt() ->> 'email');\n"
        ));
        for (name, command, clause) in POLICIES {
            let check = if *command == "update" {
                format!("using {OWN_ROW} with check {OWN_ROW}")
            } else {
                format!("{clause} {OWN_ROW}")
            };
            out.push_str(&format!(
                "  if not exists (select from pg_policies where schemaname = 'public'\n      \
                 and tablename = {} and policyname = {}) then\n    \
                 create policy {} on {t} for {command} to authenticated\n      {check};\n  \
                 end if;\n",
                literal(&table.name),
                literal(name),
                ident(name),
            ));
        }
    }
    out.push_str("end\n$liftoff$;\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment("a\nb\r\tc"), "a b  c");
    }
}

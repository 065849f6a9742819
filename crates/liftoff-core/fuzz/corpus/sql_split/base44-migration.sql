-- Base44 entities as PostgreSQL tables, written by Liftoff from the app's entity schemas.
-- Applies to Supabase and to plain PostgreSQL 15 or later: what needs Supabase (the auth
-- schema, the authenticated role) is guarded. Running it twice changes nothing.

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
  "row" jsonb not null,
  reason text
);
alter table public.liftoff_unmapped_rows enable row level security;

-- CheckIn (from base44/entities/check-in.jsonc)
create table if not exists public.check_in (
  id text primary key default gen_random_uuid()::text,
  created_date timestamptz not null default now(),
  updated_date timestamptz not null default now(),
  created_by text,
  event_id text not null,
  attendee_email text,
  checked_in_at timestamptz not null,
  method text default 'qr' check (method in ('qr', 'manual', 'nfc')),
  location jsonb,
  "Zone Name" text,
  notes text
);
create or replace trigger liftoff_updated_date before update on public.check_in
  for each row execute function public.liftoff_set_updated_date();
create index if not exists check_in_created_by_idx on public.check_in (created_by);
alter table public.check_in enable row level security;

-- Event (from base44/entities/event.jsonc)
create table if not exists public.event (
  id text primary key default gen_random_uuid()::text,
  created_date timestamptz not null default now(),
  updated_date timestamptz not null default now(),
  created_by text,
  title text not null,
  description text,
  starts_at timestamptz not null,
  ends_at timestamptz,
  venue jsonb,
  tags jsonb default '[]'::jsonb,
  status text default 'draft' check (status in ('draft', 'published', 'cancelled')),
  is_public boolean default true,
  price double precision default 0,
  "order" bigint
);
create or replace trigger liftoff_updated_date before update on public.event
  for each row execute function public.liftoff_set_updated_date();
create index if not exists event_created_by_idx on public.event (created_by);
alter table public.event enable row level security;

-- Supabase only: signed-in users (role authenticated) get their own rows, by created_by
-- = the email in their token. Skipped, with a notice, where there is no auth schema.
do $liftoff$
begin
  if to_regnamespace('auth') is null
     or to_regprocedure('auth.jwt()') is null
     or not exists (select from pg_roles where rolname = 'authenticated') then
    raise notice 'liftoff: no Supabase auth schema here: row-level security is on and no policy was made (only the owner and roles that bypass it see rows)';
    return;
  end if;

  grant select, insert, update, delete on public.check_in to authenticated;
  alter table public.check_in alter column created_by set default (auth.jwt() ->> 'email');
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'check_in' and policyname = 'Users read their own rows') then
    create policy "Users read their own rows" on public.check_in for select to authenticated
      using (created_by = (select auth.jwt() ->> 'email'));
  end if;
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'check_in' and policyname = 'Users create their own rows') then
    create policy "Users create their own rows" on public.check_in for insert to authenticated
      with check (created_by = (select auth.jwt() ->> 'email'));
  end if;
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'check_in' and policyname = 'Users update their own rows') then
    create policy "Users update their own rows" on public.check_in for update to authenticated
      using (created_by = (select auth.jwt() ->> 'email')) with check (created_by = (select auth.jwt() ->> 'email'));
  end if;
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'check_in' and policyname = 'Users delete their own rows') then
    create policy "Users delete their own rows" on public.check_in for delete to authenticated
      using (created_by = (select auth.jwt() ->> 'email'));
  end if;

  grant select, insert, update, delete on public.event to authenticated;
  alter table public.event alter column created_by set default (auth.jwt() ->> 'email');
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'event' and policyname = 'Users read their own rows') then
    create policy "Users read their own rows" on public.event for select to authenticated
      using (created_by = (select auth.jwt() ->> 'email'));
  end if;
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'event' and policyname = 'Users create their own rows') then
    create policy "Users create their own rows" on public.event for insert to authenticated
      with check (created_by = (select auth.jwt() ->> 'email'));
  end if;
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'event' and policyname = 'Users update their own rows') then
    create policy "Users update their own rows" on public.event for update to authenticated
      using (created_by = (select auth.jwt() ->> 'email')) with check (created_by = (select auth.jwt() ->> 'email'));
  end if;
  if not exists (select from pg_policies where schemaname = 'public'
      and tablename = 'event' and policyname = 'Users delete their own rows') then
    create policy "Users delete their own rows" on public.event for delete to authenticated
      using (created_by = (select auth.jwt() ->> 'email'));
  end if;
end
$liftoff$;

-- Let Supabase's REST layer see the new tables.
notify pgrst, 'reload schema';

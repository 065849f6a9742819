-- liftoff: Base44's files on Supabase Storage. Core.UploadFile puts files in the public bucket
-- base44-files (anyone with the link reads them, as on Base44); Core.UploadPrivateFile in
-- base44-private (read through Core.CreateFileSignedUrl by the user who uploaded them). Signed-in
-- users upload into, and read the rows of, their own folder (`<user id>/…`); 50 MB per file. Liftoff wrote this; plain
-- PostgreSQL (without Supabase Storage) skips it with a notice.
do $liftoff$
begin
  if to_regclass('storage.buckets') is null or to_regclass('storage.objects') is null then
    raise notice 'liftoff: no Supabase Storage (storage.buckets) here: the Base44 file buckets are skipped';
    return;
  end if;
  insert into storage.buckets (id, name, public, file_size_limit)
  values ('base44-files', 'base44-files', true, 52428800),
         ('base44-private', 'base44-private', false, 52428800)
  on conflict (id) do nothing;
  execute 'drop policy if exists "liftoff base44 uploads" on storage.objects';
  execute $sql$
    create policy "liftoff base44 uploads" on storage.objects for insert to authenticated
    with check (bucket_id in ('base44-files', 'base44-private')
                and split_part(name, '/', 1) = auth.uid()::text)
  $sql$;
  -- Users read back their own objects' rows (an upload may read the row it wrote; signed links
  -- to private files need it); a public file is served by its link, to anyone.
  execute 'drop policy if exists "liftoff base44 own private files" on storage.objects';
  execute 'drop policy if exists "liftoff base44 own files" on storage.objects';
  execute $sql$
    create policy "liftoff base44 own files" on storage.objects for select to authenticated
    using (bucket_id in ('base44-files', 'base44-private')
           and split_part(name, '/', 1) = auth.uid()::text)
  $sql$;
end
$liftoff$;

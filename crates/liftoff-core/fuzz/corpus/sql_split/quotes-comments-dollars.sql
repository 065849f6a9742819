select 'a;b', 'it''s;', "we;ird"""; select E'\';', e'a\\'; select 'b\'; select 3;
select 1 /* a; /* nested; */ still; */ + 1; -- line; comment
create function f() returns int language plpgsql as $fn$
begin
  perform 'x;$$';
  return 1;
end
$fn$;
do $$ begin null; end $$; select $1; select a$b$ from t; select type'x;';
2024-02-29T10:00:00.123+02:00
2024-02-29
2023-02-29 10:00
　select 'open; never closed
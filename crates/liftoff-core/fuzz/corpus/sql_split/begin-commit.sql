BEGIN;
insert into t values (1) -- trailing
;
COMMIT;
/* open comment
\timing on
CREATE TEMP TABLE tj (id bigserial primary key, type text, occurred_at timestamptz, data jsonb, created_at timestamptz default now());
CREATE TEMP TABLE tt (id bigserial primary key, type text, occurred_at timestamptz, data json, created_at timestamptz default now());
\set sel 'SELECT g AS "issueId", ''GL-2026-000123'' AS number, ''路灯不亮 · 某某小区东门口'' AS title, ''reported'' AS status, 1 AS version, 12 AS "categoryId", ''normal'' AS priority, ''app'' AS source, 100+g%400 AS "gridId", 20 AS "communityId", 3 AS "streetId", 1 AS "districtId", NULL::int AS "departmentId", 55 AS "reporterId", NULL::int AS "assigneeId", 3 AS seq, g::bigint AS "clockId", ''accept'' AS stage, ''breach'' AS level, to_char(now() AT TIME ZONE ''UTC'',''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'') AS "dueAt", g AS "supervisionId", 3 AS "supervisionRegionId"'
SELECT count(*) FROM (SELECT (SELECT to_jsonb(r) FROM (:sel) r) FROM generate_series(1,4000) g) x;
SELECT count(*) FROM (SELECT (SELECT to_jsonb(r) FROM (:sel) r) FROM generate_series(1,4000) g) x;
SELECT count(*) FROM (SELECT (SELECT to_json(r) FROM (:sel) r) FROM generate_series(1,4000) g) x;
SELECT count(*) FROM (SELECT (SELECT to_json(r) FROM (:sel) r) FROM generate_series(1,4000) g) x;
INSERT INTO tj (type, occurred_at, data) SELECT 'x', now(), (SELECT to_jsonb(r) FROM (:sel) r) FROM generate_series(1,4000) g;
INSERT INTO tj (type, occurred_at, data) SELECT 'x', now(), (SELECT to_jsonb(r) FROM (:sel) r) FROM generate_series(1,4000) g;
INSERT INTO tt (type, occurred_at, data) SELECT 'x', now(), (SELECT to_json(r) FROM (:sel) r) FROM generate_series(1,4000) g;
INSERT INTO tt (type, occurred_at, data) SELECT 'x', now(), (SELECT to_json(r) FROM (:sel) r) FROM generate_series(1,4000) g;
SELECT sum(length(data::text)) FROM tj;
COPY (SELECT data FROM tj) TO '/dev/null';
COPY (SELECT data FROM tt) TO '/dev/null';

-- Read-only access for analysts: the published marts, the accepted data and the reference dimensions.
--
-- `analyst` is a group role without login. Give a person a login in it (as a role with CREATEROLE):
--     CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE analyst;
-- or `PYTHONPATH=. .venv/bin/python -m include.presswatch.ops analyst-login alice`, which also makes the login's sessions read-only with a statement
-- timeout (role settings apply to the login role, not to the groups it is in).
--
-- Not granted: raw (payloads exactly as sent, with correspondents' personal data), quarantine (the same,
-- for rejected rows), mart_stage (unchecked marts of runs in progress) and ops (operations).
-- Roles belong to the server, not to one database: several warehouses on one server share this role,
-- so it is created only when missing, and two migrations creating it at once are both fine.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN
        CREATE ROLE analyst NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION
    -- Another database's migration created it between our check and our CREATE.
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

COMMENT ON ROLE analyst IS 'Read-only analysts of the presswatch warehouse: SELECT on mart, core and ref; no access to raw, quarantine, mart_stage or ops.';

GRANT USAGE ON SCHEMA mart, core, ref TO analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA mart, core, ref TO analyst;

-- Tables later migrations create in these schemas (as the role that runs migrations) are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA mart GRANT SELECT ON TABLES TO analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT SELECT ON TABLES TO analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA ref GRANT SELECT ON TABLES TO analyst;

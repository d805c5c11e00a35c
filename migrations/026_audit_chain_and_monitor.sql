-- migrate:no-transaction
-- squawk-disable-assume-in-transaction
-- 026 An audit trail that shows tampering, and database health read through a monitoring role.
--
-- Tamper evidence (issue 12): every audit row is linked into a hash chain kept in audit_chain, one entry
-- per audit row: row_hash = sha256(prev_hash || audit_row_digest(row)). audit_log itself stays
-- append-only (no row is ever updated). The link is made at COMMIT by a deferred constraint trigger
-- that takes the one audit_chain_head row's lock: audited transactions serialise only for the instant
-- between their last statement and their commit, never while they wait for other locks (an insert-time
-- lock would deadlock two transactions that each wait for the other's row). A chain position is given
-- in commit order; log_id stays the insert order. Someone with the owner's rights who edits or deletes
-- an audit row, or inserts one past the trigger, breaks the chain where they did it; `npm run
-- audit:verify` and Admin → Audit name the first broken link. (An owner who rewrites the whole chain
-- from the tampered row onwards is caught only against a head hash kept elsewhere: the verifier prints it.)
--
-- Outside a transaction on purpose: rows already in audit_log are linked by a procedure that commits
-- every batch, holding the head lock (so audited commits wait) only for one batch at a time; the
-- runner's lock_timeout bounds every lock taken here. Every statement is safe to run again.
--
-- Monitoring (Admin → Database): SECURITY DEFINER functions owned by clinic_monitor, a NOLOGIN role
-- given pg_monitor and pg_signal_backend, so the app reads pg_stat_* and cancels a runaway query
-- without the app role holding either. Granting those predefined roles needs a superuser (or, from
-- PostgreSQL 16, ADMIN OPTION on them): where the owner cannot, this says so in a NOTICE and the
-- screen shows a limited view until the DBA runs
--     GRANT pg_monitor, pg_signal_backend TO clinic_monitor;

-- 1. The chain's tables -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS audit_chain_head (
    id BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    -- The newest link as of the last transaction that linked rows (written once per transaction: a
    -- row updated once per link would grow a version chain that makes a 10,000-row transaction crawl).
    last_position BIGINT NOT NULL DEFAULT 0,
    last_hash BYTEA,
    updated_xact XID8,
    -- false until the rows older than the chain are linked: commits then leave their rows to the backfill.
    sealed BOOLEAN NOT NULL DEFAULT false,
    sealed_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS audit_chain (
    position BIGINT PRIMARY KEY,
    log_id INTEGER NOT NULL UNIQUE,
    prev_hash BYTEA,
    row_hash BYTEA NOT NULL,
    -- A row linked at its own commit was linked in its own transaction, so linked_at equals its
    -- "timestamp" (both now()): a row written with a made-up time shows. Rows older than 026 are backfilled.
    linked_at TIMESTAMPTZ NOT NULL DEFAULT pg_catalog.now(),
    backfilled BOOLEAN NOT NULL DEFAULT false
);
-- Owner-only writes (through the trigger and the backfill); readers of the audit trail read it.
-- squawk-ignore prefer-robust-stmts
ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE audit_chain_head FORCE ROW LEVEL SECURITY;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE audit_chain ENABLE ROW LEVEL SECURITY;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE audit_chain FORCE ROW LEVEL SECURITY;
REVOKE ALL ON audit_chain_head, audit_chain FROM PUBLIC;
GRANT SELECT ON audit_chain_head, audit_chain TO clinic_app;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['audit_chain_head', 'audit_chain'] LOOP
        EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %I', t || '_owner_all', t);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON %I FOR ALL USING ((SELECT app_holds_owner_rights(%L))) WITH CHECK ((SELECT app_holds_owner_rights(%L)))',
            t || '_owner_all', t, 'public.' || t, 'public.' || t);
        EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %I', t || '_audit_read', t);
        EXECUTE pg_catalog.format('CREATE POLICY %I ON %I FOR SELECT TO clinic_app USING ((SELECT app_has_permission(%L)))',
            t || '_audit_read', t, 'audit.read');
    END LOOP;
END;
$$;
INSERT INTO audit_chain_head (id) VALUES (true) ON CONFLICT (id) DO NOTHING;

-- The audit trail is read by whoever holds audit.read (administrators hold it; 008's admin policy
-- stays), and by the owner, who verifies the chain from `npm run audit:verify`.
DROP POLICY IF EXISTS audit_log_audit_read ON audit_log;
CREATE POLICY audit_log_audit_read ON audit_log FOR SELECT TO clinic_app USING ((SELECT app_has_permission('audit.read')));
DROP POLICY IF EXISTS audit_log_owner_read ON audit_log;
CREATE POLICY audit_log_owner_read ON audit_log FOR SELECT USING ((SELECT app_holds_owner_rights('public.audit_log')));

-- 2. The digest and the link ------------------------------------------------------------------------
-- What the chain protects of a row, as text that does not depend on the session (time in UTC).
CREATE OR REPLACE FUNCTION audit_row_digest(p_row public.audit_log) RETURNS BYTEA
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_array(
        p_row.log_id, p_row.table_name, p_row.operation, p_row.user_id, p_row.old_values, p_row.new_values,
        pg_catalog.to_char(p_row."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), p_row.db_login)::pg_catalog.text, 'UTF8'))
$$;
REVOKE ALL ON FUNCTION audit_row_digest(public.audit_log) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_row_digest(public.audit_log) TO clinic_app;

-- Fired at COMMIT for each audit row of the transaction, in insert order. The head row's lock
-- orders the committing transactions; the newest link is read from audit_chain itself.
CREATE OR REPLACE FUNCTION audit_chain_link() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    head public.audit_chain_head%ROWTYPE;
    newest_position BIGINT;
    newest_hash BYTEA;
    next_hash BYTEA;
BEGIN
    SELECT h.* INTO head FROM public.audit_chain_head h WHERE h.id FOR UPDATE;
    IF NOT FOUND OR NOT head.sealed THEN
        RETURN NULL; -- the backfill links it
    END IF;
    SELECT c.position, c.row_hash INTO newest_position, newest_hash FROM public.audit_chain c ORDER BY c.position DESC LIMIT 1;
    newest_position := COALESCE(newest_position, 0);
    next_hash := pg_catalog.sha256(COALESCE(newest_hash, '\x'::BYTEA) OPERATOR(pg_catalog.||) public.audit_row_digest(NEW));
    INSERT INTO public.audit_chain (position, log_id, prev_hash, row_hash)
    VALUES (newest_position + 1, NEW.log_id, newest_hash, next_hash);
    IF head.updated_xact IS DISTINCT FROM pg_catalog.pg_current_xact_id() THEN
        UPDATE public.audit_chain_head
           SET last_position = newest_position + 1, last_hash = next_hash, updated_xact = pg_catalog.pg_current_xact_id()
         WHERE id;
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION audit_chain_link() FROM PUBLIC;

DROP TRIGGER IF EXISTS audit_log_chain ON audit_log;
CREATE CONSTRAINT TRIGGER audit_log_chain AFTER INSERT ON audit_log
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_link();

-- 3. Linking the rows written before this migration ---------------------------------------------------
-- A procedure with a SET clause may not COMMIT, so every name here carries its schema instead.
CREATE OR REPLACE PROCEDURE audit_chain_backfill(p_batch INTEGER)
LANGUAGE plpgsql
AS $$
DECLARE
    after_id INTEGER := 0;
    head public.audit_chain_head%ROWTYPE;
    r public.audit_log;
    linked INTEGER;
    next_hash BYTEA;
BEGIN
    LOOP
        SELECT h.* INTO head FROM public.audit_chain_head h WHERE h.id FOR UPDATE;
        EXIT WHEN head.sealed;
        linked := 0;
        FOR r IN SELECT a.* FROM public.audit_log a
                 WHERE a.log_id > after_id AND NOT EXISTS (SELECT 1 FROM public.audit_chain c WHERE c.log_id = a.log_id)
                 ORDER BY a.log_id LIMIT p_batch LOOP
            next_hash := pg_catalog.sha256(COALESCE(head.last_hash, '\x'::BYTEA) OPERATOR(pg_catalog.||) public.audit_row_digest(r));
            head.last_position := head.last_position + 1;
            INSERT INTO public.audit_chain (position, log_id, prev_hash, row_hash, backfilled) VALUES (head.last_position, r.log_id, head.last_hash, next_hash, true);
            head.last_hash := next_hash;
            after_id := r.log_id;
            linked := linked + 1;
        END LOOP;
        IF linked < p_batch THEN
            -- Caught up: rows committed meanwhile below the cursor are linked too, then commits link their own.
            FOR r IN SELECT a.* FROM public.audit_log a
                     WHERE NOT EXISTS (SELECT 1 FROM public.audit_chain c WHERE c.log_id = a.log_id) ORDER BY a.log_id LOOP
                next_hash := pg_catalog.sha256(COALESCE(head.last_hash, '\x'::BYTEA) OPERATOR(pg_catalog.||) public.audit_row_digest(r));
                head.last_position := head.last_position + 1;
                INSERT INTO public.audit_chain (position, log_id, prev_hash, row_hash, backfilled) VALUES (head.last_position, r.log_id, head.last_hash, next_hash, true);
                head.last_hash := next_hash;
            END LOOP;
            head.sealed := true;
        END IF;
        UPDATE public.audit_chain_head
           SET last_position = head.last_position, last_hash = head.last_hash, sealed = head.sealed, updated_xact = pg_catalog.pg_current_xact_id(),
               sealed_at = CASE WHEN head.sealed THEN pg_catalog.now() END
         WHERE id;
        COMMIT;
    END LOOP;
END;
$$;
REVOKE ALL ON PROCEDURE audit_chain_backfill(INTEGER) FROM PUBLIC;
CALL audit_chain_backfill(5000);

-- 4. Monitoring settings -----------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS monitoring_settings (
    id BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    long_query_minutes INTEGER NOT NULL DEFAULT 5 CHECK (long_query_minutes BETWEEN 1 AND 1440),
    disk_warning_percent INTEGER NOT NULL DEFAULT 90 CHECK (disk_warning_percent BETWEEN 50 AND 99),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT pg_catalog.now(),
    updated_by UUID
);
-- squawk-ignore prefer-robust-stmts
ALTER TABLE monitoring_settings ENABLE ROW LEVEL SECURITY;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE monitoring_settings FORCE ROW LEVEL SECURITY;
REVOKE ALL ON monitoring_settings FROM PUBLIC;
GRANT SELECT ON monitoring_settings TO clinic_app;
GRANT UPDATE (long_query_minutes, disk_warning_percent, updated_at, updated_by) ON monitoring_settings TO clinic_app;
DROP POLICY IF EXISTS monitoring_settings_owner_all ON monitoring_settings;
CREATE POLICY monitoring_settings_owner_all ON monitoring_settings FOR ALL
    USING ((SELECT app_holds_owner_rights('public.monitoring_settings'))) WITH CHECK ((SELECT app_holds_owner_rights('public.monitoring_settings')));
DROP POLICY IF EXISTS monitoring_settings_manage_read ON monitoring_settings;
CREATE POLICY monitoring_settings_manage_read ON monitoring_settings FOR SELECT TO clinic_app USING ((SELECT app_has_permission('settings.manage')));
DROP POLICY IF EXISTS monitoring_settings_manage_update ON monitoring_settings;
CREATE POLICY monitoring_settings_manage_update ON monitoring_settings FOR UPDATE TO clinic_app
    USING ((SELECT app_has_permission('settings.manage'))) WITH CHECK ((SELECT app_has_permission('settings.manage')));
INSERT INTO monitoring_settings (id) VALUES (true) ON CONFLICT (id) DO NOTHING;
DROP TRIGGER IF EXISTS monitoring_settings_audit ON monitoring_settings;
CREATE TRIGGER monitoring_settings_audit AFTER INSERT OR UPDATE OR DELETE ON monitoring_settings FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();

-- 5. The monitoring role --------------------------------------------------------------------------------
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'clinic_monitor') THEN
        CREATE ROLE clinic_monitor NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    -- The owner maintains clinic_monitor's functions (as 016 does for clinic_auth).
    IF NOT pg_catalog.pg_has_role(current_user, 'clinic_monitor', 'USAGE') THEN
        IF pg_catalog.current_setting('server_version_num')::INTEGER >= 160000 THEN
            EXECUTE pg_catalog.format('GRANT clinic_monitor TO %I WITH INHERIT TRUE, SET TRUE', current_user);
        ELSE
            EXECUTE pg_catalog.format('GRANT clinic_monitor TO %I', current_user);
        END IF;
    END IF;
    IF NOT pg_catalog.pg_has_role('clinic_monitor', 'pg_monitor', 'USAGE') OR NOT pg_catalog.pg_has_role('clinic_monitor', 'pg_signal_backend', 'USAGE') THEN
        BEGIN
            GRANT pg_monitor, pg_signal_backend TO clinic_monitor;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'clinic_monitor could not be given pg_monitor and pg_signal_backend (%): Admin → Database shows a limited view until a superuser runs: GRANT pg_monitor, pg_signal_backend TO clinic_monitor;', SQLERRM;
        END;
    END IF;
END;
$$;
GRANT USAGE ON SCHEMA public TO clinic_monitor;
-- What app_has_permission reads (the gate inside each function), and where the functions record what they did.
GRANT SELECT (user_id, is_active) ON users TO clinic_monitor;
GRANT SELECT ON user_roles, roles, role_permissions, permissions TO clinic_monitor;
GRANT EXECUTE ON FUNCTION app_current_user_id(), app_has_permission(TEXT) TO clinic_monitor;
GRANT INSERT ON audit_log TO clinic_monitor;
GRANT USAGE ON SEQUENCE audit_log_log_id_seq TO clinic_monitor;

-- One snapshot of the server's health for Admin → Database (settings.manage). Query texts are cut to
-- 300 characters with their string literals blanked: a statement may carry a patient's name.
CREATE OR REPLACE FUNCTION monitor_snapshot(p_long_query_seconds INTEGER) RETURNS JSONB
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    result JSONB;
    statements JSONB;
    statements_reason TEXT;
    pgss_schema TEXT;
BEGIN
    IF NOT public.app_has_permission('settings.manage') THEN
        RAISE EXCEPTION 'database health needs settings.manage' USING ERRCODE = '42501';
    END IF;
    IF p_long_query_seconds IS NULL OR p_long_query_seconds < 0 OR p_long_query_seconds > 86400 THEN
        RAISE EXCEPTION 'the long-query threshold must be 0 to 86400 seconds' USING ERRCODE = '22023';
    END IF;

    SELECT n.nspname INTO pgss_schema FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_stat_statements';
    IF pgss_schema IS NULL THEN
        statements_reason := 'pg_stat_statements is not installed on this server';
    ELSE
        BEGIN
            EXECUTE pg_catalog.format($q$
                SELECT COALESCE(pg_catalog.jsonb_agg(s ORDER BY s.total_ms DESC), '[]') FROM (
                    SELECT pg_catalog.left(pg_catalog.regexp_replace(p.query, '''(?:[^'']|'''')*''', '''…''', 'g'), 300) AS query,
                           p.calls, pg_catalog.round(p.total_exec_time::pg_catalog.numeric, 1) AS total_ms,
                           pg_catalog.round(p.mean_exec_time::pg_catalog.numeric, 2) AS mean_ms, p.rows
                      FROM %I.pg_stat_statements p
                     WHERE p.dbid = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
                     ORDER BY p.total_exec_time DESC LIMIT 10) s$q$, pgss_schema) INTO statements;
        EXCEPTION WHEN OTHERS THEN
            statements_reason := SQLERRM;
        END;
    END IF;

    SELECT pg_catalog.jsonb_build_object(
        'server_version', pg_catalog.current_setting('server_version'),
        'full_view', pg_catalog.pg_has_role('pg_monitor', 'USAGE'),
        'can_signal', pg_catalog.pg_has_role('pg_signal_backend', 'USAGE'),
        'database_bytes', pg_catalog.pg_database_size(pg_catalog.current_database()),
        'cache_hit_ratio', (SELECT CASE WHEN d.blks_hit + d.blks_read = 0 THEN NULL
                                        ELSE pg_catalog.round(d.blks_hit::pg_catalog.numeric / (d.blks_hit + d.blks_read), 4) END
                              FROM pg_catalog.pg_stat_database d WHERE d.datname = pg_catalog.current_database()),
        'connections', (SELECT COALESCE(pg_catalog.jsonb_agg(c ORDER BY c.count DESC, c.application), '[]') FROM (
            SELECT COALESCE(NULLIF(a.application_name, ''), '(none)') AS application, COALESCE(a.state, 'unknown') AS state,
                   COALESCE(a.usename::pg_catalog.text, '') AS login, pg_catalog.count(*)::INTEGER AS count
              FROM pg_catalog.pg_stat_activity a
             -- Without pg_monitor another login's backend_type and state are hidden: it still counts, state unknown.
             WHERE a.datname = pg_catalog.current_database()
               AND (a.backend_type = 'client backend' OR (a.backend_type IS NULL AND a.usesysid IS NOT NULL))
             GROUP BY 1, 2, 3) c),
        'long_queries', (SELECT COALESCE(pg_catalog.jsonb_agg(q ORDER BY q.seconds DESC), '[]') FROM (
            SELECT a.pid, COALESCE(a.usename::pg_catalog.text, '') AS login, COALESCE(a.application_name, '') AS application,
                   a.state, a.query_start AS started,
                   pg_catalog.round(EXTRACT(EPOCH FROM pg_catalog.clock_timestamp() - a.query_start)::pg_catalog.numeric, 1) AS seconds,
                   a.wait_event_type AS wait_event,
                   pg_catalog.left(pg_catalog.regexp_replace(a.query, '''(?:[^'']|'''')*''', '''…''', 'g'), 300) AS query
              FROM pg_catalog.pg_stat_activity a
             WHERE a.datname = pg_catalog.current_database() AND a.backend_type = 'client backend'
               AND a.pid <> pg_catalog.pg_backend_pid() AND a.state IS NOT NULL AND a.state <> 'idle'
               AND a.query_start < pg_catalog.clock_timestamp() - pg_catalog.make_interval(secs => p_long_query_seconds)) q),
        'tables', (SELECT COALESCE(pg_catalog.jsonb_agg(t ORDER BY t.total_bytes DESC), '[]') FROM (
            SELECT s.relname::pg_catalog.text AS name, pg_catalog.pg_total_relation_size(s.relid) AS total_bytes,
                   s.n_live_tup AS live_rows, s.n_dead_tup AS dead_rows,
                   s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze
              FROM pg_catalog.pg_stat_user_tables s WHERE s.schemaname = 'public') t),
        'archiver', (SELECT pg_catalog.jsonb_build_object(
            'archive_mode', pg_catalog.current_setting('archive_mode', true),
            'archived_count', s.archived_count, 'last_archived_wal', s.last_archived_wal, 'last_archived_time', s.last_archived_time,
            'failed_count', s.failed_count, 'last_failed_wal', s.last_failed_wal, 'last_failed_time', s.last_failed_time,
            'failing', s.last_failed_time IS NOT NULL AND (s.last_archived_time IS NULL OR s.last_failed_time > s.last_archived_time))
            FROM pg_catalog.pg_stat_archiver s),
        'statements', pg_catalog.jsonb_build_object('available', statements IS NOT NULL, 'reason', statements_reason,
                                                    'rows', COALESCE(statements, '[]'))
    ) INTO result;
    RETURN result;
END;
$$;

-- Cancels (or, asked twice in the app, terminates) one client backend of this database, recorded in the audit trail.
CREATE OR REPLACE FUNCTION monitor_signal_backend(p_pid INTEGER, p_terminate BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    target RECORD;
    signalled BOOLEAN;
BEGIN
    IF NOT public.app_has_permission('settings.manage') THEN
        RAISE EXCEPTION 'cancelling a query needs settings.manage' USING ERRCODE = '42501';
    END IF;
    SELECT a.pid, a.usename::pg_catalog.text AS login, a.application_name, a.query_start, a.state INTO target
      FROM pg_catalog.pg_stat_activity a
     WHERE a.pid = p_pid AND a.datname = pg_catalog.current_database() AND a.backend_type = 'client backend'
       AND a.pid <> pg_catalog.pg_backend_pid();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such connection to this database' USING ERRCODE = 'P0002';
    END IF;
    INSERT INTO public.audit_log (table_name, operation, user_id, new_values)
    VALUES ('database', CASE WHEN p_terminate THEN 'TERMINATE' ELSE 'CANCEL' END, public.app_current_user_id(),
            pg_catalog.jsonb_build_object('pid', target.pid, 'login', target.login, 'application', target.application_name,
                                          'query_start', target.query_start, 'state', target.state, 'db_login', session_user::pg_catalog.text));
    signalled := CASE WHEN p_terminate THEN pg_catalog.pg_terminate_backend(p_pid) ELSE pg_catalog.pg_cancel_backend(p_pid) END;
    RETURN signalled;
END;
$$;

REVOKE ALL ON FUNCTION monitor_snapshot(INTEGER), monitor_signal_backend(INTEGER, BOOLEAN) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitor_snapshot(INTEGER), monitor_signal_backend(INTEGER, BOOLEAN) TO clinic_app;
-- Handed to clinic_monitor in one statement, so the brief CREATE on public never outlives it.
DO $$
BEGIN
    GRANT CREATE ON SCHEMA public TO clinic_monitor;
    ALTER FUNCTION monitor_snapshot(INTEGER) OWNER TO clinic_monitor;
    ALTER FUNCTION monitor_signal_backend(INTEGER, BOOLEAN) OWNER TO clinic_monitor;
    REVOKE CREATE ON SCHEMA public FROM clinic_monitor;
END;
$$;

-- 6. The audit viewer's patient filter -----------------------------------------------------------------
-- Which audit rows are about which patient, kept beside the trail. Row level security keeps a filter
-- on audit_log's JSON (->> is not leakproof) from ever using an index, so on a million rows "who
-- opened this chart" scanned them all; an integer equality here is leakproof and indexed.
CREATE TABLE IF NOT EXISTS audit_patient_rows (
    log_id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL
);
DROP INDEX CONCURRENTLY IF EXISTS idx_audit_patient_rows_patient;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_audit_patient_rows_patient ON audit_patient_rows (patient_id, log_id);
-- squawk-ignore prefer-robust-stmts
ALTER TABLE audit_patient_rows ENABLE ROW LEVEL SECURITY;
-- squawk-ignore prefer-robust-stmts
ALTER TABLE audit_patient_rows FORCE ROW LEVEL SECURITY;
REVOKE ALL ON audit_patient_rows FROM PUBLIC;
GRANT SELECT ON audit_patient_rows TO clinic_app;
DROP POLICY IF EXISTS audit_patient_rows_owner_all ON audit_patient_rows;
CREATE POLICY audit_patient_rows_owner_all ON audit_patient_rows FOR ALL
    USING ((SELECT app_holds_owner_rights('public.audit_patient_rows'))) WITH CHECK ((SELECT app_holds_owner_rights('public.audit_patient_rows')));
DROP POLICY IF EXISTS audit_patient_rows_audit_read ON audit_patient_rows;
CREATE POLICY audit_patient_rows_audit_read ON audit_patient_rows FOR SELECT TO clinic_app
    USING ((SELECT app_has_permission('audit.read')) OR (SELECT 'admin' = ANY (app_roles())));

-- The patient an audit row is about: a patients row's own id, or the patient_id its values carry.
CREATE OR REPLACE FUNCTION audit_patient_of(p_new JSONB, p_old JSONB) RETURNS INTEGER
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN v ~ '^[0-9]{1,9}$' THEN v::INTEGER END
      FROM (SELECT COALESCE(p_new ->> 'patient_id', p_old ->> 'patient_id') AS v) x
$$;
REVOKE ALL ON FUNCTION audit_patient_of(JSONB, JSONB) FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit_patient_row() RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    patient INTEGER := public.audit_patient_of(NEW.new_values, NEW.old_values);
BEGIN
    IF patient IS NOT NULL THEN
        INSERT INTO public.audit_patient_rows (log_id, patient_id) VALUES (NEW.log_id, patient) ON CONFLICT (log_id) DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION audit_patient_row() FROM PUBLIC;
DROP TRIGGER IF EXISTS audit_log_patient ON audit_log;
CREATE TRIGGER audit_log_patient AFTER INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_patient_row();
-- Rows written before the trigger: one pass that blocks no writer (rows it meets twice are skipped).
INSERT INTO audit_patient_rows (log_id, patient_id)
SELECT a.log_id, audit_patient_of(a.new_values, a.old_values) FROM audit_log a
 WHERE audit_patient_of(a.new_values, a.old_values) IS NOT NULL
ON CONFLICT (log_id) DO NOTHING;
-- An index an earlier run of this file may have built, which row level security kept from being used.
DROP INDEX CONCURRENTLY IF EXISTS idx_audit_log_patient;

-- The viewer pages newest first by log_id: by table and by user the existing (…, timestamp) indexes
-- made it sort every matching row first (seconds on a million rows); these serve a page directly.
DROP INDEX CONCURRENTLY IF EXISTS idx_audit_log_table_id;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_audit_log_table_id ON audit_log (table_name, log_id);
DROP INDEX CONCURRENTLY IF EXISTS idx_audit_log_user_id;
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_audit_log_user_id ON audit_log (user_id, log_id);

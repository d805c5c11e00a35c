-- 045 A terminal's database login may not create temporary objects (an attacker's review of 044).
-- PostgreSQL lets PUBLIC create temporary tables and functions in every new database. With them the
-- app's login could put its own trigger on a temporary table and, from inside it, make any UPDATE it
-- may make run at trigger depth 1. Three guards trusted pg_trigger_depth() to tell their own trigger's
-- write from a client's, and each could so be fooled:
--   * 020's prescriptions guard lets dispensed_quantity move only at depth 2 or more (the ledger's
--     trigger): a pharmacist's context could set an order's count and status with no ledger row;
--   * 027's billing guard lets paid_amount move only at depth 2 or more (payments_apply): a front-desk
--     or billing context could mark a bill paid with no payment;
--   * 044's audit exemption for that count would have hidden such a change from the audit trail.
-- No trigger of the app's login can exist without temporary objects (it owns no table and holds no
-- TRIGGER grant), so revoking TEMPORARY closes all three, and also the shadowing of public tables that
-- 015 defends the definers against (they keep that defence). The owner keeps it (seed, table restore).
-- Only the database's owner may revoke this; for anyone else this migration changes nothing, and main
-- then refuses to start on that server with its login (main/startup/open-database.ts), as for CREATE (018).
-- A database copied from a template, or restored into a new one, starts with PostgreSQL's default
-- rights again: run this REVOKE there too.
DO $$
BEGIN
    IF pg_catalog.pg_has_role(current_user, (SELECT d.datdba FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()), 'USAGE') THEN
        EXECUTE pg_catalog.format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC, clinic_app', pg_catalog.current_database());
    END IF;
END;
$$;

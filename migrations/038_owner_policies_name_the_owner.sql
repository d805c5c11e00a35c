-- 038 The owner's policies name the owner instead of asking every caller whether it is the owner
-- (speed of issues 10 and 11). 016 and later gave 73 policies to PUBLIC with the test
-- "(SELECT app_holds_owner_rights('table'))": so every statement of the app on those tables ran that
-- SQL function (planned afresh at each run, as SQL functions are) to learn it is not the owner —
-- 11 times per bedside scan, about a tenth of the database's time in it. A policy TO the owner role
-- applies to exactly the roles that test let in (those with the owner's privileges,
-- pg_has_role(owner, 'USAGE')), and PostgreSQL leaves it out of every other role's statements before
-- planning. Same rows for everyone.
-- If the schema is ever given to another owner, its policies move with an ALTER POLICY ... TO (the
-- README's deployment notes say so); until then the old owner keeps exactly the rights it has now.
-- ALTER POLICY keeps each policy's name and command; the runner's lock_timeout bounds each lock.

DO $$
DECLARE
    p RECORD;
    owner_check TEXT;
    changed INTEGER := 0;
BEGIN
    FOR p IN
        SELECT pol.polname, c.oid AS table_oid, c.relname, pg_catalog.pg_get_userbyid(c.relowner) AS owner_name,
               pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) AS using_expr,
               pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr
        FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
        WHERE c.relnamespace = 'public'::pg_catalog.regnamespace AND pol.polroles = '{0}'
    LOOP
        owner_check := pg_catalog.format('( SELECT app_holds_owner_rights(%L::regclass) AS app_holds_owner_rights)', p.table_oid::pg_catalog.regclass::pg_catalog.text);
        CONTINUE WHEN p.using_expr IS DISTINCT FROM owner_check AND p.check_expr IS DISTINCT FROM owner_check;
        IF p.using_expr IS DISTINCT FROM owner_check AND p.using_expr IS NOT NULL
           OR p.check_expr IS DISTINCT FROM owner_check AND p.check_expr IS NOT NULL THEN
            RAISE EXCEPTION 'policy % on % mixes the owner test with another: change it by hand', p.polname, p.relname;
        END IF;
        EXECUTE pg_catalog.format('ALTER POLICY %I ON public.%I TO %I', p.polname, p.relname, p.owner_name)
            || CASE WHEN p.using_expr IS NOT NULL THEN ' USING (true)' ELSE '' END
            || CASE WHEN p.check_expr IS NOT NULL THEN ' WITH CHECK (true)' ELSE '' END;
        changed := changed + 1;
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
               WHERE c.relnamespace = 'public'::pg_catalog.regnamespace
                 AND COALESCE(pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), '') || COALESCE(pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid), '')
                     ~ 'app_holds_owner_rights') THEN
        RAISE EXCEPTION 'a policy still asks app_holds_owner_rights after % were changed', changed;
    END IF;
    RAISE NOTICE '% owner policies now name their table''s owner', changed;
END;
$$;

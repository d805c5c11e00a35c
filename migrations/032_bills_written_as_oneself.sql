-- 032 Bills are written as oneself (security review of 027): a front-desk or billing clerk's INSERT must
-- name the user in context as created_by, as the pharmacist's dispensing line already must (020), so no
-- one can put a bill in a colleague's name. Re-created policies keep their names; billing is small per
-- hospital day, and the runner's lock_timeout bounds the brief lock.
DROP POLICY IF EXISTS billing_clerk_write ON billing;
CREATE POLICY billing_clerk_write ON billing FOR INSERT
    WITH CHECK ((SELECT 'billing_clerk' = ANY (app_roles())) AND created_by = (SELECT app_current_user_id()));
DROP POLICY IF EXISTS billing_front_desk_write ON billing;
CREATE POLICY billing_front_desk_write ON billing FOR INSERT
    WITH CHECK ((SELECT 'front_desk' = ANY (app_roles())) AND created_by = (SELECT app_current_user_id()));

-- 014 Offline sign-in stays honest: a front desk keeps argon2id verifiers of its recent users so
-- they can sign in while the database is down. While online it asks here whether each of them is
-- still active and still has the same password (a fingerprint of the stored hash, never the hash),
-- and forgets anyone switched off or whose password changed elsewhere.
CREATE FUNCTION app_credential_fingerprints(p_user_ids UUID[])
RETURNS TABLE (user_id UUID, is_active BOOLEAN, fingerprint TEXT)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    SELECT u.user_id, COALESCE(u.is_active, false), encode(sha256(convert_to(u.password_hash, 'UTF8')), 'hex')
    FROM users u
    WHERE u.user_id = ANY (p_user_ids[1:100]);
$$;
REVOKE ALL ON FUNCTION app_credential_fingerprints(UUID[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_credential_fingerprints(UUID[]) TO clinic_app;

-- 012 Exactly-once replay of changes made on a terminal while the database was unreachable.
-- Each change carries an idempotency key; the result is stored under it in the same transaction as
-- the change, so a change replayed twice (or by two terminals) applies once, and the same key with a
-- different payload is refused.

CREATE TABLE offline_requests (
    idempotency_key UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(user_id),
    channel VARCHAR(60) NOT NULL,
    payload_sha256 CHAR(64) NOT NULL,
    status VARCHAR(10) NOT NULL CHECK (status IN ('applied', 'rejected')),
    result JSONB NOT NULL,
    made_at TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_offline_requests_user ON offline_requests (user_id, received_at);

-- Results can name patients: each user sees the results of their own changes; administrators all.
ALTER TABLE offline_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE offline_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY offline_requests_own ON offline_requests FOR SELECT
    USING (user_id = app_current_user_id() OR (SELECT 'admin' = ANY (app_roles())));
CREATE POLICY offline_requests_record ON offline_requests FOR INSERT
    WITH CHECK (user_id = app_current_user_id());

GRANT SELECT, INSERT ON offline_requests TO clinic_app;
